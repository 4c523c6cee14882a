"""The facts the indicators of Forms 03/04 count (docs/reports.md): one row per cluster with its state, areas, land,
investor and funding source as of a day, the tenant projects that existed then and the accepted Form 02 of the
period joined once. `compile` aggregates and traces them."""

from __future__ import annotations

import datetime
from decimal import Decimal

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
    Value,
    When,
)
from django.db.models.functions import Coalesce

from ccn.clusters.choices import ClusterStatus as CS
from ccn.clusters.figures import establishment_date, figures_on, investor_kind_on, state_on_day
from ccn.clusters.models import Cluster
from ccn.clusters.selectors import leased_land_subquery
from ccn.infrastructure.choices import PlantStatus
from ccn.infrastructure.selectors import meets_standard_on
from ccn.tenants.models import TenantProject, operating_q

from .choices import Form
from .models import Period

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
    qs = _projects_on(day, extra)
    return Coalesce(
        Subquery(qs.order_by().values("cluster").annotate(n=Count("pk")).values("n"), output_field=IntegerField()),
        Value(0),
    )


def operating_on(day: datetime.date):
    """True for a cluster in which at least one tenant investment project exists on `day` (Circular 14/2024,
    Form 03/04, indicator 15: "đã hoạt động (đã có dự án đầu tư trong cụm)"), whatever its lifecycle state."""
    return Exists(_projects_on(day))


def cluster_facts(period: Period, *, province_id=None, commune_id=None, province_ids=None):
    """One row per cluster in scope with what the indicators of Forms 03/04 count, as of the period's end: the
    lifecycle state from the dated events, the areas, land, investor and funding source in force on that day
    (dated figures), the tenant projects that existed then, the accepted Form 02 joined once. A value the
    registry does not hold stays empty (None), never 0."""
    end = period.ends_on
    qs = Cluster.objects.all()
    if province_id is not None:
        qs = qs.filter(province_id=province_id)
    if province_ids is not None:
        qs = qs.filter(province_id__in=province_ids)
    if commune_id is not None:
        qs = qs.annotate(lead_commune=lead_commune_subquery()).filter(lead_commune=commune_id)
    status_on_end = state_on_day(end)
    qs = qs.annotate(
        f02=FilteredRelation(
            "report_revisions",
            condition=Q(
                report_revisions__form=Form.F02, report_revisions__period=period, report_revisions__is_final=True
            ),
        ),
    )
    qs = figures_on(qs, end)
    qs = qs.annotate(
        st=status_on_end,
        est_on=establishment_date(),
        has_tenant=operating_on(end),
        inv_kind=investor_kind_on(end),
        f02_id=F("f02__report_id"),
        f02_projects=F("f02__v6"),
        plan_area=Coalesce("as_of_area_planned_ha", "as_of_area_established_ha", output_field=DEC),
        area=Coalesce("as_of_area_established_ha", "as_of_area_planned_ha", output_field=DEC),
        land=F("as_of_industrial_land_ha"),
        capital_approved=Coalesce("f02__v1", "infra_capital_approved_bn", output_field=DEC),
        capital_paid=Coalesce("f02__v2", "infra_capital_disbursed_bn", output_field=DEC),
        leased=Coalesce("f02__v4", leased_land_subquery(end), output_field=DEC),
        projects=Coalesce("f02__v6", _count_projects(end), output_field=DEC),
        projects_foreign=Coalesce("f02__v7", _count_projects(end, ~Q(enterprise__country="VN")), output_field=DEC),
        projects_operating=Coalesce("f02__v8", _count_projects(end, operating_q(end)), output_field=DEC),
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
    return qs
