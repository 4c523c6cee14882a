"""The transition engine (ccn/core/transitions.py) seen through an obstacle's actions: one TransitionRecord and one
change record per step, the owner's steps, the expected version (409 stale, 428 missing), nothing written when a
step is refused, side effects only after the commit."""

import pytest
from django.contrib.contenttypes.models import ContentType

from ccn.core.activity import history_feed
from ccn.core.errors import ConflictError, PermissionDeniedError, PreconditionRequired
from ccn.core.history import MISSING_VERSION, history_for
from ccn.core.models import ChangeAction, TransitionRecord
from ccn.core.transitions import run_transition
from ccn.obstacles import services
from ccn.obstacles.choices import ActionStatus
from ccn.obstacles.models import ObstacleAction
from ccn.obstacles.workflow import ACTION_WORKFLOW

pytestmark = pytest.mark.django_db


def _records(obj):
    ct = ContentType.objects.get_for_model(type(obj))
    return list(
        TransitionRecord.objects.filter(content_type=ct, object_id=str(obj.pk))
        .order_by("at", "id")
        .values_list("workflow", "action", "from_status", "to_status", "actor__username", "note")
    )


@pytest.fixture
def action(users, world, raise_obstacle, today):
    obstacle = raise_obstacle(agency=world["department"])
    return services.action_add(
        actor=users["editor"], obstacle=obstacle, description="Thẩm định", owner=users["approver"], due_on=today
    )


def test_each_step_writes_one_transition_record_and_one_change_record(users, action):
    services.action_transition(actor=users["approver"], action=action, step="start", expected_version=1)
    services.action_transition(actor=users["approver"], action=action, step="complete", outcome=" Xong ")
    action.refresh_from_db()
    assert action.status == "done" and action.version == 3 and action.outcome == "Xong"
    assert _records(action) == [
        ("obstacle_action", "start", "open", "in_progress", "approver", ""),
        ("obstacle_action", "complete", "in_progress", "done", "approver", "Xong"),
    ]
    changes = list(history_for(action).filter(action=ChangeAction.TRANSITION))
    assert len(changes) == 2
    assert changes[0].before["status"] == "in_progress" and changes[0].after["status"] == "done"


def test_a_stale_version_is_refused_with_who_changed_it_and_nothing_is_written(users, action):
    services.action_transition(actor=users["editor"], action=action, step="start", expected_version=1)
    with pytest.raises(ConflictError) as exc:
        services.action_transition(actor=users["approver"], action=action, step="complete", expected_version=1)
    assert exc.value.code == "edit_conflict" and str(exc.value.message).startswith("editor ")
    with pytest.raises(PreconditionRequired):
        services.action_transition(
            actor=users["approver"], action=action, step="complete", expected_version=MISSING_VERSION
        )
    action.refresh_from_db()
    assert action.status == "in_progress" and action.version == 2
    assert [r[1] for r in _records(action)] == ["start"]


def test_the_owner_passes_by_ownership_not_by_role(users, world, raise_obstacle, today):
    """The ministry viewer may not act on obstacles; as an action's owner they may take its owner steps, but not
    reopen it."""
    obstacle = raise_obstacle(agency=world["department"])
    action = services.action_add(
        actor=users["editor"], obstacle=obstacle, description="Thẩm định", owner=users["approver"], due_on=today
    )
    ObstacleAction.objects.filter(pk=action.pk).update(owner=users["ministry"])
    services.action_transition(actor=users["ministry"], action=action, step="complete")
    with pytest.raises(PermissionDeniedError):
        services.action_transition(actor=users["ministry"], action=action, step="reopen")
    action.refresh_from_db()
    assert action.status == "done"
    assert [r[1] for r in _records(action)] == ["complete"]


def test_side_effects_wait_for_the_commit_and_a_refused_step_writes_nothing(
    users, action, django_capture_on_commit_callbacks
):
    seen = []
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run_transition(
            action, ACTION_WORKFLOW, "start", actor=users["approver"], on_commit=lambda a: seen.append(a.status)
        )
    assert seen == [] and len(callbacks) == 1
    callbacks[0]()
    assert seen == ["in_progress"]
    with pytest.raises(ConflictError):  # "start" is not allowed from in_progress
        run_transition(action, ACTION_WORKFLOW, "start", actor=users["approver"], on_commit=seen.append)
    assert len(_records(action)) == 1


def test_the_shared_history_feed_shows_each_step_with_its_note(users, action):
    services.action_transition(actor=users["approver"], action=action, step="complete", outcome="Đã thẩm định")
    entries = history_feed(action)
    step = entries[0]["step"]
    assert step["note"] == "Đã thẩm định" and step["effective_on"] is None
    assert (str(step["from"]), str(step["to"])) == (str(ActionStatus.OPEN.label), str(ActionStatus.DONE.label))
    assert "step" not in entries[-1]  # the action's creation is a change record without a workflow step
