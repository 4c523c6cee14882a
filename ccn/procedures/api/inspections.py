"""API of inspections, findings and corrections."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Query, Status

from ccn.core.api import VERSIONED, based_on
from ccn.core.errors import NotFoundError, field_error
from ccn.geo.models import Province
from ccn.obstacles.models import Agency
from ccn.tenants.models import TenantProject

from .. import selectors, services
from ..models import Correction, Finding, InspectionPlan
from .base import ERRORS, _pk, _user, _writer, router
from .schemas_inspections import (
    CorrectionIn,
    FindingIn,
    FollowUpIn,
    InspectionCloseIn,
    InspectionDetailOut,
    InspectionIn,
    InspectionOut,
    InspectionPlanIn,
    InspectionPlanOut,
    InspectionRecordIn,
    ProcedureObstacleIn,
    ProcedureObstacleOut,
)
from .serialisers import _cluster


def _inspection_out(i) -> dict:
    return {
        "id": i.pk,
        "version": i.version,
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
        raise field_error("province", _("Unknown province."))
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

    user = _writer(request)
    cluster = _cluster(user, payload.cluster)
    project = None
    if payload.tenant_project_id is not None:
        project = TenantProject.objects.select_related("enterprise").filter(pk=payload.tenant_project_id).first()
        if project is None:
            raise field_error("tenant_project_id", _("Unknown tenant project."))
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
    response={200: InspectionDetailOut, **ERRORS, **VERSIONED},
    operation_id="procedures_inspections_record",
)
def inspections_record(request, pk: int, payload: InspectionRecordIn):
    user = _writer(request)
    inspection = selectors.inspection_get(user=user, pk=_pk(pk))
    services.inspection_record(
        actor=user,
        inspection=inspection,
        expected_version=based_on(request, payload.version),
        **payload.dict(exclude={"version"}),
    )
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
    response={200: InspectionDetailOut, **ERRORS, **VERSIONED},
    operation_id="procedures_inspections_close",
)
def inspections_close(request, pk: int, payload: InspectionCloseIn | None = None):
    """Close a conducted inspection whose corrections are all done; name the version you read (`version`, or
    If-Match)."""
    user = _writer(request)
    services.inspection_close(
        actor=user,
        inspection=selectors.inspection_get(user=user, pk=_pk(pk)),
        expected_version=based_on(request, payload.version if payload else None),
    )
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

    finding = _finding(user, pk)
    agency = Agency.objects.filter(pk=payload.agency_id).first()
    if agency is None:
        raise field_error("agency_id", _("Unknown agency."))
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
