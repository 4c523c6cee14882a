"""Hand-written SQL for the figures of the aggregate cases: what a careful DBA would write, timed beside the app to
give the ratio app ÷ raw SQL, and compared with the app's answer so the two compute the same figure."""

# ruff: noqa: S608 -- the SQL text is built from constants; values go as parameters.
from __future__ import annotations

import datetime
import time
from decimal import Decimal

from django.db import connection

from ccn.clusters.choices import ESTABLISHED_STATES, IN_PLAN_STATES, OPERATING_STATES
from ccn.clusters.choices import ClusterStatus as S
from ccn.tenants.choices import LEASING_STATUSES

LAND_STATES = (*ESTABLISHED_STATES, S.OPERATING_UNESTABLISHED)
STAGES = (
    ("planned", (S.PLANNED,)),
    ("preparing", (S.ESTABLISHED, S.DETAILED_PLAN_APPROVED, S.INFRASTRUCTURE_APPROVED)),
    ("building", (S.LAND_CLEARANCE, S.UNDER_CONSTRUCTION)),
    ("operating", (S.OPERATING, S.EXPANDING, S.OPERATING_UNESTABLISHED)),
)


def _in(states) -> str:
    return "(" + ", ".join(f"'{s}'" for s in states) + ")"


def _state(i: int, day: datetime.date, today: datetime.date) -> str:
    if day >= today:
        return "c.status"
    return (
        "(SELECT e.to_status FROM clusters_clusterevent e WHERE e.cluster_id = c.id AND e.effective_on <= %s"
        " ORDER BY e.effective_on DESC, e.id DESC LIMIT 1)"
    )


def dashboard(province_id: int | None, days: list[datetime.date], today: datetime.date) -> dict:
    """The dashboard's figures (key figures, clusters by state, series at year ends) in four statements."""
    where = "WHERE c.province_id = %s" if province_id else ""
    where_params = [province_id] if province_id else []
    with connection.cursor() as cur:
        cur.execute(f"SELECT c.status, COUNT(*) FROM clusters_cluster c {where} GROUP BY c.status", where_params)
        states = dict(cur.fetchall())

        cols, params = [], []
        for i, d in enumerate(days):
            cols.append(f"{_state(i, d, today)} AS s{i}")
            if d < today:
                params.append(d)
        sums = []
        for i in range(len(days)):
            sums += [f"SUM(CASE WHEN s{i} IN {_in(st)} THEN 1 ELSE 0 END)" for _n, st in STAGES]
            sums.append(f"SUM(CASE WHEN s{i} IN {_in(LAND_STATES)} THEN COALESCE(industrial_land_ha, 0) ELSE 0 END)")
        last = len(days) - 1
        sums += [
            f"SUM(CASE WHEN s{last} IN {_in(IN_PLAN_STATES)} THEN 1 ELSE 0 END)",
            f"SUM(CASE WHEN s{last} IN {_in(IN_PLAN_STATES)} THEN COALESCE(area_established_ha, area_planned_ha)"
            " ELSE 0 END)",
            f"SUM(CASE WHEN s{last} IN {_in(ESTABLISHED_STATES)} THEN 1 ELSE 0 END)",
            f"SUM(CASE WHEN s{last} IN {_in(OPERATING_STATES)} THEN 1 ELSE 0 END)",
            f"SUM(CASE WHEN s{last} IN {_in(LAND_STATES)} AND industrial_land_ha > 0 THEN industrial_land_ha"
            " ELSE 0 END)",
            f"SUM(CASE WHEN s{last} IN {_in(OPERATING_STATES)} AND EXISTS (SELECT 1 FROM"
            " infrastructure_wastewaterplant w WHERE w.cluster_id = x.id AND w.compliant AND w.last_result_on <= %s)"
            " THEN 1 ELSE 0 END)",
        ]
        sql = (
            f"SELECT {', '.join(sums)} FROM (SELECT c.id, c.industrial_land_ha, c.area_established_ha,"
            f" c.area_planned_ha, {', '.join(cols)} FROM clusters_cluster c {where}) x"
        )
        cur.execute(sql, [days[-1], *params, *where_params])
        row = list(cur.fetchone())

        started = (
            "COALESCE(p.lease_start, p.operation_started_on, DATE(p.created_at))"
            if connection.vendor == "sqlite"
            else "COALESCE(p.lease_start, p.operation_started_on, (p.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date)"
        )
        leasing = _in(LEASING_STATUSES)
        tsums, tparams = [], []
        for d in days:
            tsums += [
                f"SUM(CASE WHEN p.status IN {leasing} AND p.lease_start <= %s AND (p.lease_end IS NULL"
                " OR p.lease_end >= %s) THEN p.land_leased_ha ELSE 0 END)",
                f"SUM(CASE WHEN p.status IN {leasing} AND {started} <= %s THEN 1 ELSE 0 END)",
                "SUM(CASE WHEN p.status = 'operating' AND p.operation_started_on <= %s THEN p.workers ELSE 0 END)",
            ]
            tparams += [d, d, d, d]
        tsums.append(
            f"SUM(CASE WHEN p.status IN {leasing} AND p.lease_start <= %s AND (p.lease_end IS NULL"
            f" OR p.lease_end >= %s) AND c.status IN {_in(LAND_STATES)} AND c.industrial_land_ha > 0"
            " THEN p.land_leased_ha ELSE 0 END)"
        )
        tparams += [days[-1], days[-1]]
        cur.execute(
            f"SELECT {', '.join(tsums)} FROM tenants_tenantproject p"
            f" JOIN clusters_cluster c ON c.id = p.cluster_id {where}",
            tparams + where_params,
        )
        trow = list(cur.fetchone())

    per_day = len(STAGES) + 1
    n = len(days)
    series = {name: [row[i * per_day + k] or 0 for i in range(n)] for k, (name, _s) in enumerate(STAGES)}
    series["industrial_land"] = [row[i * per_day + len(STAGES)] or 0 for i in range(n)]
    series["leased_land"] = [trow[i * 3] or 0 for i in range(n)]
    series["tenant_projects"] = [trow[i * 3 + 1] or 0 for i in range(n)]
    series["workers"] = [trow[i * 3 + 2] or 0 for i in range(n)]
    in_plan, area, established, operating, land, compliant = row[n * per_day :]
    occupancy = None if not land else Decimal(str(trow[-1] or 0)) * 100 / Decimal(str(land))
    return {
        "states": states,
        "series": series,
        "figures": {
            "clusters_in_plan": in_plan or 0,
            "cluster_area_ha": area or 0,
            "clusters_established": established or 0,
            "clusters_operating": operating or 0,
            "industrial_land_ha": series["industrial_land"][-1],
            "leased_land_ha": series["leased_land"][-1],
            "occupancy_pct": occupancy,
            "tenant_projects": series["tenant_projects"][-1],
            "workers": series["workers"][-1],
            "wastewater_compliant_pct": None if not operating else Decimal(compliant or 0) * 100 / operating,
        },
    }


def same(a, b, tolerance: float = 0.051) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) <= tolerance


def compare_dashboard(api: dict, raw: dict) -> list[str]:
    """Differences between the app's dashboard (API JSON) and the raw SQL: empty when they agree."""
    problems = []
    for s in api["states"]:
        if s["count"] != raw["states"].get(s["status"], 0):
            problems.append(f"state {s['status']}: app {s['count']} ≠ sql {raw['states'].get(s['status'], 0)}")
    for s in api["series"]:
        values = raw["series"].get(s["key"])
        if values is None:
            continue
        for i, (a, b) in enumerate(zip(s["values"], values, strict=True)):
            if not same(a, b):
                problems.append(f"series {s['key']}[{i}]: app {a} ≠ sql {b}")
    for f in api["figures"]:
        if f["key"] in raw["figures"] and not same(f["value"], raw["figures"][f["key"]]):
            problems.append(f"figure {f['key']}: app {f['value']} ≠ sql {raw['figures'][f['key']]}")
    return problems


def timed(fn, *args, repeat: int = 5) -> tuple[list[float], object]:
    out, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn(*args)
        out.append(time.perf_counter() - t0)
    return out, result
