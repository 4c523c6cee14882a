"""A large import's check and commit run in the task worker (docs/import.md, "In the background"): the page gets a
job whose progress it polls and, once the check is done, is sent to its result; nothing is written until the worker
has written every row, the same file cannot be imported twice at once, and a cancelled job writes nothing."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command

from ccn.core.models import ChangeRecord
from ccn.jobs.models import Job, JobStatus
from ccn.jobs.services import job_run
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


def checked(client, data, name="big.csv"):
    """Upload a large file: the worker checks it (this check alone, as the task would run it; other queued jobs
    wait), and the page the check sends to shows its result."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    answer = client.post("/tenants/import/", {"kind": "tenants", "file": SimpleUploadedFile(name, data)})
    assert answer.status_code == 200 and 'id="job-progress"' in answer.content.decode()
    check = Job.objects.filter(kind="tenants.check").latest("created_at")
    job_run(str(check.pk))
    check.refresh_from_db()
    assert check.status == JobStatus.DONE, check.message
    return client.get(check.result_url)


def dry_run_then_commit(client, data, name="big.csv"):
    token = re.search(r'name="token" value="([^"]+)"', checked(client, data, name).content.decode()).group(1)
    return client.post("/tenants/import/", {"token": token}, headers={"HX-Request": "true"})


def commit_job() -> Job:
    return Job.objects.get(kind="tenants.import")


def run_worker():
    call_command("run_worker", "--batch", verbosity=0)


def test_large_commit_runs_in_the_worker_all_or_nothing(client, users, cluster):
    client.force_login(users["editor"])
    response = dry_run_then_commit(client, big_file())
    job = commit_job()
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
    assert Job.objects.filter(kind="tenants.import").count() == 1
    client.force_login(users["approver"])
    refused = dry_run_then_commit(client, data).content.decode()
    assert "already running for another user" in refused
    assert Job.objects.filter(kind="tenants.import").count() == 1
    run_worker()
    assert TenantProject.objects.count() == ROWS  # written once


def test_cancelled_before_it_starts_writes_nothing(client, users, cluster):
    client.force_login(users["editor"])
    dry_run_then_commit(client, big_file())
    job = commit_job()
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
    job = commit_job()
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
    written.clear()  # the check's own steps: below
    run_worker()
    assert commit_job().status == JobStatus.DONE
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

    job = commit_job()
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, phase="checking", done=500, total=ROWS)
    client.cookies["django_language"] = "vi"
    page = client.get(f"/jobs/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert "Bước 2/3: đang kiểm tra các dòng, 500 trên 1.001 (49%)" in page
    Job.objects.filter(pk=job.pk).update(phase="writing", done=3003, total=total)
    client.cookies["django_language"] = "en"
    page = client.get(f"/jobs/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert "Step 3 of 3: writing the rows and their history (75%)" in page


def test_a_large_file_is_checked_in_the_worker_then_committed(client, users, cluster):
    """Over 1,000 rows the dry run is the worker's too: the page answers at once with the check's progress bar,
    nothing is written, and the poll that finds it done sends the page to the result (every row valid, the button
    that commits the same stored file)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(users["editor"])
    client.cookies["django_language"] = "vi"
    answer = client.post(
        "/tenants/import/", {"kind": "tenants", "file": SimpleUploadedFile("big.csv", big_file())}
    ).content.decode()
    check = Job.objects.get(kind="tenants.check")
    assert check.status == JobStatus.QUEUED and check.params["follow"] is True
    assert 'id="job-progress"' in answer and "Tệp đang được kiểm tra ở chế độ chạy nền" in answer
    assert 'id="import-checked"' not in answer and 'name="token"' not in answer
    polled = client.get(f"/jobs/{check.pk}/", headers={"HX-Request": "true"})
    assert "HX-Redirect" not in polled  # not done yet: the page keeps polling

    Job.objects.filter(pk=check.pk).update(status=JobStatus.RUNNING, phase="writing", done=500, total=2000)
    trying = client.get(f"/jobs/{check.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert "Bước 3/3: đang thử ghi các dòng vào cơ sở dữ liệu, không giữ lại (25%)" in trying  # a check keeps nothing
    Job.objects.filter(pk=check.pk).update(status=JobStatus.QUEUED, phase="", done=0, total=0)

    job_run(str(check.pk))
    check.refresh_from_db()
    assert check.status == JobStatus.DONE and check.result_url == f"/tenants/import/?check={check.pk}"
    assert check.message == "Đã kiểm tra 1.001 dòng: tất cả hợp lệ, chưa ghi dữ liệu nào."
    assert not TenantProject.objects.exists() and not ImportRun.objects.exists()  # a check writes nothing
    polled = client.get(f"/jobs/{check.pk}/", headers={"HX-Request": "true"})
    assert polled["HX-Redirect"] == check.result_url

    result = client.get(check.result_url).content.decode()
    assert 'id="import-checked"' in result and "1.001" in result and 'id="import-preview"' in result
    token = re.search(r'name="token" value="([^"]+)"', result).group(1)
    assert token == check.params["token"]
    client.post("/tenants/import/", {"token": token}, headers={"HX-Request": "true"})
    run_worker()
    assert commit_job().status == JobStatus.DONE
    assert TenantProject.objects.filter(cluster=cluster).count() == ROWS


def test_a_large_check_lists_every_bad_row_and_offers_no_commit(client, users, cluster, settings):
    """The worker's check says what the request's would: every refused row with its reason, no commit button."""
    rows = [row(tax=tax_code(i * 10 + 1), name=f"Xưởng {i}", ha="0.01") for i in range(ROWS)]
    rows[4] = row(tax=tax_code(41), name="Xưởng 4", ha="0.01", cluster="KHONG-CO")
    rows[700] = row(tax=tax_code(7001), name="Xưởng 700", ha="-3")
    client.force_login(users["editor"])
    client.cookies["django_language"] = "vi"
    page = checked(client, csv_bytes([EN, *rows])).content.decode()
    assert 'id="import-errors"' in page and 'name="token"' not in page
    problems = re.findall(r"<tr><td>(\d+)</td>", page.split('id="import-errors"')[1].split("</table>")[0])
    assert problems == ["6", "702"]  # spreadsheet rows: the header is row 1
    check = Job.objects.get(kind="tenants.check")
    assert check.message == "Đã kiểm tra 1.001 dòng: 2 dòng không nhập được; chưa ghi dữ liệu nào."
    assert not TenantProject.objects.exists()
    # nothing of it can be committed: the kept copy of the file is dropped with its token
    token = check.params["token"]
    assert token not in client.session.get("ccn_imports", {})
    assert not (Path(settings.VAR_DIR) / "imports" / f"{token}.upload").exists()


def test_a_check_is_seen_by_its_own_user_only(client, users, cluster):
    client.force_login(users["editor"])
    checked(client, big_file())
    check = Job.objects.get(kind="tenants.check")
    client.force_login(users["approver"])
    assert client.get(check.result_url).status_code == 404
    assert client.get("/tenants/import/?check=not-a-job").status_code == 404
    assert client.get(f"/jobs/{check.pk}/").status_code == 404


def test_a_check_kept_on_its_job_is_the_same_result_again(users, cluster):
    """What the worker keeps of a check (`as_dict`) gives the same result back, problems, warnings, notes and the
    preview included."""
    import json

    from ccn.core.importing import ImportResult, run_import
    from ccn.tenants.io import importer_for

    from .test_import import upload

    rows = [row(tax=tax_code(11), name="Xưởng A", ha="0,5"), row(tax=tax_code(21), name="Xưởng B", ha="abc")]
    importer = importer_for("tenants", actor=users["editor"], filename="s.csv")
    result = run_import(importer, upload(csv_bytes([EN, *rows]), "s.csv"))
    assert result.problems and result.preview
    again = ImportResult.from_dict(json.loads(json.dumps(result.as_dict())))
    assert again == result and again.problems[0].row == result.problems[0].row and not again.ok


def test_where_a_file_is_checked_is_decided_by_its_rows(tmp_path):
    """A file's rows are counted cheaply to decide where it is checked: a CSV's lines, a workbook's sheet size; a
    file that is not a spreadsheet counts 0 (its reading says why)."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    from ccn.core.import_files import rows_about

    assert rows_about(SimpleUploadedFile("a.csv", big_file(5)), filename="a.csv") == 5
    book = Workbook()
    for i in range(1200):
        book.active.append([f"KHA-{i}", i])
    book.active.insert_rows(1)
    path = tmp_path / "a.xlsx"
    book.save(path)
    assert rows_about(SimpleUploadedFile("a.xlsx", path.read_bytes()), filename="a.xlsx") == 1200
    assert rows_about(SimpleUploadedFile("a.xlsx", b"PK\x03\x04 broken"), filename="a.xlsx") == 0
    assert rows_about(SimpleUploadedFile("a.csv", b""), filename="a.csv") == 0
