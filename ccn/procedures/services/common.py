"""Helpers shared by the services of the four parts: date text, field errors, who may act on a dossier, and the
dossier's clocks."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from ccn.accounts import policy
from ccn.accounts.scope import role_of
from ccn.core.errors import (
    PermissionDeniedError,
    field_error,
)
from ccn.core.history import refuse_stale
from ccn.core.services import actor_or_none, full_clean_or_fail
from ccn.core.transitions import run_transition

from .. import calendar as cal
from ..choices import (
    Step,
)
from ..models import (
    Dossier,
    DossierStep,
)
from ..policy import APPRAISE, DECIDE, RECEIVE, WITHDRAW
from ..workflow import DOSSIER_WORKFLOW


def _d(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


_user = actor_or_none


def _not_future(field: str, day: datetime.date | None, label: str):
    if day is None:
        raise field_error(field, _("Give the date: %(what)s.") % {"what": label})
    if day > timezone.localdate():
        raise field_error(field, _("%(what)s cannot be in the future.") % {"what": label})


_clean = full_clean_or_fail


def is_commune_officer_of(user, commune_id) -> bool:
    """The officer of the commune that receives a dossier there (ccn/procedures/policy.py)."""
    return policy.can(user, RECEIVE, Dossier(commune_id=commune_id))


def is_department_of(user, province_id) -> bool:
    """The Department (province editor) of the dossier's province."""
    return policy.can(user, APPRAISE, Dossier(province_id=province_id))


def is_province_approver_of(user, province_id) -> bool:
    return policy.can(user, DECIDE, Dossier(province_id=province_id))


def may_act(user, dossier: Dossier, action: str) -> bool:
    """Whether `user` may run `action` on `dossier` now (role, scope and state), for showing buttons."""
    transition = DOSSIER_WORKFLOW.transitions.get(action)
    if transition is None or dossier.status not in transition.sources or role_of(user) not in transition.roles:
        return False
    if action == "withdraw":
        return policy.can(user, WITHDRAW, dossier)
    if action in ("announce", "send"):
        return policy.can(user, RECEIVE, dossier)
    if action in ("decide", "refuse"):
        return policy.can(user, DECIDE, dossier)
    return policy.can(user, APPRAISE, dossier)


def _check_action(actor, dossier: Dossier, action: str, expected_version=None):
    """The checks of a dossier's step on the locked dossier, before the work the step does (steps, documents):
    the state and role (the workflow table), the scope, then the version the actor read (409 stale; 428 when an
    API call names none), so that a refusal for scope or role comes first. `_move` then runs the engine."""
    DOSSIER_WORKFLOW.check(action, state=dossier.status, role=role_of(actor))
    if not may_act(actor, dossier, action):
        raise PermissionDeniedError(_("This dossier is outside your scope."))
    refuse_stale(dossier, expected_version)


def _move(actor, dossier: Dossier, action: str, message: str = "") -> Dossier:
    """Move the locked, checked dossier with the transition engine: status, version, transition record, history."""
    return run_transition(
        dossier,
        DOSSIER_WORKFLOW,
        action,
        actor=actor,
        lock=False,
        authorize=lambda d: None,  # checked by `_check_action` before the step's work
        note=message,
        message=lambda d, t: f"{t.label} {message}".strip(),
    )


def _pauses(dossier: Dossier, step: str):
    return [(p.started_on, p.ended_on) for p in dossier.pauses.filter(step=step)]


def _start_step(dossier: Dossier, step: str, started_on: datetime.date) -> DossierStep:
    rule = cal.time_limit_on(step, started_on)
    due = cal.due_date(started_on, rule.value, rule.unit, _pauses(dossier, step))
    return DossierStep.objects.create(
        dossier=dossier,
        step=step,
        started_on=started_on,
        rule=rule,
        limit_value=rule.value,
        limit_unit=rule.unit,
        due_on=due,
    )


def _refresh_due(step: DossierStep) -> None:
    step.due_on = cal.due_date(step.started_on, step.limit_value, step.limit_unit, _pauses(step.dossier, step.step))
    step.save(update_fields=["due_on"])


def _complete_step(dossier: Dossier, step: str, on: datetime.date, late_reason: str, field: str) -> DossierStep:
    s = dossier.steps.get(step=step)
    if on < s.started_on:
        raise field_error(field, _("The date cannot be before the step began (%(day)s).") % {"day": _d(s.started_on)})
    late_reason = (late_reason or "").strip()
    if s.due_on and on > s.due_on and not late_reason:
        msg = _(
            "“%(step)s” is dated %(day)s, after its time limit of %(limit)s %(unit)s ended on %(due)s: "
            "record the reason for the delay."
        ) % {
            "step": Step(step).label,
            "day": _d(on),
            "limit": s.limit_value,
            "unit": s.get_limit_unit_display(),
            "due": _d(s.due_on),
        }
        raise field_error("late_reason", msg, code="late_without_reason")
    s.completed_on = on
    s.late_reason = late_reason
    s.save(update_fields=["completed_on", "late_reason"])
    return s


def recompute_open_due_dates() -> int:
    """After the calendar changes: every open step's due date again (a few hundred rows at most)."""
    n = 0
    for step in DossierStep.objects.filter(completed_on__isnull=True).select_related("dossier"):
        _refresh_due(step)
        n += 1
    return n
