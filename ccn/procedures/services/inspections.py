"""Inspections: yearly plans, inspections, findings, corrections, and obstacles opened from findings."""

from __future__ import annotations

import datetime

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ccn.accounts import policy
from ccn.clusters.models import Cluster, Organisation
from ccn.core.errors import (
    ConflictError,
    PermissionDeniedError,
    field_error,
)
from ccn.core.history import record_change, refuse_stale, snapshot
from ccn.core.models import ChangeAction
from ccn.core.transitions import run_transition
from ccn.obstacles.services import obstacle_create

from ..choices import (
    CorrectionStatus,
    InspectionStatus,
)
from ..models import (
    Correction,
    Finding,
    Inspection,
    InspectionPlan,
)
from ..selectors import enterprise_inspections_in_year
from ..workflow import CORRECTION_WORKFLOW, INSPECTION_WORKFLOW
from .common import _clean, _d, _not_future, _user


@transaction.atomic
def inspection_plan_create(*, actor, province, year: int, title: str, approved_ref: str = "", approved_on=None):
    if not policy.can(actor, policy.ADD, InspectionPlan(province=province)):
        raise PermissionDeniedError(_("Only the Department plans inspections in its province."))
    if InspectionPlan.objects.filter(province=province, year=year).exists():
        raise field_error("year", _("This province already has an inspection plan for this year."))
    plan = InspectionPlan(
        province=province,
        year=year,
        title=(title or "").strip(),
        approved_ref=(approved_ref or "").strip(),
        approved_on=approved_on,
        created_by=_user(actor),
    )
    _clean(plan)
    plan.save()
    record_change(actor=actor, obj=plan, action=ChangeAction.CREATE, after=snapshot(plan))
    return plan


@transaction.atomic
def inspection_create(
    *,
    actor,
    cluster: Cluster,
    planned_on: datetime.date,
    agency: str,
    tenant_project=None,
    plan: InspectionPlan | None = None,
    subject: str = "",
    suspicion: str = "",
) -> Inspection:
    """Plan an inspection. A tenant is inspected at most once a year unless a violation is suspected (Decree
    32/2024, Art. 24(2)): a second one in the same year is refused until the suspicion is stated."""
    if not policy.can(actor, policy.ADD, Inspection(province_id=cluster.province_id)):
        raise PermissionDeniedError(_("Only the Department plans inspections in its province."))
    if planned_on is None:
        raise field_error("planned_on", _("Give the planned date."))
    if tenant_project is not None and tenant_project.cluster_id != cluster.pk:
        raise field_error("tenant_project", _("This tenant project is not in this cluster."))
    if plan is not None and (plan.province_id != cluster.province_id or plan.year != planned_on.year):
        raise field_error("plan", _("The plan must be the province's plan for the year of the inspection."))
    suspicion = (suspicion or "").strip()
    enterprise_id = tenant_project.enterprise_id if tenant_project is not None else None
    if enterprise_id:
        Organisation.objects.select_for_update().filter(pk=enterprise_id).first()

        earlier = list(enterprise_inspections_in_year(enterprise_id=enterprise_id, year=planned_on.year)[:3])
        if earlier and not suspicion:
            msg = _(
                "%(tenant)s already has an inspection in %(year)s (%(dates)s). A tenant is inspected at most once "
                "a year unless a violation is suspected (Decree 32/2024, Art. 24(2)): state the suspected violation "
                "to plan another."
            ) % {
                "tenant": tenant_project.enterprise.name,
                "year": planned_on.year,
                "dates": ", ".join(_d(i.planned_on) for i in earlier),
            }
            raise field_error("suspicion", msg, code="second_inspection")
    inspection = Inspection(
        province_id=cluster.province_id,
        plan=plan,
        cluster=cluster,
        tenant_project=tenant_project,
        enterprise_id=enterprise_id,
        planned_on=planned_on,
        agency=(agency or "").strip(),
        subject=(subject or "").strip(),
        suspicion=suspicion,
        created_by=_user(actor),
    )
    _clean(inspection)
    inspection.save()
    record_change(actor=actor, obj=inspection, action=ChangeAction.CREATE, after=snapshot(inspection))
    return inspection


def _step(actor, locked, workflow, action: str, **kwargs):
    """Move a row this module has locked and checked (scope and state, with their own messages) along its
    workflow with the transition engine."""
    return run_transition(locked, workflow, action, actor=actor, lock=False, authorize=lambda row: None, **kwargs)


def _inspection_writer(actor, inspection: Inspection):
    if not policy.can(actor, policy.CHANGE, inspection):
        raise PermissionDeniedError(_("Only the Department records inspections in its province."))


@transaction.atomic
def inspection_record(
    *,
    actor,
    inspection: Inspection,
    conducted_on: datetime.date,
    summary: str = "",
    expected_version: int | None = None,
) -> Inspection:
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    _inspection_writer(actor, inspection)
    refuse_stale(inspection, expected_version)
    if inspection.status != InspectionStatus.PLANNED:
        raise ConflictError(_("This inspection has already been recorded."))
    _not_future("conducted_on", conducted_on, _("The date of the inspection"))

    def apply(locked, transition):
        locked.conducted_on = conducted_on
        locked.summary = (summary or "").strip()

    return _step(actor, inspection, INSPECTION_WORKFLOW, "record", effective_on=conducted_on, apply=apply)


@transaction.atomic
def finding_add(
    *, actor, inspection: Inspection, area: str, description: str, is_violation: bool = False, legal_basis: str = ""
) -> Finding:
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    _inspection_writer(actor, inspection)
    if inspection.status != InspectionStatus.CONDUCTED:
        raise ConflictError(_("Findings are recorded once the inspection has been conducted and before it is closed."))
    finding = Finding(
        inspection=inspection,
        area=area,
        description=(description or "").strip(),
        is_violation=bool(is_violation),
        legal_basis=(legal_basis or "").strip(),
        created_by=_user(actor),
    )
    _clean(finding)
    finding.save()
    record_change(actor=actor, obj=finding, action=ChangeAction.CREATE, after=snapshot(finding))
    return finding


@transaction.atomic
def correction_add(*, actor, finding: Finding, action: str, deadline: datetime.date) -> Correction:
    inspection = Inspection.objects.get(pk=finding.inspection_id)
    _inspection_writer(actor, inspection)
    if inspection.status == InspectionStatus.CLOSED:
        raise ConflictError(_("The inspection is closed."))
    if deadline is None or deadline < inspection.conducted_on:
        raise field_error(
            "deadline",
            _("The deadline cannot be before the inspection (%(day)s).") % {"day": _d(inspection.conducted_on)},
        )
    correction = Correction(finding=finding, action=(action or "").strip(), deadline=deadline)
    _clean(correction)
    correction.save()
    record_change(actor=actor, obj=correction, action=ChangeAction.CREATE, after=snapshot(correction))
    return correction


@transaction.atomic
def correction_follow_up(*, actor, correction: Correction, follow_up: str, done_on: datetime.date | None = None):
    correction = Correction.objects.select_for_update().select_related("finding__inspection").get(pk=correction.pk)
    _inspection_writer(actor, correction.finding.inspection)
    if correction.status == CorrectionStatus.DONE:
        raise ConflictError(_("This correction is already recorded as done."))
    note = (follow_up or "").strip()
    if done_on is None and not note:
        raise field_error("follow_up", _("Write the follow-up or give the date the correction was made."))
    if done_on is not None:
        _not_future("done_on", done_on, _("The date the correction was made"))
        if done_on < correction.finding.inspection.conducted_on:
            raise field_error("done_on", _("The correction cannot be done before the inspection."))

    def add_note(locked):
        if note:
            stamp = timezone.localdate().strftime("%d/%m/%Y")
            locked.follow_up = f"{locked.follow_up}\n{stamp}: {note}".strip()

    if done_on is None:
        before = snapshot(correction)
        add_note(correction)
        correction.save()
        record_change(
            actor=actor, obj=correction, action=ChangeAction.UPDATE, before=before, after=snapshot(correction)
        )
        return correction

    def apply(locked, transition):
        add_note(locked)
        locked.done_on = done_on

    return _step(
        actor,
        correction,
        CORRECTION_WORKFLOW,
        "complete",
        effective_on=done_on,
        apply=apply,
        note=note,
        history_action=ChangeAction.UPDATE,
    )


@transaction.atomic
def inspection_close(*, actor, inspection: Inspection, expected_version: int | None = None) -> Inspection:
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    _inspection_writer(actor, inspection)
    refuse_stale(inspection, expected_version)
    if inspection.status != InspectionStatus.CONDUCTED:
        raise ConflictError(_("Only a conducted inspection can be closed."))
    open_count = Correction.objects.filter(finding__inspection=inspection, status=CorrectionStatus.OPEN).count()
    if open_count:
        raise ConflictError(
            _("%(n)s required correction(s) are still open: follow them up before closing.") % {"n": open_count}
        )
    return _step(actor, inspection, INSPECTION_WORKFLOW, "close")


def obstacles_available() -> bool:
    """Whether a finding can open an obstacle (the obstacles register is installed)."""
    return apps.is_installed("ccn.obstacles")


# The obstacle category a finding of each area of law opens by default (the officer may choose another).
OBSTACLE_CATEGORY = {
    "planning": "planning",
    "investment": "investment_procedure",
    "construction": "other",
    "land_use": "site_clearance",
    "environment": "wastewater_environment",
}


@transaction.atomic
def finding_open_obstacle(
    *, actor, finding: Finding, agency, deadline: datetime.date, category: str = "", description: str = ""
):
    """Open an obstacle in the obstacles register from an inspection finding (the register's own service checks
    who may raise it, the agency and the deadline), and keep the link on the finding."""
    finding = Finding.objects.select_for_update().select_related("inspection__cluster").get(pk=finding.pk)
    _inspection_writer(actor, finding.inspection)
    if finding.obstacle_id:
        raise ConflictError(_("An obstacle has already been opened from this finding."))
    if not obstacles_available():
        raise ConflictError(_("The obstacles register is not available."), code="obstacles_unavailable")

    inspection = finding.inspection
    obstacle = obstacle_create(
        actor=actor,
        cluster=inspection.cluster,
        category=category or OBSTACLE_CATEGORY.get(finding.area, "other"),
        description=(description or "").strip() or finding.description,
        agency=agency,
        deadline=deadline,
        tenant_project=inspection.tenant_project,
        source=_("Inspection of %(day)s: finding on %(area)s")
        % {"day": _d(inspection.conducted_on or inspection.planned_on), "area": finding.get_area_display()},
    )
    before = snapshot(finding)
    finding.obstacle = obstacle
    finding.save(update_fields=["obstacle", "updated_at"])
    record_change(actor=actor, obj=finding, action=ChangeAction.UPDATE, before=before, after=snapshot(finding))
    return obstacle
