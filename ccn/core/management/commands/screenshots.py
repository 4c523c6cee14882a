"""Writes screenshots of the main pages at desktop (1366×768) and phone (390×844) size into var/screenshots/,
signed in as the demo user of each page's role. Needs the demo data (`make run` or `make demo`)."""

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from ccn.core.screens import DESKTOP, MAIN_PAGES, PHONE
from ccn.core.testing import CHROMIUM, CHROMIUM_ARGS


def _free_port() -> int:
    with contextlib.closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Command(BaseCommand):
    help = "Screenshots of the 12 main pages at desktop and phone size into var/screenshots/."

    def add_arguments(self, parser):
        parser.add_argument("--out", default=str(Path(settings.BASE_DIR) / "var" / "screenshots"))
        parser.add_argument("--only", default="", help="only pages whose name contains this")
        parser.add_argument("--password", default="ccn-demo-2026")

    def handle(self, *args, **options):
        from playwright.sync_api import sync_playwright

        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        port = _free_port()
        env = {**os.environ, "DEBUG": "1"}
        manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
        log = open(out / "server.log", "wb")  # noqa: SIM115 - closed below
        server = subprocess.Popen(
            manage + ["runserver", f"127.0.0.1:{port}", "--noreload"], env=env, stdout=log, stderr=subprocess.STDOUT
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(150):
                try:
                    urllib.request.urlopen(base + "/healthz", timeout=1)  # noqa: S310 - loopback
                    break
                except OSError:
                    time.sleep(0.2)
            pages = [p for p in MAIN_PAGES if options["only"] in p[0]]
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
                for size_name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
                    contexts = {}
                    for name, user, path in pages:
                        if user not in contexts:
                            ctx = browser.new_context(locale="vi-VN", viewport=viewport, offline=False)
                            page = ctx.new_page()
                            if user:
                                page.goto(base + "/accounts/login/")
                                page.fill("#id_username", user)
                                page.fill("#id_password", options["password"])
                                page.click("main button[type=submit]")
                                page.wait_for_load_state("networkidle")
                            contexts[user] = page
                        page = contexts[user]
                        page.goto(base + path)
                        page.wait_for_load_state("networkidle")
                        page.wait_for_timeout(300)
                        target = out / f"{name}-{size_name}.png"
                        page.screenshot(path=str(target), full_page=False)
                        self.stdout.write(str(target))
                    for page in contexts.values():
                        page.context.close()
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)
            log.close()
