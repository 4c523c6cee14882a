"""Obstacles (vướng mắc) that hold clusters back, the agencies responsible for removing them, the actions they take,
review meetings that follow them up, dialogue conferences with businesses, and the e-mail notifications sent."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ccn.attachments import selectors as attachment_selectors
from ccn.core.models import TimeStampedModel

from .choices import (
    ACTION_COLOURS,
    ACTIVE_ACTION_STATES,
    ACTIVE_STATES,
    RECOMMENDATION_COLOURS,
    REMINDER_KINDS,
    STATUS_COLOURS,
    ActionStatus,
    AgencyKind,
    Category,
    EventKind,
    NotificationKind,
    ObstacleStatus,
    RecommendationStatus,
)

USER = settings.AUTH_USER_MODEL


class Agency(TimeStampedModel):
    """A body that must act on obstacles: a department (sở), the provincial People's Committee, a commune People's
    Committee, a utility. Agencies are data, kept per province."""

    province = models.ForeignKey(
        "geo.Province", verbose_name=_("province"), on_delete=models.PROTECT, related_name="agencies"
    )
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=AgencyKind.choices, default=AgencyKind.DEPARTMENT)
    commune = models.ForeignKey(
        "geo.Commune",
        verbose_name=_("commune"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agencies",
        help_text=_("For a commune People's Committee: the commune it governs."),
    )
    email = models.EmailField(
        _("e-mail of the agency"), blank=True, help_text=_("Receives the notifications, as its members do.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    members = models.ManyToManyField(USER, through="AgencyMember", related_name="agencies", verbose_name=_("members"))

    class Meta:
        ordering = ["province__code", "kind", "name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [
            models.UniqueConstraint(
                fields=["province", "name"],
                name="unique_agency_name_per_province",
                violation_error_message=_("This province already has an agency of this name."),
            ),
        ]

    def __str__(self):
        return self.short_name or self.name


class AgencyMember(models.Model):
    """A user who acts for an agency: may own its actions and receives its notifications."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="agency_memberships")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("agency member")
        verbose_name_plural = _("agency members")
        constraints = [models.UniqueConstraint(fields=["agency", "user"], name="unique_agency_member")]

    def __str__(self):
        return f"{self.user} @ {self.agency}"


class Obstacle(TimeStampedModel):
    """A bottleneck of a cluster or of a tenant project, with the agency that must remove it and a deadline."""

    cluster = models.ForeignKey(
        "clusters.Cluster", verbose_name=_("cluster"), on_delete=models.PROTECT, related_name="obstacles"
    )
    tenant_project = models.ForeignKey(
        "tenants.TenantProject",
        verbose_name=_("tenant project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="obstacles",
    )
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    description = models.TextField(_("description"))
    raised_by = models.ForeignKey(
        USER, verbose_name=_("raised by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    raised_on = models.DateField(_("raised on"), db_index=True)
    agency = models.ForeignKey(
        Agency, verbose_name=_("responsible agency"), on_delete=models.PROTECT, related_name="obstacles"
    )
    deadline = models.DateField(_("deadline"), db_index=True)
    status = models.CharField(
        _("state"),
        max_length=20,
        choices=ObstacleStatus.choices,
        default=ObstacleStatus.OPEN,
        editable=False,
        db_index=True,
    )
    status_since = models.DateTimeField(_("in this state since"), null=True, editable=False)
    resolution_note = models.TextField(_("resolution note"), blank=True)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True, editable=False)
    source = models.CharField(
        _("source"),
        max_length=100,
        blank=True,
        help_text=_("Where the obstacle came from: an inspection, a conference…"),
    )
    is_sample = models.BooleanField(_("sample data"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("obstacle")
        verbose_name_plural = _("obstacles")
        indexes = [
            models.Index(fields=["agency", "status"]),
            models.Index(fields=["cluster", "status"]),
            models.Index(fields=["status", "deadline"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gte=F("raised_on")),
                name="obstacle_deadline_after_raised",
                violation_error_message=_("The deadline cannot be before the day the obstacle was raised."),
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | ~Q(resolution_note=""),
                name="obstacle_closed_has_resolution",
                violation_error_message=_("A closed obstacle needs a resolution note."),
            ),
        ]

    def __str__(self):
        text = " ".join(self.description.split())
        return f"#{self.pk} {text[:80]}{'…' if len(text) > 80 else ''}"

    @property
    def title(self) -> str:
        text = " ".join(self.description.split())
        return text[:120] + ("…" if len(text) > 120 else "")

    def get_status_color(self) -> str:
        return STATUS_COLOURS.get(self.status, "grey")

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATES

    def days_overdue(self, on=None) -> int:
        """Days past the deadline on `on` (today by default); 0 when not overdue or no longer active."""
        on = on or timezone.localdate()
        if not self.is_active or self.deadline >= on:
            return 0
        return (on - self.deadline).days

    @property
    def is_overdue(self) -> bool:
        return self.days_overdue() > 0

    @property
    def attachments(self):
        """The obstacle's files, in the attachment store (ccn/attachments)."""
        return attachment_selectors.for_record(self)


class ObstacleAction(TimeStampedModel):
    """A step an agency takes to remove an obstacle, owned by one of its members, due on a date."""

    obstacle = models.ForeignKey(Obstacle, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField(pgettext_lazy("obstacle", "action"))
    owner = models.ForeignKey(USER, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="obstacle_actions")
    due_on = models.DateField(_("due on"), db_index=True)
    status = models.CharField(
        _("state"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN, editable=False
    )
    done_on = models.DateField(_("done on"), null=True, blank=True, editable=False)
    outcome = models.TextField(_("outcome"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = pgettext_lazy("obstacle", "action")
        verbose_name_plural = _("actions")
        indexes = [models.Index(fields=["owner", "status"])]

    def __str__(self):
        text = " ".join(self.description.split())
        return text[:80]

    def get_status_color(self) -> str:
        return ACTION_COLOURS.get(self.status, "grey")

    @property
    def is_overdue(self) -> bool:
        return self.status in ACTIVE_ACTION_STATES and self.due_on < timezone.localdate()


class ObstacleNote(models.Model):
    obstacle = models.ForeignKey(Obstacle, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("note")
        verbose_name_plural = _("notes")

    def __str__(self):
        return self.text[:80]


def attachment_path(instance, filename):
    """Where the former per-obstacle attachments were stored (named by migration 0001; the files keep their paths
    in the attachment store)."""
    return f"obstacles/{instance.obstacle_id}/{filename}"


class ObstacleEvent(models.Model):
    """The dated timeline of an obstacle. Review-meeting packs read it to say what changed since the previous
    meeting and what state each obstacle was in on the meeting's date."""

    obstacle = models.ForeignKey(Obstacle, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    at = models.DateTimeField(_("at"), db_index=True)
    from_status = models.CharField(_("from"), max_length=20, choices=ObstacleStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=ObstacleStatus.choices, blank=True)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    actor = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["obstacle", "at"])]
        verbose_name = _("obstacle event")
        verbose_name_plural = _("obstacle events")

    def __str__(self):
        return f"{self.obstacle_id} {self.kind} {self.at:%Y-%m-%d}"


class ReviewMeeting(TimeStampedModel):
    """A review meeting of a province (giao ban): its date defines "since the previous meeting" for the pack."""

    province = models.ForeignKey(
        "geo.Province", verbose_name=_("province"), on_delete=models.PROTECT, related_name="review_meetings"
    )
    held_on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    chair = models.CharField(_("chaired by"), max_length=200, blank=True)
    minutes = models.TextField(_("conclusions"), blank=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("review meeting")
        verbose_name_plural = _("review meetings")
        constraints = [
            models.UniqueConstraint(
                fields=["province", "held_on"],
                name="unique_meeting_per_day",
                violation_error_message=_("This province already has a review meeting on that date."),
            )
        ]

    def __str__(self):
        return f"{self.title} ({self.held_on:%d/%m/%Y})"


class DialogueConference(TimeStampedModel):
    """A dialogue conference with businesses (hội nghị đối thoại doanh nghiệp) where recommendations are received."""

    province = models.ForeignKey(
        "geo.Province", verbose_name=_("province"), on_delete=models.PROTECT, related_name="dialogue_conferences"
    )
    held_on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    participants = models.TextField(_("participants"), help_text=_("Businesses and agencies that took part."))
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("dialogue conference")
        verbose_name_plural = _("dialogue conferences")

    def __str__(self):
        return f"{self.title} ({self.held_on:%d/%m/%Y})"


class Recommendation(TimeStampedModel):
    """A recommendation (kiến nghị) a business made at a conference: answered, or turned into an obstacle."""

    conference = models.ForeignKey(DialogueConference, on_delete=models.CASCADE, related_name="recommendations")
    business_name = models.CharField(_("business"), max_length=300)
    organisation = models.ForeignKey(
        "clusters.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    cluster = models.ForeignKey(
        "clusters.Cluster",
        verbose_name=_("cluster"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recommendations",
    )
    content = models.TextField(_("recommendation"))
    status = models.CharField(
        _("state"),
        max_length=20,
        choices=RecommendationStatus.choices,
        default=RecommendationStatus.PENDING,
        editable=False,
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    obstacle = models.OneToOneField(
        Obstacle, null=True, blank=True, on_delete=models.PROTECT, related_name="recommendation"
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="answered") | ~Q(answer=""),
                name="recommendation_answered_has_answer",
                violation_error_message=_("An answered recommendation needs its answer."),
            ),
            models.CheckConstraint(
                condition=~Q(status="obstacle") | Q(obstacle__isnull=False),
                name="recommendation_obstacle_linked",
            ),
        ]

    def __str__(self):
        return f"{self.business_name}: {self.content[:60]}"

    def get_status_color(self) -> str:
        return RECOMMENDATION_COLOURS.get(self.status, "grey")


class Notification(models.Model):
    """One e-mail to one recipient. The log is what makes reminders idempotent: a reminder of a kind for a target
    and a deadline is written once, so running the reminder command again sends nothing twice."""

    kind = models.CharField(_("kind"), max_length=20, choices=NotificationKind.choices)
    target = models.CharField(max_length=40, help_text="obstacle:<id> or action:<id>")
    obstacle = models.ForeignKey(Obstacle, on_delete=models.CASCADE, related_name="notifications")
    user = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recipient = models.EmailField(_("recipient"))
    ref_date = models.DateField(_("deadline referred to"))
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"))
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "target", "recipient", "ref_date"],
                condition=Q(kind__in=[k.value for k in REMINDER_KINDS]),
                name="unique_reminder",
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.target} → {self.recipient}"


__all__ = [
    "ActionStatus",
    "Agency",
    "AgencyMember",
    "Category",
    "DialogueConference",
    "EventKind",
    "Notification",
    "NotificationKind",
    "Obstacle",
    "ObstacleAction",
    "ObstacleEvent",
    "ObstacleNote",
    "ObstacleStatus",
    "Recommendation",
    "RecommendationStatus",
    "ReviewMeeting",
]
