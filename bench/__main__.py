"""`python -m bench`: times every case over real HTTP against gunicorn on the national dataset, prints the table of
median and p95 with its target and PASS/FAIL, and writes it as JSON under var/bench/ (see docs/benchmarks.md)."""

from __future__ import annotations

import argparse
import csv
import datetime
import io
import json
import os
import platform
import random
import statistics
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

from .browser_import import line as browser_import_line
from .server import ROOT, SECRET_KEY, Request, free_port, percentile, start_app, start_worker, stop, timed

DEFAULT_DB = f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}"
OUT_DIR = ROOT / "var" / "bench"
IMPORT_PREFIX = "BENCH-IMPORT"


@dataclass
class Case:
    name: str
    label: str
    request: Request | None
    target_ms: float
    stat: str = "p95"  # which figure the target applies to
    n: int | None = None  # requests after the warm-up (default: --requests)
    warmup: int | None = None
    skipped: str = ""


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["SECRET_KEY"] = SECRET_KEY
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("CCN_VAR_DIR", str(OUT_DIR / "var"))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def prepare() -> dict:
    """Bench users (a Ministry official sees the nation; an admin imports), a session cookie and an API token."""
    from django.conf import settings
    from django.test import Client

    from ccn.accounts.choices import Role
    from ccn.accounts.models import ApiToken, User
    from ccn.clusters.models import Cluster

    if not Cluster.objects.filter(code__startswith="SYN-").exists():
        sys.exit("No synthetic dataset in this database: run `make dataset` first (same DATABASE_URL).")
    ministry, _ = User.objects.get_or_create(username="bench.ministry", defaults={"role": Role.MINISTRY_VIEWER})
    admin, _ = User.objects.get_or_create(
        username="bench.admin", defaults={"role": Role.ADMIN, "is_superuser": True, "is_staff": True}
    )
    client = Client()
    client.force_login(ministry)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    # Runs may overlap on one database: each issues its own tokens, valid a day, and removes only expired ones (a
    # run that deleted every "bench" token made another run's API cases answer 401)
    from django.utils import timezone

    ApiToken.objects.filter(user__in=[ministry, admin], name="bench", expires_at__lt=timezone.now()).delete()
    day = timezone.now() + datetime.timedelta(days=1)
    _t, ministry_key = ApiToken.issue(user=ministry, name="bench", expires_at=day)
    _t, admin_key = ApiToken.issue(user=admin, name="bench", expires_at=day)
    from ccn.reports.models import Period

    period = Period.objects.filter(kind="annual", reports__form="01").order_by("-ends_on").distinct().first()
    if period is None:
        sys.exit("The dataset has no reports: regenerate it with `make dataset` (reports part).")
    return {
        "period": period,
        "cookie": {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"},
        "token": {"Authorization": f"Bearer {ministry_key}"},
        "admin_token": {"Authorization": f"Bearer {admin_key}"},
        "admin": admin,
    }


def form04_report(admin, period, province_code: str) -> int:
    """A draft Form 04 of the province for the period (compiled when opened), reused by later runs."""
    from ccn.geo.models import Province
    from ccn.reports.services import report_open

    report, _created = report_open(
        actor=admin, form="04", period=period, province=Province.objects.get(code=province_code)
    )
    return report.pk


def dataset_summary() -> dict:
    from ccn.clusters.models import Cluster
    from ccn.obstacles.models import Obstacle
    from ccn.plans.models import Plan, Target
    from ccn.reports.models import Revision
    from ccn.tenants.models import TenantProject

    return {
        "clusters": Cluster.objects.count(),
        "tenant_projects": TenantProject.objects.count(),
        "form01_rows": Revision.objects.filter(form="01").count(),
        "form02_rows": Revision.objects.filter(form="02").count(),
        "obstacles": Obstacle.objects.count(),
        "plans": Plan.objects.count(),
        "targets": Target.objects.count(),
    }


def pick_codes(rng: random.Random) -> dict:
    from ccn.clusters.models import Cluster
    from ccn.geo.models import Province

    operating = list(
        Cluster.objects.filter(code__startswith="SYN-", status="operating", is_published=True)
        .order_by("code")
        .values_list("code", flat=True)
    )
    busiest = (
        Province.objects.filter(clusters__code__startswith="SYN-")
        .order_by("code")
        .values_list("code", flat=True)
        .first()
    )
    # The import's rows (0.01 ha each) go to clusters with land left to lease, so that every row can be written.
    from ccn.tenants.selectors import cluster_land

    clusters = Cluster.objects.filter(code__in=operating).order_by("code")
    importable = [c.code for c in clusters if (cluster_land(c)["vacant_ha"] or 0) >= 2]
    return {
        "detail": rng.sample(operating, min(20, len(operating))),
        "province": busiest,
        "operating": operating,
        "importable": importable,
    }


def import_file(operating: list[str], rows: int, rng: random.Random) -> bytes:
    """A CSV of `rows` new tenant projects in operating clusters, for enterprises already registered."""
    from ccn.clusters.models import Organisation
    from ccn.tenants.columns import TENANT_COLUMNS

    tax_codes = list(
        Organisation.objects.filter(name__startswith="Công ty TNHH Sản xuất SYN-")
        .order_by("pk")
        .values_list("tax_code", "name")[:2000]
    )
    run = uuid.uuid4().hex[:6]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([c.vi for c in TENANT_COLUMNS])
    keys = [c.key for c in TENANT_COLUMNS]
    for i in range(rows):
        tax, name = rng.choice(tax_codes)
        values = {
            "cluster_code": rng.choice(operating),
            "tax_code": tax,
            "enterprise_name": name,
            "country": "VN",
            "name": f"{IMPORT_PREFIX}-{run}-{i:05d}",
            "sector": "25",
            "capital": str(rng.randint(5, 300)),
            "currency": "VND",
            "exchange_rate": "1",
            "land_leased_ha": "0.01",
            "lease_start": "01/03/2024",
            "lease_end": "01/03/2074",
            "status": "Đã đăng ký",
            "workers": str(rng.randint(10, 500)),
        }
        writer.writerow([values.get(k, "") for k in keys])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def multipart(fields: dict, filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = "bench" + uuid.uuid4().hex
    parts = []
    for k, v in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode())
    parts.append(
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
            "Content-Type: text/csv\r\n\r\n"
        ).encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def browser_import(port: int, ctx: dict, args, database_url: str, rng: random.Random) -> dict:
    """The same import as an officer makes it in Chromium, the commit written by the task worker
    (bench/browser_import.py); passes only when every row was written."""
    from . import browser_import as case

    log(f"import of {args.import_rows:,} tenant rows in Chromium, with the task worker …")
    csv_bytes = import_file(ctx["codes"]["importable"], args.import_rows, rng)
    worker = start_worker(database_url=database_url, var_dir=OUT_DIR / "var", log=OUT_DIR / "worker.log")
    try:
        record = case.run(port, csv_bytes=csv_bytes, rows=args.import_rows, out_dir=OUT_DIR, target_ms=15000)
    finally:
        stop(worker)
        record_written = cleanup_import()
        log(f"removed {record_written} imported rows")
    record["written"] = record_written
    record["pass"] = record["pass"] and record_written == args.import_rows
    return record


def cleanup_import() -> int:
    from django.contrib.contenttypes.models import ContentType

    from ccn.core.models import ChangeRecord
    from ccn.tenants.models import TenantProject

    projects = TenantProject.objects.filter(name__startswith=IMPORT_PREFIX)
    ids = [str(pk) for pk in projects.values_list("pk", flat=True)]
    ct = ContentType.objects.get_for_model(TenantProject)
    for start in range(0, len(ids), 900):
        ChangeRecord.objects.filter(content_type=ct, object_id__in=ids[start : start + 900]).delete()
    deleted, _ = projects.delete()
    return deleted


def cases(ctx: dict, args) -> list[Case]:
    cookie, token = ctx["cookie"], ctx["token"]
    codes = ctx["codes"]
    province = codes["province"]
    period = ctx["period"]
    json_admin = {**ctx["admin_token"], "Content-Type": "application/json"}
    body, ctype = multipart({"kind": "tenants", "commit": "true"}, "bench-import.csv", ctx["import_csv"])
    return [
        Case(
            "list_page",
            "Cluster list page (50 rows, filtered)",
            Request(path="/clusters/?status=operating&sort=name", headers=cookie),
            50,
        ),
        Case(
            "list_api",
            "Cluster API list (50, filtered)",
            Request(path="/api/v1/clusters?status=operating&limit=50", headers=token),
            50,
        ),
        Case("detail_page", "Cluster detail page", Request(path="/clusters/{code}/", headers=cookie), 50),
        Case("detail_api", "Cluster detail API", Request(path="/api/v1/clusters/{code}", headers=token), 50),
        Case(
            "form04_province",
            f"Form 04 compiled, one province ({period.year})",
            Request(
                method="POST",
                path=f"/api/v1/reports/reports/{ctx['form04_id']}/recompile",
                headers=json_admin,
                body=b"{}",
            ),
            300,
        ),
        Case(
            "national_table",
            "National table compiled, 34 provinces (API)",
            Request(path=f"/api/v1/reports/national?period_id={period.pk}&live=true", headers=token),
            2000,
            n=args.slow_requests * 2,
        ),
        Case(
            "national_page",
            "National table compiled, 34 provinces (page)",
            Request(path=f"/reports/national/?period={period.pk}&live=1", headers=cookie),
            2000,
            n=args.slow_requests * 2,
        ),
        Case("dashboard_nation", "Dashboard, nation", Request(path="/plans/dashboard/", headers=cookie), 300),
        Case(
            "dashboard_province",
            "Dashboard, one province with targets",
            Request(path=f"/plans/dashboard/?province={province}", headers=cookie),
            300,
        ),
        Case(
            "dashboard_api",
            "Dashboard figures API, nation",
            Request(path="/api/v1/plans/dashboard?targets=false", headers=token),
            300,
        ),
        Case(
            "targets_nation",
            "Dashboard, the nation's targets section (loaded apart)",
            Request(path="/plans/dashboard/targets/", headers=cookie),
            300,
        ),
        *(
            Case(
                f"completeness_{form}_{group}",
                f"Completeness of Form {form}, nation by {group} (page 1)",
                Request(path=f"/reports/completeness/?period={period.pk}&form={form}&by={group}", headers=cookie),
                300,
            )
            for form, group in (("01", "province"), ("01", "investor"), ("02", "commune"), ("04", "province"))
        ),
        Case(
            "completeness_01_one_province",
            "Completeness of Form 01, one province by commune (page 1)",
            Request(
                path=f"/reports/completeness/?period={period.pk}&form=01&by=commune&province={province}", headers=cookie
            ),
            300,
        ),
        Case(
            "completeness_api",
            "Completeness API, Form 01, nation",
            Request(path=f"/api/v1/reports/completeness?period_id={period.pk}&form=01", headers=token),
            300,
        ),
        Case(
            "geojson", "GeoJSON of all clusters (map)", Request(path="/geo/map/clusters.geojson", headers=cookie), 150
        ),
        Case(
            "bbox",
            "OGC items in a bbox (Hà Nội area)",
            Request(path="/ogc/collections/clusters/items?f=json&bbox=105.3,20.5,106.1,21.4&limit=50"),
            30,
        ),
        Case(
            "xlsx",
            "XLSX export of all clusters",
            Request(path="/geo/clusters.xlsx", headers=cookie),
            3000,
            stat="median",
            n=args.slow_requests,
            warmup=1,
        ),
        Case(
            "import",
            f"Import of {args.import_rows:,} tenant rows",
            Request(
                method="POST",
                path="/api/v1/tenants/imports",
                headers={**ctx["admin_token"], "Content-Type": ctype},
                body=body,
            ),
            15000,
            stat="median",
            n=1,
            warmup=0,
        ),
    ]


def run_case(port: int, case: Case, args, codes: dict) -> dict:
    n = case.n if case.n is not None else args.requests
    warmup = case.warmup if case.warmup is not None else args.warmup
    times, statuses = [], set()
    for i in range(warmup + n):
        req = case.request
        if "{code}" in req.path:
            req = Request(req.method, req.path.format(code=codes["detail"][i % len(codes["detail"])]), req.headers)
        elapsed, status, _size = timed(port, req)
        statuses.add(status)
        if i >= warmup:
            times.append(elapsed * 1000)
    ok = statuses <= {200}
    median = statistics.median(times)
    p95 = percentile(times, 95)
    value = p95 if case.stat == "p95" else median
    return {
        "case": case.name,
        "label": case.label,
        "n": n,
        "median_ms": round(median, 1),
        "p95_ms": round(p95, 1),
        "max_ms": round(max(times), 1),
        "target_ms": case.target_ms,
        "target_stat": case.stat,
        "statuses": sorted(statuses),
        "pass": ok and value < case.target_ms,
    }


def _app_dashboard(scope, as_of, days):
    """What the dashboard API computes before serialising: key figures, states, series (no targets)."""
    from ccn.plans import selectors

    facts = selectors.dashboard_facts(scope, as_of, days)
    return (
        selectors.key_figures(scope, as_of, facts),
        selectors.states_on(scope, as_of, facts),
        selectors.figures_over_time(scope, days, facts),
    )


def _fetch(port: int, method: str, path: str, headers: dict) -> dict:
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    conn.request(method, path, body=b"{}" if method == "POST" else None, headers=headers)
    data = json.loads(conn.getresponse().read())
    conn.close()
    return data


def raw_sql_ratios(results: dict, ctx: dict, port: int, args) -> list[dict]:
    """For each aggregate, the same figures by hand-written SQL: timed, checked equal to the app's answer, and
    the ratio app ÷ SQL, where "app" is the app's own computation of the figures (its selectors or compile
    functions, in this process, on the same database). The HTTP time ÷ SQL is shown beside it."""
    from django.utils import timezone

    from ccn.geo.models import Province
    from ccn.plans.indicators import Scope
    from ccn.plans.selectors import year_ends
    from ccn.reports.compile import compile_figures, compile_national

    from . import rawsql

    today = timezone.localdate()
    days = year_ends(today)
    province = Province.objects.get(code=ctx["codes"]["province"])
    period = ctx["period"]
    codes = dict(Province.objects.values_list("pk", "code"))
    repeat = max(5, args.slow_requests)
    out = []
    aggregates = [
        (
            "dashboard_api",
            ("GET", "/api/v1/plans/dashboard?targets=false", ctx["token"]),
            lambda: _app_dashboard(Scope(), today, days),
            lambda: rawsql.no_jit(rawsql.dashboard)(None, days, today),
            lambda api, raw: rawsql.compare_dashboard(api, raw),
        ),
        (
            "dashboard_api_province",
            ("GET", f"/api/v1/plans/dashboard?targets=false&province={province.code}", ctx["token"]),
            lambda: _app_dashboard(Scope(province_id=province.pk), today, days),
            lambda: rawsql.no_jit(rawsql.dashboard)(province.pk, days, today),
            lambda api, raw: rawsql.compare_dashboard(api, raw),
        ),
        (
            "form04_province",
            (
                "POST",
                f"/api/v1/reports/reports/{ctx['form04_id']}/recompile",
                {**ctx["admin_token"], "Content-Type": "application/json"},
            ),
            lambda: compile_figures(period, province_id=province.pk),
            lambda: rawsql.no_jit(rawsql.form04)(period.pk, period.starts_on, period.ends_on, province.pk),
            lambda api, raw: rawsql.compare_figures(rawsql.form04_answer(api), raw[province.pk], province.code),
        ),
        (
            "national_table",
            ("GET", f"/api/v1/reports/national?period_id={period.pk}&live=true", ctx["token"]),
            lambda: compile_national(period),
            lambda: rawsql.no_jit(rawsql.form04)(period.pk, period.starts_on, period.ends_on, None),
            lambda api, raw: (
                [
                    p
                    for pid, values in raw.items()
                    for p in rawsql.compare_figures(
                        {r["province_code"]: r["figures"] for r in api["rows"]}.get(codes[pid], {}),
                        {k: v for k, v in values.items() if k != rawsql.MISSING_F01},
                        codes[pid],
                    )
                ]
                + rawsql.compare_figures(
                    {rawsql.MISSING_F01: tuple(api["total"]["missing"].get("23") or ())},
                    {rawsql.MISSING_F01: rawsql.national_missing_f01(raw)},
                    "nation",
                )
            ),
        ),
    ]
    for name, (method, path, headers), app_fn, sql_fn, compare in aggregates:
        if args.only and name not in args.only and "raw_sql" not in args.only:
            continue
        api = _fetch(port, method, path, headers)
        app_times, _ = rawsql.timed(app_fn, repeat=repeat)
        sql_times, raw = rawsql.timed(sql_fn, repeat=repeat)
        problems = compare(api, raw)
        http_ms = results[name]["median_ms"] if name in results else None
        app_ms = statistics.median(app_times) * 1000
        sql_ms = statistics.median(sql_times) * 1000
        ratio = app_ms / sql_ms if sql_ms else float("nan")
        out.append(
            {
                "case": name,
                "http_median_ms": http_ms,
                "app_median_ms": round(app_ms, 1),
                "sql_median_ms": round(sql_ms, 1),
                "ratio": round(ratio, 2),
                "http_ratio": round(http_ms / sql_ms, 2) if http_ms and sql_ms else None,
                "target_ratio": 2.0,
                "same_figures": not problems,
                "differences": problems[:10],
                "pass": ratio <= 2.0 and not problems,
            }
        )
    return out


def side_by_side(port: int, args, out_dir: Path) -> dict:
    from . import peers

    if not peers.wrk_available():
        return {"skipped": "wrk is not installed (apt-get install wrk)"}
    python = peers.ensure_pygeoapi(log)
    geojson = out_dir / "clusters.geojson"
    count = peers.export_clusters(port, geojson)
    process, pport = peers.start_pygeoapi(python, geojson, out_dir, args.workers, out_dir / "pygeoapi.log")
    try:
        limit = args.ogc_limit
        ours_url = f"http://127.0.0.1:{port}/ogc/collections/clusters/items?f=json&limit={limit}"
        theirs_url = f"http://127.0.0.1:{pport}/collections/clusters/items?f=json&limit={limit}"
        peers.wrk(ours_url, connections=args.ogc_connections, seconds=3)  # warm-up
        peers.wrk(theirs_url, connections=args.ogc_connections, seconds=3)
        ours = peers.wrk(ours_url, connections=args.ogc_connections, seconds=args.ogc_seconds)
        theirs = peers.wrk(theirs_url, connections=args.ogc_connections, seconds=args.ogc_seconds)
    finally:
        stop(process)
    ratio = ours["rps"] / theirs["rps"] if theirs["rps"] else float("inf")
    for r in (ours, theirs):
        r.pop("raw", None)
    return {
        "features": count,
        "limit": limit,
        "connections": args.ogc_connections,
        "ours": ours,
        "pygeoapi": theirs,
        "ratio": round(ratio, 2),
        "target_ratio": 2.0,
        "pass": ratio >= 2.0 and ours["errors"] == 0,
    }


def load(port: int, ctx: dict, args) -> list[dict]:
    from . import peers

    if not peers.wrk_available():
        return [{"skipped": "wrk is not installed (apt-get install wrk)"}]
    code = ctx["codes"]["detail"][0]
    browser = {"Accept-Encoding": "gzip, deflate, br"}  # as every browser asks
    targets = [
        ("list", "/clusters/?status=operating&sort=name", {**ctx["cookie"], **browser}),
        ("detail", f"/clusters/{code}/", {**ctx["cookie"], **browser}),
        ("map_data", "/geo/map/clusters.geojson", {**ctx["cookie"], **browser}),
        ("portal_search", "/portal/?q=c%E1%BB%A5m", browser),
    ]
    out = []
    for name, path, headers in targets:
        log(f"load: {name} ({args.load_connections} connections, {args.load_seconds} s) …")
        r = peers.wrk(
            f"http://127.0.0.1:{port}{path}",
            connections=args.load_connections,
            seconds=args.load_seconds,
            headers=headers,
        )
        r.pop("raw", None)
        out.append({"case": name, **r, "target_p99_ms": 500, "pass": r["errors"] == 0 and r["p99_ms"] < 500})
    return out


def print_table(report: dict) -> None:
    rows = [("Case", "n", "median ms", "p95 ms", "target", "result")]
    for r in report["cases"]:
        if r.get("skipped"):
            rows.append((r["label"], "–", "–", "–", f"< {r['target_ms']:g} ms", "SKIPPED: " + r["skipped"]))
            continue
        stat = "p95" if r["target_stat"] == "p95" else "median"
        rows.append(
            (
                r["label"],
                str(r["n"]),
                f"{r['median_ms']:.1f}",
                f"{r['p95_ms']:.1f}",
                f"{stat} < {r['target_ms']:g} ms",
                "PASS" if r["pass"] else "FAIL",
            )
        )
    for r in report.get("raw_sql", []):
        rows.append(
            (
                f"{r['case']}: app ÷ raw SQL (HTTP {r['http_median_ms'] or '–'} ms)",
                "",
                f"app {r['app_median_ms']:.1f}",
                f"sql {r['sql_median_ms']:.1f}",
                f"≤ 2 (is {r['ratio']:.2f})",
                ("PASS" if r["pass"] else "FAIL") + ("" if r["same_figures"] else " (figures differ)"),
            )
        )
    d = report.get("deadline")
    if d:
        steps = ", ".join(f"{k} p95 {v['p95_ms']}" for k, v in d["steps"].items())
        rows.append(
            (
                f"report deadline: {d['jobs']} Form 02 submissions, {d['wall_s']} s ({steps} ms)",
                str(d["jobs"]),
                "",
                "",
                "nothing lost or duplicated, no 5xx",
                ("PASS" if d["pass"] else "FAIL") + f" ({d['server_errors']} 5xx, {len(d['problems'])} problems)",
            )
        )
    if "browser_import" in report:
        what, target, result = browser_import_line(report["browser_import"])
        rows.append((what, "1", "", "", target, result))
    s = report.get("ogc_side_by_side") or {}
    if s.get("skipped"):
        rows.append(("OGC items vs pygeoapi", "", "", "", "≥ 2×", "SKIPPED: " + s["skipped"]))
    elif s:
        rows.append(
            (
                f"OGC items req/s (limit {s['limit']}, {s['connections']} conn)",
                "",
                f"ours {s['ours']['rps']:.0f}",
                f"pygeoapi {s['pygeoapi']['rps']:.0f}",
                f"≥ 2× (is {s['ratio']:.2f}×)",
                "PASS" if s["pass"] else "FAIL",
            )
        )
    for r in report.get("load", []):
        if r.get("skipped"):
            rows.append(("load", "", "", "", "", "SKIPPED: " + r["skipped"]))
            continue
        rows.append(
            (
                f"load {r['case']} ({r['connections']} conn, {r['seconds']} s, {r['rps']:.0f} req/s)",
                str(r["requests"]),
                f"p50 {r['p50_ms']:.0f}",
                f"p99 {r['p99_ms']:.0f}",
                "p99 < 500 ms, 0 errors",
                ("PASS" if r["pass"] else "FAIL") + f" ({r['errors']} errors)",
            )
        )
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    for j, row in enumerate(rows):
        print("  ".join(str(cell).ljust(widths[i]) for i, cell in enumerate(row)))
        if j == 0:
            print("  ".join("-" * w for w in widths))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--requests", type=int, default=50, help="timed requests per case after the warm-up")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--slow-requests", type=int, default=5, help="timed requests of the XLSX export")
    parser.add_argument("--import-rows", type=int, default=10000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", nargs="*", help="run only these cases (names as in the JSON)")
    parser.add_argument("--no-load", action="store_true", help="skip the wrk load runs")
    parser.add_argument("--load-seconds", type=int, default=60, help="duration of each wrk load run")
    parser.add_argument("--load-connections", type=int, default=32)
    parser.add_argument("--no-pygeoapi", action="store_true", help="skip the side-by-side with pygeoapi")
    parser.add_argument("--deadline-clusters", type=int, default=200, help="clusters submitting Form 02 at once")
    parser.add_argument("--deadline-concurrency", type=int, default=16)
    parser.add_argument("--ogc-limit", type=int, default=100)
    parser.add_argument("--ogc-connections", type=int, default=8)
    parser.add_argument("--ogc-seconds", type=int, default=15)
    args = parser.parse_args(argv)

    database_url = os.environ.get("DATABASE_URL") or DEFAULT_DB
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    setup_django(database_url)
    from django.db import connection

    rng = random.Random(2026)
    ctx = prepare()
    ctx["codes"] = pick_codes(rng)
    ctx["import_csv"] = import_file(ctx["codes"]["importable"], args.import_rows, rng)
    ctx["form04_id"] = form04_report(ctx["admin"], ctx["period"], ctx["codes"]["province"])
    connection.close()
    started = datetime.datetime.now().astimezone()
    report = {
        "started": started.isoformat(timespec="seconds"),
        "database": connection.vendor,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "load_before": os.getloadavg()},
        "dataset": dataset_summary(),
        "workers": args.workers,
        "cases": [],
    }
    port = free_port()
    log(f"starting gunicorn ({args.workers} workers, DEBUG off) on 127.0.0.1:{port}, {connection.vendor} …")
    server = start_app(
        database_url=database_url, port=port, workers=args.workers, var_dir=OUT_DIR / "var", log=OUT_DIR / "app.log"
    )
    results = {}
    try:
        for case in cases(ctx, args):
            if args.only and case.name not in args.only:
                continue
            if case.skipped:
                report["cases"].append(
                    {"case": case.name, "label": case.label, "target_ms": case.target_ms, "skipped": case.skipped}
                )
                continue
            log(f"case {case.name} …")
            written = None
            try:
                r = run_case(port, case, args, ctx["codes"])
            finally:
                if case.name == "import":
                    written = cleanup_import()
                    log(f"removed {written} imported rows")
            if written is not None:
                # A refused import answers quickly too: the case passes only when every row was written.
                r["written"] = written
                r["pass"] = bool(r.get("pass")) and written == args.import_rows
            results[case.name] = r
            report["cases"].append(r)
        if not args.only or "raw_sql" in args.only:
            log("raw SQL of the aggregates …")
            report["raw_sql"] = raw_sql_ratios(results, ctx, port, args)
        if not args.only or "deadline" in args.only:
            log(f"report-deadline scenario: {args.deadline_clusters} clusters, {args.deadline_concurrency} clients …")
            from . import deadline

            dctx = deadline.prepare(args.deadline_clusters)
            connection.close()
            try:
                outcome = deadline.run(port, dctx, args.deadline_concurrency)
                report["deadline"] = deadline.summary(outcome, deadline.verify(dctx))
            finally:
                log(f"removed {deadline.cleanup(dctx)} scenario reports")
        if not args.only or "browser_import" in args.only:
            report["browser_import"] = browser_import(port, ctx, args, database_url, rng)
        if not args.no_pygeoapi and (not args.only or "pygeoapi" in args.only):
            log("side by side with pygeoapi …")
            report["ogc_side_by_side"] = side_by_side(port, args, OUT_DIR)
        if not args.no_load and (not args.only or "load" in args.only):
            report["load"] = load(port, ctx, args)
    finally:
        stop(server)
    report["machine"]["load_after"] = os.getloadavg()
    report["finished"] = datetime.datetime.now().astimezone().isoformat(timespec="seconds")
    checks = [r.get("pass") for r in report["cases"] if not r.get("skipped")]
    checks += [r["pass"] for r in report.get("raw_sql", [])]
    checks += [r["pass"] for r in report.get("load", []) if "pass" in r]
    if "deadline" in report:
        checks.append(report["deadline"]["pass"])
    if "browser_import" in report:
        checks.append(report["browser_import"]["pass"])
    if "pass" in report.get("ogc_side_by_side", {}):
        checks.append(report["ogc_side_by_side"]["pass"])
    report["all_pass"] = all(checks)
    stamp = started.strftime("%Y%m%d-%H%M%S")
    for name in (f"bench-{connection.vendor}-{stamp}.json", f"latest-{connection.vendor}.json"):
        (OUT_DIR / name).write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    print(
        f"\nCCN bench on {connection.vendor}, {report['dataset']['clusters']:,} clusters, "
        f"{report['dataset']['tenant_projects']:,} tenant projects; load average before "
        f"{report['machine']['load_before'][0]:.1f}, after {report['machine']['load_after'][0]:.1f}\n"
    )
    print_table(report)
    print(f"\nJSON: var/bench/bench-{connection.vendor}-{stamp}.json")
    return 0 if report["all_pass"] else 1


if __name__ == "__main__":
    sys.exit(main())
