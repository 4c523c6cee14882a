"""Scope rules of obstacles (ccn.accounts.policy). Obstacles are never public. Province editors and approvers
manage their province's obstacles; a commune officer sees and acts on (actions, notes, start, resolve) the
obstacles of clusters in their communes, assigned to their commune's agency or to an agency they belong to; an
investor raises and sees obstacles on its own clusters; the ministry reads all. Agencies, review meetings and
dialogue conferences are the province's: its officers keep them, the ministry reads them (a meeting pack lists
every agency's items, so commune officers and investors do not see meetings or conferences)."""

from ccn.accounts.choices import Role
from ccn.accounts.policy import (
    ADD,
    CHANGE,
    COMMUNE,
    OFFICERS,
    OWNER,
    PROVINCE,
    PROVINCE_OFFICERS,
    SIGNED_IN,
    VIEW,
    Rule,
)

from .models import (
    Agency,
    AgencyMember,
    DialogueConference,
    Notification,
    Obstacle,
    ObstacleAction,
    ObstacleEvent,
    ObstacleNote,
    Recommendation,
    ReviewMeeting,
)

ACT = "act"  # record actions and notes, attach files, start work, mark resolved
FOLLOWERS = (*OFFICERS, Role.INVESTOR)


def _obstacle_rule(model, actions: dict, prefix: str = "") -> Rule:
    return Rule(
        model,
        actions={VIEW: FOLLOWERS, **actions},
        province=(f"{prefix}cluster__province",),
        commune=(f"{prefix}cluster__communes", f"{prefix}agency__commune"),
        investor=(f"{prefix}cluster__investor",),
        owner=(f"{prefix}agency__memberships__user",),
        reach_of={Role.COMMUNE_OFFICER: (COMMUNE, OWNER)},
    )


def _province_rule(model, path: str = "province", viewers=PROVINCE_OFFICERS) -> Rule:
    return Rule(
        model,
        actions={VIEW: viewers, ADD: PROVINCE_OFFICERS, CHANGE: PROVINCE_OFFICERS},
        province=(path,),
        reach_of={Role.COMMUNE_OFFICER: PROVINCE},
    )


RULES = [
    _obstacle_rule(Obstacle, {ADD: FOLLOWERS, CHANGE: PROVINCE_OFFICERS, ACT: OFFICERS}),
    *(_obstacle_rule(model, {ADD: OFFICERS}, "obstacle__") for model in (ObstacleAction, ObstacleNote, ObstacleEvent)),
    _province_rule(Agency, viewers=OFFICERS),
    _province_rule(AgencyMember, "agency__province", viewers=OFFICERS),
    _province_rule(ReviewMeeting),
    _province_rule(DialogueConference),
    _province_rule(Recommendation, "conference__province"),
    # A notification is its recipient's.
    Rule(
        Notification,
        actions={VIEW: SIGNED_IN},
        owner=("user",),
        nationwide=(),
        reach_of=dict.fromkeys(SIGNED_IN, OWNER),
    ),
]

# Photos, minutes and letters about an obstacle go to the attachment store (ccn/attachments): an officer who may act
# on it may attach them.
ATTACHABLE = {Obstacle: (ACT,)}
