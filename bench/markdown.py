"""`python -m bench.markdown var/bench/latest-sqlite.json`: a bench run's JSON as the Markdown table of
docs/benchmarks.md."""

from __future__ import annotations

import json
import sys

from .browser_import import line as browser_import_line


def table(report: dict) -> str:
    m = report["machine"]
    d = report["dataset"]
    lines = [
        f"Run of {report['started']} on {report['database']}, {m['cpus']} cores, gunicorn {report['workers']} workers; "
        f"load average {m['load_before'][0]:.1f} before, {m['load_after'][0]:.1f} after. Dataset: "
        f"{d['clusters']:,} clusters, {d['tenant_projects']:,} tenant projects, {d.get('form01_rows', 0):,} Form 01 "
        f"and {d.get('form02_rows', 0):,} Form 02 rows, {d.get('obstacles', 0):,} obstacles, {d['targets']:,} targets.",
        "",
        "| Case | n | median ms | p95 ms | target | result |",
        "|---|---:|---:|---:|---|---|",
    ]
    for r in report["cases"]:
        if r.get("skipped"):
            lines.append(f"| {r['label']} | | | | < {r['target_ms']:g} ms | not run: {r['skipped']} |")
            continue
        lines.append(
            f"| {r['label']} | {r['n']} | {r['median_ms']:.1f} | {r['p95_ms']:.1f} | {r['target_stat']} < "
            f"{r['target_ms']:g} ms | {'PASS' if r['pass'] else '**FAIL**'} |"
        )
    for r in report.get("raw_sql", []):
        http = f"HTTP {r['http_median_ms']:.1f} ms; " if r.get("http_median_ms") else ""
        lines.append(
            f"| {r['case']}: app ÷ hand-written SQL ({http}same figures: {'yes' if r['same_figures'] else 'NO'}) | | "
            f"app {r['app_median_ms']:.1f} | SQL {r['sql_median_ms']:.1f} | ≤ 2 (is {r['ratio']:.2f}) | "
            f"{'PASS' if r['pass'] else '**FAIL**'} |"
        )
    dl = report.get("deadline")
    if dl:
        steps = "; ".join(f"{k} p95 {v['p95_ms']} ms" for k, v in dl["steps"].items())
        lines.append(
            f"| Report deadline: {dl['jobs']} concurrent Form 02 open/save/submit in {dl['wall_s']} s ({steps}) | "
            f"{dl['jobs']} | | | nothing lost or duplicated, no 5xx | {'PASS' if dl['pass'] else '**FAIL**'} "
            f"({dl['server_errors']} 5xx, {len(dl['problems'])} problems) |"
        )
    if "browser_import" in report:
        what, target, result = browser_import_line(report["browser_import"])
        lines.append(f"| {what} | 1 | | | {target} | {result if result == 'PASS' else '**FAIL**'} |")
    s = report.get("ogc_side_by_side")
    if s and "ratio" in s:
        lines.append(
            f"| OGC items, requests/s (limit {s['limit']}, {s['connections']} connections): ours "
            f"{s['ours']['rps']:.0f}, pygeoapi {s['pygeoapi']['rps']:.0f} | | | | ≥ 2× (is {s['ratio']:.2f}×) | "
            f"{'PASS' if s['pass'] else '**FAIL**'} |"
        )
    for r in report.get("load", []):
        if "case" not in r:
            continue
        lines.append(
            f"| Load {r['case']}: {r['connections']} connections × {r['seconds']} s, {r['rps']:.0f} req/s | "
            f"{r['requests']} | p50 {r['p50_ms']:.0f} | p99 {r['p99_ms']:.0f} | p99 < 500 ms, 0 errors | "
            f"{'PASS' if r['pass'] else '**FAIL**'} ({r['errors']} errors) |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    print(table(json.loads(open(sys.argv[1], encoding="utf-8").read())))  # noqa: SIM115
