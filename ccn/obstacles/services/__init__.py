"""Writes of the obstacles app, one module per part: the obstacle itself, its follow-up (actions, notes, files),
the agencies that remove obstacles, and the review meetings and dialogue conferences. Each service runs in one
transaction, checks permission and input, records the change history and the obstacle's timeline, and queues
e-mail only after the transaction commits."""

from .agencies import (
    agency_create,
    agency_member_add,
    agency_member_remove,
    agency_update,
)
from .follow_up import (
    action_add,
    action_transition,
    attachment_add,
    note_add,
)
from .obstacles import (
    OBSTACLE_FIELDS,
    obstacle_create,
    obstacle_transition,
    obstacle_update,
)
from .reviews import (
    conference_create,
    meeting_create,
    meeting_update,
    recommendation_add,
    recommendation_answer,
    recommendation_to_obstacle,
)

__all__ = [
    "OBSTACLE_FIELDS",
    "action_add",
    "action_transition",
    "agency_create",
    "agency_member_add",
    "agency_member_remove",
    "agency_update",
    "attachment_add",
    "conference_create",
    "meeting_create",
    "meeting_update",
    "note_add",
    "obstacle_create",
    "obstacle_transition",
    "obstacle_update",
    "recommendation_add",
    "recommendation_answer",
    "recommendation_to_obstacle",
]
