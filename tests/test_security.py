"""The findings of the security review, each reproduced against the real app (docs/security.md lists the threats,
the defences and which test here covers each)."""

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
}


def _env(**values) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("CCN_TESTING", "SECRET_KEY", "DEBUG")}
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
from ccn.tenants.io import TENANT_COLUMNS
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
def test_csv_with_an_overlong_field_is_a_422_not_500(client, users):
    client.force_login(users["editor"])
    text = "Mã cụm,Tên dự án\nX," + "a" * 140_000 + "\n"
    upload = SimpleUploadedFile("long.csv", text.encode(), content_type="text/csv")
    response = client.post("/api/v1/tenants/imports", {"kind": "tenants", "file": upload})
    body = _assert_json_error(response, 422)
    assert body["code"] == "file_refused"
