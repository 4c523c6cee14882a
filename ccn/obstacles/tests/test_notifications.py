"""Notifications: sent only after the transaction commits, to the right people; reminders once per deadline; a
failing mail server never breaks a request."""

import datetime

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ccn.accounts.tests.factories import PASSWORD
from ccn.jobs.models import Job, JobStatus
from ccn.jobs.services import RETRY_BASE_S
from ccn.obstacles import services
from ccn.obstacles.models import Notification, Obstacle, ObstacleAction
from ccn.obstacles.notifications import send_reminders

pytestmark = pytest.mark.django_db


class FailingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def test_assignment_mail_waits_for_commit(users, world, raise_obstacle, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        obstacle = raise_obstacle()
    assert mailoutbox == []  # nothing leaves before the transaction commits
    assert len(callbacks) == 1
    for callback in callbacks:
        callback()
    assert mailoutbox == []  # queued for the task worker, which sends it
    send_queued()
    assert [m.to for m in mailoutbox] == [["commune@example.vn"]]
    assert f"số {obstacle.pk}" in mailoutbox[0].subject and "UBND xã Một" in mailoutbox[0].subject
    assert f"/obstacles/{obstacle.pk}/" in mailoutbox[0].body
    assert Notification.objects.get().sent_at is not None


def test_rolled_back_change_sends_nothing(users, world, mailoutbox, django_capture_on_commit_callbacks, today):
    from ccn.core.errors import ValidationFailed

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(ValidationFailed):
            services.obstacle_create(
                actor=users["editor"],
                cluster=world["own"],
                category="other",
                description="",
                agency=world["commune_agency"],
                deadline=today,
            )
    assert mailoutbox == [] and Notification.objects.count() == 0


def test_action_owner_told(users, raise_obstacle, mailoutbox, django_capture_on_commit_callbacks, today):
    obstacle = raise_obstacle()
    with django_capture_on_commit_callbacks(execute=True):
        services.action_add(
            actor=users["editor"],
            obstacle=obstacle,
            description="Kiểm đếm đất",
            owner=users["commune"],
            due_on=today + datetime.timedelta(days=3),
        )
    send_queued()
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["commune@example.vn"]
    assert "Kiểm đếm đất" in mailoutbox[0].body


def test_reminders_week_before_and_overdue_each_once(
    users, world, raise_obstacle, mailoutbox, django_capture_on_commit_callbacks, today
):
    soon = raise_obstacle(days=5, agency=world["department"])  # members: approver, plus the agency's address
    later = raise_obstacle(days=30)
    late = raise_obstacle(days=10)
    Obstacle.objects.filter(pk=late.pk).update(
        deadline=today - datetime.timedelta(days=2), raised_on=today - datetime.timedelta(days=20)
    )
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        first = send_reminders(today)
    got = sorted((n.kind, n.target, n.recipient) for n in first)
    assert got == sorted(
        [
            ("due_soon", f"obstacle:{soon.pk}", "approver@example.vn"),
            ("due_soon", f"obstacle:{soon.pk}", "sct@example.vn"),
            ("overdue", f"obstacle:{late.pk}", "commune@example.vn"),
        ]
    )
    send_queued()
    assert len(mailoutbox) == 3
    assert all(str(later.pk) not in n.target for n in first)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders(today) == []
        call_command("send_obstacle_reminders", "--date", today.isoformat(), verbosity=0)
    send_queued()
    assert len(mailoutbox) == 3  # idempotent: nothing sent twice
    # A moved deadline arms a new reminder; a resolved obstacle gets none.
    Obstacle.objects.filter(pk=soon.pk).update(deadline=today + datetime.timedelta(days=6))
    services.obstacle_transition(actor=users["editor"], obstacle=late, action="resolve", resolution_note="Xong")
    with django_capture_on_commit_callbacks(execute=True):
        again = send_reminders(today)
    assert sorted(n.recipient for n in again) == ["approver@example.vn", "sct@example.vn"]


def test_action_reminders_go_to_owner(users, raise_obstacle, mailoutbox, django_capture_on_commit_callbacks, today):
    obstacle = raise_obstacle(days=60)
    action = services.action_add(
        actor=users["editor"], obstacle=obstacle, description="Họp dân", owner=users["commune"], due_on=today
    )
    ObstacleAction.objects.filter(pk=action.pk).update(due_on=today - datetime.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        sent = send_reminders(today)
    assert [(n.kind, n.target, n.recipient) for n in sent] == [("overdue", f"action:{action.pk}", "commune@example.vn")]
    send_queued()
    assert "Họp dân" in mailoutbox[-1].body


def test_failing_mail_server_never_breaks_the_request(
    users, world, settings, django_capture_on_commit_callbacks, today
):
    settings.MAILERS = {"default": {"BACKEND": "ccn.obstacles.tests.test_notifications.FailingBackend"}}
    c = Client()
    c.login(username="editor", password=PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(
            "/obstacles/new/",
            {
                "cluster": world["own"].pk,
                "category": "site_clearance",
                "description": "Chậm bàn giao mặt bằng",
                "agency": world["commune_agency"].pk,
                "deadline": (today + datetime.timedelta(days=9)).isoformat(),
            },
        )
    assert response.status_code == 302
    send_queued()
    n = Notification.objects.get()
    assert n.sent_at is None and "mail server down" in n.error
    assert len(mail.outbox) == 0
    # The mail job waits to be tried again: after 30 s, then 4 times longer each time, up to MAIL_ATTEMPTS tries.
    job = Job.objects.get(kind="obstacles.mail")
    assert job.status == JobStatus.QUEUED and job.attempts == 1 and "mail server down" in job.message
    retry_at = DBTaskResult.objects.get(status="READY").run_after
    assert 20 < (retry_at - timezone.now()).total_seconds() <= RETRY_BASE_S
    # The server is back: the next try sends it.
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    send_queued()
    n.refresh_from_db()
    job.refresh_from_db()
    assert n.sent_at is not None and job.status == JobStatus.DONE and job.attempts == 2
    assert [m.to for m in mail.outbox] == [[n.recipient]]


def send_queued():
    """What the task worker does: send every mail queued so far."""
    call_command("run_worker", "--batch", verbosity=0)
