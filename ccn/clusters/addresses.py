"""Former addresses of clusters: the district and commune as written before 1 July 2025, resolved to today's
commune by ccn.geo.resolve, kept beside it with a structured "to confirm" flag; the officer's confirmation and the
list of clusters still to confirm."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from ccn.accounts import policy
from ccn.core.errors import ValidationFailed
from ccn.core.history import record_change, snapshot
from ccn.core.models import ChangeAction
from ccn.core.services import actor_or_none
from ccn.geo.models import Commune, Province
from ccn.geo.resolve import LocationError, Resolution, require_one, resolve_location

from .choices import LocationMatch
from .models import Cluster

# The fields of a cluster a former address sets (passed to cluster_create / cluster_update as data).
FORMER_ADDRESS_FIELDS = (
    "former_province_name",
    "former_district_name",
    "former_commune_name",
    "legacy_district",
    "legacy_ward",
    "location_match",
    "location_to_confirm",
)
FORMER_KEYS = ("province", "district", "commune")


def has_former(former: dict | None) -> bool:
    return bool(former) and any(str(former.get(k) or "").strip() for k in ("district", "commune"))


def _code(c) -> str:
    return c.code if isinstance(c, Commune) else str(c).strip().zfill(5)


def resolve_former_address(
    *, province: Province | None, former: dict | None, communes=None, on: datetime.date | None = None
) -> tuple[list[str] | None, dict, Resolution | None]:
    """The communes and the fields to store for a location given as a former address (`former`: province,
    district, commune as written) with, optionally, today's communes chosen by the user. Returns the commune codes
    (the given ones, or the one resolved), the data fields (FORMER_ADDRESS_FIELDS) and the resolution; with no
    former address, the communes unchanged and no fields. Raises LocationError when the address matches nothing,
    when it became several communes and none was chosen, or when the chosen communes are not among them."""
    if not has_former(former):
        return (list(communes) if communes is not None else None), {}, None
    given = [_code(c) for c in communes or [] if str(getattr(c, "code", c)).strip()]
    written_province = str(former.get("province") or "").strip() or (province.name if province else "")
    resolution = resolve_location(
        province=written_province, district=former.get("district"), commune=former.get("commune"), on=on
    )
    if resolution.commune is not None:
        targets = [resolution.commune]
    else:
        targets = resolution.candidates
    target_codes = {c.code for c in targets}
    if given:
        picked = [c for c in given if c in target_codes]
        if not picked:
            msg = _("None of the communes given is what “%(address)s” became: %(candidates)s.") % {
                "address": _written(resolution),
                "candidates": "; ".join(f"{c.name} ({c.code})" for c in targets),
            }
            raise LocationError(msg, field="communes", candidates=targets)
        if resolution.commune is None:
            resolution = resolve_location(
                province=written_province,
                district=former.get("district"),
                commune=former.get("commune"),
                on=on,
                choice=picked[0],
            )
        codes = given
    else:
        require_one(resolution)
        codes = [resolution.commune.code]
    if province is not None and resolution.province is not None and resolution.province.pk != province.pk:
        msg = _("“%(address)s” is in %(found)s today, not in %(province)s.") % {
            "address": _written(resolution),
            "found": resolution.province.name,
            "province": province.name,
        }
        raise LocationError(msg, field="former_province")
    fields = {
        "former_province_name": str(former.get("province") or "").strip()[:120],  # as written, not the default
        "former_district_name": resolution.written["district"][:120],
        "former_commune_name": resolution.written["commune"][:120],
        "legacy_district": resolution.legacy_district,
        "legacy_ward": resolution.legacy_ward,
        "location_match": resolution.how if resolution.how in LocationMatch.values else LocationMatch.EXACT,
        "location_to_confirm": resolution.to_confirm,
    }
    return codes, fields, resolution


def _written(resolution: Resolution) -> str:
    w = resolution.written
    return ", ".join(v for v in (w.get("commune"), w.get("district"), w.get("province")) if v)


def former_label(cluster: Cluster) -> str:
    """ "Xã Tân Thạnh, Huyện Thới Lai, Cần Thơ" as written, for "trước 1/7/2025: …"."""
    parts = [cluster.former_commune_name, cluster.former_district_name, cluster.former_province_name]
    return ", ".join(p for p in parts if p)


@transaction.atomic
def confirm_location(*, actor, cluster: Cluster, message: str = "") -> Cluster:
    """The officer confirms the commune a former address was resolved to: the flag is cleared and the change is
    recorded in the history."""
    locked = Cluster.objects.select_for_update().get(pk=cluster.pk)
    policy.require(actor, policy.CHANGE, locked)
    if not locked.location_to_confirm:
        raise ValidationFailed(_("This cluster's location has nothing to confirm."))
    before = snapshot(locked)
    Cluster.objects.filter(pk=locked.pk).update(
        location_to_confirm=False, location_match=LocationMatch.CONFIRMED, updated_by=actor_or_none(actor)
    )
    locked.refresh_from_db()
    record_change(
        actor=actor,
        obj=locked,
        action=ChangeAction.UPDATE,
        before=before,
        after=snapshot(locked),
        message=message or _("Location confirmed (former address: %(former)s).") % {"former": former_label(locked)},
    )
    return locked


def clusters_to_confirm(user, *, province: str = "", q: str = ""):
    """The clusters in the user's scope whose location is still to confirm."""
    from ccn.core.text import search_terms

    qs = (
        Cluster.objects.visible_to(user)
        .filter(location_to_confirm=True)
        .select_related("province", "legacy_ward", "legacy_district")
        .prefetch_related("communes")
        .order_by("province__code", "name")
    )
    if province:
        qs = qs.filter(province__code=province)
    for term in search_terms(q):
        qs = qs.filter(search_key__contains=term)
    return qs
