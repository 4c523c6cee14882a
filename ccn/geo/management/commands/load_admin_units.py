"""Loads the administrative units from the vietnamadminunits package. Idempotent: run it any number of times."""

import json
from pathlib import Path

import vietnamadminunits
from django.core.management.base import BaseCommand
from django.db import transaction
from tqdm import tqdm
from vietnamadminunits.database import query

from ccn.core.text import fold
from ccn.geo.models import (
    LEGACY_END,
    REFORM_DATE,
    Commune,
    LegacyDistrict,
    LegacyProvince,
    LegacyWard,
    Province,
    WardSuccession,
)


def _upsert(model, rows: list[dict], *, key="code", update_fields: list[str]):
    """Insert new rows and update only rows whose values changed, so a second run is quick."""
    existing = {r[key]: r for r in model.objects.values("pk", key, *update_fields)}
    new, changed = [], []
    for row in rows:
        current = existing.get(row[key])
        if current is None:
            new.append(model(**row))
        elif any(current[f] != row[f] for f in update_fields):
            changed.append(model(pk=current["pk"], **row))
    model.objects.bulk_create(new, batch_size=1000)
    if changed:
        model.objects.bulk_update(changed, update_fields, batch_size=1000)
    return dict(model.objects.values_list(key, "pk"))


def _unit(r: dict, level: str, *, kind: str | None = None, **columns) -> dict:
    """A unit's row from the package's row `r` at `level` (province, district or ward: its name, short name, type
    and centre), with the other `columns` of the model; `kind` when the package's type is not the one kept."""
    return dict(
        name=r[level],
        short_name=r[f"{level}Short"],
        kind=r[f"{level}Type"] if kind is None else kind,
        search_key=fold(r[level]),
        lat=r[f"{level}Lat"],
        lon=r[f"{level}Lon"],
        **columns,
    )


class Command(BaseCommand):
    help = "Load the 34 provinces, 3,321 communes and the legacy 63-province units with the old→new mapping."

    def handle(self, *args, **options):
        show = options.get("verbosity", 1) >= 1
        with transaction.atomic():
            steps = tqdm(total=5, desc="admin units", disable=not show)
            current = query("SELECT * FROM admin_units")
            provinces = {}
            for r in current:
                provinces.setdefault(r["provinceCode"], r)
            fields = [
                "name",
                "short_name",
                "kind",
                "search_key",
                "lat",
                "lon",
                "effective_from",
                "effective_to",
            ]
            prov_ids = _upsert(
                Province,
                [
                    _unit(
                        r,
                        "province",
                        code=code,
                        kind="Tỉnh" if r["province"].startswith("Tỉnh") else "Thành phố",
                        effective_from=REFORM_DATE,
                        effective_to=None,
                    )
                    for code, r in sorted(provinces.items())
                ],
                update_fields=fields,
            )
            steps.update()
            comm_ids = _upsert(
                Commune,
                [
                    _unit(
                        r,
                        "ward",
                        code=r["wardCode"],
                        area_km2=r["wardAreaKm2"],
                        province_id=prov_ids[r["provinceCode"]],
                        effective_from=REFORM_DATE,
                        effective_to=None,
                    )
                    for r in current
                ],
                update_fields=[*fields, "area_km2", "province_id"],
            )
            steps.update()
            # New province and ward keys, to follow the package's old→new mapping.
            new_prov_by_key = {r["provinceKey"]: r["provinceCode"] for r in current}
            new_ward_by_key = {(r["provinceKey"], r["wardKey"]): r["wardCode"] for r in current}
            conv = json.loads(
                (Path(vietnamadminunits.__file__).parent / "data" / "converter_2025.json").read_text("utf-8")
            )
            old_prov_to_new = {old: new for new, olds in conv["DICT_PROVINCE"].items() for old in olds}

            legacy = query("SELECT * FROM admin_units_legacy")
            lprov, ldist = {}, {}
            for r in legacy:
                lprov.setdefault(r["provinceCode"], r)
                ldist.setdefault(r["districtCode"], r)
            lprov_ids = _upsert(
                LegacyProvince,
                [
                    _unit(
                        r,
                        "province",
                        code=code,
                        kind="",
                        effective_from=None,
                        effective_to=LEGACY_END,
                        successor_id=prov_ids[new_prov_by_key[old_prov_to_new[r["provinceKey"]]]],
                    )
                    for code, r in sorted(lprov.items())
                ],
                update_fields=[*fields, "successor_id"],
            )
            ldist_ids = _upsert(
                LegacyDistrict,
                [
                    _unit(
                        r,
                        "district",
                        code=code,
                        effective_from=None,
                        effective_to=LEGACY_END,
                        province_id=lprov_ids[r["provinceCode"]],
                    )
                    for code, r in sorted(ldist.items())
                ],
                update_fields=[*fields, "province_id"],
            )
            steps.update()
            seen = set()
            ward_rows = []
            for r in legacy:
                if not r["wardCode"] or r["wardCode"] in seen:  # island districts have no wards
                    continue
                seen.add(r["wardCode"])
                ward_rows.append(
                    _unit(
                        r,
                        "ward",
                        code=r["wardCode"],
                        effective_from=None,
                        effective_to=LEGACY_END,
                        district_id=ldist_ids[r["districtCode"]],
                    )
                )
            ward_ids = _upsert(LegacyWard, ward_rows, update_fields=[*fields, "district_id"])
            steps.update()

            legacy_key_to_code = {
                f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey']}": r["wardCode"] for r in legacy if r["wardCode"]
            }
            pairs: dict[tuple[int, int], bool] = {}
            for new_prov, wards in conv["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
                for new_ward, olds in wards.items():
                    commune_code = new_ward_by_key.get((new_prov, new_ward))
                    for old in olds:
                        old_code = legacy_key_to_code.get(old)
                        if commune_code and old_code:
                            pairs[(ward_ids[old_code], comm_ids[commune_code])] = True
            for new_prov, olds in conv["DICT_PROVINCE_WARD_DIVIDED"].items():
                for old, targets in olds.items():
                    old_code = legacy_key_to_code.get(old)
                    for t in targets:
                        commune_code = new_ward_by_key.get((new_prov, t["newWardKey"]))
                        if commune_code and old_code:
                            pairs[(ward_ids[old_code], comm_ids[commune_code])] = bool(t["isDefaultNewWard"])
            existing = set(WardSuccession.objects.values_list("ward_id", "commune_id"))
            WardSuccession.objects.bulk_create(
                [
                    WardSuccession(ward_id=w, commune_id=c, is_default=d)
                    for (w, c), d in pairs.items()
                    if (w, c) not in existing
                ],
                batch_size=2000,
            )
            steps.update()
            steps.close()
        if show:
            self.stdout.write(
                f"{Province.objects.count()} provinces, {Commune.objects.count()} communes; "
                f"legacy: {LegacyProvince.objects.count()} provinces, {LegacyDistrict.objects.count()} districts, "
                f"{LegacyWard.objects.count()} wards, {WardSuccession.objects.count()} successions"
            )
