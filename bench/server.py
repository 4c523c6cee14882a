"""The servers the bench talks to: CCN under gunicorn (production settings, DEBUG off, loopback) and the timing of
single HTTP requests against it."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The bench process signs the session cookie it hands to the server: both use this key.
SECRET_KEY = "bench-" + "k" * 50


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(port: int, path: str = "/", timeout: float = 180.0, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server on port {port} exited with code {process.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path)
            if conn.getresponse().status < 500:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"no answer on port {port} within {timeout:.0f} s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _environment(database_url: str, var_dir: Path) -> dict:
    """The production settings on loopback (DEBUG off), shared by the app servers and the task worker."""
    env = {
        **os.environ,
        "DEBUG": "0",
        "DATABASE_URL": database_url,
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CCN_VAR_DIR": str(var_dir),
        "LOG_LEVEL": "ERROR",
    }
    env.pop("CCN_TESTING", None)
    return env


def start_worker(*, database_url: str, var_dir: Path, log: Path) -> subprocess.Popen:
    """The task worker as `make serve-prod` starts it beside the app servers, on the same database and files."""
    command = [sys.executable, "manage.py", "run_worker"]
    env = _environment(database_url, var_dir)
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT)  # noqa: SIM115


def start_app(*, database_url: str, port: int, workers: int, var_dir: Path, log: Path) -> subprocess.Popen:
    """gunicorn with two sync workers on loopback and the production settings (DEBUG off, WhiteNoise)."""
    env = _environment(database_url, var_dir)
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi",
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--timeout",
        "300",
        "--backlog",
        "256",
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT)  # noqa: SIM115
    wait_until_up(port, "/healthz", process=process)
    return process


@dataclass
class Request:
    method: str = "GET"
    path: str = "/"
    headers: dict = field(default_factory=dict)
    body: bytes | None = None


def timed(port: int, req: Request, timeout: float = 300) -> tuple[float, int, int]:
    """One request on a new connection (the sync workers close it after each response): seconds from sending to
    the last byte of the body, the status and the body's size."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    started = time.perf_counter()
    conn.request(req.method, req.path, body=req.body, headers=req.headers)
    response = conn.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed, response.status, len(body)


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, int(round(pct / 100 * len(ordered) + 0.4999)))
    return ordered[min(rank, len(ordered)) - 1]
