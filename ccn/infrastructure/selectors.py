"""Reads of infrastructure progress and wastewater compliance, with the alerts computed in SQL."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from ccn.clusters.models import Cluster
from ccn.clusters.selectors import cluster_scope_q
from ccn.core.compiled import compiled_list, compiled_rows
from ccn.tenants.choices import ProjectStatus
from ccn.tenants.models import TenantProject

from .choices import ALERT_FIELDS, ComponentKind, PlantStatus
from .filters import AlertFilterSet
from .models import InfrastructureComponent, WastewaterPlant, WastewaterResult
from .standards import applicable_standard_q

RESULT_MAX_AGE_DAYS = 365


def _in_force(day: datetime.date, cluster_ref: str):
    """The pk of the result in force on `day` of the plant of the outer query's cluster (`cluster_ref`), for use
    inside an Exists: the latest result dated on or before `day`."""
    return (
        WastewaterResult.objects.filter(plant__cluster=OuterRef(OuterRef(cluster_ref)), sampled_on__lte=day)
        .order_by(*WastewaterResult.NEWEST_FIRST)
        .values("pk")[:1]
    )


def meets_standard_on(day: datetime.date, cluster_ref: str = "pk") -> Exists:
    """True for a cluster (the outer query's `cluster_ref`) whose plant is operating and whose result in force on
    `day` (the latest dated on or before it) meets a standard that applies to the plant on `day`
    (`standards.applicable_standard_q`). The one rule of every figure of compliant plants (Circular 14/2024/TT-BCT,
    Forms 03/04, indicator 27; docs/reports.md): Form 04 for the period ending on `day`, the dashboard's share, the
    plan indicator and Form 02's registry check. A later result does not change an earlier day."""
    return Exists(
        WastewaterResult.objects.filter(
            Q(pk=Subquery(_in_force(day, cluster_ref)), compliant=True, plant__status=PlantStatus.OPERATING)
            & applicable_standard_q(day, permit_prefix="plant__")
        )
    )


def with_standard_met(plants, *, day: datetime.date):
    """Plants annotated with what the public may be told about compliance on `day`, by the one rule of
    `meets_standard_on`: `meets_standard` (True or False) and `standard_met`, the standard its result in force meets
    ("" when the rule says no). One query whatever the number of plants."""
    in_force = WastewaterResult.objects.filter(pk=Subquery(_in_force(day, "cluster")))
    return plants.annotate(meets_standard=meets_standard_on(day, "cluster")).annotate(
        standard_met=Case(
            When(meets_standard=True, then=Subquery(in_force.values("standard"))),
            default=Value(""),
            output_field=CharField(),
        )
    )


def progress_subquery():
    """Overall infrastructure progress of a cluster in %: the mean over the ten components, a component not
    recorded counting as not started (0 %)."""
    dec = DecimalField(max_digits=6, decimal_places=1)
    total = Subquery(
        InfrastructureComponent.objects.filter(cluster=OuterRef("pk"))
        .order_by()
        .values("cluster")
        .annotate(t=Sum("percent_complete"))
        .values("t")
    )
    return ExpressionWrapper(Coalesce(total, Value(0)) * Decimal("1.0") / len(ComponentKind.values), output_field=dec)


def with_alerts(qs, *, today: datetime.date | None = None):
    """Annotate the four wastewater alerts: operating tenants but no operating plant; plant capacity below the
    operating tenants' declared discharge; an operating plant whose last compliance result is older than a
    year (or missing); an operating plant whose last result does not show it meets the standard that applies to it
    today (not compliant, or judged against QCVN 40:2011 where QCVN 40:2025 applies: `standards`)."""
    today = today or timezone.localdate()
    dec = DecimalField(max_digits=14, decimal_places=2)
    operating = TenantProject.objects.filter(cluster=OuterRef("pk"), status=ProjectStatus.OPERATING)
    discharge = Subquery(
        operating.order_by().values("cluster").annotate(t=Sum("wastewater_m3_day")).values("t"), output_field=dec
    )
    plant = WastewaterPlant.objects.filter(cluster=OuterRef("pk"))
    latest = WastewaterResult.objects.filter(plant__cluster=OuterRef("pk")).order_by("-sampled_on")
    in_force = WastewaterResult.objects.filter(pk=Subquery(_in_force(today, "pk")))
    cutoff = today - datetime.timedelta(days=RESULT_MAX_AGE_DAYS)
    qs = qs.annotate(
        has_operating_tenants=Exists(operating),
        declared_discharge=Coalesce(discharge, Value(Decimal("0")), output_field=dec),
        plant_status=Subquery(plant.values("status")[:1]),
        plant_capacity=Subquery(plant.values("design_capacity_m3_day")[:1], output_field=dec),
        plant_result_on=Subquery(latest.values("sampled_on")[:1]),
        plant_operating=Exists(plant.filter(status=PlantStatus.OPERATING)),
        plant_meets_standard=meets_standard_on(today),
        plant_has_result=Exists(in_force.filter(compliant__isnull=False)),
    )
    return qs.annotate(
        alert_no_plant=Case(
            When(Q(has_operating_tenants=True, plant_operating=False), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        alert_capacity=Case(
            When(
                Q(plant_capacity__isnull=False, declared_discharge__gt=F("plant_capacity"))
                & ~Q(plant_status=PlantStatus.NONE),
                then=Value(True),
            ),
            default=Value(False),
            output_field=BooleanField(),
        ),
        alert_stale_result=Case(
            When(
                Q(plant_operating=True) & (Q(plant_result_on__isnull=True) | Q(plant_result_on__lt=cutoff)),
                then=Value(True),
            ),
            default=Value(False),
            output_field=BooleanField(),
        ),
        alert_standard=Case(
            When(Q(plant_operating=True, plant_has_result=True, plant_meets_standard=False), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )


def alert_list(*, user, filters=None):
    """Clusters visible to `user` with at least one wastewater alert, filtered by the list's FilterSet (`filters`:
    the query's data; ccn/infrastructure/filters.py)."""
    qs = with_alerts(Cluster.objects.filter(cluster_scope_q(user)).select_related("province", "investor"))
    any_alert = Q()
    for field in ALERT_FIELDS.values():
        any_alert |= Q(**{field: True})
    qs = qs.filter(any_alert)
    if filters:
        qs = AlertFilterSet(filters, queryset=qs, user=user).qs
    return qs.order_by("province__code", "name")


CLUSTER_ALERT_COLUMNS = (
    "alert_no_plant",
    "alert_capacity",
    "alert_stale_result",
    "alert_standard",
    "declared_discharge",
    "plant_capacity",
)


def cluster_infrastructure(cluster: Cluster) -> dict:
    """Components (all ten kinds, unrecorded ones as not started), overall progress, capital and the plant."""
    # each of the panel's small queries is compiled once and run with each cluster's id (core.compiled)
    recorded = {
        c.kind: c
        for c in compiled_list(
            ("cluster-components",), cluster.pk, lambda pk: InfrastructureComponent.objects.filter(cluster_id=pk)
        )
    }
    components = []
    for kind, label in ComponentKind.choices:
        c = recorded.get(kind)
        components.append(
            {
                "kind": kind,
                "label": label,
                "status": c.status if c else "not_started",
                "status_label": c.get_status_display() if c else None,
                "percent_complete": c.percent_complete if c else 0,
                "note": c.note if c else "",
                "updated_on": c.updated_on if c else None,
                "recorded": c is not None,
                "version": c.version if c else None,
            }
        )
    overall = Decimal(sum(x["percent_complete"] for x in components)) / len(components)
    plants = compiled_list(
        ("cluster-plant",), cluster.pk, lambda pk: WastewaterPlant.objects.filter(cluster_id=pk).order_by("pk")[:1]
    )
    plant = plants[0] if plants else None
    results = (
        compiled_list(
            ("plant-results",),
            plant.pk,
            lambda pk: WastewaterResult.objects.filter(plant_id=pk).order_by(*WastewaterResult.NEWEST_FIRST),
        )
        if plant
        else []
    )
    approved = cluster.infra_capital_approved_bn
    disbursed = cluster.infra_capital_disbursed_bn
    disbursed_pct = None
    if approved and disbursed is not None:
        disbursed_pct = (Decimal(disbursed) / Decimal(approved) * 100).quantize(Decimal("0.1"))
    # the alerts' query is a dozen dated subqueries whose building and compiling costs ~25 ms of Python for a
    # query the database runs in under 1 ms: compiled once a day, then run with each cluster's id (core.compiled)
    today = timezone.localdate()
    (alerts,) = compiled_rows(
        ("cluster-alerts", today),
        cluster.pk,
        lambda pk: with_alerts(Cluster.objects.filter(pk=pk), today=today).values(*CLUSTER_ALERT_COLUMNS),
    )
    return {
        "components": components,
        "overall_pct": overall.quantize(Decimal("0.1")),
        "capital_approved_bn": approved,
        "capital_disbursed_bn": disbursed,
        "disbursed_pct": disbursed_pct,
        "plant": plant,
        "results": results,
        "alerts": alerts,
    }
