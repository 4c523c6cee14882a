"""API of dossiers: list, receipt, steps, clocks and checks."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Query, Status

from ccn.core.api import VERSIONED, based_on, paginate
from ccn.core.errors import field_error
from ccn.geo.models import Commune

from .. import selectors, services
from .base import ERRORS, _key, _user, _writer, router
from .schemas_dossiers import (
    AnnounceIn,
    ApplicationIn,
    ApplicationOut,
    AppraiseIn,
    ChecksIn,
    CorrectionsReceivedIn,
    CorrectionsRequestIn,
    DecisionIn,
    DossierDetailOut,
    DossierFilters,
    DossierIn,
    DossierPage,
    OverdueOut,
    RefuseIn,
    SendIn,
    WithdrawIn,
)
from .serialisers import _application_data, _application_out, _cluster, _detail, _dossier_out


@router.get("/dossiers", response={200: DossierPage, **ERRORS}, operation_id="procedures_dossiers_list")
def dossiers_list(request, filters: Query[DossierFilters]):
    """Dossiers in the caller's scope (ministry: all; province: its own; commune officer: its communes')."""
    user = _user(request)
    qs = selectors.dossier_list(user=user, filters=filters.filter_data())
    items, meta = paginate(qs, limit=filters.limit, offset=filters.offset)
    return Status(200, {"items": [_dossier_out(d) for d in items], **meta})


@router.post("/dossiers", response={201: DossierDetailOut, **ERRORS}, operation_id="procedures_dossiers_receive")
def dossiers_receive(request, payload: DossierIn):
    """The commune receives the first application (Form 01) for a cluster; the dossier opens."""
    user = _writer(request)
    cluster = _cluster(user, payload.cluster)
    commune = Commune.objects.filter(code=payload.commune).first()
    if commune is None:
        raise field_error("commune", _("Unknown commune."))
    dossier = services.dossier_receive(
        actor=user,
        cluster=cluster,
        kind=payload.kind,
        commune=commune,
        application=_application_data(payload.application),
        proposed_area_ha=payload.proposed_area_ha,
    )
    return Status(201, _detail(user, dossier.code))


@router.get("/dossiers/{code}", response={200: DossierDetailOut, **ERRORS}, operation_id="procedures_dossiers_get")
def dossiers_get(request, code: str):
    """A dossier with its applications, the clock of every started step and the checks kept with it."""
    user = _user(request)
    return Status(200, _detail(user, _key(code)))


@router.post(
    "/dossiers/{code}/applications",
    response={201: ApplicationOut, **ERRORS},
    operation_id="procedures_applications_add",
)
def applications_add(request, code: str, payload: ApplicationIn):
    user = _writer(request)
    dossier = selectors.dossier_get(user=user, code=_key(code))
    application = services.application_add(actor=user, dossier=dossier, data=_application_data(payload))
    return Status(201, _application_out(application))


def _act(request, code, fn, version=None, *, versioned=True, **kwargs):
    user = _writer(request)
    dossier = selectors.dossier_get(user=user, code=_key(code))
    if versioned:
        kwargs["expected_version"] = based_on(request, version)
    fn(actor=user, dossier=dossier, **kwargs)
    return Status(200, _detail(user, _key(code)))


@router.post(
    "/dossiers/{code}/announce",
    response={200: DossierDetailOut, **ERRORS, **VERSIONED},
    operation_id="procedures_announce",
)
def dossiers_announce(request, code: str, payload: AnnounceIn):
    """The commune announces receipt (5 working days); the 15-day window for competing applications starts."""
    return _act(request, code, services.dossier_announce, **payload.dict())


@router.post(
    "/dossiers/{code}/send", response={200: DossierDetailOut, **ERRORS, **VERSIONED}, operation_id="procedures_send"
)
def dossiers_send(request, code: str, payload: SendIn):
    return _act(request, code, services.dossier_send, **payload.dict())


@router.post(
    "/dossiers/{code}/corrections",
    response={200: DossierDetailOut, **ERRORS, **VERSIONED},
    operation_id="procedures_corrections_request",
)
def dossiers_corrections_request(request, code: str, payload: CorrectionsRequestIn):
    """The Department requests corrections: the appraisal clock pauses."""
    return _act(request, code, services.dossier_request_corrections, **payload.dict())


@router.post(
    "/dossiers/{code}/corrections/received",
    response={200: DossierDetailOut, **ERRORS, **VERSIONED},
    operation_id="procedures_corrections_received",
)
def dossiers_corrections_received(request, code: str, payload: CorrectionsReceivedIn):
    return _act(request, code, services.dossier_receive_corrections, **payload.dict())


@router.post(
    "/dossiers/{code}/checks", response={200: DossierDetailOut, **ERRORS}, operation_id="procedures_checks_run"
)
def dossiers_checks_run(request, code: str, payload: ChecksIn):
    """Compute the Art. 8 checks as of a date and keep the result with the dossier."""
    return _act(request, code, services.dossier_run_checks, on=payload.on, versioned=False)


@router.post(
    "/dossiers/{code}/appraise",
    response={200: DossierDetailOut, **ERRORS, **VERSIONED},
    operation_id="procedures_appraise",
)
def dossiers_appraise(request, code: str, payload: AppraiseIn):
    return _act(request, code, services.dossier_appraise, **payload.dict())


@router.post(
    "/dossiers/{code}/decide", response={200: DossierDetailOut, **ERRORS, **VERSIONED}, operation_id="procedures_decide"
)
def dossiers_decide(request, code: str, payload: DecisionIn):
    """The province decides; the decision becomes the cluster's establishment or expansion document."""
    data = payload.dict(exclude={"decided_on", "late_reason", "version"})
    return _act(
        request,
        code,
        services.dossier_decide,
        version=payload.version,
        decided_on=payload.decided_on,
        decision=data,
        late_reason=payload.late_reason,
    )


@router.post(
    "/dossiers/{code}/refuse", response={200: DossierDetailOut, **ERRORS, **VERSIONED}, operation_id="procedures_refuse"
)
def dossiers_refuse(request, code: str, payload: RefuseIn):
    return _act(request, code, services.dossier_refuse, **payload.dict())


@router.post(
    "/dossiers/{code}/withdraw",
    response={200: DossierDetailOut, **ERRORS, **VERSIONED},
    operation_id="procedures_withdraw",
)
def dossiers_withdraw(request, code: str, payload: WithdrawIn):
    return _act(request, code, services.dossier_withdraw, **payload.dict())


@router.get("/overdue", response={200: list[OverdueOut], **ERRORS}, operation_id="procedures_overdue")
def overdue(request):
    """Open steps past their legal time limit, in scope."""
    user = _user(request)
    return Status(
        200,
        [
            {"dossier": s.dossier.code, "cluster": s.dossier.cluster.code, "step": s.step, "due_on": s.due_on}
            for s in selectors.overdue_steps(user=user)[:500]
        ],
    )
