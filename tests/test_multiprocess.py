"""Several app servers (docs/production.md, "Several app servers"): two gunicorn processes and one task worker on
one PostgreSQL database and one Redis, as `make serve-prod` runs them, with the production settings (DEBUG off).

Checked over HTTP: both report ready (database, cache, task queue, storage); a session started through one is
valid through the other; the map data cached through one is answered with 304 through the other, and the bodies
of the cluster list, a cluster's page and the portal search kept through one are served through the other; a write
through one is seen at once through the other and invalidates those cached copies for both; sign-in attempts are
counted across both; a large import checked through one and committed through the other runs in the worker,
which finishes it while the first process shows its progress. Skipped, with the reason, only where PostgreSQL or Redis
is not running (never in CI, where .ci/run starts both).

The database is copied from a template migrated once per set of migrations (`ccn_mp_tpl_<hash>`, kept on the
server), so a run costs a few seconds plus the work itself.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

pytestmark = pytest.mark.slow

BASE_DIR = Path(__file__).resolve().parent.parent
PG = os.environ.get("CCN_MULTIPROCESS_PG", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("CCN_MULTIPROCESS_REDIS", "redis://127.0.0.1:6379/0")
PASSWORD = "mp-password-2026"
ROWS = 1001  # more than BACKGROUND_ROWS (1,000): the commit runs in the worker

SETUP = f"""
from decimal import Decimal
from ccn.accounts.choices import Role
from ccn.accounts.models import User
from ccn.clusters.tests.factories import make_cluster
admin = User.objects.create_user(username="mp.admin", password="{PASSWORD}", role=Role.ADMIN,
                                 is_superuser=True, is_staff=True)
make_cluster(code="MP-TEST", name="Cụm công nghiệp Nhiều Tiến Trình", status="operating", actor=admin,
             industrial_land_ha=Decimal("40"), ready_land_ha=Decimal("30"), lat=12.25, lon=109.1, is_published=True)
"""


def _until_done(s, url: str) -> tuple[str, str | None]:
    """Poll a job's status as its page does until it has ended; its last answer and where it sends the page."""
    for _ in range(300):
        answer = s.get(url, headers={"HX-Request": "true"})
        status = re.search(r'data-status="(\w+)"', answer.text).group(1)
        if status not in ("queued", "running"):
            assert status == "done", answer.text
            return answer.text, answer.headers.get("HX-Redirect")
        time.sleep(0.2)
    raise AssertionError(f"{url} did not end: {answer.text}")


def _services_or_skip() -> None:
    import psycopg
    import redis

    missing = []
    try:
        psycopg.connect(f"{PG}/postgres", connect_timeout=2).close()
    except psycopg.OperationalError:
        missing.append(f"PostgreSQL is not running at {PG}")
    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError:
        missing.append(f"Redis is not running at {REDIS}")
    if missing:
        message = "multi-process test needs PostgreSQL and Redis: " + "; ".join(missing)
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def _migrations_digest() -> str:
    import django_tasks_db

    files = sorted(BASE_DIR.glob("ccn/*/migrations/0*.py"))
    digest = hashlib.sha256(django_tasks_db.__version__.encode())
    for path in files:
        digest.update(str(path.relative_to(BASE_DIR)).encode() + path.read_bytes())
    return digest.hexdigest()[:12]


def _manage(env: dict, *args: str) -> None:
    subprocess.run(
        [sys.executable, str(BASE_DIR / "manage.py"), *args],
        env=env,
        cwd=BASE_DIR,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def _database(env: dict) -> str:
    """A new database copied from the template (built under an advisory lock the first time)."""
    import psycopg

    template = f"ccn_mp_tpl_{_migrations_digest()}"
    name = f"ccn_mp_{os.getpid()}_{secrets.token_hex(3)}"
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(42180)")
        try:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template]).fetchone():
                building = f"{template}_building"
                conn.execute(f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)')
                conn.execute(f'CREATE DATABASE "{building}"')
                build_env = {**env, "DATABASE_URL": f"{PG}/{building}"}
                _manage(build_env, "migrate", "--noinput", "-v0")
                _manage(build_env, "createcachetable")
                _manage(build_env, "load_admin_units", "-v0")
                conn.execute(f'ALTER DATABASE "{building}" RENAME TO "{template}"')
                # Templates of older migration sets are no longer used by anyone (they are only read under this
                # lock): drop them so that they do not pile up on a developer's server.
                stale = conn.execute(
                    "SELECT datname FROM pg_database WHERE datname LIKE 'ccn\\_mp\\_tpl\\_%%' AND datname <> %s",
                    [template],
                ).fetchall()
                for (old,) in stale:
                    conn.execute(f'DROP DATABASE IF EXISTS "{old}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        finally:
            conn.execute("SELECT pg_advisory_unlock(42180)")
    return name


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_ready(url: str, process: subprocess.Popen, log: Path) -> dict:
    for _ in range(150):
        try:
            response = requests.get(url + "/health/ready", headers={"Accept": "application/json"}, timeout=30)
            if response.status_code == 200:
                return response.json()
        except (requests.ConnectionError, requests.Timeout):
            pass
        if process.poll() is not None:
            raise RuntimeError(log.read_text(errors="replace")[-3000:])
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not become ready: {log.read_text(errors='replace')[-3000:]}")


@pytest.fixture(scope="module")
def cluster_of_processes(tmp_path_factory):
    """Two gunicorn app processes (A and B) and one task worker; yields (url A, url B)."""
    _services_or_skip()
    import psycopg
    import redis

    tmp = tmp_path_factory.mktemp("multiprocess")
    prefix = f"ccnmp{secrets.token_hex(4)}"
    ports = [_port(), _port()]
    env = {k: v for k, v in os.environ.items() if k not in {"CCN_TESTING", "DATABASE_URL", "REDIS_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        REDIS_URL=REDIS,
        CACHE_KEY_PREFIX=prefix,
        SECRET_KEY=secrets.token_urlsafe(64),
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1",
        CSRF_TRUSTED_ORIGINS=",".join(f"http://127.0.0.1:{p}" for p in ports),
        SECURE_COOKIES="0",
        CCN_VAR_DIR=str(tmp),
        CCN_FAST_HASHER="1",
        LOGIN_MAX_ATTEMPTS="3",
    )
    name = _database(env)
    env["DATABASE_URL"] = f"{PG}/{name}"
    processes = []
    try:
        _manage(env, "shell", "-c", SETUP)
        commands = [
            [sys.executable, "-m", "gunicorn", "config.wsgi", "--workers", "1", "--bind", f"127.0.0.1:{port}"]
            for port in ports
        ] + [[sys.executable, str(BASE_DIR / "manage.py"), "run_worker", "--interval", "0.2"]]
        for index, command in enumerate(commands):
            log = tmp / f"process-{index}.log"
            with open(log, "wb") as out:
                processes.append(
                    (subprocess.Popen(command, env=env, cwd=BASE_DIR, stdout=out, stderr=subprocess.STDOUT), log)
                )
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        readiness = [_wait_ready(url, process, log) for url, (process, log) in zip(urls, processes, strict=False)]
        yield urls, readiness, tmp
    finally:
        for process, _log in processes:
            process.terminate()
        for process, _log in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        client = redis.Redis.from_url(REDIS)
        keys = list(client.scan_iter(match=f"*{prefix}*", count=1000))
        if keys:
            client.delete(*keys)


def _csrf(session: requests.Session) -> str:
    return session.cookies.get("csrftoken", "")


def _sign_in(session: requests.Session, url: str, username: str, password: str) -> requests.Response:
    session.get(url + "/accounts/login/")
    return session.post(
        url + "/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": _csrf(session)},
        headers={"Referer": url + "/accounts/login/"},
        allow_redirects=False,
    )


def _tenant_csv(rows: int) -> bytes:
    from ccn.tenants.columns import TENANT_COLUMNS
    from ccn.tenants.tests.helpers import csv_bytes, tax_code

    header = [c.en for c in TENANT_COLUMNS]
    body = []
    for i in range(rows):
        values = {
            "cluster_code": "MP-TEST",
            "tax_code": tax_code(i * 10 + 1),
            "enterprise_name": f"Công ty {i}",
            "country": "VN",
            "name": f"Xưởng {i}",
            "land_leased_ha": "0.01",  # 1,001 × 0.01 = 10.01 ha of the 30 ha ready
            "status": "Operating",
        }
        body.append([values.get(c.key) for c in TENANT_COLUMNS])
    return csv_bytes([header, *body])


def test_two_app_processes_and_a_worker_share_everything(cluster_of_processes):
    (a, b), readiness, _tmp = cluster_of_processes
    for report in readiness:
        names = " ".join(report)
        assert all(part in names for part in ("Database", "Cache", "TaskQueue", "Storage")), report

    # A session started through A is valid through B (sessions live in the shared database).
    s = requests.Session()
    s.cookies.set("django_language", "en")
    assert _sign_in(s, a, "mp.admin", PASSWORD).status_code == 302
    through_b = s.get(b + "/jobs/", allow_redirects=False)
    assert through_b.status_code == 200 and "My background jobs" in through_b.text

    # The map's data is cached in Redis with an ETag from the data version: B's ETag is valid through A.
    first = s.get(b + "/geo/map/clusters.geojson")
    tag = first.headers["ETag"]
    assert "Cụm công nghiệp Nhiều Tiến Trình" in first.text
    assert s.get(a + "/geo/map/clusters.geojson", headers={"If-None-Match": tag}).status_code == 304

    # The cluster list, the cluster's page and the portal search keep their bodies in Redis too.
    kept = ["/clusters/?sort=name", "/clusters/MP-TEST/", "/portal/?q=c%E1%BB%A5m"]
    for path in kept:
        assert "Cụm công nghiệp Nhiều Tiến Trình" in s.get(b + path).text, path

    # A write through A is seen at once through B.
    before = s.get(a + "/api/v1/clusters/MP-TEST").json()
    changed = s.patch(
        a + "/api/v1/clusters/MP-TEST",
        json={"name": "Cụm công nghiệp Đổi Tên", "version": before["confidential"]["version"]},
        headers={"X-CSRFToken": _csrf(s), "Referer": a + "/"},
    )
    assert changed.status_code == 200, changed.text
    assert s.get(b + "/api/v1/clusters/MP-TEST").json()["name"] == "Cụm công nghiệp Đổi Tên"
    # ... and the cached map data is invalidated for both: B answers the old ETag with the new name.
    after = s.get(b + "/geo/map/clusters.geojson", headers={"If-None-Match": tag})
    assert after.status_code == 200 and after.headers["ETag"] != tag and "Cụm công nghiệp Đổi Tên" in after.text
    for path in kept:  # no body kept before the write is served through either process
        for server in (b, a):
            assert "Cụm công nghiệp Đổi Tên" in s.get(server + path).text, server + path

    # Sign-in attempts count across processes: LOGIN_MAX_ATTEMPTS=3, spread over A, B, A; the fourth, through B,
    # is refused even with the right password.
    t = requests.Session()
    t.cookies.set("django_language", "en")
    for url in (a, b, a):
        refused = _sign_in(t, url, "mp.admin", "wrong-password")
        assert refused.status_code == 200 and "Too many" not in refused.text
    blocked = _sign_in(t, b, "mp.admin", PASSWORD)
    assert blocked.status_code == 429 and "Too many failed sign-in attempts" in blocked.text

    # A large import: checked by the worker for A, its result read through B, committed through B, written by the
    # worker, followed through A.
    checking = s.post(
        a + "/tenants/import/",
        data={"kind": "tenants", "csrfmiddlewaretoken": _csrf(s)},
        files={"file": ("mp.csv", _tenant_csv(ROWS), "text/csv")},
        headers={"Referer": a + "/tenants/import/"},
    )
    check_url = re.search(r'hx-get="(/jobs/[0-9a-f-]+/)"', checking.text)
    assert check_url, checking.text[-2000:]
    page, result_url = _until_done(s, a + check_url.group(1))
    assert result_url and result_url.startswith("/tenants/import/?check="), page
    checked = s.get(b + result_url)
    token = re.search(r'name="token" value="([^"]+)"', checked.text)
    assert token, checked.text[-2000:]
    committed = s.post(
        b + "/tenants/import/",
        data={"token": token.group(1), "csrfmiddlewaretoken": _csrf(s)},
        headers={"Referer": b + "/tenants/import/", "HX-Request": "true"},
    )
    job_url = re.search(r'hx-get="(/jobs/[0-9a-f-]+/)"', committed.text)
    assert job_url, committed.text[-2000:]
    page, _none = _until_done(s, a + job_url.group(1))
    assert 'id="job-result-link" href="/tenants/"' in page
    listed = s.get(b + "/api/v1/tenants/projects", params={"cluster": "MP-TEST", "limit": 1}).json()
    assert listed["count"] == ROWS
