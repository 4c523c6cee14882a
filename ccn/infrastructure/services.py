"""Writes of infrastructure progress and of the central wastewater plant: atomic, validated, with history."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ccn.accounts import policy
from ccn.clusters.models import Cluster
from ccn.core.errors import PermissionDeniedError, ValidationFailed, validation_from_django
from ccn.core.history import record_change, snapshot
from ccn.core.models import ChangeAction

from .choices import ComponentKind, ComponentStatus, PlantStatus
from .models import InfrastructureComponent, WastewaterPlant
from .standards import SOURCE, standard_for, standards_on

PLANT_FIELDS = (
    "status",
    "design_capacity_m3_day",
    "auto_monitoring",
    "compliant",
    "last_result_on",
    "last_result_document",
    "environmental_permit",
    "permit_issued_on",
    "standard",
)


def can_edit_infrastructure(user, cluster: Cluster) -> bool:
    """The province's officers and the cluster's own infrastructure investor keep these figures
    (ccn/infrastructure/policy.py)."""
    return policy.can(user, policy.CHANGE, WastewaterPlant(cluster=cluster))


def _fail(field: str, message: str):
    raise ValidationFailed(message, field_errors={field: [message]})


def _check_component(kind: str, status: str, percent) -> None:
    if kind not in ComponentKind.values:
        _fail("kind", _("Unknown component %(kind)s.") % {"kind": kind})
    if status not in ComponentStatus.values:
        _fail("status", _("Unknown status %(status)s.") % {"status": status})
    if percent is None or not 0 <= int(percent) <= 100:
        _fail(
            "percent_complete",
            _("The progress must be between %(low)s and %(high)s.") % {"low": "0 %", "high": "100 %"},
        )
    if status == ComponentStatus.COMPLETED and percent != 100:
        _fail("percent_complete", _("A completed component is %(pct)s complete.") % {"pct": "100 %"})
    if status == ComponentStatus.NOT_STARTED and percent != 0:
        _fail("percent_complete", _("A component not started is %(pct)s complete.") % {"pct": "0 %"})
    if status == ComponentStatus.IN_PROGRESS and percent == 100:
        _fail("status", _("A component at %(pct)s is completed: choose “Completed”.") % {"pct": "100 %"})


@transaction.atomic
def component_set(
    *,
    actor,
    cluster: Cluster,
    kind: str,
    status: str,
    percent_complete: int,
    note: str = "",
    updated_on: datetime.date | None = None,
) -> InfrastructureComponent:
    """Record the status and progress of one component of a cluster's infrastructure."""
    if not can_edit_infrastructure(actor, cluster):
        raise PermissionDeniedError(policy.refusal(actor, policy.CHANGE, InfrastructureComponent))
    _check_component(kind, status, percent_complete)
    today = timezone.localdate()
    updated_on = updated_on or today
    if updated_on > today:
        _fail("updated_on", _("The date cannot be in the future."))
    component = InfrastructureComponent.objects.select_for_update().filter(cluster=cluster, kind=kind).first()
    before = snapshot(component) if component else None
    if component is None:
        component = InfrastructureComponent(cluster=cluster, kind=kind)
    component.status = status
    component.percent_complete = int(percent_complete)
    component.note = (note or "").strip()
    component.updated_on = updated_on
    try:
        component.full_clean()
    except ValidationError as exc:
        raise validation_from_django(exc)
    after = snapshot(component)
    if before is not None and {k: v for k, v in before.items() if k != "updated_on"} == {
        k: v for k, v in after.items() if k != "updated_on"
    }:
        return component
    component.save()
    record_change(
        actor=actor,
        obj=component,
        action=ChangeAction.UPDATE if before else ChangeAction.CREATE,
        before=before,
        after=snapshot(component),
        message=str(cluster),
    )
    return component


@transaction.atomic
def components_save(*, actor, cluster: Cluster, rows: dict[str, dict], updated_on=None) -> None:
    """Save several components at once: all or none (a bad row refuses the whole form)."""
    errors: dict[str, list[str]] = {}
    for kind, row in rows.items():
        try:
            with transaction.atomic():
                component_set(actor=actor, cluster=cluster, kind=kind, updated_on=updated_on, **row)
        except ValidationFailed as exc:
            label = ComponentKind(kind).label if kind in ComponentKind.values else kind
            errors[f"pct_{kind}"] = [f"{label}: {exc.message}"]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], field_errors=errors)


@transaction.atomic
def plant_set(*, actor, cluster: Cluster, data: dict) -> WastewaterPlant:
    """Record the central wastewater plant. The standard its result is judged against is the one that applies to the
    plant on the result's date (`standards`): QCVN 40:2011/BTNMT before 1 September 2025 and, for an existing
    facility, until 31 December 2031; QCVN 40:2025/BTNMT for a new facility and after the transition. A named
    `standard` that does not apply to the plant on that date is refused."""
    if not can_edit_infrastructure(actor, cluster):
        raise PermissionDeniedError(policy.refusal(actor, policy.CHANGE, WastewaterPlant))
    unknown = set(data) - set(PLANT_FIELDS)
    if unknown:
        raise ValidationFailed(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    plant = WastewaterPlant.objects.select_for_update().filter(cluster=cluster).first()
    before = snapshot(plant) if plant else None
    if plant is None:
        plant = WastewaterPlant(cluster=cluster)
    for key, value in data.items():
        if key in ("last_result_document", "environmental_permit") and value is None:
            value = ""
        if key == "auto_monitoring" and value is None:
            value = False
        setattr(plant, key, value)
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    if plant.status not in PlantStatus.values:
        errors["status"] = [_("Unknown status.")]
    if plant.status == PlantStatus.OPERATING and not plant.design_capacity_m3_day:
        errors["design_capacity_m3_day"] = [_("Give the design capacity of an operating plant.")]
    if plant.status in (PlantStatus.NONE, PlantStatus.PLANNED) and (
        plant.compliant is not None or plant.auto_monitoring
    ):
        errors["status"] = [_("A plant that is not built has no compliance result or monitoring.")]
    for field in ("last_result_on", "permit_issued_on"):
        if getattr(plant, field) and getattr(plant, field) > today:
            errors.setdefault(field, []).append(_("The date cannot be in the future."))
    if plant.compliant is not None and not plant.last_result_on:
        errors.setdefault("last_result_on", []).append(_("Give the date of the compliance result."))
    if plant.compliant is not None and not plant.last_result_document.strip():
        errors.setdefault("last_result_document", []).append(_("Give the document of the compliance result."))
    named = data.get("standard") or ""
    if not plant.last_result_on:
        plant.standard = ""
    elif not named:
        plant.standard = standard_for(plant.last_result_on, plant.permit_issued_on)
    elif named not in standards_on(plant.last_result_on, plant.permit_issued_on):
        errors.setdefault("standard", []).append(
            _(
                "A result of %(day)s of this plant is judged against %(applies)s, not %(named)s: QCVN 40:2025/BTNMT "
                "applies to facilities permitted from 01/09/2025, and to every facility after 31/12/2031 (%(source)s)."
            )
            % {
                "day": plant.last_result_on.strftime("%d/%m/%Y"),
                "applies": " / ".join(standards_on(plant.last_result_on, plant.permit_issued_on)),
                "named": named,
                "source": SOURCE,
            }
        )
    else:
        plant.standard = named
    try:
        plant.full_clean()
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], field_errors=errors)
    plant.save()
    after = snapshot(plant)
    if before != after:
        record_change(
            actor=actor,
            obj=plant,
            action=ChangeAction.UPDATE if before else ChangeAction.CREATE,
            before=before,
            after=after,
            message=str(cluster),
        )
    return plant
