"""Pages of the obstacles app, one module per part: the register and one obstacle with its actions, notes and files,
the overview of overdue and ageing items, a user's queue; agencies; review meetings with their pack (page, XLSX,
PDF) and dialogue conferences. Views parse input, call a service or selector and render."""

from .agencies import (
    agency_detail,
    agency_edit,
    agency_list,
)
from .common import (
    PAGE_SIZE,
)
from .obstacles import (
    ObstacleList,
    action_add,
    action_step,
    attachment_add,
    attachment_file,
    note_add,
    obstacle_create,
    obstacle_detail,
    obstacle_edit,
    obstacle_list,
    obstacle_transition,
    overview,
    queue,
)
from .reviews import (
    conference_detail,
    conference_list,
    meeting_detail,
    meeting_list,
    meeting_pdf,
    meeting_xlsx,
    recommendation_act,
)

__all__ = [
    "ObstacleList",
    "PAGE_SIZE",
    "action_add",
    "action_step",
    "agency_detail",
    "agency_edit",
    "agency_list",
    "attachment_add",
    "attachment_file",
    "conference_detail",
    "conference_list",
    "meeting_detail",
    "meeting_list",
    "meeting_pdf",
    "meeting_xlsx",
    "note_add",
    "obstacle_create",
    "obstacle_detail",
    "obstacle_edit",
    "obstacle_list",
    "obstacle_transition",
    "overview",
    "queue",
    "recommendation_act",
]
