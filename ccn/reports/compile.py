"""Compiles Forms 03 (commune) and 04 (province) in SQL from the registry as of the period's end and the final
(accepted) Forms 01 and 02 of the period, and traces each figure back to the clusters and reports behind it.

Each indicator is a condition on one row per cluster ("facts": the state on the period's end from the dated
lifecycle events, areas, the accepted Form 02 joined once, registry counts) and, for sums, a value. The same
definitions give the totals (one aggregate query) and the trace (the rows that meet the condition). Figures a
Form 02 reports win over the registry for that cluster; a cluster without an accepted Form 02 falls back to
the registry. See docs/reports.md for the definition of every indicator."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django_cte import CTE, with_cte

from ccn.clusters.choices import ClusterKind, FundingSource, OrganisationKind
from ccn.clusters.figures import occupancy_pct
from ccn.clusters.models import Cluster
from ccn.core.compiled import compiled_rows
from ccn.tenants.models import TenantProject

from .choices import Form
from .facts import (
    DEC,
    STATE_FLAGS,
    ZERO,
    cluster_facts,
    lead_commune_subquery,
    unreported_sums,
    with_state_flags,
)
from .models import Period, Revision

IN_PLAN = Q(s_in_plan=True)
ESTABLISHED = Q(s_established=True)
# Operating (indicator 15): in the plan on the day and at least one tenant project then (the registry's, or the
# tenant projects of the accepted Form 02, indicator 6); the lifecycle state "operating" is not the definition.
OPERATING = IN_PLAN & (Q(has_tenant=True) | Q(f02_projects__gt=0))
OPERATING_ESTABLISHED = OPERATING & ESTABLISHED
OPERATING_UNESTABLISHED = OPERATING & ~ESTABLISHED
ENTERPRISE_INVESTED = ESTABLISHED & Q(inv_kind=OrganisationKind.ENTERPRISE)


@dataclass(frozen=True)
class Spec:
    """An indicator as a condition on a cluster's facts and the value summed (None: clusters are counted).
    `expected`: the clusters that should give the figure a value (default: the condition's clusters when a value
    is summed); `missing`: among them, those whose value is unknown. A missing value adds nothing and is
    counted in "n of m clusters without data"."""

    condition: Q
    value: str | None = None
    source: str = "registry"  # "registry", "form02" (with registry fallback) or "form01"
    expected: Q | None = None
    missing: Q | None = None

    def expected_q(self) -> Q | None:
        if self.expected is not None:
            return self.expected
        return self.condition if self.value else None

    def missing_q(self) -> Q | None:
        if self.missing is not None:
            return self.missing
        return Q(**{f"{self.value}__isnull": True}) if self.value else None


def build_specs(period: Period) -> dict[str, Spec]:
    """The indicators of Forms 03/04 (docs/reports.md gives the legal source of each)."""
    start, end = period.starts_on, period.ends_on
    in_period = Q(est_on__isnull=False, est_on__gte=start, est_on__lte=end)
    est_unknown = Q(est_on__isnull=True)
    no_investor = Q(as_of_investor_id__isnull=True)
    return {
        "1": Spec(IN_PLAN),
        "2": Spec(IN_PLAN, "plan_area"),
        "3": Spec(ESTABLISHED),
        "4": Spec(ESTABLISHED, "area"),
        "5": Spec(ESTABLISHED & in_period, expected=ESTABLISHED, missing=est_unknown),
        "6": Spec(
            ESTABLISHED & in_period,
            "area",
            expected=ESTABLISHED,
            missing=est_unknown | (in_period & Q(area__isnull=True)),
        ),
        "7": Spec(ENTERPRISE_INVESTED, expected=ESTABLISHED, missing=no_investor),
        "8": Spec(
            ENTERPRISE_INVESTED,
            "area",
            expected=ESTABLISHED,
            missing=no_investor | (Q(inv_kind=OrganisationKind.ENTERPRISE) & Q(area__isnull=True)),
        ),
        "9": Spec(Q(s_detailed_plan=True)),
        "10": Spec(Q(s_detailed_plan=True), "area"),
        "11": Spec(Q(s_infrastructure=True)),
        "12": Spec(Q(s_infrastructure=True), "area"),
        "13": Spec(
            IN_PLAN & Q(capital_approved__isnull=False),
            "capital_approved",
            "form02",
            expected=Q(s_infrastructure=True),
        ),
        "14": Spec(
            IN_PLAN & Q(capital_paid__isnull=False),
            "capital_paid",
            "form02",
            expected=Q(s_infrastructure=True),
        ),
        "15": Spec(OPERATING),
        "15.1": Spec(OPERATING_ESTABLISHED),
        "15.2": Spec(OPERATING_UNESTABLISHED),
        "15.3": Spec(OPERATING & Q(kind=ClusterKind.CRAFT_VILLAGE)),
        "15.4": Spec(OPERATING & Q(kind=ClusterKind.SPECIALISED)),
        "16": Spec(OPERATING, "area"),
        "16.1": Spec(OPERATING_ESTABLISHED, "area"),
        "16.2": Spec(OPERATING_UNESTABLISHED, "area"),
        "16.3": Spec(OPERATING & Q(kind=ClusterKind.CRAFT_VILLAGE), "area"),
        "16.4": Spec(OPERATING & Q(kind=ClusterKind.SPECIALISED), "area"),
        "17": Spec(OPERATING, "land"),
        "18": Spec(OPERATING, "leased", "form02"),
        "20": Spec(IN_PLAN, "projects", "form02"),
        "21": Spec(IN_PLAN, "projects_foreign", "form02"),
        "22": Spec(IN_PLAN, "projects_operating", "form02"),
        "26": Spec(IN_PLAN & Q(ww_built=1), None, "form02"),
        "27": Spec(IN_PLAN & Q(ww_ok=1), None, "form02"),
    }


# 19 is 18 ÷ 17 over the operating clusters whose industrial land is known; 23–25 come from the accepted Forms 01
# (25 adds the investors' workers of Form 02).
FORM01_SPECS = {"23": "v1", "24": "v2", "25": "v3"}
# Funding sources that rule out an enterprise as the infrastructure investor (indicator 7 follows the investor's
# kind; a mismatch is reported on the data-quality page and refused at import).
PUBLIC_FUNDING = (FundingSource.STATE_BUDGET,)


def _key(code: str) -> str:
    return code.replace(".", "_")


def _aggregates(specs: dict[str, Spec]) -> dict:
    out = {}
    for code, spec in specs.items():
        then = F(spec.value) if spec.value else Value(Decimal("1"))
        condition = spec.condition
        if spec.value:
            condition = condition & Q(**{f"{spec.value}__isnull": False})
        out["k" + _key(code)] = Coalesce(
            Sum(Case(When(condition, then=then), default=None, output_field=DEC)), ZERO, output_field=DEC
        )
        expected, missing = spec.expected_q(), spec.missing_q()
        if expected is not None:
            out["m" + _key(code)] = Count(Case(When(expected, then=Value(1)), default=None))
            out["n" + _key(code)] = Count(Case(When(expected & missing, then=Value(1)), default=None))
    land_known = OPERATING & Q(land__isnull=False)
    out["k19_leased"] = Coalesce(
        Sum(Case(When(land_known, then=F("leased")), default=None, output_field=DEC)), ZERO, output_field=DEC
    )
    out["k25_investors"] = Coalesce(
        Sum(Case(When(IN_PLAN, then=F("investor_workers")), default=ZERO, output_field=DEC)), ZERO, output_field=DEC
    )
    # tenant projects expected to give a Form 01 (m) and those without an accepted one (n): 23–25's missing data
    out["f01_m"] = Coalesce(Sum("f01_expected"), Value(0))
    out["f01_n"] = Coalesce(Sum("f01_unreported"), Value(0))
    return out


@dataclass
class Compiled:
    """Compiled figures of a Form 03/04 with what they rest on: the date they are as of and, per indicator,
    how many of the clusters (or tenant projects, for 23–25) that should give it a value have none."""

    values: dict[str, Decimal | None]
    as_of: datetime.date
    missing: dict[str, tuple[int, int]] = field(default_factory=dict)
    # leased land (18) of the operating clusters whose industrial land is known: the numerator of 19
    leased_with_land: Decimal = Decimal("0")

    @property
    def has_missing(self) -> bool:
        return any(n for n, _m in self.missing.values())

    def meta(self) -> dict:
        return {
            "as_of": self.as_of.isoformat(),
            "missing": {code: [n, m] for code, (n, m) in self.missing.items()},
            "leased_with_land": str(self.leased_with_land),
        }


def _form01_revisions(period: Period, *, province_id=None, commune_id=None, province_ids=None):
    qs = Revision.objects.filter(form=Form.F01, period=period, is_final=True)
    if province_id is not None:
        qs = qs.filter(province_id=province_id)
    if province_ids is not None:
        qs = qs.filter(province_id__in=province_ids)
    if commune_id is not None:
        clusters = Cluster.objects.annotate(lead_commune=lead_commune_subquery()).filter(lead_commune=commune_id)
        qs = qs.filter(cluster_id__in=clusters.values("pk"))
    return qs


def _form01_expected(period: Period, *, province_id=None, commune_id=None, province_ids=None):
    """Tenant projects expected to give a Form 01 for the period: operating on its end (Circular 14/2024, Art. 5)."""
    qs = TenantProject.objects.operating_on(period.ends_on)
    if province_id is not None:
        qs = qs.filter(cluster__province_id=province_id)
    if province_ids is not None:
        qs = qs.filter(cluster__province_id__in=province_ids)
    if commune_id is not None:
        clusters = Cluster.objects.annotate(lead_commune=lead_commune_subquery()).filter(lead_commune=commune_id)
        qs = qs.filter(cluster_id__in=clusters.values("pk"))
    # `IN (the projects with a final Form 01)`, read once, rather than a correlated EXISTS per project (the nation
    # has 40,000 projects: 1.4 s against 0.1 s)
    final = Revision.objects.filter(form=Form.F01, period=period, is_final=True, report__project_id__isnull=False)
    if province_id is not None:  # a province's reports only: the projects of a cluster report in its province
        final = final.filter(province_id=province_id)
    return qs.annotate(
        reported=ExpressionWrapper(Q(pk__in=final.values("report__project_id")), output_field=BooleanField())
    )


def _finish(row: dict, f01: dict, specs: dict[str, Spec], as_of: datetime.date, f01_missing=(0, 0)) -> Compiled:
    values = {code: row["k" + _key(code)] for code in specs}
    values["23"] = f01.get("v1") or Decimal("0")
    values["24"] = f01.get("v2") or Decimal("0")
    values["25"] = (f01.get("v3") or Decimal("0")) + row["k25_investors"]
    values["19"] = occupancy_pct(row["k19_leased"], values["17"])
    missing = {code: (row["n" + _key(code)], row["m" + _key(code)]) for code in specs if "m" + _key(code) in row}
    missing["19"] = missing["17"]
    for code in FORM01_SPECS:
        missing[code] = tuple(f01_missing)
    values = {code: (v.quantize(Decimal("0.0001")) if v is not None else None) for code, v in values.items()}
    return Compiled(values=values, as_of=as_of, missing=missing, leased_with_land=row["k19_leased"])


# The facts the aggregates read (`cluster_facts` has more, for the trace): only these are computed in the CTE.
FACT_COLUMNS = (
    "province_id",
    "kind",
    "st",
    "est_on",
    "has_tenant",
    "inv_kind",
    "as_of_investor_id",
    "f02_projects",
    "plan_area",
    "area",
    "land",
    "capital_approved",
    "capital_paid",
    "leased",
    "projects",
    "projects_foreign",
    "projects_operating",
    "investor_workers",
    "ww_built",
    "ww_ok",
    "f01_expected",
    "f01_unreported",
)


def _facts_query(period: Period, province_id=None, commune_id=None):
    """The indicators' aggregates over the facts, each fact computed once per cluster: the facts are a MATERIALIZED
    common table expression and the sums read its columns. (Over the facts queryset itself, Django writes each
    fact's correlated subquery, such as the state on the period's end or the dated figures, into every SUM that
    reads it, and the database evaluates it once per indicator: 2 s for the national table.) The CTE holds only
    the columns the sums read, and the expected Form 01 reporters per cluster, so that Forms 03/04 take two
    statements (these facts and the Forms 01's sums). One row per province."""
    # the nation: the projects without an accepted Form 01 counted in one pass over the period's reports; a
    # province or commune counts them per cluster through the projects' index on their cluster
    nation = province_id is None and commune_id is None
    unreported = CTE(unreported_sums(period), name="unreported", materialized=True) if nation else None
    ctes = [unreported] if unreported is not None else []
    facts = cluster_facts(period, province_id=province_id, commune_id=commune_id, unreported=unreported).order_by()
    cte = CTE(facts.values(*FACT_COLUMNS), name="facts", materialized=True)
    # the sets of states as booleans, from the state column computed once per cluster above
    flagged = CTE(
        with_state_flags(cte.queryset()).order_by().values(*FACT_COLUMNS, *STATE_FLAGS),
        name="flagged",
        materialized=True,
    )
    qs = with_cte(*ctes, cte, flagged, select=flagged.queryset())
    return qs.values("province_id").annotate(**_aggregates(build_specs(period))).order_by()


def _facts_rows(period: Period, *, province_id=None, commune_id=None) -> list[dict]:
    """The rows of `_facts_query` (Form 03 of a commune: compiled each time; Form 04 and the nation: compiled once
    per period and day, then run with the province's id — `ccn.core.compiled`)."""
    if commune_id is not None:
        return list(_facts_query(period, commune_id=commune_id))
    key = ("form04-facts", period.pk, period.starts_on, period.ends_on, timezone.localdate(), province_id is None)
    return compiled_rows(key, province_id, lambda pid: _facts_query(period, province_id=pid))


def _form01_sums(period: Period, *, province_id=None, commune_id=None) -> list[dict]:
    """Σ of the accepted Forms 01's workers and figures per province (23–25), compiled once like the facts."""

    def query(pid, commune=None):
        revisions = _form01_revisions(period, province_id=pid, commune_id=commune).order_by()
        return revisions.values("province_id").annotate(v1=Sum("v1"), v2=Sum("v2"), v3=Sum("v3"))

    if commune_id is not None:
        rows = list(query(province_id, commune_id))
    else:
        rows = compiled_rows(("form01-sums", period.pk, province_id is None), province_id, query)
    return rows


def _zero_row(specs: dict[str, Spec]) -> dict:
    """The aggregates of no cluster at all (a province without clusters): what `aggregate()` gives."""
    return {name: (Decimal("0") if name[0] == "k" else 0) for name in _aggregates(specs)}


def compile_report(period: Period, *, province_id=None, commune_id=None) -> Compiled:
    """Form 04 of a province or Form 03 of a commune as of the period's end: the figures, the as-of date and the
    clusters without data per figure. Two aggregate queries; the same figures whenever it runs, because every
    registry value is read as it stood on the period's end."""
    with transaction.atomic():  # both statements in one transaction (PostgreSQL runs them with jit off: settings)
        specs = build_specs(period)
        rows = _facts_rows(period, province_id=province_id, commune_id=commune_id)
        row = rows[0] if rows else _zero_row(specs)
        f01_rows = _form01_sums(period, province_id=province_id, commune_id=commune_id)
        f01 = {k: sum((r[k] or 0 for r in f01_rows), Decimal("0")) for k in ("v1", "v2", "v3")}
        return _finish(row, f01, specs, period.ends_on, (row["f01_n"], row["f01_m"]))


def compile_figures(period: Period, *, province_id=None, commune_id=None) -> dict[str, Decimal | None]:
    """The 27 (+8) figures of Form 04 for a province or of Form 03 for a commune (see `compile_report`)."""
    return compile_report(period, province_id=province_id, commune_id=commune_id).values


def compile_national_report(period: Period) -> dict[int, Compiled]:
    """Form 04's figures of every province in grouped queries: province id → compiled figures."""
    with transaction.atomic():  # both statements in one transaction (PostgreSQL runs them with jit off: settings)
        specs = build_specs(period)
        rows = _facts_rows(period)
        f01 = {r["province_id"]: r for r in _form01_sums(period)}
        return {
            r["province_id"]: _finish(r, f01.get(r["province_id"], {}), specs, period.ends_on, (r["f01_n"], r["f01_m"]))
            for r in rows
        }


def compile_national(period: Period) -> dict[int, dict[str, Decimal | None]]:
    """Form 04's figures of every province: province id → figures."""
    return {pid: compiled.values for pid, compiled in compile_national_report(period).items()}


def national_total(rows: list[dict]) -> dict:
    """The national total row of the national table: the sum of each figure over the provinces (a province without
    figures adds nothing), 19 recomputed as Σ leased ÷ Σ industrial land over the clusters with known land (never
    an average of the provinces' percentages), and the clusters without data added up. `rows` carry `figures`
    (code → value) and `meta` (a revision's compilation)."""
    values: dict[str, Decimal | None] = {}
    missing: dict[str, list[int]] = {}
    leased_known = Decimal("0")
    for row in rows:
        figures, meta = row.get("figures") or {}, row.get("meta") or {}
        for code, value in figures.items():
            if code == "19" or value is None:
                continue
            values[code] = values.get(code, Decimal("0")) + value
        for code, (n, m) in (meta.get("missing") or {}).items():
            old = missing.get(code, [0, 0])
            missing[code] = [old[0] + n, old[1] + m]
        if figures:
            known = meta.get("leased_with_land")
            leased_known += Decimal(known) if known is not None else (figures.get("18") or Decimal("0"))
    values["19"] = occupancy_pct(leased_known, values.get("17")) if values else None
    return {"figures": values, "missing": missing, "provinces": sum(1 for r in rows if r.get("figures"))}


def trace(period: Period, code: str, *, province_id=None, commune_id=None) -> dict:
    """What is behind one figure: the clusters that meet the indicator's condition (with the value each adds and
    the accepted Form 02 it comes from), the clusters that should give a value and have none ("missing"), or for
    23–25 the accepted Forms 01 and the operating tenant projects without one."""
    result: dict = {"code": code, "as_of": period.ends_on, "clusters": [], "reports": [], "missing": []}
    specs = build_specs(period)
    facts = cluster_facts(period, province_id=province_id, commune_id=commune_id)
    code_for_clusters = "17" if code == "19" else code
    if code in specs or code == "19":
        spec = specs[code_for_clusters]
        fields = ["pk", "code", "name", "st", "f02_id", "kind"]
        if code == "19":
            fields += ["land", "leased"]
        elif spec.value:
            fields.append(spec.value)
        condition = spec.condition
        if spec.value:
            condition = condition & Q(**{f"{spec.value}__isnull": False})
        rows = facts.filter(condition).order_by("code").values(*fields)
        for r in rows:
            item = {
                "id": r["pk"],
                "code": r["code"],
                "name": r["name"],
                "status": r["st"],
                "value": r.get(spec.value) if spec.value else Decimal("1"),
                "form02_report_id": r["f02_id"] if spec.source == "form02" else None,
                "source": "form02" if (spec.source == "form02" and r["f02_id"]) else "registry",
            }
            if code == "19":
                item["value"] = occupancy_pct(r["leased"], r["land"])
                item["form02_report_id"] = r["f02_id"]
                item["source"] = "form02" if r["f02_id"] else "registry"
            result["clusters"].append(item)
        expected, missing = spec.expected_q(), spec.missing_q()
        if expected is not None:
            for r in facts.filter(expected & missing).order_by("code").values("pk", "code", "name", "st"):
                result["missing"].append({"id": r["pk"], "code": r["code"], "name": r["name"], "status": r["st"]})
    if code in FORM01_SPECS:
        column = FORM01_SPECS[code]
        revisions = (
            _form01_revisions(period, province_id=province_id, commune_id=commune_id)
            .select_related("report__project", "cluster")
            .order_by("cluster__code", "report__project__name")
        )
        for rev in revisions:
            result["reports"].append(
                {
                    "report_id": rev.report_id,
                    "revision": rev.number,
                    "project": rev.report.project.name,
                    "cluster_code": rev.cluster.code,
                    "value": getattr(rev, column),
                }
            )
        unreported = (
            _form01_expected(period, province_id=province_id, commune_id=commune_id)
            .filter(reported=False)
            .select_related("cluster")
            .order_by("cluster__code", "name")
        )
        result["missing_projects"] = [
            {"id": p.pk, "project": p.name, "cluster_code": p.cluster.code} for p in unreported
        ]
        if code == "25":
            rows = (
                facts.filter(IN_PLAN, f02_id__isnull=False)
                .order_by("code")
                .values("pk", "code", "name", "st", "f02_id", "investor_workers")
            )
            result["clusters"] = [
                {
                    "id": r["pk"],
                    "code": r["code"],
                    "name": r["name"],
                    "status": r["st"],
                    "value": r["investor_workers"],
                    "form02_report_id": r["f02_id"],
                    "source": "form02",
                }
                for r in rows
            ]
    return result
