"""Loads province or commune boundaries from a GeoJSON file an administrator supplies (none is bundled: use a
file whose licence allows it). Features are matched to units by code, else by name; idempotent."""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ccn.clusters.validators import clean_polygon
from ccn.core.text import fold
from ccn.geo.models import Commune, Province

CODE_KEYS = ("code", "ma", "ma_tinh", "ma_xa", "province_code", "commune_code", "matinh", "maxa")
NAME_KEYS = ("name", "ten", "ten_tinh", "ten_xa", "tentinh", "tenxa", "province_name", "commune_name")
CODE_WIDTH = {"province": 2, "commune": 5}


def _lookup(props: dict, wanted: str | None, candidates: tuple[str, ...]):
    lowered = {str(k).lower(): v for k, v in props.items()}
    keys = (wanted.lower(),) if wanted else candidates
    for key in keys:
        value = lowered.get(key)
        if value not in (None, ""):
            return str(value).strip()
    return None


class Command(BaseCommand):
    help = "Load province or commune boundaries (GeoJSON, WGS 84) into the administrative units."

    def add_arguments(self, parser):
        parser.add_argument("file", help="A GeoJSON FeatureCollection of Polygon/MultiPolygon features in WGS 84.")
        parser.add_argument("--level", choices=["province", "commune"], required=True)
        parser.add_argument("--code-field", help="Property holding the official code (default: guessed).")
        parser.add_argument("--name-field", help="Property holding the name (default: guessed).")
        parser.add_argument("--province", help="Only communes of this province code (name matching is then safe).")
        parser.add_argument(
            "--simplify",
            type=float,
            default=0.0,
            help="Simplify outlines to this tolerance in degrees (0.0005 ≈ 50 m) to keep the map light.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Report the matches and write nothing.")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            data = json.loads(path.read_text(encoding="utf-8-sig"))
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc}")
        except ValueError as exc:
            raise CommandError(f"{path} is not valid JSON: {exc}")
        if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
            raise CommandError(f"{path} is not a GeoJSON FeatureCollection.")
        level = options["level"]
        model = Province if level == "province" else Commune
        units = model.objects.all()
        if level == "commune" and options.get("province"):
            units = units.filter(province__code=options["province"])
        by_code = {u.code: u for u in units}
        by_name: dict[str, list] = {}
        for u in units:
            for key in {fold(u.name), fold(u.short_name)}:
                by_name.setdefault(key, []).append(u)

        matched, problems, seen = {}, [], set()
        for index, feature in enumerate(data.get("features") or [], start=1):
            props = (feature or {}).get("properties") or {}
            code = _lookup(props, options.get("code_field"), CODE_KEYS)
            name = _lookup(props, options.get("name_field"), NAME_KEYS)
            label = f"feature {index} ({code or name or '?'})"
            unit = None
            if code and code.isdigit():
                unit = by_code.get(code.zfill(CODE_WIDTH[level]))
            if unit is None and name:
                candidates = by_name.get(fold(name), [])
                if len(candidates) > 1:
                    problems.append(f"{label}: the name matches {len(candidates)} units; give codes or --province.")
                    continue
                unit = candidates[0] if candidates else None
            if unit is None:
                problems.append(f"{label}: no {level} with this code or name.")
                continue
            if unit.pk in seen:
                problems.append(f"{label}: {unit.name} appears twice; the first one is kept.")
                continue
            geometry = feature.get("geometry")
            if options["simplify"] > 0 and geometry:
                geometry = self._simplify(geometry, options["simplify"])
            try:
                matched[unit.pk] = (unit, clean_polygon(geometry))
            except ValidationError as exc:
                problems.append(f"{label}: {unit.name}: {' '.join(exc.messages)}")
                continue
            seen.add(unit.pk)

        for line in problems:
            self.stderr.write(line)
        if options["dry_run"]:
            self.stdout.write(f"{len(matched)} {level} boundaries would be loaded; {len(problems)} problems.")
            return
        with transaction.atomic():
            for unit, geometry in matched.values():
                model.objects.filter(pk=unit.pk).update(boundary=geometry)
        self.stdout.write(
            f"{len(matched)} {level} boundaries loaded ({units.count() - len(matched)} units without one in this "
            f"file); {len(problems)} problems."
        )

    @staticmethod
    def _simplify(geometry, tolerance):
        try:
            from shapely.geometry import mapping, shape

            return mapping(shape(geometry).simplify(tolerance, preserve_topology=True))
        except Exception:  # a malformed geometry is reported by clean_polygon next
            return geometry
