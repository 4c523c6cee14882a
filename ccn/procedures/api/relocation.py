"""API of relocation."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Query, Status

from ccn.clusters.models import Sector
from ccn.core.api import VERSIONED, based_on
from ccn.core.errors import field_error
from ccn.core.filters import query_schema
from ccn.geo.models import Commune

from .. import selectors, services
from ..filters import FacilityFilterSet
from ..models import RelocationFacility
from .base import ERRORS, _pk, _user, _writer, router
from .schemas_relocation import CountsOut, FacilityIn, FacilityOut, RelocationStepIn
from .serialisers import _cluster


def _facility_out(x: RelocationFacility) -> dict:
    return {
        "id": x.pk,
        "version": x.version,
        "province": x.province.code,
        "commune": x.commune.code,
        "commune_name": x.commune.name,
        "name": x.name,
        "kind": x.kind,
        "current_location": x.current_location,
        "sector": x.sector_id,
        "pollution_concern": x.pollution_concern,
        "land_needed_ha": x.land_needed_ha,
        "target_cluster": x.target_cluster.code if x.target_cluster_id else None,
        "status": x.status,
        "status_since": x.status_since,
        "deadline": x.deadline,
    }


def _facility_data(user, payload: FacilityIn) -> dict:

    commune = Commune.objects.filter(code=payload.commune).first()
    if commune is None:
        raise field_error("commune", _("Unknown commune."))
    data = payload.dict(exclude={"commune", "sector", "target_cluster", "version"})
    data["commune"] = commune
    data["sector"] = None
    if payload.sector:
        data["sector"] = Sector.objects.filter(code=payload.sector).first()
        if data["sector"] is None:
            raise field_error("sector", _("Unknown sector."))
    data["target_cluster"] = _cluster(user, payload.target_cluster) if payload.target_cluster else None
    return data


# The relocation list's filters (ccn/procedures/filters.py).
FacilityFilters = query_schema(FacilityFilterSet, "FacilityFilters")


@router.get("/relocations", response={200: list[FacilityOut], **ERRORS}, operation_id="procedures_relocations_list")
def relocations_list(request, filters: Query[FacilityFilters]):
    user = _user(request)
    qs = selectors.relocation_list(user=user, filters=filters.filter_data())
    return Status(200, [_facility_out(x) for x in qs[:2000]])


@router.post("/relocations", response={201: FacilityOut, **ERRORS}, operation_id="procedures_relocations_create")
def relocations_create(request, payload: FacilityIn):
    """Record a facility to move; a target cluster must be operating and have vacant land."""
    user = _writer(request)
    data = _facility_data(user, payload)
    facility = services.relocation_create(actor=user, province=data["commune"].province, data=data)
    return Status(201, _facility_out(selectors.relocation_get(user=user, pk=facility.pk)))


@router.get("/relocations/counts", response={200: CountsOut, **ERRORS}, operation_id="procedures_relocations_counts")
def relocations_counts(request, province: str | None = Query(None, max_length=2, pattern=r"^[0-9]+$")):
    """Facilities per commune and per target cluster by state, for the leaders' dashboard."""
    user = _user(request)
    return Status(200, selectors.relocation_counts(user=user, province=province))


@router.patch(
    "/relocations/{pk}",
    response={200: FacilityOut, **ERRORS, **VERSIONED},
    operation_id="procedures_relocations_update",
)
def relocations_update(request, pk: int, payload: FacilityIn):
    user = _writer(request)
    facility = selectors.relocation_get(user=user, pk=_pk(pk))
    services.relocation_update(
        actor=user,
        facility=facility,
        data=_facility_data(user, payload),
        expected_version=based_on(request, payload.version),
    )
    return Status(200, _facility_out(selectors.relocation_get(user=user, pk=_pk(pk))))


@router.post(
    "/relocations/{pk}/transitions",
    response={200: FacilityOut, **ERRORS, **VERSIONED},
    operation_id="procedures_relocations_step",
)
def relocations_step(request, pk: int, payload: RelocationStepIn):
    user = _writer(request)
    facility = selectors.relocation_get(user=user, pk=_pk(pk))
    target = _cluster(user, payload.target_cluster) if payload.target_cluster else None
    services.relocation_transition(
        actor=user,
        facility=facility,
        action=payload.action,
        on=payload.on,
        target_cluster=target,
        expected_version=based_on(request, payload.version),
    )
    return Status(200, _facility_out(selectors.relocation_get(user=user, pk=_pk(pk))))
