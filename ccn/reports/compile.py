"""Compiles Forms 03 (commune) and 04 (province) in SQL from the registry as of the period's end and the final
(accepted) Forms 01 and 02 of the period, and traces each figure back to the clusters and reports behind it.

Each indicator is a condition on one row per cluster ("facts": the state on the period's end from the dated
lifecycle events, areas, the accepted Form 02 joined once, registry counts) and, for sums, a value. The same
definitions give the totals (one aggregate query) and the trace (the rows that meet the condition). Figures a
Form 02 reports win over the registry for that cluster; a cluster without an accepted Form 02 falls back to
the registry. See docs/reports.md for the definition of every indicator."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from ccn.clusters.choices import ESTABLISHED_STATES, IN_PLAN_STATES, OPERATING_STATES, ClusterKind
from ccn.clusters.choices import ClusterStatus as CS
from ccn.clusters.models import Cluster, ClusterEvent
from ccn.clusters.selectors import leased_land_subquery
from ccn.infrastructure.choices import PlantStatus
from ccn.tenants.choices import LEASING_STATUSES, ProjectStatus
from ccn.tenants.models import TenantProject

from .choices import Form
from .models import Period, Revision

DEC = DecimalField(max_digits=20, decimal_places=4)
ZERO = Value(Decimal("0"), output_field=DEC)

DETAILED_PLAN_REACHED = (
    CS.DETAILED_PLAN_APPROVED,
    CS.INFRASTRUCTURE_APPROVED,
    CS.LAND_CLEARANCE,
    CS.UNDER_CONSTRUCTION,
    CS.OPERATING,
    CS.EXPANDING,
)
INFRASTRUCTURE_REACHED = DETAILED_PLAN_REACHED[1:]
OPERATING_ESTABLISHED = (CS.OPERATING, CS.EXPANDING)


def lead_commune_subquery():
    """A cluster on several communes is counted once, in the commune with the lowest code (its Form 03)."""
    through = Cluster.communes.through
    return Subquery(
        through.objects.filter(cluster_id=OuterRef("pk")).order_by("commune__code").values("commune_id")[:1]
    )


def _count_projects(extra: Q | None = None):
    qs = TenantProject.objects.filter(cluster=OuterRef("pk"), status__in=LEASING_STATUSES)
    if extra is not None:
        qs = qs.filter(extra)
    return Coalesce(
        Subquery(qs.order_by().values("cluster").annotate(n=Count("pk")).values("n"), output_field=IntegerField()),
        Value(0),
    )


def cluster_facts(period: Period, *, province_id=None, commune_id=None, province_ids=None):
    """One row per cluster in scope with what the indicators of Forms 03/04 count, as of the period's end."""
    end, start = period.ends_on, period.starts_on
    qs = Cluster.objects.all()
    if province_id is not None:
        qs = qs.filter(province_id=province_id)
    if province_ids is not None:
        qs = qs.filter(province_id__in=province_ids)
    if commune_id is not None:
        qs = qs.annotate(lead_commune=lead_commune_subquery()).filter(lead_commune=commune_id)
    status_on_end = Subquery(
        ClusterEvent.objects.filter(cluster=OuterRef("pk"), effective_on__lte=end)
        .order_by("-effective_on", "-id")
        .values("to_status")[:1]
    )
    established_in_period = Exists(
        ClusterEvent.objects.filter(
            cluster=OuterRef("pk"), effective_on__gte=start, effective_on__lte=end, to_status__in=ESTABLISHED_STATES
        ).exclude(from_status__in=ESTABLISHED_STATES)
    )
    qs = qs.annotate(
        f02=FilteredRelation(
            "report_revisions",
            condition=Q(
                report_revisions__form=Form.F02, report_revisions__period=period, report_revisions__is_final=True
            ),
        ),
    )
    qs = qs.annotate(
        st=status_on_end,
        est_in_period=established_in_period,
        f02_id=F("f02__report_id"),
        plan_area=Coalesce("area_planned_ha", "area_established_ha", ZERO, output_field=DEC),
        area=Coalesce("area_established_ha", "area_planned_ha", ZERO, output_field=DEC),
        land=Coalesce("industrial_land_ha", ZERO, output_field=DEC),
        capital_approved=Coalesce("f02__v1", "infra_capital_approved_bn", output_field=DEC),
        capital_paid=Coalesce("f02__v2", "infra_capital_disbursed_bn", output_field=DEC),
        leased=Coalesce("f02__v4", leased_land_subquery(), output_field=DEC),
        projects=Coalesce("f02__v6", _count_projects(), output_field=DEC),
        projects_foreign=Coalesce("f02__v7", _count_projects(~Q(enterprise__country="VN")), output_field=DEC),
        projects_operating=Coalesce("f02__v8", _count_projects(Q(status=ProjectStatus.OPERATING)), output_field=DEC),
        investor_workers=Coalesce("f02__v11", ZERO, output_field=DEC),
        ww_built=Coalesce(
            "f02__v13",
            Case(
                When(
                    wastewater_plant__status__in=(PlantStatus.UNDER_CONSTRUCTION, PlantStatus.OPERATING),
                    then=Value(Decimal("1")),
                ),
                default=ZERO,
            ),
            output_field=DEC,
        ),
        ww_ok=Coalesce(
            "f02__v14",
            Case(
                When(
                    wastewater_plant__status=PlantStatus.OPERATING,
                    wastewater_plant__compliant=True,
                    then=Value(Decimal("1")),
                ),
                default=ZERO,
            ),
            output_field=DEC,
        ),
    )
    return qs


IN_PLAN = Q(st__in=IN_PLAN_STATES)
ESTABLISHED = Q(st__in=ESTABLISHED_STATES)
OPERATING = Q(st__in=OPERATING_STATES)


@dataclass(frozen=True)
class Spec:
    """An indicator as a condition on a cluster's facts and the value summed (None: clusters are counted)."""

    condition: Q
    value: str | None = None
    source: str = "registry"  # "registry", "form02" (with registry fallback) or "form01"


SPECS: dict[str, Spec] = {
    "1": Spec(IN_PLAN),
    "2": Spec(IN_PLAN, "plan_area"),
    "3": Spec(ESTABLISHED),
    "4": Spec(ESTABLISHED, "area"),
    "5": Spec(Q(est_in_period=True) & ESTABLISHED),
    "6": Spec(Q(est_in_period=True) & ESTABLISHED, "area"),
    "7": Spec(ESTABLISHED & Q(investor__kind="enterprise")),
    "8": Spec(ESTABLISHED & Q(investor__kind="enterprise"), "area"),
    "9": Spec(Q(st__in=DETAILED_PLAN_REACHED)),
    "10": Spec(Q(st__in=DETAILED_PLAN_REACHED), "area"),
    "11": Spec(Q(st__in=INFRASTRUCTURE_REACHED)),
    "12": Spec(Q(st__in=INFRASTRUCTURE_REACHED), "area"),
    "13": Spec(IN_PLAN & Q(capital_approved__isnull=False), "capital_approved", "form02"),
    "14": Spec(IN_PLAN & Q(capital_paid__isnull=False), "capital_paid", "form02"),
    "15": Spec(OPERATING),
    "15.1": Spec(Q(st__in=OPERATING_ESTABLISHED)),
    "15.2": Spec(Q(st=CS.OPERATING_UNESTABLISHED)),
    "15.3": Spec(OPERATING & Q(kind=ClusterKind.CRAFT_VILLAGE)),
    "15.4": Spec(OPERATING & Q(kind=ClusterKind.SPECIALISED)),
    "16": Spec(OPERATING, "area"),
    "16.1": Spec(Q(st__in=OPERATING_ESTABLISHED), "area"),
    "16.2": Spec(Q(st=CS.OPERATING_UNESTABLISHED), "area"),
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
# 19 is 18 ÷ 17; 23–25 come from the accepted Forms 01 (25 adds the investors' workers of Form 02).
FORM01_SPECS = {"23": "v1", "24": "v2", "25": "v3"}


def _aggregates() -> dict:
    out = {}
    for code, spec in SPECS.items():
        then = F(spec.value) if spec.value else Value(Decimal("1"))
        out["k" + code.replace(".", "_")] = Coalesce(
            Sum(Case(When(spec.condition, then=then), default=ZERO, output_field=DEC)), ZERO, output_field=DEC
        )
    out["k25_investors"] = Coalesce(
        Sum(Case(When(IN_PLAN, then=F("investor_workers")), default=ZERO, output_field=DEC)), ZERO, output_field=DEC
    )
    return out


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


def _finish(row: dict, f01: dict) -> dict[str, Decimal | None]:
    values = {code: row["k" + code.replace(".", "_")] for code in SPECS}
    values["23"] = f01.get("v1") or Decimal("0")
    values["24"] = f01.get("v2") or Decimal("0")
    values["25"] = (f01.get("v3") or Decimal("0")) + row["k25_investors"]
    land, leased = values["17"], values["18"]
    values["19"] = (leased / land * 100).quantize(Decimal("0.01")) if land else None
    return {code: (v.quantize(Decimal("0.0001")) if v is not None else None) for code, v in values.items()}


@contextmanager
def _no_jit():
    """PostgreSQL's JIT compiler judges these many-CASE aggregates expensive and spends seconds compiling a query
    that runs in milliseconds; switch it off for the transaction."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        yield


def compile_figures(period: Period, *, province_id=None, commune_id=None) -> dict[str, Decimal | None]:
    """The 27 (+8) figures of Form 04 for a province or of Form 03 for a commune: two aggregate queries."""
    with _no_jit():
        return _compile_figures(period, province_id=province_id, commune_id=commune_id)


def _compile_figures(period: Period, *, province_id=None, commune_id=None) -> dict[str, Decimal | None]:
    row = cluster_facts(period, province_id=province_id, commune_id=commune_id).aggregate(**_aggregates())
    f01 = _form01_revisions(period, province_id=province_id, commune_id=commune_id).aggregate(
        v1=Sum("v1"), v2=Sum("v2"), v3=Sum("v3")
    )
    return _finish(row, f01)


def compile_national(period: Period) -> dict[int, dict[str, Decimal | None]]:
    """Form 04's figures of every province in two grouped queries: province id → figures."""
    with _no_jit():
        return _compile_national(period)


def _compile_national(period: Period) -> dict[int, dict[str, Decimal | None]]:
    rows = list(cluster_facts(period).order_by().values("province_id").annotate(**_aggregates()))
    f01 = {
        r["province_id"]: r
        for r in Revision.objects.filter(form=Form.F01, period=period, is_final=True)
        .order_by()
        .values("province_id")
        .annotate(v1=Sum("v1"), v2=Sum("v2"), v3=Sum("v3"))
    }
    return {r["province_id"]: _finish(r, f01.get(r["province_id"], {})) for r in rows}


def trace(period: Period, code: str, *, province_id=None, commune_id=None) -> dict:
    """What is behind one figure: the clusters that meet the indicator's condition (with the value each adds and
    the accepted Form 02 it comes from), or for 23–25 the accepted Forms 01."""
    result: dict = {"code": code, "clusters": [], "reports": []}
    facts = cluster_facts(period, province_id=province_id, commune_id=commune_id)
    if code == "19":
        code_for_clusters = "18"
    else:
        code_for_clusters = code
    if code in SPECS or code == "19":
        spec = SPECS[code_for_clusters]
        fields = ["pk", "code", "name", "st", "f02_id", "kind"]
        if spec.value:
            fields.append(spec.value)
        rows = facts.filter(spec.condition).order_by("code").values(*fields)
        for r in rows:
            result["clusters"].append(
                {
                    "id": r["pk"],
                    "code": r["code"],
                    "name": r["name"],
                    "status": r["st"],
                    "value": r.get(spec.value) if spec.value else Decimal("1"),
                    "form02_report_id": r["f02_id"] if spec.source == "form02" else None,
                    "source": "form02" if (spec.source == "form02" and r["f02_id"]) else "registry",
                }
            )
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
