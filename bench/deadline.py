"""The report-deadline scenario: many infrastructure investors open, fill and submit Form 02 for the open period
at the same time (some twice, as a double click would), through the API. Afterwards every cluster must have
exactly one Form 02, submitted, with one revision holding the figures sent: nothing lost, nothing duplicated."""

from __future__ import annotations

import json
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

from .server import percentile

DOUBLE_EVERY = 5  # every fifth cluster is sent twice, concurrently


def prepare(count: int) -> dict:
    """Investor users (one per investor of the chosen clusters) with tokens, the open period and the clusters."""
    from ccn.accounts.choices import Role
    from ccn.accounts.models import ApiToken, User
    from ccn.clusters.models import Cluster
    from ccn.reports.models import Period, ValidationRule

    period = Period.objects.filter(reports__isnull=True, closed_at__isnull=True).order_by("-ends_on").first()
    clusters = list(
        Cluster.objects.filter(code__startswith="SYN-", status="operating", investor__isnull=False)
        .order_by("code")
        .values_list("code", "investor_id")[:count]
    )
    tokens = {}
    for investor_id in sorted({i for _c, i in clusters}):
        user, _ = User.objects.get_or_create(
            username=f"bench.investor.{investor_id}", defaults={"role": Role.INVESTOR, "organisation_id": investor_id}
        )
        ApiToken.objects.filter(user=user, name="bench").delete()
        tokens[investor_id] = ApiToken.issue(user=user, name="bench")[1]
    warnings = list(
        ValidationRule.objects.filter(form="02", severity="warning", is_active=True).values_list("code", flat=True)
    )
    return {"period": period, "clusters": clusters, "tokens": tokens, "warnings": warnings}


def _call(port, method, path, token, body=None):
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    t0 = time.perf_counter()
    conn.request(method, path, body=json.dumps(body or {}).encode(), headers=headers)
    response = conn.getresponse()
    data = response.read()
    elapsed = (time.perf_counter() - t0) * 1000
    conn.close()
    try:
        payload = json.loads(data)
    except ValueError:
        payload = {"raw": data[:200].decode("utf-8", "replace")}
    return response.status, payload, elapsed


def _figures(indicators: list[dict], revenue: Decimal) -> dict:
    """The prefilled figures made consistent (the rules of Form 02) and this period's own figures."""
    v = {i["code"]: Decimal(str(i["value"])) if i["value"] is not None else None for i in indicators}
    v3 = v.get("3") or Decimal("0")
    v4 = min(v.get("4") or Decimal("0"), v3)
    v6 = v.get("6") or Decimal("0")
    v13 = v.get("13") or Decimal("0")
    return {
        "1": str(v.get("1") or 0),
        "2": str(v.get("2") or 0),
        "3": str(v3),
        "4": str(v4),
        # occupancy is leased land over the industrial land the registry holds (Decree 32/2024, Art. 2(6)–(7)),
        # which the prefilled figure already is
        "5": str(
            v["5"]
            if v.get("5") is not None and v4 == v.get("4")
            else (v4 * 100 / v3).quantize(Decimal("0.01"))
            if v3
            else 0
        ),
        "6": str(v6),
        "7": str(min(v.get("7") or 0, v6)),
        "8": str(min(v.get("8") or 0, v6)),
        "9": str(revenue),
        "10": str((revenue * Decimal("0.08")).quantize(Decimal("0.01"))),
        "11": "25",
        "12": "9.5",
        "13": str(v13),
        "14": str(min(v.get("14") or 0, v13)),
    }


def run(port: int, ctx: dict, concurrency: int) -> dict:
    period, tokens = ctx["period"], ctx["tokens"]
    comments = {code: "Số liệu kỳ này (bench)" for code in ctx["warnings"]}
    jobs = []
    for i, (code, investor_id) in enumerate(ctx["clusters"]):
        jobs.append((code, investor_id, Decimal(100 + i)))
        if i % DOUBLE_EVERY == 0:
            jobs.append((code, investor_id, Decimal(100 + i)))
    timings = {"open": [], "save": [], "submit": []}
    statuses: dict[str, dict[int, int]] = {k: {} for k in timings}
    lock = threading.Lock()

    refusals = {}  # the first answer of each refused (step, status), to say why in the summary

    def note(step, status, elapsed, payload=None):
        with lock:
            timings[step].append(elapsed)
            statuses[step][status] = statuses[step].get(status, 0) + 1
            if status >= 400 and payload is not None:
                refusals.setdefault(f"{step} {status}", json.dumps(payload, ensure_ascii=False)[:300])

    def one(job):
        code, investor_id, revenue = job
        token = tokens[investor_id]
        status, report, ms = _call(
            port, "POST", "/api/v1/reports/reports", token, {"form": "02", "period_id": period.pk, "cluster_code": code}
        )
        note("open", status, ms, report)
        if status not in (200, 201):
            return
        figures = _figures(report["indicators"], revenue)
        # a save names the version it was based on (else 428); the second of a double click gets 409, as it should
        body = {"values": figures, "version": report["version"]}
        status, saved, ms = _call(port, "PATCH", f"/api/v1/reports/reports/{report['id']}", token, body)
        note("save", status, ms, saved)
        if status != 200:
            return
        status, _s, ms = _call(
            port,
            "POST",
            f"/api/v1/reports/reports/{report['id']}/submit",
            token,
            {"comments": comments, "version": saved["version"]},
        )
        note("submit", status, ms, _s)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(one, jobs))
    wall = time.perf_counter() - started
    return {
        "jobs": len(jobs),
        "wall_s": round(wall, 2),
        "timings": timings,
        "statuses": statuses,
        "refusals": refusals,
    }


def verify(ctx: dict) -> list[str]:
    """Exactly one submitted Form 02 per cluster, one revision each, holding the revenue sent."""
    from django.db.models import Count

    from ccn.reports.models import Report, Revision

    period = ctx["period"]
    codes = [c for c, _i in ctx["clusters"]]
    problems = []
    reports = Report.objects.filter(form="02", period=period, cluster__code__in=codes)
    per_cluster = dict(reports.values_list("cluster__code").annotate(n=Count("pk")))
    for code in codes:
        n = per_cluster.get(code, 0)
        if n != 1:
            problems.append(f"{code}: {n} Form 02 reports")
    for code, status in reports.exclude(status="submitted").values_list("cluster__code", "status"):
        problems.append(f"{code}: {status}, not submitted")
    revisions = dict(
        Revision.objects.filter(report__in=reports).values_list("report__cluster__code").annotate(n=Count("pk"))
    )
    for code, n in revisions.items():
        if n != 1:
            problems.append(f"{code}: {n} revisions")
    expected = {code: Decimal(100 + i) for i, code in enumerate(codes)}
    for code, v9 in reports.values_list("cluster__code", "current__v9"):
        if v9 is None or Decimal(v9) != expected[code]:
            problems.append(f"{code}: revenue {v9}, sent {expected[code]}")
    return problems


def cleanup(ctx: dict) -> int:
    from django.contrib.contenttypes.models import ContentType

    from ccn.core.models import ChangeRecord
    from ccn.reports.models import Report

    reports = Report.objects.filter(form="02", period=ctx["period"], cluster__code__in=[c for c, _i in ctx["clusters"]])
    ids = [str(pk) for pk in reports.values_list("pk", flat=True)]
    ChangeRecord.objects.filter(content_type=ContentType.objects.get_for_model(Report), object_id__in=ids).delete()
    reports.update(current=None)
    deleted, _ = reports.delete()
    return deleted


def summary(result: dict, problems: list[str]) -> dict:
    steps = {}
    for step, values in result["timings"].items():
        steps[step] = {
            "n": len(values),
            "median_ms": round(statistics.median(values), 1) if values else None,
            "p95_ms": round(percentile(values, 95), 1) if values else None,
            "statuses": result["statuses"][step],
        }
    server_errors = sum(n for s in result["statuses"].values() for code, n in s.items() if code >= 500)
    return {
        "jobs": result["jobs"],
        "wall_s": result["wall_s"],
        "steps": steps,
        "server_errors": server_errors,
        "refusals": result.get("refusals", {}),
        "problems": problems[:20],
        "pass": server_errors == 0 and not problems,
    }
