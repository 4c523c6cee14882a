"""A large import's commit runs in the task worker (docs/import.md, "In the background"): the page gets a job whose
progress it polls, nothing is written until the worker has written every row, the same file cannot be imported
twice at once, and a cancelled job writes nothing."""

import re

import pytest
from django.core.management import call_command

from ccn.core.models import ChangeRecord
from ccn.jobs.models import Job, JobStatus
from ccn.tenants.jobs import BACKGROUND_ROWS
from ccn.tenants.models import ImportRun, TenantProject

from .helpers import csv_bytes, tax_code
from .test_import import EN, row

pytestmark = pytest.mark.django_db

ROWS = BACKGROUND_ROWS + 1


def big_file(rows=ROWS) -> bytes:
    # Each row a project of its own enterprise (tax codes 10 seeds apart are distinct), 0.01 ha each:
    # 1,001 × 0.01 = 10.01 ha of the cluster's 30 ha ready land.
    return csv_bytes([EN] + [row(tax=tax_code(i * 10 + 1), name=f"Xưởng {i}", ha="0.01") for i in range(rows)])


def dry_run_then_commit(client, data, name="big.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    checked = client.post("/tenants/import/", {"kind": "tenants", "file": SimpleUploadedFile(name, data)})
    assert checked.status_code == 200
    token = re.search(r'name="token" value="([^"]+)"', checked.content.decode()).group(1)
    return client.post("/tenants/import/", {"token": token}, headers={"HX-Request": "true"})


def run_worker():
    call_command("run_worker", "--batch", verbosity=0)


def test_large_commit_runs_in_the_worker_all_or_nothing(client, users, cluster):
    client.force_login(users["editor"])
    response = dry_run_then_commit(client, big_file())
    job = Job.objects.get()
    html = response.content.decode()
    assert 'id="job-progress"' in html and f"/jobs/{job.pk}/" in html
    assert job.status == JobStatus.QUEUED and job.kind == "tenants.import" and job.user == users["editor"]
    assert not TenantProject.objects.exists()  # nothing is written before the worker runs

    polled = client.get(f"/jobs/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in polled and "job-progress" in polled

    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.message
    assert TenantProject.objects.filter(cluster=cluster).count() == ROWS
    assert job.outcome == {"total": ROWS, "created": ROWS, "updated": 0}
    assert job.percent == 100 and job.result_url == "/tenants/"
    run = ImportRun.objects.get()
    assert run.created == ROWS
    # One request id for the import's record and every row's history.
    assert ChangeRecord.objects.filter(request_id=run.request_id).count() >= ROWS + 1

    done = client.get(f"/jobs/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert 'id="job-result-link" href="/tenants/"' in done and "every 1s" not in done
    listing = client.get("/jobs/").content.decode()
    assert f"/jobs/{job.pk}/" in listing and "big.csv" in listing


def test_same_file_twice_at_once_reuses_or_refuses(client, users, cluster):
    data = big_file()
    client.force_login(users["editor"])
    dry_run_then_commit(client, data)
    dry_run_then_commit(client, data, name="copy.csv")  # same bytes under another name: the same work
    assert Job.objects.count() == 1
    client.force_login(users["approver"])
    refused = dry_run_then_commit(client, data).content.decode()
    assert "already running for another user" in refused
    assert Job.objects.count() == 1
    run_worker()
    assert TenantProject.objects.count() == ROWS  # written once


def test_cancelled_before_it_starts_writes_nothing(client, users, cluster):
    client.force_login(users["editor"])
    dry_run_then_commit(client, big_file())
    job = Job.objects.get()
    client.post(f"/jobs/{job.pk}/cancel")
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED
    assert not TenantProject.objects.exists() and not ImportRun.objects.exists()


def test_file_changed_under_the_job_fails_cleanly(client, users, cluster, hni_cluster):
    """Between the dry run and the worker, the cluster's land changed: the worker's own check refuses the rows and
    writes nothing; the job says why."""
    client.force_login(users["editor"])
    dry_run_then_commit(client, big_file())
    type(cluster).objects.filter(pk=cluster.pk).update(ready_land_ha=1, industrial_land_ha=1)
    run_worker()
    job = Job.objects.get()
    assert job.status == JobStatus.FAILED and "nothing was written" in job.message
    assert not TenantProject.objects.exists() and not ImportRun.objects.exists()


def test_large_export_in_the_worker_asked_20_times_one_job(client, users, cluster, monkeypatch, settings):
    """An export over the threshold is made by the worker; asked 20 times in a row it is one job, and past the
    export limit (here 10 in the window) the requests are refused with 429."""
    from ccn.core.importing import run_import
    from ccn.tenants import jobs as tenant_jobs
    from ccn.tenants.io import importer_for

    from .test_import import upload

    data = csv_bytes([EN] + [row(tax=tax_code(i * 10 + 1), name=f"Xưởng {i}", ha="0.01") for i in range(3)])
    assert run_import(
        importer_for("tenants", actor=users["editor"], filename="s.csv"), upload(data, "s.csv"), commit=True
    ).committed
    monkeypatch.setattr(tenant_jobs, "EXPORT_BACKGROUND_ROWS", 2)  # 3 rows: over the threshold
    settings.EXPORT_MAX = 10
    client.force_login(users["editor"])
    answers = [client.get("/tenants/export.csv?cluster=KHA-TEST") for _ in range(20)]
    assert [a.status_code for a in answers] == [302] * 10 + [429] * 10
    assert len({a["Location"] for a in answers[:10]}) == 1 and Job.objects.count() == 1
    run_worker()
    job = Job.objects.get()
    assert job.status == JobStatus.DONE and job.outcome == {"rows": 3}
    text = b"".join(client.get(f"/jobs/{job.pk}/download").streaming_content).decode("utf-8-sig")
    assert text.count("KHA-TEST") == 3 and "Xưởng 2" in text


def test_the_worker_reports_each_step_of_the_import(client, users, cluster, monkeypatch):
    """The job's bar follows the import through its three steps, each counted to its own total: reading the file,
    checking the rows (one count a row), writing (enterprises, projects and their change records, batch by batch);
    the page names the step beside the bar."""
    from ccn.jobs import services

    written = []
    write = services.Progress._write

    def recorded(self, fields):
        written.append(dict(fields))
        write(self, fields)

    monkeypatch.setattr(services.Progress, "_write", recorded)
    monkeypatch.setattr(services, "PROGRESS_INTERVAL_S", 0)  # every report reaches the job
    client.force_login(users["editor"])
    dry_run_then_commit(client, big_file())
    run_worker()
    assert Job.objects.get().status == JobStatus.DONE
    steps: dict[str, list] = {}
    for fields in written:
        if "phase" in fields:
            steps[fields["phase"]] = []
        else:
            steps[list(steps)[-1]].append((fields["done"], fields["total"]))
    assert list(steps) == ["reading", "checking", "writing"]
    assert steps["reading"] == []
    checking, writing = steps["checking"], steps["writing"]
    assert checking[-1] == (ROWS, ROWS) and [d for d, _t in checking] == sorted(d for d, _t in checking)
    # each row a new enterprise and its project: 2 × 1,001 rows written, then their 2 × 1,001 change records
    total = 4 * ROWS
    assert {t for _d, t in writing} == {total} and writing[-1] == (total, total)
    assert len(writing) >= 4 and [d for d, _t in writing] == sorted(d for d, _t in writing)

    job = Job.objects.get()
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, phase="checking", done=500, total=ROWS)
    client.cookies["django_language"] = "vi"
    page = client.get(f"/jobs/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert "Bước 2/3: đang kiểm tra các dòng, 500 trên 1.001 (49%)" in page
    Job.objects.filter(pk=job.pk).update(phase="writing", done=3003, total=total)
    client.cookies["django_language"] = "en"
    page = client.get(f"/jobs/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert "Step 3 of 3: writing the rows and their history (75%)" in page
