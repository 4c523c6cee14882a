"""A background job as the user sees it: what it does, for whom, how far it got, and its result."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.formats import localize
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)


class Job(models.Model):
    """One piece of background work. The task queue (database or Redis) only carries the job's id; the job row is
    the record pages read (progress bar, result, "my recent jobs") and the worker updates."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=50)
    label = models.CharField(_("job"), max_length=300)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="jobs"
    )
    language = models.CharField(max_length=10, default="vi")
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED)
    phase = models.CharField(max_length=20, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.TextField(_("message"), blank=True)
    outcome = models.JSONField(default=dict, blank=True)
    input = models.FileField(upload_to="jobs/input/", blank=True, max_length=300)
    result = models.FileField(upload_to="jobs/result/", blank=True, max_length=300)
    result_name = models.CharField(max_length=255, blank=True)
    result_url = models.CharField(max_length=300, blank=True)
    dedupe_key = models.CharField(max_length=200, blank=True, db_index=True)
    cancel_requested = models.BooleanField(default=False)
    attempts = models.PositiveSmallIntegerField(default=0)
    worker = models.CharField(max_length=120, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        constraints = [
            # Two submissions of the same work (the same file, the same export) cannot both be active: the
            # database refuses the second, whichever app process it came through.
            models.UniqueConstraint(
                fields=["dedupe_key"],
                condition=Q(status__in=["queued", "running"]) & ~Q(dedupe_key=""),
                name="job_one_active_per_key",
            ),
            models.CheckConstraint(condition=Q(done__lte=models.F("total")) | Q(total=0), name="job_done_le_total"),
        ]

    def __str__(self):
        return self.label

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0

    @property
    def step(self) -> str:
        """What the bar of an active job says: its step (an import reads the file, checks its rows, then writes
        them, or only tries them when it is a check, `params["trial"]`) and how far it got, when it could say."""
        counts = {"done": localize(self.done), "total": localize(self.total), "percent": self.percent}
        trial = self.params.get("trial")
        if self.status == JobStatus.QUEUED:
            return gettext("Waiting for the background worker…")
        if self.phase == "reading":
            return gettext("Step 1 of 3: reading the file…")
        if self.total and self.phase == "checking":
            return gettext("Step 2 of 3: checking the rows, %(done)s of %(total)s (%(percent)s%%)") % counts
        if self.total and self.phase == "writing":
            if trial:
                return (
                    gettext("Step 3 of 3: trying the rows against the database, nothing kept (%(percent)s%%)") % counts
                )
            return gettext("Step 3 of 3: writing the rows and their history (%(percent)s%%)") % counts
        if self.phase in ("checking", "writing", "applying"):  # the step begun, nothing counted yet
            return gettext("Checking the rows…") if trial else gettext("Checking and writing the rows…")
        if self.total:
            return gettext("%(done)s of %(total)s (%(percent)s%%)") % counts
        return gettext("Working…")
