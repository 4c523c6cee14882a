"""API of the legal calendar and settings."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Query, Status

from ccn.core.errors import PermissionDeniedError

from .. import selectors, services
from .base import ERRORS, _user, _writer, router
from .schemas_legal import CalendarDayOut, ScopeIn, ScopeOut, TimeLimitOut


@router.get("/calendar", response={200: list[CalendarDayOut], **ERRORS}, operation_id="procedures_calendar")
def calendar_list(request, year: int | None = Query(None, ge=2000, le=2100)):
    """Public holidays, days off and worked weekend days held as data, with their source."""
    _user(request)
    return Status(
        200, list(selectors.calendar_days(year=year).values("date", "kind", "name", "legal_source", "confirmed"))
    )


@router.get("/time-limits", response={200: list[TimeLimitOut], **ERRORS}, operation_id="procedures_time_limits")
def time_limits(request):
    _user(request)
    return Status(
        200,
        list(selectors.time_limits().values("step", "value", "unit", "effective_from", "effective_to", "legal_source")),
    )


@router.post("/occupancy-scope", response={201: ScopeOut, **ERRORS}, operation_id="procedures_occupancy_scope_set")
def occupancy_scope_set(request, payload: ScopeIn):
    """The province's choice of the area of the establishment occupancy test, from a date (Decree 139/2025)."""
    user = _writer(request)
    if user.province_id is None:
        raise PermissionDeniedError(_("Only the province sets how the occupancy test applies."))
    setting = services.occupancy_scope_set(actor=user, province=user.province, **payload.dict())
    return Status(
        201,
        {
            "province": user.province.code,
            "scope": setting.scope,
            "effective_from": setting.effective_from,
            "document": setting.document,
        },
    )
