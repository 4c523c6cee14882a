"""The states of an obstacle, of an action and of a conference recommendation: which action moves which state to
which, by which roles, under which guards. docs/obstacles.md holds the same table; a test checks they agree."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ccn.accounts.choices import Role
from ccn.core.transitions import Transition, Workflow

from .choices import ActionStatus as A
from .choices import ObstacleStatus as S
from .choices import RecommendationStatus as R

MANAGERS = (Role.ADMIN, Role.PROVINCE_EDITOR, Role.PROVINCE_APPROVER)
ACTORS = (*MANAGERS, Role.COMMUNE_OFFICER)


def guard_comment(obstacle, data: dict) -> tuple[str, str] | None:
    """An escalation or a reopening says why."""
    if not (data.get("comment") or "").strip():
        return "comment", _("Say why (comment).")
    return None


def guard_resolution_note(obstacle, data: dict) -> tuple[str, str] | None:
    """Resolving or closing needs a resolution note: given now or recorded when it was resolved."""
    if not ((data.get("resolution_note") or "").strip() or obstacle.resolution_note.strip()):
        return "resolution_note", _("Write a resolution note: how the obstacle was removed.")
    return None


OBSTACLE_ACTIONS = [
    Transition("start", (S.OPEN,), S.IN_PROGRESS, ACTORS, gettext_lazy("Start work")),
    Transition(
        "escalate",
        (S.OPEN, S.IN_PROGRESS),
        S.ESCALATED,
        MANAGERS,
        gettext_lazy("Escalate to the People's Committee"),
        guards=(guard_comment,),
    ),
    Transition(
        "resolve",
        (S.OPEN, S.IN_PROGRESS, S.ESCALATED),
        S.RESOLVED,
        ACTORS,
        gettext_lazy("Mark resolved"),
        guards=(guard_resolution_note,),
    ),
    Transition("reopen", (S.RESOLVED,), S.IN_PROGRESS, MANAGERS, gettext_lazy("Reopen"), guards=(guard_comment,)),
    Transition("close", (S.RESOLVED,), S.CLOSED, MANAGERS, gettext_lazy("Close"), guards=(guard_resolution_note,)),
]

OBSTACLE_WORKFLOW = Workflow(OBSTACLE_ACTIONS, state_labels=dict(S.choices), name="obstacle", initial=(S.OPEN,))

# Actions (steps taken by an agency). The owner may take the steps marked `owner_may` on their own action, whatever
# their role.
ACTION_STEPS = [
    Transition("start", (A.OPEN,), A.IN_PROGRESS, ACTORS, gettext_lazy("Start"), owner_may=True),
    Transition("complete", (A.OPEN, A.IN_PROGRESS), A.DONE, ACTORS, gettext_lazy("Done"), owner_may=True),
    Transition("cancel", (A.OPEN, A.IN_PROGRESS), A.CANCELLED, ACTORS, gettext_lazy("Cancel"), owner_may=True),
    Transition("reopen", (A.DONE, A.CANCELLED), A.OPEN, MANAGERS, gettext_lazy("Reopen")),
]

ACTION_WORKFLOW = Workflow(
    ACTION_STEPS, state_labels=dict(A.choices), name="obstacle_action", owner_field="owner", initial=(A.OPEN,)
)

RECOMMENDATION_STEPS = [
    Transition("answer", (R.PENDING, R.ANSWERED), R.ANSWERED, MANAGERS, gettext_lazy("Record the answer")),
    Transition("to_obstacle", (R.PENDING,), R.OBSTACLE, MANAGERS, gettext_lazy("Turn into an obstacle")),
]

RECOMMENDATION_WORKFLOW = Workflow(
    RECOMMENDATION_STEPS, state_labels=dict(R.choices), name="recommendation", initial=(R.PENDING,)
)
