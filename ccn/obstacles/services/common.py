"""What the obstacles services share: refusals, the acting user, the obstacle's timeline, its lock, the check of
who may act on it."""

from __future__ import annotations

from django.utils import timezone

from ccn.accounts import policy
from ccn.core.errors import PermissionDeniedError
from ccn.core.services import actor_or_none, full_clean_or_fail

from .. import access
from ..models import Obstacle, ObstacleEvent
from ..policy import ACT

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


def _lock(obstacle) -> Obstacle:
    return Obstacle.objects.select_for_update().select_related("cluster__province", "agency").get(pk=obstacle.pk)


def _check_can_act(actor, obstacle, message: str):
    if access.can_act(actor, obstacle):
        return
    if policy.may(actor, ACT, Obstacle):
        raise PermissionDeniedError(policy.refusal(actor, ACT, Obstacle))
    raise PermissionDeniedError(message)
