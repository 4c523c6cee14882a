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
        # MATERIALIZED: otherwise the planner copies each state subquery into every CASE that reads it.
        sql = (
            f"WITH x AS MATERIALIZED (SELECT c.id, c.industrial_land_ha, c.area_established_ha,"
            f" c.area_planned_ha, {', '.join(cols)} FROM clusters_cluster c {where})"
            f" SELECT {', '.join(sums)} FROM x"
        )
        cur.execute(sql, [*params, *where_params, days[-1]])
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


def no_jit(fn):
    """Runs `fn` as the app runs its compilations on PostgreSQL: in a transaction with JIT off (its compiler
    spends most of a second on these many-CASE aggregates)."""
    from django.db import transaction

    def run(*args):
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL jit = off")
            return fn(*args)

    return run


def timed(fn, *args, repeat: int = 5) -> tuple[list[float], object]:
    out, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn(*args)
        out.append(time.perf_counter() - t0)
    return out, result


# ---------------------------------------------------------------- Form 04 and the national table

IN_PLAN_SQL = f"st IN {_in(IN_PLAN_STATES)}"
EST_SQL = f"st IN {_in(ESTABLISHED_STATES)}"
OPER_SQL = f"st IN {_in(OPERATING_STATES)}"
DETAILED = (S.DETAILED_PLAN_APPROVED, S.INFRASTRUCTURE_APPROVED, S.LAND_CLEARANCE, S.UNDER_CONSTRUCTION, S.OPERATING)
DETAILED_SQL = f"st IN {_in((*DETAILED, S.EXPANDING))}"
INFRA_SQL = f"st IN {_in((*DETAILED[1:], S.EXPANDING))}"
OPER_EST_SQL = f"st IN {_in((S.OPERATING, S.EXPANDING))}"
# Indicator → (condition, summed value or None to count): Circular 14/2024, Forms 03/04 (docs/reports.md).
FORM04 = {
    "1": (IN_PLAN_SQL, None),
    "2": (IN_PLAN_SQL, "plan_area"),
    "3": (EST_SQL, None),
    "4": (EST_SQL, "area"),
    "5": (f"est_in = 1 AND {EST_SQL}", None),
    "6": (f"est_in = 1 AND {EST_SQL}", "area"),
    "7": (f"{EST_SQL} AND investor_kind = 'enterprise'", None),
    "8": (f"{EST_SQL} AND investor_kind = 'enterprise'", "area"),
    "9": (DETAILED_SQL, None),
    "10": (DETAILED_SQL, "area"),
    "11": (INFRA_SQL, None),
    "12": (INFRA_SQL, "area"),
    "13": (f"{IN_PLAN_SQL} AND capital_approved IS NOT NULL", "capital_approved"),
    "14": (f"{IN_PLAN_SQL} AND capital_paid IS NOT NULL", "capital_paid"),
    "15": (OPER_SQL, None),
    "15.1": (OPER_EST_SQL, None),
    "15.2": (f"st = '{S.OPERATING_UNESTABLISHED}'", None),
    "15.3": (f"{OPER_SQL} AND kind = 'craft_village'", None),
    "15.4": (f"{OPER_SQL} AND kind = 'specialised'", None),
    "16": (OPER_SQL, "area"),
    "16.1": (OPER_EST_SQL, "area"),
    "16.2": (f"st = '{S.OPERATING_UNESTABLISHED}'", "area"),
    "16.3": (f"{OPER_SQL} AND kind = 'craft_village'", "area"),
    "16.4": (f"{OPER_SQL} AND kind = 'specialised'", "area"),
    "17": (OPER_SQL, "land"),
    "18": (OPER_SQL, "leased"),
    "20": (IN_PLAN_SQL, "projects"),
    "21": (IN_PLAN_SQL, "projects_foreign"),
    "22": (IN_PLAN_SQL, "projects_operating"),
    "26": (f"{IN_PLAN_SQL} AND ww_built = 1", None),
    "27": (f"{IN_PLAN_SQL} AND ww_ok = 1", None),
}


def _final(alias: str) -> str:
    """The partial indexes' condition, written as the index has it (SQLite matches it textually)."""
    return f"{alias}is_final = 1" if connection.vendor == "sqlite" else f"{alias}is_final"


def form04(period_id: int, starts_on, ends_on, province_id: int | None = None) -> dict[int, dict]:
    """Form 04's figures per province (one province, or all for the national table), in two statements."""
    leasing = _in(LEASING_STATUSES)
    where = "WHERE c.province_id = %s" if province_id else ""
    sums = [f"SUM(CASE WHEN {cond} THEN {value or 1} ELSE 0 END)" for cond, value in FORM04.values()]
    sums.append(f"SUM(CASE WHEN {IN_PLAN_SQL} THEN investor_workers ELSE 0 END)")
    est = _in(ESTABLISHED_STATES)
    sql = f"""
WITH facts AS MATERIALIZED (
  SELECT c.province_id, c.kind, o.kind AS investor_kind,
    (SELECT e.to_status FROM clusters_clusterevent e WHERE e.cluster_id = c.id AND e.effective_on <= %s
      ORDER BY e.effective_on DESC, e.id DESC LIMIT 1) AS st,
    CASE WHEN EXISTS (SELECT 1 FROM clusters_clusterevent e WHERE e.cluster_id = c.id AND e.effective_on >= %s
      AND e.effective_on <= %s AND e.to_status IN {est} AND e.from_status NOT IN {est}) THEN 1 ELSE 0 END AS est_in,
    COALESCE(c.area_planned_ha, c.area_established_ha, 0) AS plan_area,
    COALESCE(c.area_established_ha, c.area_planned_ha, 0) AS area,
    COALESCE(c.industrial_land_ha, 0) AS land,
    COALESCE(r.v1, c.infra_capital_approved_bn) AS capital_approved,
    COALESCE(r.v2, c.infra_capital_disbursed_bn) AS capital_paid,
    COALESCE(r.v4, (SELECT COALESCE(SUM(p.land_leased_ha), 0) FROM tenants_tenantproject p
      WHERE p.cluster_id = c.id AND p.status IN {leasing})) AS leased,
    COALESCE(r.v6, (SELECT COUNT(*) FROM tenants_tenantproject p WHERE p.cluster_id = c.id
      AND p.status IN {leasing})) AS projects,
    COALESCE(r.v7, (SELECT COUNT(*) FROM tenants_tenantproject p JOIN clusters_organisation en
      ON en.id = p.enterprise_id WHERE p.cluster_id = c.id AND p.status IN {leasing} AND en.country <> 'VN'))
      AS projects_foreign,
    COALESCE(r.v8, (SELECT COUNT(*) FROM tenants_tenantproject p WHERE p.cluster_id = c.id
      AND p.status = 'operating')) AS projects_operating,
    COALESCE(r.v11, 0) AS investor_workers,
    COALESCE(r.v13, CASE WHEN w.status IN ('under_construction', 'operating') THEN 1 ELSE 0 END) AS ww_built,
    COALESCE(r.v14, CASE WHEN w.status = 'operating' AND w.compliant THEN 1 ELSE 0 END) AS ww_ok
  FROM clusters_cluster c
  LEFT JOIN reports_revision r ON r.cluster_id = c.id AND r.form = '02' AND r.period_id = %s AND {_final("r.")}
  LEFT JOIN infrastructure_wastewaterplant w ON w.cluster_id = c.id
  LEFT JOIN clusters_organisation o ON o.id = c.investor_id
  {where}
)
SELECT province_id, {", ".join(sums)} FROM facts GROUP BY province_id"""
    params = [ends_on, starts_on, ends_on, period_id, *([province_id] if province_id else [])]
    f01_where = "AND province_id = %s" if province_id else ""
    with connection.cursor() as cur:
        cur.execute(sql, params)
        rows = cur.fetchall()
        cur.execute(
            "SELECT province_id, SUM(v1), SUM(v2), SUM(v3) FROM reports_revision"
            f" WHERE form = '01' AND period_id = %s AND {_final('')} {f01_where} GROUP BY province_id",
            [period_id, *([province_id] if province_id else [])],
        )
        f01 = {r[0]: r[1:] for r in cur.fetchall()}
    out = {}
    for row in rows:
        values = dict(zip(FORM04, row[1:-1], strict=True))
        v1, v2, v3 = f01.get(row[0], (0, 0, 0))
        values["23"], values["24"] = v1 or 0, v2 or 0
        values["25"] = (v3 or 0) + (row[-1] or 0)
        land, leased = values["17"], values["18"]
        values["19"] = Decimal(str(leased)) * 100 / Decimal(str(land)) if land else None
        out[row[0]] = values
    return out


def compare_figures(app: dict, raw: dict, where: str) -> list[str]:
    return [
        f"{where} {code}: app {app.get(code)} ≠ sql {value}"
        for code, value in raw.items()
        if not same(app.get(code), value, tolerance=0.02)
    ]
