"""The facts the indicators of Forms 03/04 count (docs/reports.md): one row per cluster with its state, areas, land,
investor and funding source as of a day, the tenant projects that existed then and the accepted Form 02 of the
period joined once. `compile` aggregates and traces them."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.sql.constants import LOUTER

from ccn.clusters.choices import ESTABLISHED_STATES, IN_PLAN_STATES
from ccn.clusters.choices import ClusterStatus as CS
from ccn.clusters.figures import establishment_date, figures_on, investor_kind_on, state_on_day
from ccn.clusters.models import Cluster
from ccn.clusters.selectors import leased_land_subquery
from ccn.infrastructure.choices import PlantStatus
from ccn.infrastructure.selectors import meets_standard_on
from ccn.tenants.models import TenantProject, operating_q

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
# The sets of lifecycle states the indicators test, as one boolean each per cluster: tested once per cluster, not
# once per indicator (SQLite spends ~1 ms of every aggregate on an `IN (…)` list of states).
STATE_FLAGS = {
    "s_in_plan": IN_PLAN_STATES,
    "s_established": ESTABLISHED_STATES,
    "s_detailed_plan": DETAILED_PLAN_REACHED,
    "s_infrastructure": INFRASTRUCTURE_REACHED,
}


def with_state_flags(qs):
    """`qs` (with the state on the day, `st`) with a boolean per set of STATE_FLAGS (None when `st` is)."""
    return qs.annotate(
        **{
            name: ExpressionWrapper(Q(st__in=states), output_field=BooleanField())
            for name, states in STATE_FLAGS.items()
        }
    )


def lead_commune_subquery():
    """A cluster on several communes is counted once, in the commune with the lowest code (its Form 03)."""
    through = Cluster.communes.through
    return Subquery(
        through.objects.filter(cluster_id=OuterRef("pk")).order_by("commune__code").values("commune_id")[:1]
    )


def _projects_on(day: datetime.date, extra: Q | None = None):
    qs = TenantProject.objects.existing_on(day).filter(cluster=OuterRef("pk"))
    if extra is not None:
        qs = qs.filter(extra)
    return qs


def _count_projects(day: datetime.date, extra: Q | None = None):
    return _count(_projects_on(day, extra))


def _count(qs):
    """The number of rows of `qs` (filtered on `OuterRef("pk")`), 0 when none: a correlated subquery."""
    return Coalesce(
        Subquery(qs.order_by().values("cluster").annotate(n=Count("pk")).values("n"), output_field=IntegerField()),
        Value(0),
    )


def operating_on(day: datetime.date):
    """True for a cluster in which at least one tenant investment project exists on `day` (Circular 14/2024,
    Form 03/04, indicator 15: "đã hoạt động (đã có dự án đầu tư trong cụm)"), whatever its lifecycle state."""
    return Exists(_projects_on(day))


def _final_form01(period: Period, province_id=None):
    """The accepted (final) Form 01 of the period of the tenant project `OuterRef("pk")`: looked up through the
    project's report (one report: form, period and project are unique), not through every revision of every report
    of the project (twenty periods of ten years: 1.5 s against 0.1 s for the nation on SQLite). A province's Form
    04 counts its own province's reports (the projects of a cluster report in its province)."""
    final = Revision.objects.filter(
        form=Form.F01,
        period=period,
        is_final=True,
        report__form=Form.F01,
        report__period=period,
        report__project_id=OuterRef("pk"),
    )
    return final.filter(province_id=province_id) if province_id is not None else final


def unreported_projects(period: Period, *, province_id=None):
    """The tenant projects operating on the period's end without an accepted Form 01 of the period: 23–25's missing
    data. An anti-join (`NOT EXISTS` in the WHERE clause): the database looks each project's report up by index."""
    return TenantProject.objects.operating_on(period.ends_on).filter(~Exists(_final_form01(period, province_id)))


def unreported_sums(period: Period):
    """The nation's tenant projects operating on the period's end per cluster (`expected`: those expected to give a
    Form 01, Circular 14/2024, Art. 5) and among them those without an accepted Form 01 (`n`), in one pass for
    `cluster_facts(unreported=…)` to join as a CTE: PostgreSQL hashes the period's reports once (as a subquery per
    cluster it looks each of the nation's projects' reports up by index: 0.4 s against 0.09 s)."""
    return (
        TenantProject.objects.operating_on(period.ends_on)
        .order_by()
        .values("cluster_id")
        .annotate(expected=Count("pk"), n=Count("pk", filter=~Exists(_final_form01(period))))
    )


def _tenant_figures(end: datetime.date) -> dict:
    """The tenant projects' figures of each cluster on `end`, a correlated subquery each through the projects'
    index on their cluster: a figure that the accepted Form 02 gives (`COALESCE(form 02, registry)`) is never
    computed, and a province reads its own clusters' projects alone."""
    return {
        "has_tenant": operating_on(end),
        "registry_leased": leased_land_subquery(end),
        "registry_projects": _count_projects(end),
        "registry_foreign": _count_projects(end, ~Q(enterprise__country="VN")),
        "registry_operating": _count_projects(end, operating_q(end)),
    }


def cluster_facts(period: Period, *, province_id=None, commune_id=None, province_ids=None, unreported=None):
    """One row per cluster in scope with what the indicators of Forms 03/04 count, as of the period's end: the
    lifecycle state from the dated events, the areas, land, investor and funding source in force on that day
    (dated figures), the tenant projects that existed then, the accepted Form 02 joined once. A value the
    registry does not hold stays empty (None), never 0. The tenant projects expected to give a Form 01 and those
    without an accepted one (`f01_expected`, `f01_unreported`) are a subquery per cluster; for the nation, pass
    `unreported` (a CTE of `unreported_sums`) and both are read from it."""
    end = period.ends_on
    qs = Cluster.objects.all()
    if province_id is not None:
        qs = qs.filter(province_id=province_id)
    if province_ids is not None:
        qs = qs.filter(province_id__in=province_ids)
    if commune_id is not None:
        qs = qs.annotate(lead_commune=lead_commune_subquery()).filter(lead_commune=commune_id)
    status_on_end = state_on_day(end)
    if unreported is not None:
        qs = unreported.join(qs, id=unreported.col.cluster_id, _join_type=LOUTER)
        expected = Coalesce(unreported.col.expected, Value(0))
        qs = qs.annotate(f01_unreported=Coalesce(unreported.col.n, Value(0)))
    else:
        # the tenant projects expected to give a Form 01 of the period: those operating on its end (Circular
        # 14/2024, Art. 5), whatever the Form 02 says
        expected = F("registry_operating")
        projects = unreported_projects(period, province_id=province_id).filter(cluster=OuterRef("pk"))
        qs = qs.annotate(f01_unreported=_count(projects))
    qs = qs.annotate(
        f02=FilteredRelation(
            "report_revisions",
            condition=Q(
                report_revisions__form=Form.F02, report_revisions__period=period, report_revisions__is_final=True
            ),
        ),
    )
    qs = figures_on(qs, end)
    qs = qs.annotate(**_tenant_figures(end))
    qs = qs.annotate(
        st=status_on_end,
        est_on=establishment_date(),
        inv_kind=investor_kind_on(end),
        f02_id=F("f02__report_id"),
        f02_projects=F("f02__v6"),
        plan_area=Coalesce("as_of_area_planned_ha", "as_of_area_established_ha", output_field=DEC),
        area=Coalesce("as_of_area_established_ha", "as_of_area_planned_ha", output_field=DEC),
        land=F("as_of_industrial_land_ha"),
        capital_approved=Coalesce("f02__v1", "infra_capital_approved_bn", output_field=DEC),
        capital_paid=Coalesce("f02__v2", "infra_capital_disbursed_bn", output_field=DEC),
        leased=Coalesce("f02__v4", "registry_leased", output_field=DEC),
        projects=Coalesce("f02__v6", "registry_projects", output_field=DEC),
        projects_foreign=Coalesce("f02__v7", "registry_foreign", output_field=DEC),
        projects_operating=Coalesce("f02__v8", "registry_operating", output_field=DEC),
        f01_expected=expected,
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
            Case(When(meets_standard_on(end), then=Value(Decimal("1"))), default=ZERO),
            output_field=DEC,
        ),
    )
    return with_state_flags(qs)
