"""Reads of background jobs: a user's own only."""

from django.utils import timezone

from .models import Job, JobStatus
from .services import STALE_AFTER, job_recover_interrupted


def recent_jobs(*, user):
    return Job.objects.filter(user=user).order_by("-created_at")


def notice_interrupted(job: Job) -> None:
    """A running job with no sign of life for longer than STALE_AFTER was interrupted: queue it again."""
    if job.status == JobStatus.RUNNING and (job.heartbeat_at or job.created_at) < timezone.now() - STALE_AFTER:
        job_recover_interrupted()
        job.refresh_from_db()
