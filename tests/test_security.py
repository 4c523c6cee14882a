"""The findings of the security review, each reproduced against the real app (docs/security.md lists the threats,
the defences and which test here covers each)."""

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

BASE_DIR = Path(__file__).resolve().parent.parent
REAL_KEY = "k3Jq9-production-like-secret-key-0a1b2c3d4e5f6g7h8i9j0kLmNoPqRsTuVwXyZ"
PRODUCTION_ENV = {  # the settings docs/production.md documents
    "SECRET_KEY": REAL_KEY,
    "DEBUG": "0",
    "ALLOWED_HOSTS": "ccn.example.gov.vn",
    "CSRF_TRUSTED_ORIGINS": "https://ccn.example.gov.vn",
    "BEHIND_PROXY": "1",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "SECURE_HSTS_PRELOAD": "1",
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "EMAIL_HOST": "smtp.example.gov.vn",
}


def _env(**values) -> dict:
    env = {
        k: v for k, v in os.environ.items() if k not in ("CCN_TESTING", "SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE")
    }
    env.update(values)
    return env


def _python(code: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], env=env, cwd=BASE_DIR, capture_output=True, text=True)


# ------------------------------------------------------------------------------------------------- production


@pytest.mark.parametrize("key", [None, "dev-insecure-key-for-local-use-only", "short"])
def test_app_refuses_to_start_without_a_real_secret_key(key, tmp_path):
    env = _env(DEBUG="0", CCN_VAR_DIR=str(tmp_path), **({"SECRET_KEY": key} if key else {}))
    run = _python("import config.wsgi", env)
    assert run.returncode != 0
    assert "ImproperlyConfigured" in run.stderr and "SECRET_KEY" in run.stderr


def test_app_starts_with_a_real_key_and_in_development(tmp_path):
    assert _python("import config.wsgi", _env(CCN_VAR_DIR=str(tmp_path), **PRODUCTION_ENV)).returncode == 0
    assert _python("import config.asgi", _env(CCN_VAR_DIR=str(tmp_path), DEBUG="1")).returncode == 0


def test_check_deploy_is_clean_with_the_documented_production_settings(tmp_path):
    manage = [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"]
    env = _env(CCN_VAR_DIR=str(tmp_path), **PRODUCTION_ENV)
    run = subprocess.run(manage, env=env, cwd=BASE_DIR, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr + run.stdout
    dev = subprocess.run(manage, env={**env, "SECRET_KEY": ""}, cwd=BASE_DIR, capture_output=True, text=True)
    assert dev.returncode != 0 and "ccn.E001" in dev.stderr + dev.stdout


# ------------------------------------------------------------------------------------------------- API input


def _assert_json_error(response, status: int):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["detail"] and body["request_id"] == response["X-Request-Id"]
    return body


@pytest.mark.django_db
def test_lone_surrogate_is_refused_with_422_not_500(client, users):
    client.force_login(users["editor"])
    body = '{"name": "C\\ud800ng ty"}'
    response = client.post("/api/v1/organisations", body, content_type="application/json")
    errors = _assert_json_error(response, 422)["errors"]
    assert "name" in errors


@pytest.mark.django_db
def test_text_is_stored_in_nfc(client, users):
    from ccn.clusters.models import Organisation

    client.force_login(users["admin"])
    decomposed = "Công ty Cơ khí Thê\u0301"  # "ế" typed as "ê" + a combining acute accent
    response = client.post("/api/v1/organisations", {"name": decomposed}, content_type="application/json")
    assert response.status_code in (200, 201), response.content[:300]
    stored = Organisation.objects.get(pk=response.json()["id"]).name
    assert stored == "Công ty Cơ khí Thế" and stored != decomposed


@pytest.mark.django_db
def test_request_body_must_be_an_object(client, users):
    client.force_login(users["admin"])
    response = client.patch("/api/v1/organisations/1", "[]", content_type="application/json")
    _assert_json_error(response, 422)


@pytest.mark.django_db
@pytest.mark.parametrize("day", ["0003-01-07", "9999-12-31", "1899-12-31"])
def test_dates_outside_1900_2100_are_refused(client, users, day):
    client.force_login(users["ministry"])
    _assert_json_error(client.get(f"/api/v1/plans/dashboard?as_of={day}"), 422)
    assert client.get("/api/v1/plans/dashboard?as_of=2024-06-30").status_code == 200


@pytest.mark.django_db
def test_an_api_fault_is_json_with_the_request_id(rf):
    from config.api import server_error

    request = rf.get("/api/v1/anything")
    request.request_id = "abc123"
    response = server_error(request, RuntimeError("boom"))
    assert response.status_code == 500 and response["Content-Type"].startswith("application/json")
    body = json.loads(response.content)
    assert body["request_id"] == "abc123" and "boom" not in body["detail"]


# ------------------------------------------------------------------------------------------------- spreadsheets


def _bomb(path: Path, size: int = 100 * 1024 * 1024) -> Path:
    """A small workbook whose one shared string is `size` characters: written in chunks, never held whole."""
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
            'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="data" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://'
            'schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData>'
            "</worksheet>"
        ),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=False) as member:
            member.write(
                b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
                b'spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>'
            )
            chunk = b"A" * (1024 * 1024)
            for _ in range(size // len(chunk)):
                member.write(chunk)
            member.write(b"</t></si></sst>")
    return path


BOMB_PROBE = """
import os, resource, sys, time, tracemalloc
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()
from ccn.core.errors import DomainError
from ccn.core.importing import read_rows
from ccn.tenants.columns import TENANT_COLUMNS
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
tracemalloc.start()
start = time.monotonic()
with open(sys.argv[1], "rb") as fh:
    try:
        read_rows(fh, TENANT_COLUMNS, filename="bomb.xlsx")
        outcome = "read"
    except DomainError as exc:
        outcome = f"{exc.http_status}:{exc.code}"
elapsed = time.monotonic() - start
peak = tracemalloc.get_traced_memory()[1]
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(outcome, f"{elapsed:.3f}", peak, (after - before) * 1024)
"""


def test_spreadsheet_bomb_is_refused_fast_with_bounded_memory(tmp_path):
    bomb = _bomb(tmp_path / "bomb.xlsx")
    assert bomb.stat().st_size < 200 * 1024  # about 100 KB on disk, 100 MB unpacked
    probe = [sys.executable, "-c", BOMB_PROBE, str(bomb)]
    run = subprocess.run(probe, env=os.environ.copy(), cwd=BASE_DIR, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    outcome, elapsed, peak, rss_growth = run.stdout.split()
    assert outcome == "422:file_refused"
    assert float(elapsed) < 5
    assert int(peak) < 20 * 1024 * 1024, f"peak Python allocation {int(peak) / 1e6:.1f} MB"
    assert int(rss_growth) < 50 * 1024 * 1024, f"process grew by {int(rss_growth) / 1e6:.1f} MB"


@pytest.mark.django_db
def test_spreadsheet_bomb_through_the_api_is_a_4xx(client, users, tmp_path):
    client.force_login(users["editor"])
    bomb = _bomb(tmp_path / "bomb.xlsx")
    with open(bomb, "rb") as fh:
        response = client.post("/api/v1/tenants/imports", {"kind": "tenants", "file": fh})
    body = _assert_json_error(response, 422)
    assert body["code"] == "file_refused"


@pytest.mark.django_db
def test_xlsx_cell_over_excels_limit_is_refused(client, users, tmp_path):
    """2 MB of text in one cell passes the unpacked-size bounds but is no cell Excel could have written."""
    client.force_login(users["editor"])
    with open(_bomb(tmp_path / "long-cell.xlsx", size=2 * 1024 * 1024), "rb") as fh:
        response = client.post("/api/v1/tenants/imports", {"kind": "tenants", "file": fh}, HTTP_ACCEPT_LANGUAGE="en")
    body = _assert_json_error(response, 422)
    assert body["code"] == "file_refused" and "32,767" in body["detail"]


@pytest.mark.django_db
def test_reading_a_workbook_is_bounded_in_time(client, users, settings):
    """The reader checks IMPORT_READ_SECONDS between rows; with no time at all even a small workbook is refused."""
    from openpyxl import Workbook

    book = Workbook()
    for n in range(3):
        book.active.append([f"Mã {n}", "Tên"])
    data = io.BytesIO()
    book.save(data)
    settings.IMPORT_READ_SECONDS = 0
    client.force_login(users["editor"])
    upload = SimpleUploadedFile("slow.xlsx", data.getvalue())
    response = client.post("/api/v1/tenants/imports", {"kind": "tenants", "file": upload}, HTTP_ACCEPT_LANGUAGE="en")
    body = _assert_json_error(response, 422)
    assert body["code"] == "file_refused" and "took longer than 0 seconds" in body["detail"]


@pytest.mark.django_db
def test_csv_with_an_overlong_field_is_a_422_not_500(client, users):
    client.force_login(users["editor"])
    text = "Mã cụm,Tên dự án\nX," + "a" * 140_000 + "\n"
    upload = SimpleUploadedFile("long.csv", text.encode(), content_type="text/csv")
    response = client.post("/api/v1/tenants/imports", {"kind": "tenants", "file": upload})
    body = _assert_json_error(response, 422)
    assert body["code"] == "file_refused"


# ------------------------------------------------------------------------------------------------- throttling


@pytest.mark.django_db
def test_sign_in_throttle_counts_username_variants_as_authentication_reads_them(client, settings):
    from ccn.accounts.choices import Role
    from ccn.accounts.tests.factories import PASSWORD, make_user

    settings.LOGIN_MAX_ATTEMPTS = 5
    make_user("tenant.secret", role=Role.MINISTRY_VIEWER)
    variants = ["\uff54enant.secret", "TENANT.SECRET", " tenant.secret ", "Tenant.Secret", "tenant.secret"]
    for name in variants:  # full-width t (NFKC), case and spaces: all the same account to the throttle
        response = client.post("/accounts/login/", {"username": name, "password": "wrong-password-1"})
        assert response.status_code == 200
    response = client.post("/accounts/login/", {"username": "\uff54enant.secret", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def _parallel(fn, n: int) -> list:
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    def run(_):
        try:
            return fn()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(run, range(n)))


@pytest.mark.django_db(transaction=True)
def test_parallel_attempts_are_counted_together():
    """20 attempts at once against a limit of 5: at most 5 get through (a read-then-write counter let 21 through),
    and once the slots are taken nothing more does."""
    from ccn.core import throttle

    results = _parallel(lambda: throttle.claim("test", "same-user\n10.0.0.1", limit=5, window=60), 20)
    assert 1 <= sum(results) <= 5
    while throttle.claim("test", "same-user\n10.0.0.1", limit=5, window=60):
        pass
    assert throttle.exhausted("test", "same-user\n10.0.0.1", limit=5)
    assert sum(throttle.claim("test", "same-user\n10.0.0.1", limit=5, window=60) for _ in range(10)) == 0


@pytest.mark.django_db(transaction=True)
def test_parallel_inquiries_are_counted_together():
    from ccn.portal import spam

    results = _parallel(lambda: spam.over_limit("addr", "203.0.113.7", (5, 600)), 20)
    assert results.count(False) <= 5 and results.count(True) >= 15


@pytest.mark.django_db(transaction=True)
def test_parallel_repeats_of_one_idempotency_key_run_once():
    """Eight copies of one POST at once (a double click, a client's retries): the view runs once, every copy gets
    its answer, seven of them marked as replayed (ccn/core/idempotency.py claims the key with cache.add)."""
    import threading
    import time

    from django.contrib.auth.models import AnonymousUser
    from django.http import JsonResponse
    from django.test import RequestFactory

    from ccn.core.idempotency import IdempotencyMiddleware

    runs, lock = [], threading.Lock()

    def view(request):
        with lock:
            runs.append(request.body)
        time.sleep(0.3)  # long enough for every copy to arrive while the first runs
        return JsonResponse({"id": 41}, status=201)

    middleware = IdempotencyMiddleware(view)

    def post():
        request = RequestFactory().post(
            "/api/v1/obstacles/1/notes",
            {"text": "một lần"},
            content_type="application/json",
            headers={"Idempotency-Key": "double-click-1"},
        )
        request.user = AnonymousUser()
        response = middleware(request)
        return response.status_code, json.loads(response.content), response.get("Idempotent-Replayed")

    results = _parallel(post, 8)
    assert len(runs) == 1
    assert {(status, body["id"]) for status, body, _ in results} == {(201, 41)}
    assert sorted(replayed or "" for _, _, replayed in results) == [""] + ["true"] * 7


# ------------------------------------------------------------------------------------------------- API contract


def test_openapi_schema_names_are_unique():
    """The OpenAPI document keys schemas by class name: two classes of one name silently documented one of them
    for both (POST /api/v1/obstacles lost its `cluster` field, cluster transitions their `effective_on`)."""
    import importlib
    import inspect

    import pydantic

    apps = ["accounts", "clusters", "geo", "infrastructure", "obstacles", "plans", "portal", "procedures", "reports"]
    names: dict[str, set[str]] = {}
    for app in apps + ["tenants", "core"]:
        for part in ("api", "schemas"):
            try:
                module = importlib.import_module(f"ccn.{app}.{part}")
            except ModuleNotFoundError:
                continue
            for obj in vars(module).values():
                if inspect.isclass(obj) and issubclass(obj, pydantic.BaseModel) and obj.__module__ == module.__name__:
                    names.setdefault(obj.__name__, set()).add(obj.__module__)
    assert {n: m for n, m in names.items() if len(m) > 1} == {}


@pytest.mark.django_db
def test_openapi_documents_each_body_with_its_own_fields(client):
    doc = client.get("/api/v1/openapi.json").json()
    schemas = doc["components"]["schemas"]
    body = doc["paths"]["/api/v1/obstacles"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert "cluster" in schemas[body["$ref"].rsplit("/", 1)[-1]]["properties"]


def test_csp_violation_reports_are_counted_and_shown_to_administrators_only(client, users):
    report = {
        "csp-report": {
            "document-uri": "http://testserver/portal/",
            "violated-directive": "script-src-elem",
            "effective-directive": "script-src-elem",
            "blocked-uri": "inline",
        }
    }
    for _ in range(2):
        sent = client.post("/csp-report/", json.dumps(report), content_type="application/csp-report")
        assert sent.status_code == 204
    modern = [
        {
            "type": "csp-violation",
            "body": {
                "documentURL": "http://testserver/",
                "effectiveDirective": "img-src",
                "blockedURL": "https://evil.example/x.png",
            },
        }
    ]
    assert client.post("/csp-report/", json.dumps(modern), content_type="application/reports+json").status_code == 204
    assert client.post("/csp-report/", "not json", content_type="application/csp-report").status_code == 400
    client.force_login(users["editor"])
    assert client.get("/csp-report/").status_code == 403
    client.force_login(users["admin"])
    shown = client.get("/csp-report/").json()
    assert shown["count"] == 3  # the same violation twice, another once
    assert {(r["directive"], r["count"]) for r in shown["recent"]} == {("script-src-elem", 2), ("img-src", 1)}
    assert "report-uri /csp-report/" in client.get("/").headers["Content-Security-Policy"]
