"""Submitting, running, cancelling and recovering background jobs (docs/background-jobs.md).

`job_submit` writes the job row and puts its id on the task queue (Django's tasks API: the database backend by
default, Redis when REDIS_URL is set). The worker calls `run_job`, which claims the row (a job runs once even if the
queue delivers it twice), runs the kind's handler (ccn/jobs/registry.py) in the language of the user who asked, and
records how it ended. A job whose worker died is found by `job_recover_interrupted` (run when a worker starts, and
by any page that sees the job stale) and queued again from the start: handlers write all or nothing, so a rerun
never finds anything half-written.
"""

from __future__ import annotations

import datetime
import json
import logging
import os
import socket
import time
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks_db import DatabaseBackend

from ccn.core import dataversion, throttle
from ccn.core.errors import ConflictError, DomainError
from ccn.core.importing import Cancelled

from .models import Job, JobStatus
from .registry import HANDLERS, Retry

logger = logging.getLogger("ccn.jobs")

PROGRESS_INTERVAL_S = 0.5  # progress is written at most twice a second
STALE_AFTER = datetime.timedelta(minutes=15)  # a running job with no sign of life for this long was interrupted
MAX_ATTEMPTS = 3  # runs of an interrupted job before it is failed
RETRY_BASE_S = 30  # back-off of a job that asks to be retried: 30 s, 2 min, 8 min, 32 min


class RateLimited(DomainError):
    http_status = 429
    code = "rate_limited"


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _progress_alias() -> str:
    return "jobs" if "jobs" in settings.DATABASES else "default"


def _enqueue(job: Job, *, delay: float | None = None) -> None:
    chosen = run_job if delay is None else run_job.using(run_after=timezone.now() + datetime.timedelta(seconds=delay))

    def put() -> None:
        result = chosen.enqueue(str(job.pk))
        Job.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])

    if isinstance(run_job.get_backend(), DatabaseBackend):
        put()  # the task row is written in the job's own transaction: both or neither
    else:
        transaction.on_commit(put)


def job_submit(
    *,
    actor,
    kind: str,
    label: str,
    params: dict | None = None,
    dedupe_key: str = "",
    input_name: str = "",
    input_bytes: bytes | None = None,
    reuse_within: int = 0,
    rate: tuple[int, int] | None = None,
) -> tuple[Job, bool]:
    """The job for this work and whether an existing one was reused. Work with the same `dedupe_key` is never
    active twice: the same user gets the running job back, another user is refused (409). With `reuse_within`, a
    job of the same key finished that many seconds ago is given back as well. `rate` = (count, seconds) limits how
    many new jobs of this kind a user may start (429 beyond)."""
    if kind not in HANDLERS:
        raise ValueError(f"unknown job kind {kind}")
    if dedupe_key:
        existing = _existing(actor, kind, dedupe_key, reuse_within)
        if existing is not None:
            return existing, True
    if rate is not None and not throttle.claim(f"job-{kind}", str(actor.pk), limit=rate[0], window=rate[1]):
        raise RateLimited(_("You started this too many times in a short while; wait a few minutes and try again."))
    job = Job(
        kind=kind,
        label=label[:300],
        user=actor if getattr(actor, "is_authenticated", False) else None,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        params=params or {},
        dedupe_key=dedupe_key[:200],
    )
    try:
        with transaction.atomic():
            if input_bytes is not None:
                name = f"{job.pk}-{os.path.basename(input_name) or 'input'}"
                job.input.save(name, ContentFile(input_bytes), save=False)
            job.save(force_insert=True)
            _enqueue(job)
    except IntegrityError:
        # Another process submitted the same work a moment ago.
        if job.input:
            job.input.delete(save=False)
        existing = _existing(actor, kind, dedupe_key, 0)
        if existing is None:
            raise
        return existing, True
    return job, False


def _existing(actor, kind: str, dedupe_key: str, reuse_within: int) -> Job | None:
    active = Job.objects.filter(dedupe_key=dedupe_key, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).first()
    if active is not None:
        if active.user_id != getattr(actor, "pk", None):
            raise ConflictError(
                _("The same work is already running for another user (%(job)s); wait until it has finished.")
                % {"job": active.label}
            )
        return active
    if reuse_within:
        since = timezone.now() - datetime.timedelta(seconds=reuse_within)
        return (
            Job.objects.filter(
                dedupe_key=dedupe_key, user_id=actor.pk, status=JobStatus.DONE, finished_at__gte=since, kind=kind
            )
            .order_by("-finished_at")
            .first()
        )
    return None


def job_cancel(*, actor, job: Job) -> Job:
    """Cancel a job that has not finished: a waiting one at once, a running one at its next progress report
    (before it commits anything)."""
    if job.user_id != actor.pk:
        raise ConflictError(_("Only the user who started a job may cancel it."))
    if not job.active:
        raise ConflictError(_("This job has already ended."))
    Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
        status=JobStatus.CANCELLED, finished_at=timezone.now(), message=_("Cancelled before it started.")
    )
    Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(cancel_requested=True)
    job.refresh_from_db()
    return job


def _side_file(job_id) -> Path:
    return Path(settings.VAR_DIR) / "jobs" / f"{job_id}.progress"


def side_progress(job: Job) -> None:
    """The progress a running job wrote beside the database (SQLite, while its transaction holds the only write
    lock; see `Progress`), laid over the job's row for its page. A file older than `STALE_AFTER` is no sign of life."""
    if job.status != JobStatus.RUNNING:
        return
    path = _side_file(job.pk)
    try:
        if time.time() - path.stat().st_mtime > STALE_AFTER.total_seconds():
            return
        fields = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    for name in ("phase", "done", "total"):
        if name in fields:
            setattr(job, name, fields[name])
    job.heartbeat_at = datetime.datetime.fromtimestamp(path.stat().st_mtime, tz=datetime.UTC)


class Progress:
    """What a handler calls with (done, total). Written at most twice a second, on a connection of its own where
    there is one (so it is seen while the job's transaction is open); raises `Cancelled` once the user cancelled.
    On SQLite, inside the job's own transaction (which holds the database's only write lock), it is written to a
    small file beside the database instead (`side_progress` reads it), removed when the job ends."""

    def __init__(self, job: Job):
        self.job = job
        self.last = 0.0
        self.depth = len(connection.atomic_blocks)  # transactions open when the job started (none in a worker)
        self.side: dict = {}

    def phase(self, name: str) -> None:
        """A new step of the job (reading, checking, writing…): its own count starts from nothing, and the page
        names the step beside its bar."""
        self.job.phase = name
        self.last = 0.0
        self._write({"phase": name, "done": 0, "total": 0})

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last < PROGRESS_INTERVAL_S and done < total:
            return
        self.last = now
        self._write({"done": min(done, total), "total": total})

    def _write(self, fields: dict) -> None:
        alias = _progress_alias()
        if alias == "default" and len(connection.atomic_blocks) > self.depth and connection.vendor == "sqlite":
            # SQLite: the job's own transaction holds the only write lock; the progress goes beside the database.
            self.side.update(fields)
            path = _side_file(self.job.pk)
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(".tmp")
            partial.write_text(json.dumps(self.side), encoding="utf-8")
            partial.replace(path)  # whole or not at all for a reader
            cancelled = Job.objects.filter(pk=self.job.pk, cancel_requested=True).exists()
        else:
            rows = Job.objects.using(alias).filter(pk=self.job.pk)
            rows.update(**fields, heartbeat_at=timezone.now())
            cancelled = rows.filter(cancel_requested=True).exists()
        if cancelled:
            raise Cancelled()


def job_store_result(job: Job, *, name: str, content: bytes) -> None:
    """Keep the job's downloadable result in the shared storage."""
    job.result.save(f"{job.pk}-{os.path.basename(name)}", ContentFile(content), save=False)
    job.result_name = name
    Job.objects.filter(pk=job.pk).update(result=job.result.name, result_name=name)


def job_finish(job: Job, *, message: str = "", outcome: dict | None = None, result_url: str = "") -> None:
    """Mark the job done. Called inside the handler's own transaction, it commits with the work: a job is done
    exactly when its work is written."""
    Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
        status=JobStatus.DONE,
        message=message,
        outcome=outcome or {},
        result_url=result_url,
        done=F("total"),
        finished_at=timezone.now(),
    )


def _fail(job: Job, message: str, status: str = JobStatus.FAILED) -> None:
    Job.objects.filter(pk=job.pk).update(status=status, message=message, finished_at=timezone.now())


def job_run(job_id: str) -> str:
    """The body of the background task: claim, run, record. Returns the final status."""
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING,
        started_at=timezone.now(),
        heartbeat_at=timezone.now(),
        worker=worker_id(),
        attempts=F("attempts") + 1,
        phase="",
    )
    if not claimed:
        return "skipped"
    job = Job.objects.get(pk=job_id)
    handler = HANDLERS.get(job.kind)
    with translation.override(job.language):
        if handler is None:
            _fail(job, _("This kind of job is no longer known."))
            return JobStatus.FAILED
        if job.cancel_requested:
            _fail(job, _("Cancelled before it started."), JobStatus.CANCELLED)
            return JobStatus.CANCELLED
        try:
            handler(job, Progress(job))
        except Cancelled:
            _fail(job, _("Cancelled; nothing was written."), JobStatus.CANCELLED)
            return JobStatus.CANCELLED
        except Retry as retry:
            if job.attempts >= job.params.get("max_attempts", 5):
                _fail(job, retry.reason or _("It failed after several attempts."))
                return JobStatus.FAILED
            delay = retry.delay if retry.delay is not None else RETRY_BASE_S * 4 ** (job.attempts - 1)
            with transaction.atomic():
                Job.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED, message=retry.reason, worker="")
                _enqueue(job, delay=delay)
            return JobStatus.QUEUED
        except DomainError as exc:
            _fail(job, exc.message)
            return JobStatus.FAILED
        except Exception:
            logger.exception("job %s (%s) failed", job.pk, job.kind)
            _fail(job, _("The job failed because of an error on the server; nothing was written. Try again later."))
            return JobStatus.FAILED
        finally:
            _side_file(job.pk).unlink(missing_ok=True)  # a progress written beside the database (SQLite)
    Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
        status=JobStatus.DONE, done=F("total"), finished_at=timezone.now()
    )
    dataversion.bump()  # the job may have written in bulk (no model signals): cached pages start afresh
    return JobStatus.DONE


@task()
def run_job(job_id: str) -> str:
    """The task the queue carries: only the job's id."""
    return job_run(job_id)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def job_recover_interrupted() -> int:
    """Queue again the running jobs whose worker is gone (a process of this machine that no longer exists, or no
    sign of life for STALE_AFTER); fail those interrupted MAX_ATTEMPTS times. Returns how many were found."""
    host = socket.gethostname()
    stale_before = timezone.now() - STALE_AFTER
    found = 0
    for job in Job.objects.filter(status=JobStatus.RUNNING):
        worker_host, _sep, pid = job.worker.rpartition(":")
        gone = worker_host == host and pid.isdigit() and not _alive(int(pid))
        if not gone and (job.heartbeat_at or job.created_at) >= stale_before:
            continue
        found += 1
        with transaction.atomic():
            if job.attempts >= MAX_ATTEMPTS:
                _fail(job, _("The job was interrupted several times and has stopped; nothing was written."))
                continue
            requeued = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, worker=job.worker).update(
                status=JobStatus.QUEUED, worker="", phase="", done=0, message=_("Interrupted; started again.")
            )
            if requeued:
                _enqueue(job)
        logger.warning("job %s (%s) was interrupted and is queued again", job.pk, job.kind)
    return found
