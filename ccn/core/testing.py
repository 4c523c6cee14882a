"""Test helpers and fixtures for every app: users of each role, clusters made through the real services,
an app server in its own process with its own database, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent.parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def _free_port() -> int:
    with contextlib.closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _fresh_database_url(tmp: Path, worker: str) -> str:
    """A new empty database for the app server: a temporary SQLite file, or a fresh PostgreSQL database
    when the suite runs on PostgreSQL."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        base, _, db = url.rpartition("/")
        # Named after the suite's own database too, so suites run side by side on one server never share one.
        name = f"{db.split('?')[0]}_e2e_{worker}"[:63]
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"{base}/{name}"
    return f"sqlite:///{tmp / 'e2e.sqlite3'}"


@pytest.fixture(scope="module")
def app_server(tmp_path_factory, request):
    """The real app in its own process (runserver, DEBUG off) on a fresh database with the admin units, the
    sample data and one demo user per role. Yields its base URL."""
    tmp = tmp_path_factory.mktemp("app")
    # One server per test module: walk-throughs of different apps change the same sample clusters, so sharing a
    # server would make each depend on which others ran before it on the same worker.
    module = request.module.__name__.replace("ccn.", "").replace(".tests.", "_").replace(".", "_")
    worker_id = f"{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{module}"[:55]
    env = {
        **os.environ,
        "DATABASE_URL": _fresh_database_url(tmp, worker_id),
        "CCN_VAR_DIR": str(tmp),
        "DEBUG": "0",
        "CCN_TESTING": "1",
        "CCN_FAST_HASHER": "1",
        "LOGIN_MAX_ATTEMPTS": "50",
    }
    manage = [sys.executable, str(BASE_DIR / "manage.py")]
    for cmd in (
        ["migrate", "--noinput", "-v0"],
        ["createcachetable"],
        ["load_admin_units", "-v0"],
        ["load_boundaries", str(BASE_DIR / "ccn" / "geo" / "data" / "provinces-34.geojson"), "--level", "province"],
        ["load_sample_data", "-v0"],
        ["demo_users", "--force", "-v0"],
    ):
        subprocess.run(manage + cmd, env=env, check=True, cwd=BASE_DIR, stdout=subprocess.DEVNULL)
    port = _free_port()
    # The server's log goes to a file: a pipe nobody reads fills up and then blocks the server.
    log = open(tmp / "server.log", "wb")  # noqa: SIM115 - closed when the server stops
    proc = subprocess.Popen(
        manage + ["runserver", f"127.0.0.1:{port}", "--noreload", "--insecure"],
        env=env,
        cwd=BASE_DIR,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    SERVER_ENVS[url] = env
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/healthz", timeout=1)  # noqa: S310 - loopback
            break
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError((tmp / "server.log").read_text(errors="replace"))
            time.sleep(0.2)
    yield url
    proc.terminate()
    proc.wait(timeout=10)
    log.close()
    _drop_database(env["DATABASE_URL"])


SERVER_ENVS: dict[str, dict] = {}


@pytest.fixture(scope="module")
def task_worker(app_server):
    """The task worker beside `app_server` (as `make run` starts it), on the same database and files. Yields the
    server's base URL."""
    env = SERVER_ENVS[app_server]
    log = open(Path(env["CCN_VAR_DIR"]) / "worker.log", "wb")  # noqa: SIM115 - closed when the worker stops
    proc = subprocess.Popen(
        [sys.executable, str(BASE_DIR / "manage.py"), "run_worker", "--interval", "0.2"],
        env=env,
        cwd=BASE_DIR,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    yield app_server
    proc.terminate()
    proc.wait(timeout=15)
    log.close()


def _drop_database(url: str) -> None:
    if url.startswith("postgres"):
        import psycopg

        base, _, name = url.rpartition("/")
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()


def sign_in(page, base_url: str, username: str, password: str = "ccn-demo-2026"):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")  # the header's language buttons are submit buttons too
    page.wait_for_load_state("networkidle")
