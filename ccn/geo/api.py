"""API of administrative units: provinces, communes, and former districts resolved to today's communes."""

import datetime

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from ccn.core.api import ErrorOut
from ccn.core.errors import NotFoundError
from ccn.core.text import search_terms

from .models import Commune, LegacyDistrict, Province
from .resolve import resolve_location

router = Router(tags=["admin units"])


class ProvinceOut(Schema):
    code: str
    name: str
    lat: float | None
    lon: float | None
    effective_from: datetime.date | None
    effective_to: datetime.date | None


class CommuneOut(ProvinceOut):
    kind: str
    province_code: str


class LegacyDistrictOut(Schema):
    code: str
    name: str
    province_name: str
    effective_to: datetime.date | None
    successor_communes: list[CommuneOut]


def _commune(c: Commune, province_code: str) -> dict:
    return {
        "code": c.code,
        "name": c.name,
        "kind": c.kind,
        "lat": c.lat,
        "lon": c.lon,
        "effective_from": c.effective_from,
        "effective_to": c.effective_to,
        "province_code": province_code,
    }


@router.get("/provinces", response=list[ProvinceOut], auth=None, operation_id="provinces_list")
def provinces_list(request):
    """The 34 provinces in force since 1 July 2025."""
    return list(Province.objects.order_by("code"))


@router.get(
    "/provinces/{code}/communes",
    response={200: list[CommuneOut], 404: ErrorOut},
    auth=None,
    operation_id="provinces_communes",
)
def provinces_communes(request, code: str, q: str = ""):
    province = Province.objects.filter(code=code).first()
    if province is None:
        raise NotFoundError(_("No such province."))
    qs = Commune.objects.filter(province=province).order_by("name")
    for term in search_terms(q):
        qs = qs.filter(search_key__contains=term)
    return Status(200, [_commune(c, code) for c in qs])


@router.get(
    "/legacy-districts",
    response={200: list[LegacyDistrictOut], 404: ErrorOut},
    auth=None,
    operation_id="legacy_districts_search",
)
def legacy_districts(request, q: str, province: str = ""):
    """Resolve a former district (before 1 July 2025), e.g. "Gia Lâm", to the communes that replaced it."""
    qs = LegacyDistrict.objects.select_related("province__successor")
    for term in search_terms(q):
        qs = qs.filter(search_key__contains=term)
    if province:
        qs = qs.filter(province__successor__code=province)
    out = []
    for d in qs.order_by("code")[:20]:
        communes = d.successor_communes().order_by("name")
        out.append(
            {
                "code": d.code,
                "name": d.name,
                "province_name": d.province.name,
                "effective_to": d.effective_to,
                "successor_communes": [_commune(c, d.province.successor.code) for c in communes],
            }
        )
    return Status(200, out)


class ResolutionOut(Schema):
    commune: CommuneOut | None
    candidates: list[CommuneOut]
    match: str = Field(..., description="current, exact, chosen, fuzzy or default")
    to_confirm: bool
    legacy_district_code: str | None
    legacy_ward_code: str | None
    former_label: str = Field(..., description="The former address as it is shown: trước 1/7/2025: …")


@router.get(
    "/resolve",
    response={200: ResolutionOut, 422: ErrorOut},
    auth=None,
    operation_id="admin_units_resolve",
)
def resolve(request, commune: str = "", district: str = "", province: str = "", on: datetime.date | None = None):
    """Resolve an address as written, before or after 1 July 2025, to today's commune or the communes to choose
    from (the search box of the forms; the same resolver as every entry). 422 when nothing matches."""
    r = resolve_location(province=province, district=district, commune=commune, on=on)
    parts = [p for p in (r.legacy_ward.name if r.legacy_ward else commune, str(r.legacy_district or district)) if p]
    return Status(
        200,
        {
            "commune": _commune(r.commune, r.commune.province.code) if r.commune else None,
            "candidates": [_commune(c, c.province.code) for c in r.candidates],
            "match": r.how,
            "to_confirm": r.to_confirm,
            "legacy_district_code": r.legacy_district.code if r.legacy_district else None,
            "legacy_ward_code": r.legacy_ward.code if r.legacy_ward else None,
            "former_label": _("before 1/7/2025: %(a)s") % {"a": ", ".join(parts)} if r.is_former else "",
        },
    )
