"""E-mail notifications of obstacles: on assignment, a week before a deadline and when overdue.

Services and the reminder command write a `Notification` row in their transaction and hand its id to a task once
the transaction commits, so a slow or failing mail server never blocks or breaks a request (with a queue backend
the task runs in a worker; with the default immediate backend its failure is recorded, never raised)."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ccn.jobs.registry import Retry, handler
from ccn.jobs.services import job_submit

from .choices import ACTIVE_ACTION_STATES, ACTIVE_STATES, NotificationKind
from .models import AgencyMember, Notification, Obstacle, ObstacleAction

logger = logging.getLogger(__name__)

REMINDER_DAYS = 7


def _link(path: str) -> str:
    return getattr(settings, "SITE_URL", "").rstrip("/") + path


def agency_recipients(agency) -> list[tuple[object | None, str]]:
    """(user, address) for every member with an e-mail, then the agency's own address."""
    seen: set[str] = set()
    result = []
    members = AgencyMember.objects.filter(agency=agency, user__is_active=True).select_related("user")
    for m in members.order_by("user__username"):
        email = (m.user.email or "").strip().lower()
        if email and email not in seen:
            seen.add(email)
            result.append((m.user, email))
    if agency.email and agency.email.lower() not in seen:
        result.append((None, agency.email.lower()))
    return result


MAIL_ATTEMPTS = 5  # a mail server that does not answer is tried again after 30 s, 2, 8 and 32 minutes


def _queue(notification: Notification) -> None:
    """The mail is sent by the task worker once the change is committed (docs/background-jobs.md)."""
    transaction.on_commit(
        lambda: job_submit(
            actor=None,
            kind="obstacles.mail",
            label=_("E-mail to %(address)s") % {"address": notification.recipient},
            params={"notification": notification.pk, "max_attempts": MAIL_ATTEMPTS},
        )
    )


def _obstacle_text(obstacle: Obstacle) -> str:
    return _(
        "Cluster: %(cluster)s\nCategory: %(category)s\nResponsible agency: %(agency)s\nDeadline: %(deadline)s\n\n"
        "%(description)s\n\n%(link)s"
    ) % {
        "cluster": obstacle.cluster.name,
        "category": obstacle.get_category_display(),
        "agency": obstacle.agency.name,
        "deadline": obstacle.deadline.strftime("%d/%m/%Y"),
        "description": obstacle.description,
        "link": _link(reverse("obstacles:detail", args=[obstacle.pk])),
    }


def notify_assignment(obstacle: Obstacle) -> list[Notification]:
    """Tell the responsible agency it has been given an obstacle (called inside the service's transaction)."""
    created = []
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[CCN] Obstacle #%(id)s assigned to %(agency)s") % {"id": obstacle.pk, "agency": obstacle.agency}
        body = _("Your agency has been given an obstacle to remove.") + "\n\n" + _obstacle_text(obstacle)
    for user, email in agency_recipients(obstacle.agency):
        n = Notification.objects.create(
            kind=NotificationKind.ASSIGNED,
            target=f"obstacle:{obstacle.pk}",
            obstacle=obstacle,
            user=user,
            recipient=email,
            ref_date=obstacle.deadline,
            subject=subject[:300],
            body=body,
        )
        _queue(n)
        created.append(n)
    return created


def notify_action_owner(action: ObstacleAction) -> Notification | None:
    email = (action.owner.email or "").strip().lower()
    if not email:
        return None
    obstacle = action.obstacle
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[CCN] Action due %(due)s on obstacle #%(id)s") % {
            "due": action.due_on.strftime("%d/%m/%Y"),
            "id": obstacle.pk,
        }
        body = (
            _("You own an action: %(action)s\nDue on: %(due)s")
            % {"action": action.description, "due": action.due_on.strftime("%d/%m/%Y")}
            + "\n\n"
            + _obstacle_text(obstacle)
        )
    n = Notification.objects.create(
        kind=NotificationKind.ACTION_ASSIGNED,
        target=f"action:{action.pk}",
        obstacle=obstacle,
        user=action.owner,
        recipient=email,
        ref_date=action.due_on,
        subject=subject[:300],
        body=body,
    )
    _queue(n)
    return n


def _reminder(kind, *, target, obstacle, user, email, ref_date, subject, body) -> Notification | None:
    """Write a reminder once: a second run finds the row (unique constraint) and sends nothing."""
    if Notification.objects.filter(kind=kind, target=target, recipient=email, ref_date=ref_date).exists():
        return None
    try:
        with transaction.atomic():
            n = Notification.objects.create(
                kind=kind,
                target=target,
                obstacle=obstacle,
                user=user,
                recipient=email,
                ref_date=ref_date,
                subject=subject[:300],
                body=body,
            )
    except IntegrityError:
        return None  # another run wrote it first
    _queue(n)
    return n


def send_reminders(today: datetime.date | None = None) -> list[Notification]:
    """Reminders of deadlines within a week and of overdue obstacles and actions, each sent once per deadline."""
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=REMINDER_DAYS)
    created: list[Notification] = []
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        obstacles = (
            Obstacle.objects.filter(status__in=ACTIVE_STATES, deadline__lte=soon)
            .select_related("agency", "cluster")
            .order_by("pk")
        )
        for obstacle in obstacles:
            overdue = obstacle.deadline < today
            kind = NotificationKind.OVERDUE if overdue else NotificationKind.DUE_SOON
            if overdue:
                subject = _("[CCN] Obstacle #%(id)s is overdue (deadline %(deadline)s)")
            else:
                subject = _("[CCN] Obstacle #%(id)s is due on %(deadline)s")
            subject = subject % {"id": obstacle.pk, "deadline": obstacle.deadline.strftime("%d/%m/%Y")}
            body = _obstacle_text(obstacle)
            for user, email in agency_recipients(obstacle.agency):
                n = _reminder(
                    kind,
                    target=f"obstacle:{obstacle.pk}",
                    obstacle=obstacle,
                    user=user,
                    email=email,
                    ref_date=obstacle.deadline,
                    subject=subject,
                    body=body,
                )
                if n:
                    created.append(n)
        actions = (
            ObstacleAction.objects.filter(
                status__in=ACTIVE_ACTION_STATES,
                due_on__lte=soon,
                obstacle__status__in=ACTIVE_STATES,
            )
            .exclude(Q(owner__email="") | Q(owner__is_active=False))
            .select_related("owner", "obstacle__agency", "obstacle__cluster")
            .order_by("pk")
        )
        for action in actions:
            overdue = action.due_on < today
            kind = NotificationKind.OVERDUE if overdue else NotificationKind.DUE_SOON
            if overdue:
                subject = _("[CCN] Your action on obstacle #%(id)s is overdue (due %(due)s)")
            else:
                subject = _("[CCN] Your action on obstacle #%(id)s is due on %(due)s")
            subject = subject % {"id": action.obstacle_id, "due": action.due_on.strftime("%d/%m/%Y")}
            body = _("Action: %(action)s") % {"action": action.description} + "\n\n" + _obstacle_text(action.obstacle)
            n = _reminder(
                kind,
                target=f"action:{action.pk}",
                obstacle=action.obstacle,
                user=action.owner,
                email=action.owner.email.strip().lower(),
                ref_date=action.due_on,
                subject=subject,
                body=body,
            )
            if n:
                created.append(n)
    return created


def deliver(notification_id: int) -> bool:
    """Send one notification and record when it went out, or why it did not (raising on failure)."""
    n = Notification.objects.filter(pk=notification_id, sent_at__isnull=True).first()
    if n is None:
        return False
    try:
        send_mail(n.subject, n.body, settings.DEFAULT_FROM_EMAIL, [n.recipient])
    except Exception as exc:
        logger.warning("notification %s to %s failed: %s", n.pk, n.recipient, exc)
        Notification.objects.filter(pk=n.pk).update(error=str(exc)[:500])
        raise
    Notification.objects.filter(pk=n.pk).update(sent_at=timezone.now(), error="")
    return True


@handler("obstacles.mail")
def deliver_job(job, progress) -> None:
    """The background job of one notification: a failure is recorded on it and tried again with back-off."""
    try:
        deliver(job.params["notification"])
    except Exception as exc:  # noqa: BLE001 - any mail failure is retried, never raised into a request
        raise Retry(_("The mail server did not accept the message: %(error)s") % {"error": str(exc)[:200]}) from exc
