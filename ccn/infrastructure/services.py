"""Writes of infrastructure progress and of the central wastewater plant: atomic, validated, with history."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ccn.accounts import policy
from ccn.clusters.models import Cluster
from ccn.core.errors import PermissionDeniedError, ValidationFailed, field_error, fields_error, validation_from_django
from ccn.core.history import record_change, refuse_stale, snapshot, versioned_update
from ccn.core.models import ChangeAction
from ccn.core.services import refuse_unknown
from ccn.core.transitions import record_start, run_transition, set_initial_status

from .choices import ComponentKind, ComponentStatus, PlantStatus
from .models import InfrastructureComponent, WastewaterPlant, WastewaterResult
from .standards import SOURCE, standard_for, standards_on
from .workflow import COMPONENT_WORKFLOW, PLANT_WORKFLOW, action_to

# The plant's own figures. Its compliance results are not among them: they are entered one by one as results
# (`result_add`), and its last result is the latest of them (`WastewaterPlant.latest_result`).
PLANT_FIELDS = ("status", "design_capacity_m3_day", "auto_monitoring", "environmental_permit", "permit_issued_on")


def can_edit_infrastructure(user, cluster: Cluster) -> bool:
    """The province's officers and the cluster's own infrastructure investor keep these figures
    (ccn/infrastructure/policy.py)."""
    return policy.can(user, policy.CHANGE, WastewaterPlant(cluster=cluster))


def _check_component(kind: str, status: str, percent) -> None:
    if kind not in ComponentKind.values:
        raise field_error("kind", _("Unknown component %(kind)s.") % {"kind": kind})
    if status not in ComponentStatus.values:
        raise field_error("status", _("Unknown status %(status)s.") % {"status": status})
    if percent is None or not 0 <= int(percent) <= 100:
        raise field_error(
            "percent_complete",
            _("The progress must be between %(low)s and %(high)s.") % {"low": "0 %", "high": "100 %"},
        )
    if status == ComponentStatus.COMPLETED and percent != 100:
        raise field_error("percent_complete", _("A completed component is %(pct)s complete.") % {"pct": "100 %"})
    if status == ComponentStatus.NOT_STARTED and percent != 0:
        raise field_error("percent_complete", _("A component not started is %(pct)s complete.") % {"pct": "0 %"})
    if status == ComponentStatus.IN_PROGRESS and percent == 100:
        raise field_error("status", _("A component at %(pct)s is completed: choose “Completed”.") % {"pct": "100 %"})


def _skip(row) -> None:
    """The checks `run_transition` leaves to this module: scope was checked before the lock, by cluster."""


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
    expected_version=None,
) -> InfrastructureComponent:
    """Record the status and progress of one component of a cluster's infrastructure. A component already
    recorded is changed only over the version the actor read (`expected_version`); a change of status goes
    through the transition engine (workflow.COMPONENT_WORKFLOW)."""
    if not can_edit_infrastructure(actor, cluster):
        raise PermissionDeniedError(policy.refusal(actor, policy.CHANGE, InfrastructureComponent))
    _check_component(kind, status, percent_complete)
    today = timezone.localdate()
    updated_on = updated_on or today
    if updated_on > today:
        raise field_error("updated_on", _("The date cannot be in the future."))
    note = (note or "").strip()
    component = InfrastructureComponent.objects.select_for_update().filter(cluster=cluster, kind=kind).first()

    def fill(row, transition=None):
        row.percent_complete = int(percent_complete)
        row.note = note
        row.updated_on = updated_on
        try:
            row.full_clean()
        except ValidationError as exc:
            raise validation_from_django(exc)

    if component is None:
        component = InfrastructureComponent(cluster=cluster, kind=kind)
        set_initial_status(component, COMPONENT_WORKFLOW, status)
        fill(component)
        component.save()
        record_change(
            actor=actor, obj=component, action=ChangeAction.CREATE, after=snapshot(component), message=str(cluster)
        )
        record_start(component, COMPONENT_WORKFLOW, actor=actor, effective_on=updated_on)
        return component
    refuse_stale(component, expected_version)
    if (component.status, component.percent_complete, component.note) == (status, int(percent_complete), note):
        return component  # the same figures again: nothing changes, whatever the date
    if component.status != status:
        return run_transition(
            component,
            COMPONENT_WORKFLOW,
            action_to(COMPONENT_WORKFLOW, status),
            actor=actor,
            lock=False,
            authorize=_skip,
            effective_on=updated_on,
            apply=fill,
            message=str(cluster),
            history_action=ChangeAction.UPDATE,
        )
    return versioned_update(component, actor=actor, lock=False, apply=fill, message=str(cluster))


@transaction.atomic
def components_save(*, actor, cluster: Cluster, rows: dict[str, dict], updated_on=None) -> None:
    """Save several components at once: all or none (a bad row refuses the whole form). Each row may carry the
    `expected_version` of the component the page showed."""
    errors: dict[str, list[str]] = {}
    for kind, row in rows.items():
        try:
            with transaction.atomic():
                component_set(actor=actor, cluster=cluster, kind=kind, updated_on=updated_on, **row)
        except ValidationFailed as exc:
            label = ComponentKind(kind).label if kind in ComponentKind.values else kind
            errors[f"pct_{kind}"] = [f"{label}: {exc.message}"]
    if errors:
        raise fields_error(errors)


@transaction.atomic
def plant_set(*, actor, cluster: Cluster, data: dict, expected_version=None) -> WastewaterPlant:
    """Record the central wastewater plant: its state, design capacity, monitoring and environmental permit. Its
    compliance results are recorded by `result_add` only. A plant already recorded is changed only over the version
    the actor read; a change of state goes through the transition engine."""
    if not can_edit_infrastructure(actor, cluster):
        raise PermissionDeniedError(policy.refusal(actor, policy.CHANGE, WastewaterPlant))
    refuse_unknown(data, PLANT_FIELDS)
    plant = WastewaterPlant.objects.select_for_update().filter(cluster=cluster).first()
    new_status = data.get("status", plant.status if plant else PlantStatus.NONE)
    if new_status not in PlantStatus.values:
        raise field_error("status", _("Unknown status."))
    if plant is not None:
        refuse_stale(plant, expected_version)

    def fill(row, transition=None):
        for key, value in data.items():
            if key == "status":
                continue
            if key == "environmental_permit" and value is None:
                value = ""
            if key == "auto_monitoring" and value is None:
                value = False
            setattr(row, key, value)
        _check_plant(row, new_status)

    if plant is None:
        plant = WastewaterPlant(cluster=cluster)
        set_initial_status(plant, PLANT_WORKFLOW, new_status)
        fill(plant)
        plant.save()
        record_change(actor=actor, obj=plant, action=ChangeAction.CREATE, after=snapshot(plant), message=str(cluster))
        record_start(plant, PLANT_WORKFLOW, actor=actor)
        return plant
    if new_status != plant.status:
        return run_transition(
            plant,
            PLANT_WORKFLOW,
            action_to(PLANT_WORKFLOW, new_status),
            actor=actor,
            lock=False,
            authorize=_skip,
            apply=fill,
            message=str(cluster),
            history_action=ChangeAction.UPDATE,
        )
    return versioned_update(plant, actor=actor, lock=False, apply=fill, skip_unchanged=True, message=str(cluster))


@transaction.atomic
def result_add(
    *,
    actor,
    cluster: Cluster,
    sampled_on: datetime.date | None,
    compliant: bool | None,
    document: str,
    standard: str = "",
    note: str = "",
) -> WastewaterResult:
    """Record one dated compliance result of the cluster's central plant (a monitoring report, an inspection). The
    standard is the one that applies to the plant on the sample date unless one that also applies is named; a
    second result on the same day is refused. The one way a result is entered (the page's results form, the API's
    results endpoint, the exchange); the plant's last result is the latest of them."""
    if not can_edit_infrastructure(actor, cluster):
        raise PermissionDeniedError(policy.refusal(actor, policy.CHANGE, WastewaterPlant))
    plant = WastewaterPlant.objects.select_for_update().filter(cluster=cluster).first()
    if plant is None:
        raise field_error("sampled_on", _("Record the central wastewater plant before its results."))
    errors: dict[str, list[str]] = {}
    if plant.status in (PlantStatus.NONE, PlantStatus.PLANNED):
        errors["sampled_on"] = [_("A plant that is not built has no compliance result or monitoring.")]
    document = (document or "").strip()
    if sampled_on is None:
        errors.setdefault("sampled_on", []).append(_("Give the date of the compliance result."))
    elif sampled_on > timezone.localdate():
        errors.setdefault("sampled_on", []).append(_("The date cannot be in the future."))
    elif WastewaterResult.objects.filter(plant=plant, sampled_on=sampled_on).exists():
        errors.setdefault("sampled_on", []).append(
            _("A result of %(day)s is already recorded for this plant.") % {"day": sampled_on.strftime("%d/%m/%Y")}
        )
    if compliant is None:
        errors["compliant"] = [_("Say whether the result meets the standard.")]
    if not document:
        errors["document"] = [_("Give the document of the compliance result.")]
    if sampled_on is not None and "sampled_on" not in errors:
        chosen, problem = _standard_of(sampled_on, plant.permit_issued_on, (standard or "").strip())
        if problem:
            errors["standard"] = [problem]
        standard = chosen
    if errors:
        raise fields_error(errors)
    result = WastewaterResult(
        plant=plant,
        sampled_on=sampled_on,
        compliant=compliant,
        standard=standard,
        document=document,
        note=(note or "").strip(),
    )
    try:
        result.full_clean()
    except ValidationError as exc:
        raise validation_from_django(exc)
    result.save()
    record_change(actor=actor, obj=result, action=ChangeAction.CREATE, after=snapshot(result), message=str(cluster))
    return result


def _standard_of(day: datetime.date, permit_issued_on, named: str) -> tuple[str, str | None]:
    """The standard a result of `day` is judged against (`named`, or the one that applies), and the refusal when
    the named one does not apply to the plant on that day."""
    if not named:
        return standard_for(day, permit_issued_on), None
    if named in standards_on(day, permit_issued_on):
        return named, None
    return "", _(
        "A result of %(day)s of this plant is judged against %(applies)s, not %(named)s: QCVN 40:2025/BTNMT "
        "applies to facilities permitted from 01/09/2025, and to every facility after 31/12/2031 (%(source)s)."
    ) % {
        "day": day.strftime("%d/%m/%Y"),
        "applies": " / ".join(standards_on(day, permit_issued_on)),
        "named": named,
        "source": SOURCE,
    }


def _check_plant(plant: WastewaterPlant, status: str) -> None:
    """The plant's figures must fit the state it is recorded in (`status`, which the caller sets); a plant with
    results or monitoring cannot be recorded as not built."""
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    if status == PlantStatus.OPERATING and not plant.design_capacity_m3_day:
        errors["design_capacity_m3_day"] = [_("Give the design capacity of an operating plant.")]
    has_results = plant.pk is not None and plant.results.exists()
    if status in (PlantStatus.NONE, PlantStatus.PLANNED) and (has_results or plant.auto_monitoring):
        errors["status"] = [_("A plant that is not built has no compliance result or monitoring.")]
    if plant.permit_issued_on and plant.permit_issued_on > today:
        errors.setdefault("permit_issued_on", []).append(_("The date cannot be in the future."))
    for result in plant.results.all() if plant.pk else ():
        # the permit date decides the standards that apply: it may not leave a recorded result on one that does not
        if result.standard and result.standard not in standards_on(result.sampled_on, plant.permit_issued_on):
            _named, problem = _standard_of(result.sampled_on, plant.permit_issued_on, result.standard)
            errors.setdefault("permit_issued_on", []).append(problem)
            break
    try:
        plant.full_clean()
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            errors.setdefault(key, []).extend(messages)
    if errors:
        raise fields_error(errors)
