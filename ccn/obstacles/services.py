"""Writes of the obstacles app. Each service runs in one transaction, checks permission and input, records the
change history and the obstacle's timeline, and queues e-mail only after the transaction commits."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ccn.accounts import policy
from ccn.attachments import services as attachment_services
from ccn.attachments.models import Attachment, Kind
from ccn.core.errors import ConflictError, PermissionDeniedError, ValidationFailed
from ccn.core.history import record_change, refuse_stale, snapshot
from ccn.core.models import ChangeAction
from ccn.core.services import actor_or_none, full_clean_or_fail
from ccn.core.transitions import run_transition

from . import access, notifications
from .choices import ActionStatus, AgencyKind, Category, EventKind, ObstacleStatus
from .models import (
    Agency,
    AgencyMember,
    DialogueConference,
    Obstacle,
    ObstacleAction,
    ObstacleEvent,
    ObstacleNote,
    Recommendation,
    ReviewMeeting,
)
from .policy import ACT
from .workflow import ACTION_WORKFLOW, OBSTACLE_WORKFLOW, RECOMMENDATION_WORKFLOW

OBSTACLE_FIELDS = ("category", "description", "agency", "deadline", "tenant_project")


def _fail(field: str, message: str, code: str | None = None) -> ValidationFailed:
    return ValidationFailed(message, field_errors={field: [message]}, code=code)


_user = actor_or_none


def _event(obstacle, kind, *, actor, summary="", from_status="", to_status="") -> ObstacleEvent:
    return ObstacleEvent.objects.create(
        obstacle=obstacle,
        kind=kind,
        at=timezone.now(),
        actor=_user(actor),
        summary=summary[:500],
        from_status=from_status,
        to_status=to_status,
    )


_full_clean = full_clean_or_fail


# Agencies ---------------------------------------------------------------------------------------------------------


def _check_agency_commune(agency: Agency):
    if agency.commune_id and agency.commune.province_id != agency.province_id:
        raise _fail(
            "commune",
            _("The commune %(commune)s is not in %(province)s.")
            % {"commune": agency.commune.name, "province": agency.province.name},
        )


@transaction.atomic
def agency_create(*, actor, province, name: str, kind: str = AgencyKind.DEPARTMENT, **data) -> Agency:
    if not access.can_manage_province(actor, province.pk):
        raise PermissionDeniedError(policy.refusal(actor, policy.ADD, Agency))
    unknown = set(data) - {"short_name", "commune", "email", "is_active"}
    if unknown:
        raise ValidationFailed(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    agency = Agency(province=province, name=(name or "").strip(), kind=kind, **data)
    _check_agency_commune(agency)
    _full_clean(agency)
    agency.save()
    record_change(actor=actor, obj=agency, action=ChangeAction.CREATE, after=snapshot(agency))
    return agency


@transaction.atomic
def agency_update(*, actor, agency: Agency, data: dict) -> Agency:
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    if not access.can_manage_province(actor, agency.province_id):
        raise PermissionDeniedError(_("You may not edit this agency."))
    unknown = set(data) - {"name", "short_name", "kind", "commune", "email", "is_active"}
    if unknown:
        raise ValidationFailed(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    before = snapshot(agency)
    for key, value in data.items():
        setattr(agency, key, value)
    _check_agency_commune(agency)
    _full_clean(agency)
    agency.save()
    record_change(actor=actor, obj=agency, action=ChangeAction.UPDATE, before=before, after=snapshot(agency))
    return agency


@transaction.atomic
def agency_member_add(*, actor, agency: Agency, user) -> AgencyMember:
    if not access.can_manage_province(actor, agency.province_id):
        raise PermissionDeniedError(_("You may not change the members of this agency."))
    if not policy.can(user, policy.VIEW, agency):  # a member sees the agency's province (ccn/obstacles/policy.py)
        if user.organisation_id:
            raise _fail("user", _("An investor's or a tenant's account cannot act for a public agency."))
        raise _fail("user", _("%(user)s works in another province.") % {"user": user.username})
    member, created = AgencyMember.objects.get_or_create(agency=agency, user=user)
    if created:
        record_change(
            actor=actor,
            obj=agency,
            action=ChangeAction.UPDATE,
            message=_("Member added: %(user)s") % {"user": user.username},
        )
    return member


@transaction.atomic
def agency_member_remove(*, actor, agency: Agency, user) -> None:
    if not access.can_manage_province(actor, agency.province_id):
        raise PermissionDeniedError(_("You may not change the members of this agency."))
    if ObstacleAction.objects.filter(
        obstacle__agency=agency, owner=user, status__in=(ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
    ).exists():
        raise ConflictError(
            _("%(user)s still owns open actions of this agency; give them to another member first.")
            % {"user": user.username}
        )
    deleted, _n = AgencyMember.objects.filter(agency=agency, user=user).delete()
    if deleted:
        record_change(
            actor=actor,
            obj=agency,
            action=ChangeAction.UPDATE,
            message=_("Member removed: %(user)s") % {"user": user.username},
        )


# Obstacles --------------------------------------------------------------------------------------------------------


def _validate_obstacle_refs(*, cluster, agency, tenant_project, category):
    errors: dict[str, list[str]] = {}
    if agency is None:
        errors["agency"] = [_("Choose the agency responsible for removing the obstacle.")]
    elif agency.province_id != cluster.province_id:
        errors["agency"] = [
            _("%(agency)s is an agency of another province; choose one of %(province)s.")
            % {"agency": agency.name, "province": cluster.province.name}
        ]
    elif not agency.is_active:
        errors["agency"] = [_("%(agency)s is no longer active.") % {"agency": agency.name}]
    if tenant_project is not None and tenant_project.cluster_id != cluster.pk:
        errors["tenant_project"] = [_("This tenant project is in another cluster.")]
    if category not in Category.values:
        errors["category"] = [_("Choose a category from the list.")]
    return errors


@transaction.atomic
def obstacle_create(
    *, actor, cluster, category, description, agency, deadline, tenant_project=None, source=""
) -> Obstacle:
    """Raise an obstacle on a cluster (or one of its tenant projects) and assign it to an agency with a deadline.
    The agency's members are told by e-mail once the transaction commits."""
    if not access.can_raise(actor, cluster):
        raise PermissionDeniedError(policy.refusal(actor, policy.ADD, Obstacle))
    today = timezone.localdate()
    errors = _validate_obstacle_refs(cluster=cluster, agency=agency, tenant_project=tenant_project, category=category)
    if not (description or "").strip():
        errors["description"] = [_("Describe the obstacle.")]
    if deadline is None:
        errors["deadline"] = [_("Give a deadline for removing the obstacle.")]
    elif deadline < today:
        errors["deadline"] = [
            _("The deadline %(day)s is in the past; give today or a later date.")
            % {"day": deadline.strftime("%d/%m/%Y")}
        ]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], field_errors=errors)
    obstacle = Obstacle(
        cluster=cluster,
        tenant_project=tenant_project,
        category=category,
        description=description.strip(),
        raised_by=_user(actor),
        raised_on=today,
        agency=agency,
        deadline=deadline,
        source=(source or "")[:100],
        updated_by=_user(actor),
        status_since=timezone.now(),
    )
    _full_clean(obstacle)
    obstacle.save()
    _event(
        obstacle,
        EventKind.RAISED,
        actor=actor,
        to_status=ObstacleStatus.OPEN,
        summary=_("Raised and assigned to %(agency)s, deadline %(deadline)s")
        % {"agency": agency.name, "deadline": deadline.strftime("%d/%m/%Y")},
    )
    record_change(actor=actor, obj=obstacle, action=ChangeAction.CREATE, after=snapshot(obstacle))
    notifications.notify_assignment(obstacle)
    return obstacle


def _lock(obstacle) -> Obstacle:
    return Obstacle.objects.select_for_update().select_related("cluster__province", "agency").get(pk=obstacle.pk)


@transaction.atomic
def obstacle_update(*, actor, obstacle: Obstacle, data: dict, expected_version: int | None = None) -> Obstacle:
    """Edit category, description, responsible agency, deadline or tenant project (province managers only)."""
    locked = _lock(obstacle)
    if not access.can_manage(actor, locked):
        raise PermissionDeniedError(
            _("Only the province's editors and approvers may edit this obstacle; you may record actions and notes.")
            if access.can_act(actor, locked)
            else _("You may not edit this obstacle.")
        )
    refuse_stale(locked, expected_version)
    unknown = set(data) - set(OBSTACLE_FIELDS)
    if unknown:
        raise ValidationFailed(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    if locked.status == ObstacleStatus.CLOSED:
        raise ConflictError(_("A closed obstacle cannot be edited."), code="closed")
    before = snapshot(locked)
    old_agency, old_deadline = locked.agency, locked.deadline
    new = {f: data.get(f, getattr(locked, f)) for f in OBSTACLE_FIELDS}
    errors = _validate_obstacle_refs(
        cluster=locked.cluster, agency=new["agency"], tenant_project=new["tenant_project"], category=new["category"]
    )
    if not (new["description"] or "").strip():
        errors["description"] = [_("Describe the obstacle.")]
    if new["deadline"] is None:
        errors["deadline"] = [_("Give a deadline for removing the obstacle.")]
    elif new["deadline"] != old_deadline and new["deadline"] < timezone.localdate():
        errors["deadline"] = [_("A new deadline cannot be in the past.")]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], field_errors=errors)
    for key, value in data.items():
        setattr(locked, key, value)
    locked.description = locked.description.strip()
    if snapshot(locked) == before:
        return locked  # nothing changed: no new version, no history
    locked.version += 1
    locked.updated_by = _user(actor)
    _full_clean(locked)
    locked.save()
    after = snapshot(locked)
    if locked.agency_id != old_agency.pk:
        _event(
            locked,
            EventKind.REASSIGNED,
            actor=actor,
            summary=_("Reassigned from %(old)s to %(new)s") % {"old": old_agency.name, "new": locked.agency.name},
        )
        notifications.notify_assignment(locked)
    if locked.deadline != old_deadline:
        _event(
            locked,
            EventKind.DEADLINE,
            actor=actor,
            summary=_("Deadline moved from %(old)s to %(new)s")
            % {"old": old_deadline.strftime("%d/%m/%Y"), "new": locked.deadline.strftime("%d/%m/%Y")},
        )
    if any(before.get(f) != after.get(f) for f in ("category", "description", "tenant_project")):
        _event(locked, EventKind.EDITED, actor=actor, summary=_("Description or category edited"))
    record_change(actor=actor, obj=locked, action=ChangeAction.UPDATE, before=before, after=after)
    return locked


@transaction.atomic
def obstacle_transition(
    *,
    actor,
    obstacle: Obstacle,
    action: str,
    comment: str = "",
    resolution_note: str = "",
    expected_version: int | None = None,
) -> Obstacle:
    """Move an obstacle through its states (workflow.OBSTACLE_WORKFLOW) with the transition engine."""
    comment, resolution_note = (comment or "").strip(), (resolution_note or "").strip()
    said = comment or resolution_note

    def summary(transition) -> str:
        return f"{transition.label}: {said}" if said else str(transition.label)

    def authorize(locked):
        if not access.can_act(actor, locked):
            raise PermissionDeniedError(_("You may not change the state of this obstacle."))

    def apply(locked, transition):
        locked.status_since = timezone.now()
        if resolution_note:
            locked.resolution_note = resolution_note
        if transition.target == ObstacleStatus.RESOLVED:
            locked.resolved_on = timezone.localdate()
        elif transition.target == ObstacleStatus.IN_PROGRESS and locked.status == ObstacleStatus.RESOLVED:
            locked.resolved_on = None
        locked.updated_by = _user(actor)

    def timeline(locked, transition, old):
        _event(
            locked,
            EventKind.STATUS,
            actor=actor,
            from_status=old,
            to_status=transition.target,
            summary=summary(transition),
        )

    return run_transition(
        obstacle,
        OBSTACLE_WORKFLOW,
        action,
        actor=actor,
        expected_version=expected_version,
        authorize=authorize,
        guard_context={"comment": comment, "resolution_note": resolution_note},
        note=said,
        apply=apply,
        after=timeline,
        message=lambda locked, transition: summary(transition),
        queryset=Obstacle.objects.select_related("cluster__province", "agency"),
    )


def _check_can_act(actor, obstacle, message: str):
    if access.can_act(actor, obstacle):
        return
    if policy.may(actor, ACT, Obstacle):
        raise PermissionDeniedError(policy.refusal(actor, ACT, Obstacle))
    raise PermissionDeniedError(message)


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
        raise ValidationFailed(next(iter(errors.values()))[0], field_errors=errors)
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
        raise _fail("text", _("Write the note."))
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


# Review meetings -----------------------------------------------------------------------------------------------


@transaction.atomic
def meeting_create(*, actor, province, held_on: datetime.date, title: str, chair: str = "", minutes: str = ""):
    if not access.can_manage_province(actor, province.pk):
        raise PermissionDeniedError(policy.refusal(actor, policy.ADD, ReviewMeeting))
    if held_on is None:
        raise _fail("held_on", _("Give the date of the meeting."))
    meeting = ReviewMeeting(
        province=province,
        held_on=held_on,
        title=(title or "").strip(),
        chair=chair,
        minutes=minutes,
        created_by=_user(actor),
    )
    _full_clean(meeting)
    try:
        with transaction.atomic():
            meeting.save()
    except IntegrityError:
        raise _fail("held_on", _("This province already has a review meeting on that date."))
    record_change(actor=actor, obj=meeting, action=ChangeAction.CREATE, after=snapshot(meeting))
    return meeting


@transaction.atomic
def meeting_update(*, actor, meeting: ReviewMeeting, data: dict) -> ReviewMeeting:
    meeting = ReviewMeeting.objects.select_for_update().get(pk=meeting.pk)
    if not access.can_manage_province(actor, meeting.province_id):
        raise PermissionDeniedError(_("You may not edit this review meeting."))
    unknown = set(data) - {"held_on", "title", "chair", "minutes"}
    if unknown:
        raise ValidationFailed(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    before = snapshot(meeting)
    for key, value in data.items():
        setattr(meeting, key, value)
    _full_clean(meeting)
    meeting.save()
    record_change(actor=actor, obj=meeting, action=ChangeAction.UPDATE, before=before, after=snapshot(meeting))
    return meeting


# Dialogue conferences ------------------------------------------------------------------------------------------


@transaction.atomic
def conference_create(
    *, actor, province, held_on: datetime.date, title: str, participants: str, venue: str = ""
) -> DialogueConference:
    if not access.can_manage_province(actor, province.pk):
        raise PermissionDeniedError(policy.refusal(actor, policy.ADD, DialogueConference))
    if held_on and held_on > timezone.localdate() + datetime.timedelta(days=366):
        raise _fail("held_on", _("The date is more than a year ahead."))
    conf = DialogueConference(
        province=province,
        held_on=held_on,
        title=(title or "").strip(),
        participants=(participants or "").strip(),
        venue=venue,
        created_by=_user(actor),
    )
    _full_clean(conf)
    conf.save()
    record_change(actor=actor, obj=conf, action=ChangeAction.CREATE, after=snapshot(conf))
    return conf


@transaction.atomic
def recommendation_add(
    *, actor, conference: DialogueConference, business_name: str, content: str, organisation=None, cluster=None
) -> Recommendation:
    if not access.can_manage_province(actor, conference.province_id):
        raise PermissionDeniedError(_("You may not record recommendations of this conference."))
    if cluster is not None and cluster.province_id != conference.province_id:
        raise _fail("cluster", _("The cluster is in another province."))
    if organisation is not None and not (business_name or "").strip():
        business_name = organisation.name
    rec = Recommendation(
        conference=conference,
        business_name=(business_name or "").strip(),
        organisation=organisation,
        cluster=cluster,
        content=(content or "").strip(),
    )
    _full_clean(rec)
    rec.save()
    record_change(actor=actor, obj=rec, action=ChangeAction.CREATE, after=snapshot(rec))
    return rec


@transaction.atomic
def _recommendation_step(recommendation, step: str, *, actor, refusal: str, apply) -> Recommendation:
    def authorize(locked):
        if not access.can_manage_province(actor, locked.conference.province_id):
            raise PermissionDeniedError(refusal)

    return run_transition(
        recommendation,
        RECOMMENDATION_WORKFLOW,
        step,
        actor=actor,
        authorize=authorize,
        apply=apply,
        message="",
        queryset=Recommendation.objects.select_related("conference"),
    )


@transaction.atomic
def recommendation_answer(*, actor, recommendation: Recommendation, answer: str) -> Recommendation:
    """Record the answer given to a business's recommendation."""
    answer = (answer or "").strip()

    def apply(rec, transition):
        if not answer:
            raise _fail("answer", _("Write the answer given to the business."))
        rec.answer = answer
        rec.answered_by = _user(actor)
        rec.answered_on = timezone.localdate()

    refusal = _("You may not answer recommendations of this conference.")
    return _recommendation_step(recommendation, "answer", actor=actor, refusal=refusal, apply=apply)


@transaction.atomic
def recommendation_to_obstacle(
    *, actor, recommendation: Recommendation, category: str, agency, deadline, cluster=None, answer: str = ""
) -> Obstacle:
    """Turn a recommendation into an obstacle followed up like any other; the recommendation links to it."""

    def apply(rec, transition):
        chosen = cluster or rec.cluster
        if chosen is None:
            raise _fail("cluster", _("Choose the cluster the obstacle concerns."))
        if chosen.province_id != rec.conference.province_id:
            raise _fail("cluster", _("The cluster is in another province."))
        rec.obstacle = obstacle_create(
            actor=actor,
            cluster=chosen,
            category=category,
            description=rec.content,
            agency=agency,
            deadline=deadline,
            source=f"dialogue:{rec.conference_id}",
        )
        rec.cluster = chosen
        if (answer or "").strip():
            rec.answer = answer.strip()
        rec.answered_by = _user(actor)
        rec.answered_on = timezone.localdate()

    refusal = _("You may not act on recommendations of this conference.")
    return _recommendation_step(recommendation, "to_obstacle", actor=actor, refusal=refusal, apply=apply).obstacle
