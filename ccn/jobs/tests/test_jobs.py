"""Background jobs through Django's tasks API and the database backend: submitted, run by the worker, progress and
result kept, retried with back-off, recovered after the worker died, reused instead of run twice, rate-limited."""

import datetime
import subprocess

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ccn.accounts.choices import Role
from ccn.accounts.tests.factories import make_user
from ccn.core.errors import ConflictError
from ccn.jobs.models import Job, JobStatus
from ccn.jobs.registry import Retry, handler
from ccn.jobs.services import (
    MAX_ATTEMPTS,
    RETRY_BASE_S,
    RateLimited,
    job_finish,
    job_store_result,
    job_submit,
    worker_id,
)

pytestmark = pytest.mark.django_db

CALLS: list[str] = []


@handler("test.count")
def count_to(job, progress):
    n = job.params["n"]
    for i in range(1, n + 1):
        progress(i, n)
    job_store_result(job, name="count.txt", content=" ".join(str(i) for i in range(1, n + 1)).encode())
    job_finish(job, message=f"counted to {n}")


@handler("test.flaky")
def flaky(job, progress):
    CALLS.append(str(job.pk))
    raise Retry("the mail server did not answer")


@handler("test.crash")
def crash(job, progress):
    raise RuntimeError("boom")


SEEN: dict[str, str] = {}


@handler("test.long_transaction")
def long_transaction(job, progress):
    """Work inside one transaction (as an import's), reporting its progress and reading its own page meanwhile."""
    from django.db import connection, transaction
    from django.test import Client

    from ccn.jobs.services import _side_file

    with transaction.atomic():
        progress.phase("checking")
        progress(3, 10)
        client = Client()
        client.force_login(job.user)
        SEEN["page"] = client.get(f"/jobs/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
        SEEN["side"] = str(_side_file(job.pk).exists()) if connection.vendor == "sqlite" else "n/a"
    job_finish(job, message="done")


def run_worker():
    call_command("run_worker", "--batch", verbosity=0)


@pytest.fixture
def user(db):
    return make_user(role=Role.MINISTRY_VIEWER)


def test_job_runs_in_the_worker_with_progress_and_result(client, user):
    job, reused = job_submit(actor=user, kind="test.count", label="Count", params={"n": 5})
    assert not reused and job.status == JobStatus.QUEUED
    # The queue carries the job's id in the database backend's table, written in the job's transaction.
    queued = DBTaskResult.objects.get()
    assert queued.args_kwargs == {"args": [str(job.pk)], "kwargs": {}} and job.pk and queued.status == "READY"
    run_worker()
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.message) == (JobStatus.DONE, 5, 5, "counted to 5")
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    client.force_login(user)
    response = client.get(f"/jobs/{job.pk}/download")
    assert b"".join(response.streaming_content) == b"1 2 3 4 5"
    assert 'filename="count.txt"' in response["Content-Disposition"]
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert 'id="job-result"' in page and 'id="job-progress"' not in page  # finished: no progress bar left


def test_only_the_owner_sees_a_job(client, user):
    job, _ = job_submit(actor=user, kind="test.count", label="Count", params={"n": 1})
    client.force_login(make_user(role=Role.MINISTRY_VIEWER))
    assert client.get(f"/jobs/{job.pk}/").status_code == 404
    assert client.get(f"/jobs/{job.pk}/download").status_code == 404
    assert client.post(f"/jobs/{job.pk}/cancel").status_code == 404


def test_a_job_run_twice_by_the_queue_runs_once(user):
    job, _ = job_submit(actor=user, kind="test.count", label="Count", params={"n": 2})
    from ccn.jobs.services import job_run

    assert job_run(str(job.pk)) == JobStatus.DONE
    assert job_run(str(job.pk)) == "skipped"


def test_retry_with_back_off_then_fail(user):
    CALLS.clear()
    job, _ = job_submit(actor=user, kind="test.flaky", label="Mail", params={"max_attempts": 3})
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and job.attempts == 1 and job.message == "the mail server did not answer"
    later = DBTaskResult.objects.filter(status="READY").get()
    # First retry after RETRY_BASE_S (30 s), the next after 4 × that.
    delay = (later.run_after - timezone.now()).total_seconds()
    assert RETRY_BASE_S - 5 < delay <= RETRY_BASE_S
    for attempt in (2, 3):
        DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
        run_worker()
        job.refresh_from_db()
        if attempt == 2:
            next_run = DBTaskResult.objects.filter(status="READY").get().run_after
            assert RETRY_BASE_S * 4 - 5 < (next_run - timezone.now()).total_seconds() <= RETRY_BASE_S * 4
    assert job.status == JobStatus.FAILED and job.attempts == 3 and len(CALLS) == 3


def test_a_crash_fails_the_job_with_a_message(user):
    job, _ = job_submit(actor=user, kind="test.crash", label="Crash")
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "không có gì được ghi" in job.message  # the user's language: vi


def test_job_of_a_dead_worker_is_run_again(user):
    """The worker was killed half-way (its process is gone): the next worker to start queues the job again."""
    job, _ = job_submit(actor=user, kind="test.count", label="Count", params={"n": 3})
    dead = subprocess.Popen(["true"])
    dead.wait()
    host = worker_id().rpartition(":")[0]
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, worker=f"{host}:{dead.pid}", attempts=1, heartbeat_at=timezone.now()
    )
    DBTaskResult.objects.update(status="FAILED")  # the dead worker's task will never finish
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempts == 2 and job.done == 3


def test_stale_job_elsewhere_is_run_again_but_not_forever(user):
    job, _ = job_submit(actor=user, kind="test.count", label="Count", params={"n": 1})
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    DBTaskResult.objects.update(status="FAILED")
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, worker="another-host:1", attempts=MAX_ATTEMPTS, heartbeat_at=long_ago
    )
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "gián đoạn" in job.message


def test_same_work_reused_refused_and_rate_limited(user):
    first, reused = job_submit(actor=user, kind="test.count", label="A", params={"n": 1}, dedupe_key="k")
    again, reused_again = job_submit(actor=user, kind="test.count", label="A", params={"n": 1}, dedupe_key="k")
    assert again.pk == first.pk and reused_again and not reused
    with pytest.raises(ConflictError):
        job_submit(actor=make_user(role=Role.MINISTRY_VIEWER), kind="test.count", label="A", dedupe_key="k")
    run_worker()
    # Finished a moment ago: given back within `reuse_within`, a new job without it.
    kept, reused = job_submit(actor=user, kind="test.count", label="A", dedupe_key="k", reuse_within=60)
    assert kept.pk == first.pk and reused
    # Three new jobs in the window are allowed, the fourth is refused.
    for i in range(3):
        job_submit(actor=user, kind="test.count", label="B", params={"n": 1}, dedupe_key=f"b{i}", rate=(3, 600))
    with pytest.raises(RateLimited):
        job_submit(actor=user, kind="test.count", label="B", params={"n": 1}, dedupe_key="b9", rate=(3, 600))


def test_my_jobs_page_lists_only_mine(client, user):
    mine, _ = job_submit(actor=user, kind="test.count", label="Mine", params={"n": 1})
    someone = make_user(role=Role.MINISTRY_VIEWER)
    other, _ = job_submit(actor=someone, kind="test.count", label="Theirs", params={"n": 1})
    client.force_login(user)
    page = client.get("/jobs/").content.decode()
    assert f"/jobs/{mine.pk}/" in page and f"/jobs/{other.pk}/" not in page


def test_readiness_reports_database_cache_queue_and_storage(client):
    response = client.get("/health/ready", {"format": "json"})
    assert response.status_code == 200, response.content
    names = " ".join(response.json())
    for part in ("Database", "Cache", "TaskQueue", "Storage"):
        assert part in names
    assert client.get("/health/live").json() == {"status": "ok"}


def test_progress_inside_a_transaction_is_seen_on_every_database(user, settings, tmp_path):
    """A job whose work holds one transaction (an import) still shows its count: on PostgreSQL its row is written
    on a connection of its own, on SQLite (one writer at a time) in a small file beside the database, removed
    when the job ends."""
    from django.db import connection

    from ccn.jobs.services import _side_file

    settings.VAR_DIR = tmp_path
    SEEN.clear()
    job, _ = job_submit(actor=user, kind="test.long_transaction", label="Long")
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert "3 of 10 (30%)" in SEEN["page"] or "3 trên 10 (30%)" in SEEN["page"]
    assert SEEN["side"] == ("True" if connection.vendor == "sqlite" else "n/a")
    assert not _side_file(job.pk).exists()  # gone with the job
