"""One resolver for every location that comes in (forms, imports, the API): a province, a district and a commune as
written, before or after the 2025 arrangement, turned into today's commune, or into the communes to choose from
where a former ward was split or a name is ambiguous.

The old → new mapping is the one `load_admin_units` loads (`WardSuccession`): the arrangement of provincial units of
Resolution 202/2025/QH15 and the resolutions of the National Assembly Standing Committee of 16 June 2025 on the
arrangement of commune-level units of each province (docs/map-and-open-data.md, "Former addresses")."""

from __future__ import annotations

import datetime
import difflib
import re
import unicodedata
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from ccn.core.errors import ValidationFailed
from ccn.core.text import fold

from .models import REFORM_DATE, Commune, LegacyDistrict, LegacyProvince, LegacyWard, Province, WardSuccession

# How a location was found. EXACT and CURRENT are certain; the others leave the record "to confirm".
CURRENT = "current"  # a commune in force since 1 July 2025, named as it is today
EXACT = "exact"  # a former ward (or district) with one successor
CHOSEN = "chosen"  # a choice among the successors of a split ward or an ambiguous name
DEFAULT = "default"  # a split ward resolved to its default successor with no choice given
FUZZY = "fuzzy"  # a name found by close spelling, not exactly
CERTAIN = {CURRENT, EXACT}

_PROVINCE_PREFIXES = ("thanh pho", "tinh", "tp")
_DISTRICT_PREFIXES = ("thanh pho", "thi xa", "huyen", "quan", "tp", "tx", "h", "q")
_COMMUNE_PREFIXES = ("thi tran", "phuong", "dac khu", "xa", "tt", "p", "x")
_FULL = {"tp": "thanh pho", "tx": "thi xa", "h": "huyen", "q": "quan", "tt": "thi tran", "p": "phuong", "x": "xa"}
_PUNCT = re.compile(r"[.,;:()\-_/]+")


def _key(text, prefixes: tuple[str, ...]) -> str:
    """The folded name without its unit word: "Xã Bát Tràng", "xa bat trang", "BÁT TRÀNG" → "bat trang"."""
    key = _PUNCT.sub(" ", fold(str(text or ""))).split()
    words = " ".join(key)
    for prefix in prefixes:
        if words.startswith(prefix + " ") and len(words) > len(prefix) + 1:
            return words[len(prefix) + 1 :]
    return words


def _keys(name_key: str, prefixes: tuple[str, ...]) -> list[str]:
    """The search keys a unit of that name can have: the name itself and the name after each unit word."""
    words = {_FULL.get(p, p) for p in prefixes}
    return [name_key, *(f"{w} {name_key}" for w in sorted(words))]


def _clean(text) -> str:
    """The text as written, without control characters (a database refuses NUL) and at most 120 characters."""
    text = str(text or "")
    return "".join(ch for ch in text if unicodedata.category(ch)[0] != "C").strip()[:120]


def _is_code(text) -> bool:
    return str(text or "").strip().isdigit()


@dataclass
class Resolution:
    """The outcome of `resolve_location`. `commune` is set when one commune was found (`how` says how sure);
    `candidates` lists the communes to choose from when it is not."""

    province: Province | None
    commune: Commune | None = None
    candidates: list[Commune] = field(default_factory=list)
    how: str = CURRENT
    legacy_province: LegacyProvince | None = None
    legacy_district: LegacyDistrict | None = None
    legacy_ward: LegacyWard | None = None
    written: dict = field(default_factory=dict)

    @property
    def to_confirm(self) -> bool:
        return self.commune is not None and self.how not in CERTAIN

    @property
    def is_former(self) -> bool:
        return self.how != CURRENT

    def candidate_list(self) -> str:
        return "; ".join(f"{c.name} ({c.code})" for c in self.candidates)


class LocationError(ValidationFailed):
    """An address that matches nothing, or several communes with no choice given. `candidates` are the communes
    to choose from (empty when nothing matched); the API returns them beside the message."""

    def __init__(self, message: str, *, field: str = "former_commune", candidates=(), code: str | None = None):
        super().__init__(message, field_errors={field: [message]}, code=code)
        self.candidates = list(candidates)

    def as_dict(self) -> dict:
        data = super().as_dict()
        data["candidates"] = [
            {"code": c.code, "name": c.name, "province_code": c.province.code} for c in self.candidates
        ]
        return data


def _find_province(text) -> tuple[Province | None, list[LegacyProvince]]:
    """Today's province and the former provinces a province name or code designates (a former province's name
    designates its successor; today's name designates all the provinces merged into it)."""
    if not str(text or "").strip():
        return None, []
    raw = str(text).strip()
    if _is_code(raw):
        code = raw.zfill(2)
        new = Province.objects.filter(code=code).first()
        old = LegacyProvince.objects.select_related("successor").filter(code=code).first()
        if new is None and old is not None:
            return old.successor, [old]
        return new, list(LegacyProvince.objects.filter(successor=new)) if new else []
    key = _key(raw, _PROVINCE_PREFIXES)
    keys = _keys(key, ("tinh", "thanh pho"))
    new = Province.objects.filter(search_key__in=keys).first()
    old = list(LegacyProvince.objects.select_related("successor").filter(search_key__in=keys))
    if new is not None:
        # "Khánh Hòa" is both today's province and a former one: all its former provinces are in scope.
        return new, list(LegacyProvince.objects.filter(successor=new))
    if old:
        return old[0].successor, old
    return None, []


def _unknown_province(text) -> LocationError:
    return LocationError(
        _("No province named “%(name)s”, today or before 1 July 2025.") % {"name": text}, field="former_province"
    )


def _match(qs, text, prefixes, code_len: int, *, fuzzy: bool = True, fuzzy_pool: int = 400):
    """Units of `qs` named `text` (code, or name with or without its unit word); else the close spellings, marked
    fuzzy."""
    raw = str(text).strip()
    if _is_code(raw):
        return list(qs.filter(code=raw.zfill(code_len))), False
    key = _key(raw, prefixes)
    found = list(qs.filter(search_key__in=_keys(key, prefixes)))
    if found or not fuzzy:
        return found, False
    units = list(qs[: fuzzy_pool + 1])
    if len(units) > fuzzy_pool:  # too wide a scope to guess a spelling in
        return [], False
    by_key = {}
    for unit in units:
        by_key.setdefault(_key(unit.name, prefixes), []).append(unit)
    close = difflib.get_close_matches(key, list(by_key), n=3, cutoff=0.85)
    if len(close) == 1:
        return by_key[close[0]], True
    return [], False


def _successors(wards) -> tuple[list[Commune], Commune | None]:
    rows = list(
        WardSuccession.objects.filter(ward__in=wards).select_related("commune__province").order_by("commune__code")
    )
    communes = list({r.commune_id: r.commune for r in rows}.values())
    defaults = [r.commune for r in rows if r.is_default]
    return communes, (defaults[0] if len(wards) == 1 and len(defaults) == 1 else None)


def resolve_location(
    *,
    province=None,
    district=None,
    commune=None,
    on: datetime.date | None = None,
    choice=None,
    use_default: bool = False,
) -> Resolution:
    """Resolve an address as written. `province`, `district`, `commune`: names or codes, accents, case and the unit
    word ("Xã", "Phường", "Thị trấn", "Huyện", "Quận", "TP.") optional, today's or former names. `on`: the date the
    address was written; before 1 July 2025 the commune is read as a former ward. `choice`: the new commune (code
    or name) the user picked among the candidates. `use_default`: take the default successor of a split ward
    (flagged to confirm) instead of asking.

    Returns a Resolution with one commune, or with the candidates when several fit and no choice was given.
    Raises LocationError when nothing matches or the choice is not a candidate."""
    written = {"province": _clean(province), "district": _clean(district), "commune": _clean(commune)}
    province, district, commune = written["province"], written["district"], written["commune"]
    new_province, legacy_provinces = _find_province(province)
    if written["province"] and new_province is None:
        raise _unknown_province(written["province"])
    if not written["commune"] and not written["district"]:
        msg = _("Give the commune (and, for an address before 1 July 2025, its district).")
        raise LocationError(msg)
    result = Resolution(province=new_province, written=written)
    if len(legacy_provinces) == 1 and written["province"] and not _is_today(written["province"], new_province):
        result.legacy_province = legacy_provinces[0]

    before_reform = on is not None and on < REFORM_DATE
    today_scope = None
    if written["commune"] and not written["district"] and not before_reform:
        today_scope = Commune.objects.select_related("province")
        if new_province is not None:
            today_scope = today_scope.filter(province=new_province)
        found, _fuzzy = _match(today_scope, written["commune"], _COMMUNE_PREFIXES, 5, fuzzy=False)
        if found:
            result.how = CURRENT
            return _settle(result, found, choice=choice, use_default=False)

    # A former address: the district and ward of before 1 July 2025.
    wards = LegacyWard.objects.select_related("district__province__successor")
    districts = LegacyDistrict.objects.select_related("province__successor")
    if legacy_provinces:
        wards = wards.filter(district__province__in=legacy_provinces)
        districts = districts.filter(province__in=legacy_provinces)
    fuzzy_district = False
    if written["district"]:
        found_districts, fuzzy_district = _match(districts, written["district"], _DISTRICT_PREFIXES, 3)
        if not found_districts:
            raise LocationError(
                _("No former district named “%(name)s”%(where)s.")
                % {"name": written["district"], "where": _in_province(new_province)},
                field="former_district",
            )
        if len(found_districts) == 1:
            result.legacy_district = found_districts[0]
        wards = wards.filter(district__in=found_districts)
        if not written["commune"]:
            communes = list(
                Commune.objects.filter(predecessors__ward__district__in=found_districts)
                .select_related("province")
                .distinct()
                .order_by("code")
            )
            result.how = FUZZY if fuzzy_district else EXACT
            return _settle(result, communes, choice=choice, use_default=False, district_only=True)
    if not written["district"] and not legacy_provinces:
        # A former ward name alone is searched in the whole country only when written exactly.
        wards = wards.filter(
            Q(search_key__in=_keys(_key(written["commune"], _COMMUNE_PREFIXES), _COMMUNE_PREFIXES))
            | Q(code=written["commune"].zfill(5) if _is_code(written["commune"]) else "-")
        )
    found_wards, fuzzy_ward = _match(wards, written["commune"], _COMMUNE_PREFIXES, 5)
    if not found_wards and today_scope is not None and new_province is not None:
        # Neither today's nor a former name exactly: today's commune of the closest spelling, to confirm.
        found, fuzzy = _match(today_scope, written["commune"], _COMMUNE_PREFIXES, 5)
        if found:
            result.how = FUZZY
            return _settle(result, found, choice=choice, use_default=False)
    if not found_wards:
        raise LocationError(
            _("No commune named “%(name)s”%(where)s, today or before 1 July 2025.")
            % {"name": written["commune"], "where": _in_district(result.legacy_district, new_province)}
        )
    if len(found_wards) == 1:
        ward = found_wards[0]
        result.legacy_ward = ward
        result.legacy_district = ward.district
        result.legacy_province = ward.district.province
        result.province = ward.district.province.successor
    communes, default = _successors(found_wards)
    if not communes:
        raise LocationError(
            _("The former commune “%(name)s” has no successor in the official mapping; choose today's commune.")
            % {"name": written["commune"]}
        )
    result.how = FUZZY if (fuzzy_ward or fuzzy_district) else EXACT
    return _settle(result, communes, choice=choice, use_default=use_default, default=default)


def _is_today(text: str, province: Province | None) -> bool:
    return province is not None and (
        _is_code(text)
        and text.zfill(2) == province.code
        or _key(text, _PROVINCE_PREFIXES) == _key(province.name, _PROVINCE_PREFIXES)
    )


def _in_province(province) -> str:
    return _(" in %(province)s") % {"province": province.name} if province else ""


def _in_district(district, province) -> str:
    if district is not None:
        return _(" in %(district)s") % {"district": district}
    return _in_province(province)


def _settle(
    result: Resolution, communes, *, choice, use_default, default=None, district_only: bool = False
) -> Resolution:
    """One commune: done. Several: the user's choice among them, the default successor, or the candidates."""
    communes = list(communes)
    if len(communes) == 1 and not district_only:
        result.commune = communes[0]
        result.province = result.commune.province
        if choice not in (None, "") and not _is_choice(choice, result.commune):
            raise _not_a_candidate(choice, communes)
        return result
    result.candidates = communes
    if choice not in (None, ""):
        picked = [c for c in communes if _is_choice(choice, c)]
        if len(picked) != 1:
            raise _not_a_candidate(choice, communes)
        result.commune = picked[0]
        result.province = result.commune.province
        if result.how != FUZZY:
            result.how = CHOSEN
        return result
    if use_default and default is not None:
        result.commune = default
        result.province = default.province
        result.how = DEFAULT
    return result


def _is_choice(choice, commune: Commune) -> bool:
    if isinstance(choice, Commune):
        return choice.pk == commune.pk
    text = str(choice).strip()
    if _is_code(text):
        return text.zfill(5) == commune.code
    return _key(text, _COMMUNE_PREFIXES) == _key(commune.name, _COMMUNE_PREFIXES)


def _not_a_candidate(choice, communes) -> LocationError:
    return LocationError(
        _("“%(choice)s” is not one of the communes this address became: %(candidates)s.")
        % {"choice": choice, "candidates": "; ".join(f"{c.name} ({c.code})" for c in communes)},
        field="communes",
        candidates=communes,
    )


def require_one(resolution: Resolution, *, field: str = "former_commune") -> Resolution:
    """The resolution when it found one commune; else a LocationError listing the communes to choose from."""
    if resolution.commune is not None:
        return resolution
    written = ", ".join(v for v in (resolution.written.get("commune"), resolution.written.get("district")) if v)
    raise LocationError(
        _("“%(address)s” became several communes: choose one of %(candidates)s.")
        % {"address": written, "candidates": resolution.candidate_list()},
        field=field,
        candidates=resolution.candidates,
        code="location_choice_needed",
    )
