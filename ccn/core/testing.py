"""Test helpers and fixtures for every app: users of each role, clusters made through the real services,
an app server in its own process with its own database, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from ccn.core import dataversion

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


# The data every app server starts with; a test module adds its own commands in `APP_SERVER_DATA`.
APP_SERVER_BASE = (
    ("migrate", "--noinput", "-v0"),
    ("createcachetable",),
    ("load_admin_units", "-v0"),
    ("load_boundaries", str(BASE_DIR / "ccn" / "geo" / "data" / "provinces-34.geojson"), "--level", "province"),
    ("load_sample_data", "-v0"),
    ("demo_users", "--force", "-v0"),
)
# A fresh install: migrated, with the administrative units and nothing else.
FRESH_INSTALL = APP_SERVER_BASE[:3]
# Runs management commands one after the other in one process (one Django start-up instead of one per command).
_RUN_COMMANDS = (
    "import json, os, sys; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings'); import django; "
    "django.setup(); from django.core.management import call_command; "
    "[call_command(*command) for command in json.loads(sys.argv[1])]"
)


def _server_env(database_url: str, var_dir: Path) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "CCN_VAR_DIR": str(var_dir),
        "DEBUG": "0",
        "CCN_TESTING": "1",
        "CCN_FAST_HASHER": "1",
        "LOGIN_MAX_ATTEMPTS": "50",
    }


def _run_commands(commands, env: dict) -> None:
    if commands:
        args = [sys.executable, "-c", _RUN_COMMANDS, json.dumps([list(c) for c in commands])]
        subprocess.run(args, env=env, check=True, cwd=BASE_DIR, stdout=subprocess.DEVNULL)


def _database_url(name: str, var_dir: Path) -> str:
    """The URL of an app server's database called `name`: a file in its data folder on SQLite, a database of that
    name on the suite's PostgreSQL server (named after the suite's own database too, so suites run side by side
    on one server never share one)."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        base, _, db = url.rpartition("/")
        return f"{base}/{db.split('?')[0]}_{name}"[: len(base) + 64]
    return f"sqlite:///{var_dir / 'e2e.sqlite3'}"


def _copy_database(source: str, target: str) -> None:
    """A new database `target` holding what `source` holds: PostgreSQL copies it with `CREATE DATABASE ...
    TEMPLATE`, SQLite with its online backup."""
    if target.startswith("postgres"):
        import psycopg

        base, _, name = target.rpartition("/")
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source.rpartition("/")[2]}"')
        return
    with (
        contextlib.closing(sqlite3.connect(source.removeprefix("sqlite:///"))) as src,
        contextlib.closing(sqlite3.connect(target.removeprefix("sqlite:///"))) as dst,
    ):
        src.backup(dst)


def _create_database(url: str) -> None:
    if url.startswith("postgres"):
        import psycopg

        base, _, name = url.rpartition("/")
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')


def _fresh_database_url(tmp: Path, worker: str) -> str:
    """A new empty database: a temporary SQLite file, or a fresh PostgreSQL database when the suite runs on
    PostgreSQL."""
    url = _database_url(f"e2e_{worker}", tmp)
    _create_database(url)
    return url


def _shared_dir(tmp_path_factory) -> Path:
    """The run's temporary folder that every xdist worker of the run sees (a worker's own is inside it)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@contextlib.contextmanager
def _locked(path: Path):
    with open(path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _template(shared: Path, commands: tuple) -> tuple[str, Path]:
    """The database and data folder an app server starts from after `commands`, built once per run of the suite
    (shared by its xdist workers, under a lock) and copied for each test module. A list that extends the base
    data or a fresh install starts from that template. Returns (database URL, data folder); call with the lock held."""
    key = hashlib.sha256(json.dumps(commands).encode()).hexdigest()[:10]
    folder = shared / f"app-template-{key}"
    var_dir = folder / "var"
    url = _database_url(f"e2e_t{key}", var_dir)
    if (folder / "ready").exists():
        return url, var_dir
    var_dir.mkdir(parents=True, exist_ok=True)
    # A list that extends another template's list starts from that template (the longest such).
    base = next(
        (len(p) for p in (APP_SERVER_BASE, FRESH_INSTALL) if len(commands) > len(p) and commands[: len(p)] == p), 0
    )
    if base:
        base_url, base_dir = _template(shared, commands[:base])
        shutil.copytree(base_dir, var_dir, dirs_exist_ok=True, ignore=shutil.ignore_patterns("e2e.sqlite3*"))
        _copy_database(base_url, url)
        todo = commands[base:]
    else:
        _create_database(url)
        todo = commands
    with open(shared / "app-templates.txt", "a") as made:
        made.write(url + "\n")
    _run_commands(todo, _server_env(url, var_dir))
    (folder / "ready").write_text(url)
    return url, var_dir


@pytest.fixture(scope="module")
def app_server(tmp_path_factory, request):
    """The real app in its own process (runserver, DEBUG off) on a fresh database with the admin units, the
    sample data and one demo user per role, plus the management commands a test module lists in
    `APP_SERVER_DATA` (for example the demo dataset of `make run`). Yields its base URL.

    Each module gets its own copy of that data (walk-throughs of different apps change the same sample clusters,
    so sharing a server would make each depend on which others ran before it on the same worker); the data is
    built once per run for each list of commands and copied (a file copy on SQLite, a template on PostgreSQL)."""
    tmp = tmp_path_factory.mktemp("app")
    module = request.module.__name__.replace("ccn.", "").replace(".tests.", "_").replace(".", "_")
    worker_id = f"{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{module}"[:55]
    commands = tuple(tuple(c) for c in (*APP_SERVER_BASE, *getattr(request.module, "APP_SERVER_DATA", ())))
    shared = _shared_dir(tmp_path_factory)
    url = _database_url(f"e2e_{worker_id}", tmp)
    with _locked(shared / "app-templates.lock"):
        template_url, template_dir = _template(shared, commands)
        shutil.copytree(template_dir, tmp, dirs_exist_ok=True, ignore=shutil.ignore_patterns("e2e.sqlite3*"))
        _copy_database(template_url, url)
    env = _server_env(url, tmp)
    with serve(env, tmp) as base_url:
        yield base_url


# How long a test server may take to answer its health check: minutes on a machine loaded by a parallel run.
SERVER_START_SECONDS = 180


@contextlib.contextmanager
def serve(env: dict, tmp: Path):
    """The real app in its own process (runserver, DEBUG off) on the database and data folder of `env`; yields its
    base URL and drops the database when it stops. Its output (and the console's e-mails) go to tmp/server.log."""
    manage = [sys.executable, str(BASE_DIR / "manage.py")]
    port = _free_port()
    # The server's log goes to a file: a pipe nobody reads fills up and then blocks the server.
    log = open(tmp / "server.log", "wb")  # noqa: SIM115 - closed when the server stops
    # The system checks run in the suite (tests/test_security.py), not again at each server's start.
    proc = subprocess.Popen(
        manage + ["runserver", f"127.0.0.1:{port}", "--noreload", "--insecure", "--skip-checks"],
        env=env,
        cwd=BASE_DIR,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    SERVER_ENVS[url] = env
    deadline = time.monotonic() + SERVER_START_SECONDS
    while True:
        try:
            urllib.request.urlopen(url + "/healthz", timeout=1)  # noqa: S310 - loopback
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError((tmp / "server.log").read_text(errors="replace"))
            time.sleep(0.2)
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()
        _drop_database(env["DATABASE_URL"])


def fresh_install(tmp_path_factory, name: str, commands=(), extra_env=None) -> tuple[dict, Path]:
    """The environment of an app server on a fresh install: migrated, with the administrative units and nothing
    else (no sample data, no demo users), then `commands`. The migrated database is built once per run and copied."""
    tmp = tmp_path_factory.mktemp(name)
    shared = _shared_dir(tmp_path_factory)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    url = _database_url(f"e2e_{worker}_{name}"[:55], tmp)
    with _locked(shared / "app-templates.lock"):
        template_url, _folder = _template(shared, FRESH_INSTALL)
        _copy_database(template_url, url)
    env = {**_server_env(url, tmp), **(extra_env or {})}
    _run_commands(commands, env)
    return env, tmp


def pytest_sessionfinish(session):
    """Drops the template databases of the run (PostgreSQL), once every worker has finished."""
    if hasattr(session.config, "workerinput"):
        return
    made = session.config._tmp_path_factory.getbasetemp() / "app-templates.txt"
    if made.exists():
        for url in set(made.read_text().split()):
            _drop_database(url)


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


@pytest.fixture
def page_cache(settings):
    """The shared page cache on (the suite runs with it off, to count each view's own queries), from a new data
    version so that nothing kept by an earlier test is served."""

    settings.PAGE_CACHE = True
    dataversion.bump()
    return settings


def run_commit_callbacks() -> None:
    """A test's transaction never commits: run what its commit would run (the data version's bump) and leave the
    callbacks registered, as they are once per transaction."""
    for _savepoints, callback, *_rest in list(connection.run_on_commit):
        callback()


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


def page_shows(page, text: str, timeout: float = 15.0) -> None:
    """Waits until the page's HTML holds the text, or fails with the end of the page. A submit's click returns once
    the navigation has started, so reading page.content() right after it may read the page being left, or nothing
    at all while the next one loads."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            page.wait_for_load_state("load")
            html = page.content()
        except Exception:  # the page navigated away while being read: read the next one
            html = ""
        if text in html:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"{text!r} not on {page.url}:\n{html[-3000:]}")
        page.wait_for_timeout(100)


# The accessibility rules that fail a page: axe-core's two worst impacts (critical, serious).
AXE_FAILING_IMPACTS = ("critical", "serious")


def axe_violations(page, base_url: str, impacts=AXE_FAILING_IMPACTS) -> list[dict]:
    """Runs axe-core (vendored in static/vendor/axe-core, loaded from the app's own static files so the page's
    Content-Security-Policy allows it) on the open page and returns its violations of the given impacts (critical
    and serious by default), each as {id, impact, help, targets, count}."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=f"{base_url}/static/vendor/axe-core/axe.min.js")
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ["violations"]});
            return r.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
                count: v.nodes.length,
            }));
        }"""
    )
    return [v for v in result if v["impact"] in impacts]
