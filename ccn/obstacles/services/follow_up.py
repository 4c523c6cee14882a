"""Writes of the follow-up of an obstacle: the actions its agency takes (with their workflow), notes and files."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ccn.attachments import services as attachment_services
from ccn.attachments.models import Attachment, Kind
from ccn.core.errors import ConflictError, field_error, fields_error
from ccn.core.history import record_change, snapshot
from ccn.core.models import ChangeAction
from ccn.core.transitions import run_transition

from .. import notifications
from ..choices import ActionStatus, EventKind, ObstacleStatus
from ..models import AgencyMember, Obstacle, ObstacleAction, ObstacleNote
from ..workflow import ACTION_WORKFLOW
from .common import _check_can_act, _event, _full_clean, _lock, _user


@transaction.atomic
def action_add(*, actor, obstacle: Obstacle, description: str, owner, due_on: datetime.date) -> ObstacleAction:
    """Record an action an agency will take, owned by a member of the responsible agency."""
    locked = _lock(obstacle)
    _check_can_act(actor, locked, _("You may not record actions on this obstacle."))
    if locked.status == ObstacleStatus.CLOSED:
        raise ConflictError(_("The obstacle is closed; no more actions can be recorded."), code="closed")
    errors: dict[str, list[str]] = {}
    if not (description or "").strip():
        errors["description"] = [_("Describe the action.")]
    if owner is None:
        errors["owner"] = [_("Choose who owns the action.")]
    elif not AgencyMember.objects.filter(agency=locked.agency, user=owner).exists():
        errors["owner"] = [
            _("%(user)s is not a member of %(agency)s, the agency responsible; choose one of its members.")
            % {"user": owner.get_full_name() or owner.username, "agency": locked.agency.name}
        ]
    if due_on is None:
        errors["due_on"] = [_("Give the date the action is due.")]
    elif due_on < timezone.localdate():
        errors["due_on"] = [_("The due date cannot be in the past.")]
    if errors:
        raise fields_error(errors)
    action = ObstacleAction(
        obstacle=locked, description=description.strip(), owner=owner, due_on=due_on, created_by=_user(actor)
    )
    _full_clean(action)
    action.save()
    _event(
        locked,
        EventKind.ACTION_ADDED,
        actor=actor,
        summary=_("Action by %(owner)s, due %(due)s: %(text)s")
        % {"owner": owner.get_full_name() or owner.username, "due": due_on.strftime("%d/%m/%Y"), "text": action},
    )
    record_change(actor=actor, obj=action, action=ChangeAction.CREATE, after=snapshot(action))
    notifications.notify_action_owner(action)
    return action


@transaction.atomic
def action_transition(
    *, actor, action: ObstacleAction, step: str, outcome: str = "", expected_version: int | None = None
) -> ObstacleAction:
    """Move an action through its states (workflow.ACTION_WORKFLOW) with the transition engine. Its owner may
    take the steps the table lets an owner take, whatever their role; reopening stays with the province's
    managers."""
    outcome = (outcome or "").strip()

    def authorize(locked):
        _check_can_act(actor, locked.obstacle, _("You may not update the actions of this obstacle."))

    def apply(locked, transition):
        if locked.obstacle.status == ObstacleStatus.CLOSED:
            raise ConflictError(_("The obstacle is closed; its actions cannot change."), code="closed")
        locked.done_on = timezone.localdate() if transition.target == ActionStatus.DONE else None
        if outcome:
            locked.outcome = outcome

    def timeline(locked, transition, old):
        _event(
            locked.obstacle,
            EventKind.ACTION_STATUS,
            actor=actor,
            summary=_("Action “%(text)s”: %(old)s → %(new)s")
            % {"text": locked, "old": ActionStatus(old).label, "new": ActionStatus(transition.target).label}
            + (f" — {locked.outcome}" if outcome else ""),
        )

    return run_transition(
        action,
        ACTION_WORKFLOW,
        step,
        actor=actor,
        expected_version=expected_version,
        authorize=authorize,
        note=outcome,
        apply=apply,
        after=timeline,
        message=step,
        queryset=ObstacleAction.objects.select_related("obstacle__cluster", "obstacle__agency"),
    )


@transaction.atomic
def note_add(*, actor, obstacle: Obstacle, text: str) -> ObstacleNote:
    locked = _lock(obstacle)
    _check_can_act(actor, locked, _("You may not add notes to this obstacle."))
    if not (text or "").strip():
        raise field_error("text", _("Write the note."))
    note = ObstacleNote.objects.create(obstacle=locked, author=_user(actor), text=text.strip())
    _event(locked, EventKind.NOTE, actor=actor, summary=note.text)
    record_change(actor=actor, obj=note, action=ChangeAction.CREATE, after=snapshot(note))
    return note


@transaction.atomic
def attachment_add(*, actor, obstacle: Obstacle, file, description: str = "") -> Attachment:
    """Attach a file to the obstacle, in the attachment store (type by content, size by MAX_UPLOAD_BYTES)."""
    locked = _lock(obstacle)
    _check_can_act(actor, locked, _("You may not attach files to this obstacle."))
    att = attachment_services.attach(
        actor=_user(actor), record=locked, file=file, kind=Kind.OTHER, description=description, checked=True
    )
    _event(locked, EventKind.ATTACHMENT, actor=actor, summary=att.name)
    return att
