"""Hand-written SQL for the figures of the aggregate cases: what a careful DBA would write, timed beside the app to
give the ratio app ÷ raw SQL, and compared with the app's answer so the two compute the same figure."""

# ruff: noqa: S608 -- the SQL text is built from constants; values go as parameters.
from __future__ import annotations

import datetime
import time
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection

from ccn.clusters.choices import ESTABLISHED_STATES, IN_PLAN_STATES
from ccn.clusters.choices import ClusterStatus as S

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
    """The dashboard's figures (key figures, clusters by state, series at year ends) in three statements.
    Operating (Circular 14/2024, Form 03/04, indicator 15): in the plan with a tenant project existing on the day,
    whatever the lifecycle state; the compliant wastewater share is over those clusters, by indicator 27's rule."""
    where = "WHERE c.province_id = %s" if province_id else ""
    where_params = [province_id] if province_id else []
    last_day = days[-1]
    with connection.cursor() as cur:
        cur.execute(f"SELECT c.status, COUNT(*) FROM clusters_cluster c {where} GROUP BY c.status", where_params)
        states = dict(cur.fetchall())

        cols, params = [], []
        for i, d in enumerate(days):
            cols.append(f"{_state(i, d, today)} AS s{i}")
            if d < today:
                params.append(d)
        tenant = (
            "CASE WHEN EXISTS (SELECT 1 FROM tenants_tenantproject p WHERE p.cluster_id = c.id AND "
            + _existing("p") % {"day": "%s"}
            + ") THEN 1 ELSE 0 END AS has_tenant"
        )
        # indicator 27's rule (infrastructure.selectors.meets_standard_on): the plant operating, its result in
        # force on the day compliant, against a standard that applies to it on the day
        plant = (
            "CASE WHEN EXISTS (SELECT 1 FROM infrastructure_wastewaterresult wr JOIN infrastructure_wastewaterplant w"
            " ON w.id = wr.plant_id WHERE wr.compliant AND w.status = 'operating' AND wr.id = "
            + _result_in_force("c.id", "%s")
            + f" AND {_standard_applies(last_day)}) THEN 1 ELSE 0 END AS ww_ok"
        )
        params += [last_day, last_day, last_day]
        sums = []
        for i in range(len(days)):
            sums += [f"SUM(CASE WHEN s{i} IN {_in(st)} THEN 1 ELSE 0 END)" for _n, st in STAGES]
            sums.append(f"SUM(CASE WHEN s{i} IN {_in(LAND_STATES)} THEN COALESCE(industrial_land_ha, 0) ELSE 0 END)")
        last = len(days) - 1
        operating = f"s{last} IN {_in(IN_PLAN_STATES)} AND has_tenant = 1"
        sums += [
            f"SUM(CASE WHEN s{last} IN {_in(IN_PLAN_STATES)} THEN 1 ELSE 0 END)",
            f"SUM(CASE WHEN s{last} IN {_in(IN_PLAN_STATES)} THEN COALESCE(area_established_ha, area_planned_ha)"
            " ELSE 0 END)",
            f"SUM(CASE WHEN s{last} IN {_in(ESTABLISHED_STATES)} THEN 1 ELSE 0 END)",
            f"SUM(CASE WHEN {operating} THEN 1 ELSE 0 END)",
            f"SUM(CASE WHEN s{last} IN {_in(LAND_STATES)} AND industrial_land_ha > 0 THEN industrial_land_ha"
            " ELSE 0 END)",
            f"SUM(CASE WHEN {operating} AND ww_ok = 1 THEN 1 ELSE 0 END)",
        ]
        # MATERIALIZED: otherwise the planner copies each state subquery into every CASE that reads it.
        sql = (
            f"WITH x AS MATERIALIZED (SELECT c.id, c.industrial_land_ha, c.area_established_ha,"
            f" c.area_planned_ha, {', '.join(cols)}, {tenant}, {plant} FROM clusters_cluster c {where})"
            f" SELECT {', '.join(sums)} FROM x"
        )
        cur.execute(sql, [*params, *where_params])
        row = list(cur.fetchone())

        # tenant projects per day: land leased (lease in force), projects existing, workers of operating ones
        existing = _existing("p") % {"day": "%s"}
        leasing = (
            f"{existing} AND (p.lease_start IS NULL OR p.lease_start <= %s)"
            " AND (p.lease_end IS NULL OR p.lease_end >= %s)"
        )
        tsums, tparams = [], []
        for d in days:
            tsums += [
                f"SUM(CASE WHEN {leasing} THEN p.land_leased_ha ELSE 0 END)",
                f"SUM(CASE WHEN {existing} THEN 1 ELSE 0 END)",
                "SUM(CASE WHEN p.status = 'operating' AND p.operation_started_on <= %s THEN p.workers ELSE 0 END)",
            ]
            tparams += [d, d, d, d, d, d, d]
        # occupancy's numerator: the leases of clusters on industrial land known (> 0) on the last day
        last_state = _state(last, last_day, today)
        tsums.append(
            f"SUM(CASE WHEN {leasing} AND {last_state}"
            f" IN {_in(LAND_STATES)} AND c.industrial_land_ha > 0 THEN p.land_leased_ha ELSE 0 END)"
        )
        tparams += [last_day, last_day, last_day, last_day]
        if last_day < today:
            tparams.append(last_day)
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
    occupancy = (
        None
        if not land
        else (Decimal(str(trow[-1] or 0)) * 100 / Decimal(str(land))).quantize(Decimal("0.1"), ROUND_HALF_UP)
    )
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
            "wastewater_compliant_pct": None
            if not operating
            else (Decimal(compliant or 0) * 100 / operating).quantize(Decimal("0.1")),
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

# Circular 14/2024, Forms 03/04 (docs/reports.md): "operating" (15–18) is a cluster in the plan with a tenant
# project existing on the period's end (or tenant projects in its accepted Form 02), whatever its lifecycle state;
# "established in the period" (5–6) is an establishment decision dated in the period.
IN_PLAN_SQL = f"st IN {_in(IN_PLAN_STATES)}"
EST_SQL = f"st IN {_in(ESTABLISHED_STATES)}"
OPER_SQL = f"({IN_PLAN_SQL} AND (has_tenant = 1 OR COALESCE(f02_projects, 0) > 0))"
DETAILED = (S.DETAILED_PLAN_APPROVED, S.INFRASTRUCTURE_APPROVED, S.LAND_CLEARANCE, S.UNDER_CONSTRUCTION, S.OPERATING)
DETAILED_SQL = f"st IN {_in((*DETAILED, S.EXPANDING))}"
INFRA_SQL = f"st IN {_in((*DETAILED[1:], S.EXPANDING))}"
OPER_EST_SQL = f"{OPER_SQL} AND {EST_SQL}"
OPER_UNEST_SQL = f"{OPER_SQL} AND (st IS NULL OR st NOT IN {_in(ESTABLISHED_STATES)})"
EST_IN_SQL = f"{EST_SQL} AND est_on >= %s AND est_on <= %s"
ENTERPRISE_SQL = f"{EST_SQL} AND investor_kind = 'enterprise'"
# Indicator → (condition, summed value or None to count); a summed value that is unknown adds nothing.
FORM04 = {
    "1": (IN_PLAN_SQL, None),
    "2": (IN_PLAN_SQL, "plan_area"),
    "3": (EST_SQL, None),
    "4": (EST_SQL, "area"),
    "5": (EST_IN_SQL, None),
    "6": (EST_IN_SQL, "area"),
    "7": (ENTERPRISE_SQL, None),
    "8": (ENTERPRISE_SQL, "area"),
    "9": (DETAILED_SQL, None),
    "10": (DETAILED_SQL, "area"),
    "11": (INFRA_SQL, None),
    "12": (INFRA_SQL, "area"),
    "13": (IN_PLAN_SQL, "capital_approved"),
    "14": (IN_PLAN_SQL, "capital_paid"),
    "15": (OPER_SQL, None),
    "15.1": (OPER_EST_SQL, None),
    "15.2": (OPER_UNEST_SQL, None),
    "15.3": (f"{OPER_SQL} AND kind = 'craft_village'", None),
    "15.4": (f"{OPER_SQL} AND kind = 'specialised'", None),
    "16": (OPER_SQL, "area"),
    "16.1": (OPER_EST_SQL, "area"),
    "16.2": (OPER_UNEST_SQL, "area"),
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


def _local_date(column: str) -> str:
    """The date in Vietnam (UTC+7 all year) of a stored timestamp."""
    if connection.vendor == "sqlite":
        return f"DATE({column}, '+7 hours')"
    return f"({column} AT TIME ZONE 'Asia/Ho_Chi_Minh')::date"


def _existing(p: str) -> str:
    """Tenant project `p` exists at the end of the day given by the parameter `%(day)s`: begun by then (investment
    registration, else lease start, else operation start, else the day it was entered) and not stopped by then."""
    began = f"COALESCE({p}.capital_date, {p}.lease_start, {p}.operation_started_on, {_local_date(p + '.created_at')})"
    return (
        f"{began} <= %(day)s AND NOT ({p}.status = 'stopped' AND ({p}.status_since IS NULL"
        f" OR {p}.status_since <= %(day)s))"
    )


def _operating(p: str) -> str:
    return (
        f"({p}.operation_started_on <= %(day)s OR ({p}.operation_started_on IS NULL AND {p}.status = 'operating'))"
        f" AND NOT ({p}.status = 'suspended' AND ({p}.status_since IS NULL OR {p}.status_since <= %(day)s))"
    )


def _figure(field: str, column: str, value: str = "value") -> str:
    """A cluster figure in force at the end of the day: the latest dated value, the column when none is dated."""
    return (
        f"CASE WHEN EXISTS (SELECT 1 FROM clusters_clusterfigure h WHERE h.cluster_id = c.id)"
        f" THEN (SELECT h.{value} FROM clusters_clusterfigure h WHERE h.cluster_id = c.id AND h.field = '{field}'"
        f" AND h.valid_from <= %(day)s ORDER BY h.valid_from DESC, h.id DESC LIMIT 1) ELSE c.{column} END"
    )


def _result_in_force(cluster: str, day: str) -> str:
    """The id of the wastewater result in force on the day of the cluster's plant: the latest sampled by then."""
    return (
        "(SELECT x.id FROM infrastructure_wastewaterresult x JOIN infrastructure_wastewaterplant xp"
        f" ON xp.id = x.plant_id WHERE xp.cluster_id = {cluster} AND x.sampled_on <= {day}"
        " ORDER BY x.sampled_on DESC LIMIT 1)"
    )


def _standard_applies(day: datetime.date) -> str:
    """The plant's recorded standard applies to it on `day` (QCVN 40:2025 from 1 Sept 2025; QCVN 40:2011 for
    plants permitted before then, until 31 Dec 2031)."""
    new = "wr.standard = 'QCVN 40:2025/BTNMT'"
    if day > datetime.date(2031, 12, 31):
        return new
    if day < datetime.date(2025, 9, 1):
        return f"({new} OR wr.standard = 'QCVN 40:2011/BTNMT')"
    return (
        f"({new} OR (wr.standard = 'QCVN 40:2011/BTNMT' AND (w.permit_issued_on IS NULL"
        " OR w.permit_issued_on < '2025-09-01')))"
    )


# The key of 23–25's missing data among a province's figures: (without an accepted Form 01, expected).
MISSING_F01 = "missing 23-25"


def form04(period_id: int, starts_on, ends_on, province_id: int | None = None) -> dict[int, dict]:
    """Form 04's figures per province (one province, or all for the national table), in two statements."""
    where = "WHERE c.province_id = %(province)s" if province_id else ""
    sums = []
    for cond, value in FORM04.values():
        if value:
            sums.append(f"SUM(CASE WHEN {cond} AND {value} IS NOT NULL THEN {value} ELSE 0 END)")
        else:
            sums.append(f"SUM(CASE WHEN {cond} THEN 1 ELSE 0 END)")
    sums.append(f"SUM(CASE WHEN {IN_PLAN_SQL} THEN investor_workers ELSE 0 END)")
    sums.append(f"SUM(CASE WHEN {OPER_SQL} AND land IS NOT NULL THEN COALESCE(leased, 0) ELSE 0 END)")
    # 23–25's missing data, shown beside them: the tenant projects operating on the period's end (expected to give
    # a Form 01, Circular 14/2024 Art. 5) and among them those without an accepted one
    sums.append("SUM(COALESCE(f01_n, 0))")
    sums.append("SUM(COALESCE(f01_m, 0))")
    # the named parameters of the SQL are written %(name)s; the establishment window's two are positional in
    # EST_IN_SQL, so they are given names here
    sums = [s.replace("est_on >= %s AND est_on <= %s", "est_on >= %(start)s AND est_on <= %(day)s") for s in sums]
    in_scope = "AND p.cluster_id IN (SELECT id FROM clusters_cluster WHERE province_id = %(province)s)"
    own_province = "AND rv.province_id = %(province)s"
    sql = f"""
WITH unreported AS MATERIALIZED (
  SELECT p.cluster_id, COUNT(*) AS m,
    SUM(CASE WHEN NOT EXISTS (SELECT 1 FROM reports_report rr JOIN reports_revision rv ON rv.report_id = rr.id
      WHERE rr.project_id = p.id AND rr.form = '01' AND rr.period_id = %(period)s AND rv.form = '01'
      AND rv.period_id = %(period)s AND {_final("rv.")} {own_province if province_id else ""}) THEN 1 ELSE 0 END) AS n
  FROM tenants_tenantproject p
  WHERE {_existing("p")} AND {_operating("p")} {in_scope if province_id else ""}
  GROUP BY p.cluster_id
), base AS MATERIALIZED (
  SELECT c.id, c.province_id, c.kind,
    (SELECT e.to_status FROM clusters_clusterevent e WHERE e.cluster_id = c.id AND e.effective_on <= %(day)s
      ORDER BY e.effective_on DESC, e.id DESC LIMIT 1) AS st,
    COALESCE((SELECT MIN(d.issued_on) FROM clusters_legaldocument d WHERE d.cluster_id = c.id
      AND d.kind = 'established'),
      (SELECT e.effective_on FROM clusters_clusterevent e WHERE e.cluster_id = c.id
        AND e.action IN ('establish', 'regularise') ORDER BY e.effective_on, e.id LIMIT 1)) AS est_on,
    CASE WHEN EXISTS (SELECT 1 FROM tenants_tenantproject p WHERE p.cluster_id = c.id AND {_existing("p")})
      THEN 1 ELSE 0 END AS has_tenant,
    {_figure("area_planned_ha", "area_planned_ha")} AS f_planned,
    {_figure("area_established_ha", "area_established_ha")} AS f_established,
    {_figure("industrial_land_ha", "industrial_land_ha")} AS land,
    {_figure("investor", "investor_id", "organisation_id")} AS investor_id,
    r.v1, r.v2, r.v4, r.v6 AS f02_projects, r.v7, r.v8, r.v11, r.v13, r.v14,
    c.infra_capital_approved_bn, c.infra_capital_disbursed_bn,
    w.status AS w_status,
    CASE WHEN EXISTS (SELECT 1 FROM infrastructure_wastewaterresult wr
      WHERE wr.id = {_result_in_force("c.id", "%(day)s")} AND wr.compliant AND w.status = 'operating'
      AND {_standard_applies(ends_on)}) THEN 1 ELSE 0 END AS w_ok
  FROM clusters_cluster c
  LEFT JOIN reports_revision r ON r.cluster_id = c.id AND r.form = '02' AND r.period_id = %(period)s
    AND {_final("r.")}
  LEFT JOIN infrastructure_wastewaterplant w ON w.cluster_id = c.id
  {where}
), facts AS MATERIALIZED (
  SELECT b.province_id, b.kind, b.st, b.est_on, b.has_tenant, b.f02_projects, b.land,
    o.kind AS investor_kind, u.n AS f01_n, u.m AS f01_m,
    COALESCE(b.f_planned, b.f_established) AS plan_area,
    COALESCE(b.f_established, b.f_planned) AS area,
    COALESCE(b.v1, b.infra_capital_approved_bn) AS capital_approved,
    COALESCE(b.v2, b.infra_capital_disbursed_bn) AS capital_paid,
    COALESCE(b.v4, (SELECT COALESCE(SUM(p.land_leased_ha), 0) FROM tenants_tenantproject p
      WHERE p.cluster_id = b.id AND {_existing("p")} AND (p.lease_start IS NULL OR p.lease_start <= %(day)s)
      AND (p.lease_end IS NULL OR p.lease_end >= %(day)s)), 0) AS leased,
    COALESCE(b.f02_projects, (SELECT COUNT(*) FROM tenants_tenantproject p WHERE p.cluster_id = b.id
      AND {_existing("p")})) AS projects,
    COALESCE(b.v7, (SELECT COUNT(*) FROM tenants_tenantproject p JOIN clusters_organisation en
      ON en.id = p.enterprise_id WHERE p.cluster_id = b.id AND {_existing("p")} AND en.country <> 'VN'))
      AS projects_foreign,
    COALESCE(b.v8, (SELECT COUNT(*) FROM tenants_tenantproject p WHERE p.cluster_id = b.id
      AND {_existing("p")} AND {_operating("p")})) AS projects_operating,
    COALESCE(b.v11, 0) AS investor_workers,
    COALESCE(b.v13, CASE WHEN b.w_status IN ('under_construction', 'operating') THEN 1 ELSE 0 END) AS ww_built,
    COALESCE(b.v14, CASE WHEN b.w_status = 'operating' AND b.w_ok = 1 THEN 1 ELSE 0 END) AS ww_ok
  FROM base b
  LEFT JOIN clusters_organisation o ON o.id = b.investor_id
  LEFT JOIN unreported u ON u.cluster_id = b.id
)
SELECT province_id, {", ".join(sums)} FROM facts GROUP BY province_id"""
    params = {"day": ends_on, "start": starts_on, "period": period_id, "province": province_id}
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
        values = dict(zip(FORM04, row[1:-4], strict=True))
        workers, leased_with_land, f01_n, f01_m = row[-4:]
        v1, v2, v3 = f01.get(row[0], (0, 0, 0))
        values["23"], values["24"] = v1 or 0, v2 or 0
        values["25"] = (v3 or 0) + (workers or 0)
        values[MISSING_F01] = (int(f01_n or 0), int(f01_m or 0))
        land = values["17"]
        leased_with_land = leased_with_land or 0
        # occupancy: rounded half up to one decimal (Decree 32/2024, Art. 2(6)–(7); docs/reports.md)
        values["19"] = (
            (Decimal(str(leased_with_land)) * 100 / Decimal(str(land))).quantize(Decimal("0.1"), ROUND_HALF_UP)
            if land
            else None
        )
        out[row[0]] = values
    return out


def compare_figures(app: dict, raw: dict, where: str) -> list[str]:
    """Each figure, and 23–25's missing data as (tenant projects without an accepted Form 01, expected)."""
    return [
        f"{where} {code}: app {app.get(code)} ≠ sql {value}"
        for code, value in raw.items()
        if (tuple(app.get(code) or ()) != value if code == MISSING_F01 else not same(app.get(code), value, 0.02))
    ]


def form04_answer(api: dict) -> dict:
    """A Form 04's figures as the API answers them, with 23–25's missing data under MISSING_F01."""
    figures = {i["code"]: i["value"] for i in api["indicators"]}
    for i in api["indicators"]:
        if i["code"] == "23":
            figures[MISSING_F01] = (i["clusters_without_data"], i["clusters_expected"])
    return figures


def national_missing_f01(raw: dict[int, dict]) -> tuple[int, int]:
    """The nation's 23–25 missing data: the provinces' added up, as the national table's total row shows them."""
    return tuple(sum(values[MISSING_F01][i] for values in raw.values()) for i in (0, 1))
