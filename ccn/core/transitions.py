"""The transition engine: a workflow is a table of actions (allowed sources, target, roles, guards), and
`run_transition` is the one function that moves a record along it.

Every status in the code base has a workflow table in its app's `workflow.py`. A service that changes a status
calls `run_transition`, which locks the row, checks the source state, the actor's role, their scope on the row
(the policy action the caller names, or the caller's own check), the transition's guards and the version the
actor read, then sets the status and the version, saves, writes one `TransitionRecord` and the change record,
and queues the side effects for after the commit. A new record takes its first status through `set_initial_status`.
No other code assigns a `status` (tests/test_transitions_only.py scans the source).

The engine lives in core, below the accounts app: accounts hands it the actor's role and the policy check when
the apps are ready (`configure`), as it loads the policy rules.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils.translation import gettext as _

from .errors import ConflictError, PermissionDeniedError, field_error
from .history import has_field, record_change, refuse_stale, snapshot
from .models import ChangeAction, TransitionRecord
from .states import STATE_LABELS

# The application itself, in a transition no person runs (an exchanged batch found to hold refusals): a workflow
# lists it among a transition's roles, and the service passes it as `role`; no user has it.
SYSTEM = "system"


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str, ...]
    target: str
    roles: tuple[str, ...]
    label: str = ""
    needs_document: bool = False
    document_kinds: tuple[str, ...] = ()
    guards: tuple[Callable, ...] = field(default=())
    # The record's owner (the workflow's `owner_field`) may run it whatever their role.
    owner_may: bool = False


class Workflow:
    def __init__(
        self,
        transitions: Iterable[Transition],
        *,
        state_labels: dict[str, str],
        name: str = "",
        owner_field: str | None = None,
        initial: Iterable[str] | None = None,
    ):
        self.transitions = {t.action: t for t in transitions}
        self.state_labels = state_labels
        self.name = name
        self.owner_field = owner_field
        # The states a new record may start in (`set_initial_status`); every state when not said.
        self.initial = tuple(initial) if initial is not None else tuple(state_labels)
        if name:
            STATE_LABELS[name] = state_labels

    def get(self, action: str) -> Transition:
        try:
            return self.transitions[action]
        except KeyError:
            raise ConflictError(_("Unknown action “%(action)s”.") % {"action": action}, code="unknown_action")

    def allowed_actions(self, state: str, role: str | None) -> list[Transition]:
        return [t for t in self.transitions.values() if state in t.sources and role in t.roles]

    def check(self, action: str, *, state: str, role: str | None, owner: bool = False) -> Transition:
        """Return the transition if `action` may run from `state` by `role` (or by the record's owner when the
        transition lets its owner run it); raise a clear error if not."""
        transition = self.get(action)
        if state not in transition.sources:
            raise ConflictError(
                _("“%(action)s” is not allowed while the state is “%(state)s”.")
                % {"action": transition.label or action, "state": self.state_labels.get(state, state)},
                code="transition_not_allowed",
            )
        if role not in transition.roles and not (owner and transition.owner_may):
            raise PermissionDeniedError(
                _("Your role may not perform “%(action)s”.") % {"action": transition.label or action}
            )
        return transition


# ------------------------------------------------------------------ what accounts hands the engine


@dataclass
class _Policy:
    role_of: Callable = lambda user: None
    can: Callable = lambda user, action, obj: False
    refusal: Callable = lambda user, action, model: _("Your role may not do this.")


_policy = _Policy()


def configure(*, role_of: Callable, can: Callable, refusal: Callable) -> None:
    """Called once by accounts when the apps are ready: how to read a user's role and ask the scope policy."""
    _policy.role_of, _policy.can, _policy.refusal = role_of, can, refusal


# ------------------------------------------------------------------ the engine


def set_initial_status(obj: models.Model, workflow: Workflow, status: str) -> None:
    """Give a record being created its first status: the one place besides `run_transition` that writes a
    `status`. The status must be one the workflow lets a record start in."""
    if status not in workflow.initial:
        raise field_error(
            "status",
            _("Not a starting state."),
            detail=_("A new record cannot start in the state “%(state)s”.")
            % {"state": workflow.state_labels.get(status, status)},
        )
    obj.status = status


def record_start(
    obj: models.Model, workflow: Workflow, *, actor, action: str = "create", effective_on=None, note: str = ""
) -> TransitionRecord:
    """The TransitionRecord of a record's first status (from no state), written after the record is saved."""
    return TransitionRecord.objects.create(
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=str(obj.pk),
        workflow=workflow.name or obj._meta.label_lower,
        action=action,
        from_status="",
        to_status=obj.status,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        effective_on=effective_on,
        note=(note or "").strip(),
    )


def _check_guards(transition: Transition, locked, guard_context) -> None:
    for guard in transition.guards:
        problem = guard(locked, guard_context)
        if not problem:
            continue
        if isinstance(problem, tuple):
            field_name, message = problem
            raise field_error(field_name, message, code="guard_failed")
        raise ConflictError(problem, code="guard_failed")


def check_step(
    locked: models.Model,
    workflow: Workflow,
    action: str,
    *,
    actor,
    expected_version=None,
    permission: str | None = None,
    authorize: Callable | None = None,
    role: str | None = None,
) -> Transition:
    """The checks of `run_transition` on a row the caller has locked, for a service that does the step's work
    (documents, dated steps) before it moves the status: scope (`permission` or `authorize`; the owner passes
    when the workflow names an `owner_field`), version, source state and role."""
    is_owner = bool(
        workflow.owner_field
        and getattr(actor, "pk", None) is not None
        and getattr(locked, f"{workflow.owner_field}_id") == actor.pk
    )
    if not is_owner:
        if authorize is not None:
            authorize(locked)
        elif permission is not None and not _policy.can(actor, permission, locked):
            raise PermissionDeniedError(_policy.refusal(actor, permission, type(locked)))
    refuse_stale(locked, expected_version)
    role = role if role is not None else _policy.role_of(actor)
    return workflow.check(action, state=locked.status, role=role, owner=is_owner)


def run_transition(
    obj: models.Model,
    workflow: Workflow,
    action: str,
    *,
    actor,
    expected_version=None,
    permission: str | None = None,
    authorize: Callable | None = None,
    role: str | None = None,
    guard_context=None,
    note: str | Callable = "",
    effective_on: datetime.date | None = None,
    validate: Callable | None = None,
    apply: Callable | None = None,
    after: Callable | None = None,
    on_commit: Callable | None = None,
    message: str | Callable | None = None,
    history_action: str | None = None,
    change_fields: tuple[str, ...] | None = None,
    update_fields: Iterable[str] | None = None,
    queryset: models.QuerySet | None = None,
    out_of_scope: str = "",
    lock: bool = True,
):
    """Move `obj` along `workflow` by `action`, in the caller's transaction; return the locked, saved record.

    In order: lock the row (`queryset` narrows or joins the lock; a row outside it is refused with
    `out_of_scope`); check the actor may act on it (the policy
    `permission`, or the caller's `authorize(locked)`, which raises; the row's owner passes when the workflow
    names an `owner_field`); refuse a stale `expected_version` (409; MISSING_VERSION: 428); check the source
    state and the role; `validate(locked, transition)` checks the input the step takes; run the guards with
    `guard_context` (a message: 409; a (field, message): 422); `apply(locked, transition)` sets the other
    fields the step changes; set the status and the version and save; `after(locked, transition, from_status)`
    writes what belongs to the app (a dated legal act, a timeline line); write one TransitionRecord and the
    change record (`note` and `message` may be functions of the record and the transition, for what the step
    itself works out); queue `on_commit(locked)` for after the commit.
    """
    model = type(obj)
    if lock:
        rows = queryset if queryset is not None else model._default_manager
        locked = rows.select_for_update().filter(pk=obj.pk).first()
        if locked is None:  # outside the scope `queryset` was narrowed to, or deleted meanwhile
            raise PermissionDeniedError(out_of_scope or _("You may not do this."))
    else:  # the caller locked it and checked the step (`check_step`) before the work the step does
        locked = obj
    transition = check_step(
        locked,
        workflow,
        action,
        actor=actor,
        expected_version=expected_version,
        permission=permission,
        authorize=authorize,
        role=role,
    )
    if validate is not None:
        validate(locked, transition)
    _check_guards(transition, locked, guard_context)
    before = snapshot(locked)
    from_status = locked.status
    if apply is not None:
        apply(locked, transition)
    locked.status = transition.target
    versioned = has_field(locked, "version")
    if versioned:
        locked.version += 1
    if update_fields is not None:
        fields = {"status", *update_fields}
        if versioned:
            fields.add("version")
        if has_field(locked, "updated_at"):
            fields.add("updated_at")
        locked.save(update_fields=sorted(fields))
    else:
        locked.save()
    if after is not None:
        after(locked, transition, from_status)
    actor_user = actor if getattr(actor, "is_authenticated", False) else None
    if callable(note):
        note = note(locked, transition)
    note = (note or "").strip()
    TransitionRecord.objects.create(
        content_type=ContentType.objects.get_for_model(model),
        object_id=str(locked.pk),
        workflow=workflow.name or model._meta.label_lower,
        action=action,
        from_status=from_status,
        to_status=transition.target,
        actor=actor_user,
        effective_on=effective_on,
        note=note,
    )
    if callable(message):
        message = message(locked, transition)
    if message is None:
        message = f"{transition.label}: {note}" if note else str(transition.label)
    after_snapshot = snapshot(locked)
    if change_fields is not None:
        before = {k: before[k] for k in change_fields}
        after_snapshot = {k: after_snapshot[k] for k in change_fields}
    record_change(
        actor=actor,
        obj=locked,
        action=history_action or ChangeAction.TRANSITION,
        before=before,
        after=after_snapshot,
        message=message,
    )
    if on_commit is not None:
        transaction.on_commit(lambda: on_commit(locked))
    return locked
