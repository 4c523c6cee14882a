"""Writes of the obstacle itself: raised, edited over the version the user read, moved along its workflow."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ccn.accounts import policy
from ccn.core.errors import ConflictError, PermissionDeniedError, fields_error
from ccn.core.history import record_change, snapshot, versioned_update
from ccn.core.models import ChangeAction
from ccn.core.services import refuse_unknown
from ccn.core.transitions import run_transition

from .. import access, notifications
from ..choices import Category, EventKind, ObstacleStatus
from ..models import Obstacle
from ..workflow import OBSTACLE_WORKFLOW
from .common import _event, _full_clean, _user

OBSTACLE_FIELDS = ("category", "description", "agency", "deadline", "tenant_project")


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
        raise fields_error(errors)
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


@transaction.atomic
def obstacle_update(*, actor, obstacle: Obstacle, data: dict, expected_version: int | None = None) -> Obstacle:
    """Edit category, description, responsible agency, deadline or tenant project (province managers only)."""

    def check(locked):
        if not access.can_manage(actor, locked):
            raise PermissionDeniedError(
                _("Only the province's editors and approvers may edit this obstacle; you may record actions and notes.")
                if access.can_act(actor, locked)
                else _("You may not edit this obstacle.")
            )

    old: dict = {}

    def apply(locked):
        refuse_unknown(data, OBSTACLE_FIELDS)
        if locked.status == ObstacleStatus.CLOSED:
            raise ConflictError(_("A closed obstacle cannot be edited."), code="closed")
        old.update(agency=locked.agency, deadline=locked.deadline, state=snapshot(locked))
        new = {f: data.get(f, getattr(locked, f)) for f in OBSTACLE_FIELDS}
        errors = _validate_obstacle_refs(
            cluster=locked.cluster, agency=new["agency"], tenant_project=new["tenant_project"], category=new["category"]
        )
        if not (new["description"] or "").strip():
            errors["description"] = [_("Describe the obstacle.")]
        if new["deadline"] is None:
            errors["deadline"] = [_("Give a deadline for removing the obstacle.")]
        elif new["deadline"] != old["deadline"] and new["deadline"] < timezone.localdate():
            errors["deadline"] = [_("A new deadline cannot be in the past.")]
        if errors:
            raise fields_error(errors)
        for key, value in data.items():
            setattr(locked, key, value)
        locked.description = locked.description.strip()
        _full_clean(locked)

    def after_save(locked):  # the obstacle's own timeline and the new agency's notice
        if locked.agency_id != old["agency"].pk:
            _event(
                locked,
                EventKind.REASSIGNED,
                actor=actor,
                summary=_("Reassigned from %(old)s to %(new)s")
                % {"old": old["agency"].name, "new": locked.agency.name},
            )
            notifications.notify_assignment(locked)
        if locked.deadline != old["deadline"]:
            _event(
                locked,
                EventKind.DEADLINE,
                actor=actor,
                summary=_("Deadline moved from %(old)s to %(new)s")
                % {"old": old["deadline"].strftime("%d/%m/%Y"), "new": locked.deadline.strftime("%d/%m/%Y")},
            )
        after = snapshot(locked)
        if any(old["state"].get(f) != after.get(f) for f in ("category", "description", "tenant_project")):
            _event(locked, EventKind.EDITED, actor=actor, summary=_("Description or category edited"))

    return versioned_update(
        obstacle,
        actor=actor,
        expected_version=expected_version,
        queryset=Obstacle.objects.select_related("cluster__province", "agency"),
        check=check,
        apply=apply,
        skip_unchanged=True,
        after_save=after_save,
    )


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
