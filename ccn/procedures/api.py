"""API of the procedures app under /api/v1/procedures/: dossiers and their clocks and checks, investor selection,
inspections, relocation, and the legal calendar. Same services and selectors as the pages."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from ccn.accounts.choices import Role
from ccn.accounts.models import User
from ccn.accounts.scope import role_of
from ccn.clusters.models import Cluster, Organisation
from ccn.core.api import ErrorOut, api_user, paginate
from ccn.core.errors import NotFoundError, PermissionDeniedError, ValidationFailed
from ccn.geo.models import Commune, Province

from . import selectors, services
from .calendar import clocks_for
from .choices import (
    AreaScope,
    Conclusion,
    CouncilRole,
    DossierKind,
    DossierStatus,
    FacilityKind,
    LawArea,
    RelocationStatus,
)
from .models import Application, Correction, Finding, RelocationFacility

router = Router(tags=["procedures"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _require_procedures(user):
    if not selectors.can_see_procedures(user):
        raise PermissionDeniedError(_("Your role does not take part in these procedures."))


def _user(request):
    user = api_user(request, required=True)
    _require_procedures(user)
    return user


WRITERS = (Role.ADMIN, Role.PROVINCE_EDITOR, Role.PROVINCE_APPROVER, Role.COMMUNE_OFFICER)


def _writer(request):
    """The caller of a write: refused before any lookup when the role writes nothing here (the ministry)."""
    user = _user(request)
    if role_of(user) not in WRITERS:
        raise PermissionDeniedError(_("Your role may only read these procedures."))
    return user


def _key(value: str) -> str:
    """A code or number from the path, refused as not found when it could not be one (too long, control
    characters) rather than sent to the database."""
    if len(value) > 60 or any(ord(ch) < 32 for ch in value):
        raise NotFoundError(_("Not found."))
    return value


def _pk(value: int) -> int:
    if not 0 < value < 2**31:
        raise NotFoundError(_("Not found."))
    return value


# ---------------------------------------------------------------- schemas


class ApplicationIn(Schema):
    applicant_id: int
    received_on: datetime.date
    project: str = Field(..., min_length=1, max_length=5000)
    proposed_area_ha: Decimal | None = Field(None, ge=0, le=100000)
    estimated_capital_bn: Decimal = Field(..., ge=0, le=10**9)
    capital_sources: str = ""
    schedule: str = ""
    attachments: list[str] = Field(default_factory=list, description="Attached documents, one per item")


class ApplicationOut(Schema):
    id: int
    applicant_id: int
    applicant: str
    received_on: datetime.date
    project: str
    proposed_area_ha: Decimal | None
    estimated_capital_bn: Decimal
    capital_sources: str
    schedule: str
    attachments: list[str]


class DossierIn(Schema):
    kind: DossierKind
    cluster: str = Field(..., description="Cluster code")
    commune: str = Field(..., description="Code of the receiving commune (one of the cluster's)")
    proposed_area_ha: Decimal | None = Field(None, ge=0, le=100000)
    application: ApplicationIn


class ClockOut(Schema):
    step: str
    label: str
    started_on: datetime.date
    limit: int
    unit: str
    due_on: datetime.date | None
    completed_on: datetime.date | None
    used: int
    left: int
    state: str
    legal_source: str
    late_reason: str


class DossierOut(Schema):
    code: str
    kind: DossierKind
    status: DossierStatus
    cluster: str
    cluster_name: str
    province: str
    commune: str
    proposed_area_ha: Decimal | None
    first_received_on: datetime.date
    announced_on: datetime.date | None
    window_closes_on: datetime.date | None
    sent_on: datetime.date | None
    department_received_on: datetime.date | None
    appraised_on: datetime.date | None
    conclusion: str
    decided_on: datetime.date | None
    selected_applicant: str | None


class DossierDetailOut(DossierOut):
    applications: list[ApplicationOut]
    clocks: list[ClockOut]
    checks: dict | None
    checks_passed: bool | None
    decision: dict | None
    refusal_reason: str


class DossierPage(Schema):
    items: list[DossierOut]
    count: int
    limit: int
    offset: int


class DossierFilters(Schema):
    status: DossierStatus | None = None
    kind: DossierKind | None = None
    province: str | None = Field(None, max_length=2, pattern=r"^[0-9]+$")
    overdue: bool = False
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=10_000_000)


class AnnounceIn(Schema):
    announced_on: datetime.date
    announcement_ref: str = ""
    late_reason: str = ""


class SendIn(Schema):
    sent_on: datetime.date
    department_received_on: datetime.date | None = None
    late_reason: str = ""


class CorrectionsRequestIn(Schema):
    requested_on: datetime.date
    reason: str
    request_ref: str = ""


class CorrectionsReceivedIn(Schema):
    received_on: datetime.date


class ChecksIn(Schema):
    on: datetime.date


class AppraiseIn(Schema):
    appraised_on: datetime.date
    conclusion: Conclusion
    appraisal_ref: str = ""
    notes: str = ""
    late_reason: str = ""


class DecisionIn(Schema):
    """Form 02 of Circular 14/2024: the content of the decision to establish or expand."""

    decided_on: datetime.date
    number: str
    issuer: str
    name: str
    area_ha: Decimal = Field(..., gt=0, le=100000)
    location: str
    sectors: list[str] = Field(default_factory=list, description="VSIC 2018 codes")
    scale: str = ""
    capital_bn: Decimal | None = Field(None, ge=0)
    capital_sources: str = ""
    schedule: str = ""
    incentives: str = ""
    late_reason: str = ""


class RefuseIn(Schema):
    refused_on: datetime.date
    reason: str
    late_reason: str = ""


class WithdrawIn(Schema):
    on: datetime.date
    reason: str


class OverdueOut(Schema):
    dossier: str
    cluster: str
    step: str
    due_on: datetime.date


class SelectionOpenIn(Schema):
    council_ref: str = ""


class ProcedureMemberIn(Schema):
    username: str
    role: CouncilRole
    title: str = ""


class ScoreIn(Schema):
    application_id: int
    infrastructure_plan: Decimal
    management_environment: Decimal
    capacity: Decimal
    finance: Decimal
    comment: str = ""


class SelectionCloseIn(Schema):
    meeting_on: datetime.date
    minutes: str
    chair_proposal_application_id: int | None = None


class ResultRow(Schema):
    application_id: int
    applicant: str
    sheets: int
    average: Decimal
    criteria: dict[str, Decimal]
    qualifies: bool


class ProcedureMemberOut(Schema):
    username: str
    role: str
    title: str


class SelectionOut(Schema):
    status: str
    council_ref: str
    meeting_on: datetime.date | None
    minutes: str
    members: list[ProcedureMemberOut]
    results: list[ResultRow]
    selected_application_id: int | None
    selected_applicant: str | None


class InspectionIn(Schema):
    cluster: str
    planned_on: datetime.date
    agency: str
    tenant_project_id: int | None = None
    subject: str = ""
    suspicion: str = ""


class InspectionPlanIn(Schema):
    province: str
    year: int = Field(..., ge=2000, le=2100)
    title: str
    approved_ref: str = ""
    approved_on: datetime.date | None = None


class InspectionPlanOut(Schema):
    id: int
    province: str
    year: int
    title: str
    approved_ref: str
    approved_on: datetime.date | None


class CorrectionOut(Schema):
    id: int
    action: str
    deadline: datetime.date
    status: str
    done_on: datetime.date | None
    follow_up: str


class ProcedureFindingOut(Schema):
    id: int
    area: LawArea
    description: str
    is_violation: bool
    legal_basis: str
    obstacle_id: int | None
    corrections: list[CorrectionOut]


class InspectionOut(Schema):
    id: int
    cluster: str
    province: str
    tenant_project_id: int | None
    enterprise: str | None
    planned_on: datetime.date
    conducted_on: datetime.date | None
    agency: str
    subject: str
    suspicion: str
    status: str
    planned: bool


class InspectionDetailOut(InspectionOut):
    summary: str
    findings: list[ProcedureFindingOut]


class InspectionRecordIn(Schema):
    conducted_on: datetime.date
    summary: str = ""


class FindingIn(Schema):
    area: LawArea
    description: str = Field(..., min_length=1)
    is_violation: bool = False
    legal_basis: str = ""


class CorrectionIn(Schema):
    action: str = Field(..., min_length=1)
    deadline: datetime.date


class FollowUpIn(Schema):
    follow_up: str = ""
    done_on: datetime.date | None = None


class ProcedureObstacleIn(Schema):
    agency_id: int = Field(..., ge=1, le=2**31 - 1, description="Agency of the obstacles register")
    deadline: datetime.date
    category: str = Field("", max_length=40, description="Obstacle category; empty: from the finding's area of law")
    description: str = ""


class ProcedureObstacleOut(Schema):
    finding_id: int
    obstacle_id: int


class FacilityIn(Schema):
    commune: str
    name: str = Field(..., min_length=1, max_length=300)
    kind: FacilityKind
    current_location: str
    sector: str | None = None
    pollution_concern: str = Field(..., min_length=1)
    land_needed_ha: Decimal | None = Field(None, ge=0, le=10000)
    target_cluster: str | None = None
    deadline: datetime.date | None = None
    notes: str = ""


class FacilityOut(Schema):
    id: int
    province: str
    commune: str
    commune_name: str
    name: str
    kind: FacilityKind
    current_location: str
    sector: str | None
    pollution_concern: str
    land_needed_ha: Decimal | None
    target_cluster: str | None
    status: RelocationStatus
    status_since: datetime.date | None
    deadline: datetime.date | None


class RelocationStepIn(Schema):
    action: str = Field(..., description="agree, allocate_land or move")
    on: datetime.date
    target_cluster: str | None = None


class CountRow(Schema):
    code: str
    name: str
    total: int
    identified: int
    agreed: int
    land_allocated: int
    moved: int
    overdue: int


class CountsOut(Schema):
    by_commune: list[CountRow]
    by_cluster: list[CountRow]
    totals: dict[str, int]


class CalendarDayOut(Schema):
    date: datetime.date
    kind: str
    name: str
    legal_source: str
    confirmed: bool


class TimeLimitOut(Schema):
    step: str
    value: int
    unit: str
    effective_from: datetime.date
    effective_to: datetime.date | None
    legal_source: str


class ScopeIn(Schema):
    scope: AreaScope
    effective_from: datetime.date
    document: str = ""


class ScopeOut(Schema):
    province: str
    scope: AreaScope
    effective_from: datetime.date
    document: str


# ---------------------------------------------------------------- serialisers


def _dossier_out(d) -> dict:
    return {
        "code": d.code,
        "kind": d.kind,
        "status": d.status,
        "cluster": d.cluster.code,
        "cluster_name": d.cluster.name,
        "province": d.province.code,
        "commune": d.commune.code,
        "proposed_area_ha": d.proposed_area_ha,
        "first_received_on": d.first_received_on,
        "announced_on": d.announced_on,
        "window_closes_on": d.window_closes_on,
        "sent_on": d.sent_on,
        "department_received_on": d.department_received_on,
        "appraised_on": d.appraised_on,
        "conclusion": d.conclusion,
        "decided_on": d.decided_on,
        "selected_applicant": d.selected_application.applicant.name if d.selected_application_id else None,
    }


def _application_out(a: Application) -> dict:
    return {
        "id": a.pk,
        "applicant_id": a.applicant_id,
        "applicant": a.applicant.name,
        "received_on": a.received_on,
        "project": a.project,
        "proposed_area_ha": a.proposed_area_ha,
        "estimated_capital_bn": a.estimated_capital_bn,
        "capital_sources": a.capital_sources,
        "schedule": a.schedule,
        "attachments": a.attachment_list(),
    }


def _detail(user, code):
    d = selectors.dossier_get(user=user, code=_key(code))
    clocks = [
        {
            "step": c.step,
            "label": c.label,
            "started_on": c.started_on,
            "limit": c.limit,
            "unit": c.unit,
            "due_on": c.due_on,
            "completed_on": c.completed_on,
            "used": c.used,
            "left": c.left,
            "state": c.state,
            "legal_source": c.source,
            "late_reason": c.late_reason,
        }
        for c in clocks_for(d, today=timezone.localdate())
    ]
    return {
        **_dossier_out(d),
        "applications": [_application_out(a) for a in d.applications.select_related("applicant")],
        "clocks": clocks,
        "checks": d.checks,
        "checks_passed": d.checks_passed,
        "decision": d.decision,
        "refusal_reason": d.refusal_reason,
    }


def _organisation(pk) -> Organisation:
    org = Organisation.objects.filter(pk=pk).first()
    if org is None:
        raise ValidationFailed(_("Unknown organisation."), field_errors={"applicant_id": [_("Unknown organisation.")]})
    return org


def _application_data(payload: ApplicationIn) -> dict:
    data = payload.dict(exclude={"applicant_id", "attachments"})
    data["applicant"] = _organisation(payload.applicant_id)
    data["attachments"] = "\n".join(a.strip() for a in payload.attachments if a.strip())
    return data


def _cluster(user, code) -> Cluster:
    cluster = Cluster.objects.visible_to(user).filter(code=code).first()
    if cluster is None:
        raise NotFoundError(_("No such cluster, or you may not see it."))
    return cluster


# ---------------------------------------------------------------- dossiers


@router.get("/dossiers", response={200: DossierPage, **ERRORS}, operation_id="procedures_dossiers_list")
def dossiers_list(request, filters: Query[DossierFilters]):
    """Dossiers in the caller's scope (ministry: all; province: its own; commune officer: its communes')."""
    user = _user(request)
    qs = selectors.dossier_list(user=user, filters=filters.dict(exclude={"limit", "offset"}))
    items, meta = paginate(qs, limit=filters.limit, offset=filters.offset)
    return Status(200, {"items": [_dossier_out(d) for d in items], **meta})


@router.post("/dossiers", response={201: DossierDetailOut, **ERRORS}, operation_id="procedures_dossiers_receive")
def dossiers_receive(request, payload: DossierIn):
    """The commune receives the first application (Form 01) for a cluster; the dossier opens."""
    user = _writer(request)
    cluster = _cluster(user, payload.cluster)
    commune = Commune.objects.filter(code=payload.commune).first()
    if commune is None:
        raise ValidationFailed(_("Unknown commune."), field_errors={"commune": [_("Unknown commune.")]})
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


def _act(request, code, fn, **kwargs):
    user = _writer(request)
    dossier = selectors.dossier_get(user=user, code=_key(code))
    fn(actor=user, dossier=dossier, **kwargs)
    return Status(200, _detail(user, _key(code)))


@router.post(
    "/dossiers/{code}/announce", response={200: DossierDetailOut, **ERRORS}, operation_id="procedures_announce"
)
def dossiers_announce(request, code: str, payload: AnnounceIn):
    """The commune announces receipt (5 working days); the 15-day window for competing applications starts."""
    return _act(request, code, services.dossier_announce, **payload.dict())


@router.post("/dossiers/{code}/send", response={200: DossierDetailOut, **ERRORS}, operation_id="procedures_send")
def dossiers_send(request, code: str, payload: SendIn):
    return _act(request, code, services.dossier_send, **payload.dict())


@router.post(
    "/dossiers/{code}/corrections",
    response={200: DossierDetailOut, **ERRORS},
    operation_id="procedures_corrections_request",
)
def dossiers_corrections_request(request, code: str, payload: CorrectionsRequestIn):
    """The Department requests corrections: the appraisal clock pauses."""
    return _act(request, code, services.dossier_request_corrections, **payload.dict())


@router.post(
    "/dossiers/{code}/corrections/received",
    response={200: DossierDetailOut, **ERRORS},
    operation_id="procedures_corrections_received",
)
def dossiers_corrections_received(request, code: str, payload: CorrectionsReceivedIn):
    return _act(request, code, services.dossier_receive_corrections, **payload.dict())


@router.post(
    "/dossiers/{code}/checks", response={200: DossierDetailOut, **ERRORS}, operation_id="procedures_checks_run"
)
def dossiers_checks_run(request, code: str, payload: ChecksIn):
    """Compute the Art. 8 checks as of a date and keep the result with the dossier."""
    return _act(request, code, services.dossier_run_checks, on=payload.on)


@router.post(
    "/dossiers/{code}/appraise", response={200: DossierDetailOut, **ERRORS}, operation_id="procedures_appraise"
)
def dossiers_appraise(request, code: str, payload: AppraiseIn):
    return _act(request, code, services.dossier_appraise, **payload.dict())


@router.post("/dossiers/{code}/decide", response={200: DossierDetailOut, **ERRORS}, operation_id="procedures_decide")
def dossiers_decide(request, code: str, payload: DecisionIn):
    """The province decides; the decision becomes the cluster's establishment or expansion document."""
    data = payload.dict(exclude={"decided_on", "late_reason"})
    return _act(
        request,
        code,
        services.dossier_decide,
        decided_on=payload.decided_on,
        decision=data,
        late_reason=payload.late_reason,
    )


@router.post("/dossiers/{code}/refuse", response={200: DossierDetailOut, **ERRORS}, operation_id="procedures_refuse")
def dossiers_refuse(request, code: str, payload: RefuseIn):
    return _act(request, code, services.dossier_refuse, **payload.dict())


@router.post(
    "/dossiers/{code}/withdraw", response={200: DossierDetailOut, **ERRORS}, operation_id="procedures_withdraw"
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


# ---------------------------------------------------------------- selection


def _selection_out(dossier) -> dict:
    sel = dossier.selection
    return {
        "status": sel.status,
        "council_ref": sel.council_ref,
        "meeting_on": sel.meeting_on,
        "minutes": sel.minutes,
        "members": [
            {"username": m.user.username, "role": m.role, "title": m.title} for m in sel.members.select_related("user")
        ],
        "results": selectors.selection_results(sel),
        "selected_application_id": dossier.selected_application_id,
        "selected_applicant": dossier.selected_application.applicant.name if dossier.selected_application_id else None,
    }


def _selection(user, code):
    dossier = selectors.dossier_get(user=user, code=_key(code))
    if not hasattr(dossier, "selection"):
        raise NotFoundError(_("No selection for this dossier yet."))
    return dossier


@router.get(
    "/dossiers/{code}/selection", response={200: SelectionOut, **ERRORS}, operation_id="procedures_selection_get"
)
def selection_get(request, code: str):
    user = _user(request)
    return Status(200, _selection_out(_selection(user, code)))


@router.post(
    "/dossiers/{code}/selection", response={201: SelectionOut, **ERRORS}, operation_id="procedures_selection_open"
)
def selection_open(request, code: str, payload: SelectionOpenIn):
    user = _writer(request)
    dossier = selectors.dossier_get(user=user, code=_key(code))
    services.selection_open(actor=user, dossier=dossier, council_ref=payload.council_ref)
    return Status(201, _selection_out(selectors.dossier_get(user=user, code=_key(code))))


@router.post(
    "/dossiers/{code}/selection/members",
    response={200: SelectionOut, **ERRORS},
    operation_id="procedures_selection_member_add",
)
def selection_member_add(request, code: str, payload: ProcedureMemberIn):
    user = _writer(request)
    dossier = _selection(user, code)
    member = User.objects.filter(username=payload.username).first()
    if member is None:
        raise ValidationFailed(_("Unknown user."), field_errors={"username": [_("Unknown user.")]})
    services.council_member_add(
        actor=user, selection=dossier.selection, user=member, role=payload.role, title=payload.title
    )
    return Status(200, _selection_out(dossier))


@router.post(
    "/dossiers/{code}/selection/scores",
    response={201: SelectionOut, **ERRORS},
    operation_id="procedures_selection_score",
)
def selection_score(request, code: str, payload: ScoreIn):
    """A council member scores one applicant once; each criterion within its legal maximum."""
    user = _writer(request)
    dossier = _selection(user, code)
    application = Application.objects.filter(pk=payload.application_id, dossier=dossier).first()
    if application is None:
        raise ValidationFailed(
            _("This applicant is not in this dossier."),
            field_errors={"application_id": [_("This applicant is not in this dossier.")]},
        )
    scores = payload.dict(exclude={"application_id", "comment"})
    services.score_submit(
        actor=user, selection=dossier.selection, application=application, scores=scores, comment=payload.comment
    )
    return Status(201, _selection_out(dossier))


@router.post(
    "/dossiers/{code}/selection/close",
    response={200: SelectionOut, **ERRORS},
    operation_id="procedures_selection_close",
)
def selection_close(request, code: str, payload: SelectionCloseIn):
    user = _writer(request)
    dossier = _selection(user, code)
    services.selection_close(
        actor=user,
        selection=dossier.selection,
        meeting_on=payload.meeting_on,
        minutes=payload.minutes,
        chair_proposal=payload.chair_proposal_application_id,
    )
    return Status(200, _selection_out(selectors.dossier_get(user=user, code=_key(code))))


# ---------------------------------------------------------------- inspections


def _inspection_out(i) -> dict:
    return {
        "id": i.pk,
        "cluster": i.cluster.code,
        "province": i.province.code,
        "tenant_project_id": i.tenant_project_id,
        "enterprise": i.enterprise.name if i.enterprise_id else None,
        "planned_on": i.planned_on,
        "conducted_on": i.conducted_on,
        "agency": i.agency,
        "subject": i.subject,
        "suspicion": i.suspicion,
        "status": i.status,
        "planned": i.plan_id is not None,
    }


def _inspection_detail(user, pk):
    i = selectors.inspection_get(user=user, pk=_pk(pk))
    findings = []
    for fd in i.findings.prefetch_related("corrections"):
        findings.append(
            {
                "id": fd.pk,
                "area": fd.area,
                "description": fd.description,
                "is_violation": fd.is_violation,
                "legal_basis": fd.legal_basis,
                "obstacle_id": fd.obstacle_id,
                "corrections": [
                    {
                        "id": c.pk,
                        "action": c.action,
                        "deadline": c.deadline,
                        "status": c.status,
                        "done_on": c.done_on,
                        "follow_up": c.follow_up,
                    }
                    for c in fd.corrections.all()
                ],
            }
        )
    return {**_inspection_out(i), "summary": i.summary, "findings": findings}


@router.get("/inspections", response={200: list[InspectionOut], **ERRORS}, operation_id="procedures_inspections_list")
def inspections_list(
    request,
    year: int | None = Query(None, ge=2000, le=2100),
    province: str | None = Query(None, max_length=2),
):
    """The inspections of a year in scope (the yearly plan and the unscheduled ones)."""
    user = _user(request)
    return Status(
        200, [_inspection_out(i) for i in selectors.inspection_list(user=user, year=year, province=province)[:1000]]
    )


@router.post(
    "/inspection-plans", response={201: InspectionPlanOut, **ERRORS}, operation_id="procedures_inspection_plan_create"
)
def inspection_plan_create(request, payload: InspectionPlanIn):
    user = _writer(request)
    province = Province.objects.filter(code=payload.province).first()
    if province is None:
        raise ValidationFailed(_("Unknown province."), field_errors={"province": [_("Unknown province.")]})
    plan = services.inspection_plan_create(actor=user, province=province, **payload.dict(exclude={"province"}))
    return Status(
        201,
        {
            "id": plan.pk,
            "province": province.code,
            "year": plan.year,
            "title": plan.title,
            "approved_ref": plan.approved_ref,
            "approved_on": plan.approved_on,
        },
    )


@router.post(
    "/inspections", response={201: InspectionDetailOut, **ERRORS}, operation_id="procedures_inspections_create"
)
def inspections_create(request, payload: InspectionIn):
    """Plan an inspection; a second inspection of the same tenant in a year needs a stated suspicion (422)."""
    from ccn.tenants.models import TenantProject

    from .models import InspectionPlan

    user = _writer(request)
    cluster = _cluster(user, payload.cluster)
    project = None
    if payload.tenant_project_id is not None:
        project = TenantProject.objects.select_related("enterprise").filter(pk=payload.tenant_project_id).first()
        if project is None:
            raise ValidationFailed(
                _("Unknown tenant project."), field_errors={"tenant_project_id": [_("Unknown tenant project.")]}
            )
    plan = InspectionPlan.objects.filter(province_id=cluster.province_id, year=payload.planned_on.year).first()
    inspection = services.inspection_create(
        actor=user,
        cluster=cluster,
        planned_on=payload.planned_on,
        agency=payload.agency,
        tenant_project=project,
        plan=plan,
        subject=payload.subject,
        suspicion=payload.suspicion,
    )
    return Status(201, _inspection_detail(user, inspection.pk))


@router.get(
    "/inspections/{pk}", response={200: InspectionDetailOut, **ERRORS}, operation_id="procedures_inspections_get"
)
def inspections_get(request, pk: int):
    user = _user(request)
    return Status(200, _inspection_detail(user, _pk(pk)))


@router.post(
    "/inspections/{pk}/record",
    response={200: InspectionDetailOut, **ERRORS},
    operation_id="procedures_inspections_record",
)
def inspections_record(request, pk: int, payload: InspectionRecordIn):
    user = _writer(request)
    inspection = selectors.inspection_get(user=user, pk=_pk(pk))
    services.inspection_record(actor=user, inspection=inspection, **payload.dict())
    return Status(200, _inspection_detail(user, _pk(pk)))


@router.post(
    "/inspections/{pk}/findings",
    response={201: InspectionDetailOut, **ERRORS},
    operation_id="procedures_findings_add",
)
def findings_add(request, pk: int, payload: FindingIn):
    user = _writer(request)
    inspection = selectors.inspection_get(user=user, pk=_pk(pk))
    services.finding_add(actor=user, inspection=inspection, **payload.dict())
    return Status(201, _inspection_detail(user, _pk(pk)))


@router.post(
    "/inspections/{pk}/close",
    response={200: InspectionDetailOut, **ERRORS},
    operation_id="procedures_inspections_close",
)
def inspections_close(request, pk: int):
    user = _writer(request)
    services.inspection_close(actor=user, inspection=selectors.inspection_get(user=user, pk=_pk(pk)))
    return Status(200, _inspection_detail(user, _pk(pk)))


def _finding(user, pk) -> Finding:
    finding = Finding.objects.filter(pk=_pk(pk)).first()
    if finding is None:
        raise NotFoundError(_("Not found."))
    selectors.inspection_get(user=user, pk=finding.inspection_id)
    return finding


@router.post(
    "/findings/{pk}/corrections",
    response={201: InspectionDetailOut, **ERRORS},
    operation_id="procedures_corrections_add",
)
def corrections_add(request, pk: int, payload: CorrectionIn):
    user = _writer(request)
    finding = _finding(user, pk)
    services.correction_add(actor=user, finding=finding, **payload.dict())
    return Status(201, _inspection_detail(user, finding.inspection_id))


@router.post(
    "/findings/{pk}/obstacle",
    response={201: ProcedureObstacleOut, **ERRORS},
    operation_id="procedures_finding_open_obstacle",
)
def finding_open_obstacle(request, pk: int, payload: ProcedureObstacleIn):
    """Open an obstacle in the obstacles register from this finding (409 while that register is not available)."""
    user = _writer(request)
    from ccn.obstacles.models import Agency

    finding = _finding(user, pk)
    agency = Agency.objects.filter(pk=payload.agency_id).first()
    if agency is None:
        raise ValidationFailed(_("Unknown agency."), field_errors={"agency_id": [_("Unknown agency.")]})
    obstacle = services.finding_open_obstacle(
        actor=user,
        finding=finding,
        agency=agency,
        deadline=payload.deadline,
        category=payload.category,
        description=payload.description,
    )
    return Status(201, {"finding_id": finding.pk, "obstacle_id": obstacle.pk})


@router.post(
    "/corrections/{pk}/follow-up",
    response={200: InspectionDetailOut, **ERRORS},
    operation_id="procedures_corrections_follow_up",
)
def corrections_follow_up(request, pk: int, payload: FollowUpIn):
    user = _writer(request)
    correction = Correction.objects.select_related("finding").filter(pk=_pk(pk)).first()
    if correction is None:
        raise NotFoundError(_("Not found."))
    _finding(user, correction.finding_id)
    services.correction_follow_up(actor=user, correction=correction, **payload.dict())
    return Status(200, _inspection_detail(user, correction.finding.inspection_id))


# ---------------------------------------------------------------- relocation


def _facility_out(x: RelocationFacility) -> dict:
    return {
        "id": x.pk,
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
    from ccn.clusters.models import Sector

    commune = Commune.objects.filter(code=payload.commune).first()
    if commune is None:
        raise ValidationFailed(_("Unknown commune."), field_errors={"commune": [_("Unknown commune.")]})
    data = payload.dict(exclude={"commune", "sector", "target_cluster"})
    data["commune"] = commune
    data["sector"] = None
    if payload.sector:
        data["sector"] = Sector.objects.filter(code=payload.sector).first()
        if data["sector"] is None:
            raise ValidationFailed(_("Unknown sector."), field_errors={"sector": [_("Unknown sector.")]})
    data["target_cluster"] = _cluster(user, payload.target_cluster) if payload.target_cluster else None
    return data


@router.get("/relocations", response={200: list[FacilityOut], **ERRORS}, operation_id="procedures_relocations_list")
def relocations_list(
    request,
    status: RelocationStatus | None = None,
    commune: str | None = Query(None, max_length=5, pattern=r"^[0-9]+$"),
    cluster: str | None = Query(None, max_length=30, pattern=r"^[A-Za-z0-9-]+$"),
):
    user = _user(request)
    qs = selectors.relocation_list(user=user, filters={"status": status, "commune": commune, "cluster": cluster})
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


@router.patch("/relocations/{pk}", response={200: FacilityOut, **ERRORS}, operation_id="procedures_relocations_update")
def relocations_update(request, pk: int, payload: FacilityIn):
    user = _writer(request)
    facility = selectors.relocation_get(user=user, pk=_pk(pk))
    services.relocation_update(actor=user, facility=facility, data=_facility_data(user, payload))
    return Status(200, _facility_out(selectors.relocation_get(user=user, pk=_pk(pk))))


@router.post(
    "/relocations/{pk}/transitions",
    response={200: FacilityOut, **ERRORS},
    operation_id="procedures_relocations_step",
)
def relocations_step(request, pk: int, payload: RelocationStepIn):
    user = _writer(request)
    facility = selectors.relocation_get(user=user, pk=_pk(pk))
    target = _cluster(user, payload.target_cluster) if payload.target_cluster else None
    services.relocation_transition(
        actor=user, facility=facility, action=payload.action, on=payload.on, target_cluster=target
    )
    return Status(200, _facility_out(selectors.relocation_get(user=user, pk=_pk(pk))))


# ---------------------------------------------------------------- legal calendar


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
