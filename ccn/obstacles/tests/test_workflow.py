"""The workflow matrix: every action from every state by every role, through the one transition service; and the
documented table in docs/obstacles.md agrees with workflow.py."""

import re
from pathlib import Path

import pytest
from django.db import transaction

from ccn.core.errors import ConflictError, PermissionDeniedError
from ccn.obstacles import services
from ccn.obstacles.choices import ObstacleStatus
from ccn.obstacles.models import Obstacle
from ccn.obstacles.workflow import ACTION_WORKFLOW, OBSTACLE_WORKFLOW

pytestmark = pytest.mark.django_db

MANAGERS = {"admin", "editor", "approver"}
# Written out by hand from the issue, so a wrong row in workflow.py fails here.
EXPECTED = {
    "start": ({"open"}, "in_progress", MANAGERS | {"commune"}),
    "escalate": ({"open", "in_progress"}, "escalated", MANAGERS),
    "resolve": ({"open", "in_progress", "escalated"}, "resolved", MANAGERS | {"commune"}),
    "reopen": ({"resolved"}, "in_progress", MANAGERS),
    "close": ({"resolved"}, "closed", MANAGERS),
}
ROLES = ["admin", "ministry", "editor", "approver", "other_editor", "commune", "investor", "tenant"]


class _Rollback(Exception):
    pass


def test_transition_matrix(users, raise_obstacle):
    obstacle = raise_obstacle()
    Obstacle.objects.filter(pk=obstacle.pk).update(resolution_note="Đã giải quyết")
    outcomes = {}
    for action in EXPECTED:
        for state in ObstacleStatus.values:
            for role in ROLES:
                try:
                    with transaction.atomic():
                        Obstacle.objects.filter(pk=obstacle.pk).update(status=state)
                        result = services.obstacle_transition(
                            actor=users[role], obstacle=obstacle, action=action, comment="lý do"
                        )
                        outcomes[(action, state, role)] = result.status
                        raise _Rollback
                except _Rollback:
                    pass
                except PermissionDeniedError:
                    outcomes[(action, state, role)] = "denied"
                except ConflictError:
                    outcomes[(action, state, role)] = "wrong_state"
    for (action, state, role), outcome in outcomes.items():
        sources, target, roles = EXPECTED[action]
        if role not in roles:
            expected = {"denied", "wrong_state"} if role in MANAGERS | {"commune"} else {"denied"}
            assert outcome in expected, (action, state, role, outcome)
        elif state not in sources:
            assert outcome == "wrong_state", (action, state, role, outcome)
        else:
            assert outcome == target, (action, state, role, outcome)
    # The Hà Nội editor, the ministry, the investor and the tenant can never change the state.
    for role in ("other_editor", "ministry", "investor", "tenant"):
        assert {v for (a, s, r), v in outcomes.items() if r == role} == {"denied"}


def test_each_change_is_dated_in_the_timeline(users, raise_obstacle):
    obstacle = raise_obstacle()
    services.obstacle_transition(actor=users["editor"], obstacle=obstacle, action="escalate", comment="Quá hạn")
    services.obstacle_transition(actor=users["approver"], obstacle=obstacle, action="resolve", resolution_note="Xong")
    events = list(obstacle.events.filter(kind="status").values_list("from_status", "to_status"))
    assert events == [("open", "escalated"), ("escalated", "resolved")]
    obstacle.refresh_from_db()
    assert obstacle.resolved_on is not None and obstacle.version == 3


def test_escalate_needs_a_reason(users, raise_obstacle):
    from ccn.core.errors import ValidationFailed

    obstacle = raise_obstacle()
    with pytest.raises(ValidationFailed) as exc:
        services.obstacle_transition(actor=users["editor"], obstacle=obstacle, action="escalate")
    assert "comment" in exc.value.field_errors


def test_action_owner_may_update_own_action_whatever_role(users, world, raise_obstacle, today):
    obstacle = raise_obstacle(agency=world["department"])
    action = services.action_add(
        actor=users["editor"], obstacle=obstacle, description="Thẩm định", owner=users["approver"], due_on=today
    )
    services.action_transition(actor=users["approver"], action=action, step="start")
    with pytest.raises(ConflictError):
        services.action_transition(actor=users["approver"], action=action, step="reopen")
    services.action_transition(actor=users["approver"], action=action, step="complete")
    with pytest.raises(PermissionDeniedError):
        services.action_transition(actor=users["ministry"], action=action, step="reopen")
    services.action_transition(actor=users["editor"], action=action, step="reopen")
    action.refresh_from_db()
    assert action.status == "open" and action.done_on is None


def _doc_rows(text: str, heading: str) -> dict:
    section = text.split(heading, 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        m = re.match(r"\|\s*`(\w+)`\s*\|([^|]*)\|([^|]*)\|([^|]*)\|", line)
        if m:
            rows[m.group(1)] = (
                set(re.findall(r"`(\w+)`", m.group(2))),
                re.findall(r"`(\w+)`", m.group(3))[0],
                set(re.findall(r"`(\w+)`", m.group(4))),
            )
    return rows


def test_docs_table_matches_workflow():
    text = (Path(__file__).resolve().parents[3] / "docs" / "obstacles.md").read_text()
    for heading, workflow in (("## Obstacle workflow", OBSTACLE_WORKFLOW), ("## Action workflow", ACTION_WORKFLOW)):
        rows = _doc_rows(text, heading)
        assert set(rows) == set(workflow.transitions), heading
        for name, t in workflow.transitions.items():
            assert rows[name] == (set(t.sources), t.target, set(t.roles)), name
