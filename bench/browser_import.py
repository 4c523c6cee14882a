"""The import of 10,000 tenant rows as an officer makes it, in Chromium against the production server and its task
worker: the upload's check (dry run) and then the commit run in the worker while the page shows their progress
bars, the check's page is sent to its result, and the commit's ends with a link to the result (issue 18, "Done
when"). Times each step, samples the progress bars as the officer sees them and keeps screenshots under
var/bench/."""

from __future__ import annotations

import time
from pathlib import Path

TIMEOUT_MS = 300_000


def admin_cookie() -> dict:
    """The session cookie of the bench's administrator (who may import), for the browser."""
    from django.conf import settings
    from django.test import Client

    from ccn.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username="bench.admin"))
    return {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value}


def _bar(page) -> tuple[str | None, str | None, str]:
    """The job's status, its bar's value and its label as the page shows them now (nothing while it navigates)."""
    try:
        bar = page.locator("#job-progress")
        if not bar.count():
            return page.get_attribute("#job-status", "data-status", timeout=100), None, ""
        label = " ".join(page.text_content("#job-status label", timeout=100).split())
        return page.get_attribute("#job-status", "data-status", timeout=100), bar.get_attribute("value"), label
    except Exception:  # noqa: BLE001 - the page is being replaced (sent to the check's result)
        return None, None, ""


def _watch(page, samples: list, started: float, until, shot: Path) -> bool:
    """Sample the bar every 200 ms until `until(page)`; keep one screenshot of it with a count (or the first
    sight of it). True when `until` came before the time limit."""
    taken = False
    while time.perf_counter() - started < TIMEOUT_MS / 1000:
        if until(page):
            return True
        status, value, label = _bar(page)
        if label:
            samples.append((round(time.perf_counter() - started, 2), status, value, label))
            if not taken and (value not in (None, "0") or len(samples) > 5):
                page.screenshot(path=str(shot))
                taken = True
        page.wait_for_timeout(200)
    return False


def _shown(page, selector: str) -> bool:
    try:
        return page.locator(selector).count() > 0
    except Exception:  # noqa: BLE001 - between two pages
        return False


def run(port: int, *, csv_bytes: bytes, rows: int, out_dir: Path, target_ms: float) -> dict:
    """Upload, check (in the worker), commit (in the worker), follow the result link. Returns the case's record."""
    from playwright.sync_api import sync_playwright

    from ccn.core.testing import CHROMIUM, CHROMIUM_ARGS

    base = f"http://127.0.0.1:{port}"
    path = out_dir / "var" / "bench-browser-import.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(csv_bytes)
    cookie = admin_cookie()
    checks: list[tuple[float, str, str | None, str]] = []  # seconds since the click, status, bar value, its label
    samples: list[tuple[float, str, str | None, str]] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
        context.add_cookies([{**cookie, "url": base}])
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(f"{base}/tenants/import/")
        page.select_option("#id_kind", "tenants")
        page.set_input_files("#id_file", str(path))
        started = time.perf_counter()
        page.click("#import-form button[type=submit]")
        _watch(page, checks, started, lambda pg: _shown(pg, "#import-checked"), out_dir / "browser-import-checking.png")
        page.wait_for_selector("#import-checked")
        checked_ms = (time.perf_counter() - started) * 1000
        checked_url = page.url.removeprefix(base)
        checked_text = " ".join(page.text_content("#import-checked").split())

        started = time.perf_counter()
        page.click("#import-commit")
        page.wait_for_selector("#job-status")
        answered_ms = (time.perf_counter() - started) * 1000
        shot = out_dir / "browser-import-progress.png"
        _watch(page, samples, started, lambda pg: _bar(pg)[0] not in ("queued", "running"), shot)
        status = _bar(page)[0]
        done_ms = (time.perf_counter() - started) * 1000
        done_text = " ".join((page.text_content("#job-done") or "").split()) if status == "done" else ""
        page.screenshot(path=str(out_dir / "browser-import-done.png"))
        result_url = None
        if status == "done":
            page.click("#job-result-link")
            page.wait_for_load_state()
            result_url = page.url.removeprefix(base)
        browser.close()
    # The bar counts where the job's progress can be written beside its open transaction (PostgreSQL); on SQLite,
    # one writer at a time, it runs without a count under "Checking and writing the rows…" (docs/import.md).
    counted = [s for s in samples if s[2] is not None]
    return {
        "rows": rows,
        "dry_run_ms": round(checked_ms, 1),
        "checked_url": checked_url,
        "check_samples": len(checks),
        "check_labels": list(dict.fromkeys(s[3] for s in checks)),
        "commit_answered_ms": round(answered_ms, 1),
        "commit_done_ms": round(done_ms, 1),
        "target_ms": target_ms,
        "checked": checked_text,
        "status": status,
        "done": done_text,
        "result_url": result_url,
        "progress_samples": len(samples),
        "progress_counted": len(counted),
        "progress_labels": list(dict.fromkeys(s[3] for s in samples)),  # each label the officer saw, in order
        "progress_screenshot": str(shot.relative_to(out_dir.parent.parent)) if shot.exists() else None,
        "pass": status == "done"
        and bool(checks)
        and bool(samples)
        and result_url is not None
        and checked_url.startswith("/tenants/import/?check=")
        and done_ms < target_ms,
    }


def line(r: dict) -> tuple[str, str, str]:
    """The record as the bench's tables show it: what was done, the target, the result."""
    what = (
        f"Import of {r['rows']:,} tenant rows in Chromium: check in the worker {r['dry_run_ms'] / 1000:.1f} s (bar "
        f"seen {r['check_samples']} times), commit answered in {r['commit_answered_ms']:.0f} ms and done in the "
        f"worker in {r['commit_done_ms'] / 1000:.1f} s, "
        f"progress bar seen {r['progress_samples']} times ({r['progress_counted']} with a count) under "
        f"{len(r['progress_labels'])} labels, "
        f"result link {r['result_url'] or 'missing'}"
    )
    target = f"progress bar, link, commit < {r['target_ms'] / 1000:g} s"
    return what, target, "PASS" if r["pass"] else "FAIL"
