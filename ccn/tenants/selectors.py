"""Reads of tenant projects and land accounting that apply scope or aggregation. Pages and API call these."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from ccn.accounts import policy
from ccn.clusters.figures import occupancy_pct
from ccn.clusters.models import Cluster
from ccn.clusters.selectors import leased_land_subquery
from ccn.core.compiled import compiled_aggregate, compiled_list
from ccn.core.errors import NotFoundError

from .choices import LEASING_STATUSES, ProjectStatus
from .filters import TenantFilterSet
from .models import ImportRun, TenantProject
from .policy import IMPORT

LAND_STALE_MONTHS = 6


def tenant_scope_q(user) -> Q:
    """Tenant projects `user` may see: the policy's rule (ccn/tenants/policy.py) — province roles their
    province, commune officers their communes' clusters, an investor the tenants of its own clusters, a tenant
    its own projects, the public none."""
    return policy.scope_q(user, TenantProject)


def may_import(user) -> bool:
    """The province's officers and infrastructure investors import (each row still checked against their scope)."""
    return policy.may(user, IMPORT, ImportRun)


def can_edit_tenants(user, cluster: Cluster) -> bool:
    """The province's officers and the cluster's own infrastructure investor keep its tenant list."""
    return policy.can(user, policy.ADD, TenantProject(cluster=cluster))


def editable_clusters(user):
    """Clusters whose tenants `user` may add or edit."""
    return Cluster.objects.filter(policy.parent_q(user, TenantProject, policy.ADD, "cluster"))


def with_project_figures(qs):
    dec = DecimalField(max_digits=24, decimal_places=2)
    return qs.annotate(
        capital_vnd_value=ExpressionWrapper(F("capital") * F("exchange_rate"), output_field=dec),
        foreign_invested=Case(
            When(~Q(enterprise__country="VN"), then=Value(True)), default=Value(False), output_field=BooleanField()
        ),
    )


SORTS = {
    "name": "name",
    "cluster": "cluster__code",
    "enterprise": "enterprise__name",
    "status": "status",
    "land": "land_leased_ha",
    "workers": "workers",
    "updated": "updated_at",
}


def tenant_project_list(*, user, filters=None, order: str = "cluster"):
    """Tenant projects visible to `user`, filtered by the list's FilterSet (`filters`: the query's data;
    ccn/tenants/filters.py); one query with the cluster, province, enterprise, sector."""
    qs = with_project_figures(
        TenantProject.objects.filter(tenant_scope_q(user)).select_related(
            "cluster", "cluster__province", "enterprise", "sector", "sector_2025"
        )
    )
    if filters:
        qs = TenantFilterSet(filters, queryset=qs, user=user).qs
    desc = order.startswith("-")
    field = SORTS.get(order.lstrip("-"), "cluster__code")
    key = F(field).desc(nulls_last=True) if desc else F(field).asc(nulls_last=True)
    return qs.order_by(key, "name", "pk")


def _cluster_projects(user, cluster_id: int):
    """The projects of one cluster visible to `user`, by name: the rows of `tenant_project_list` filtered to the
    cluster, without building the list's filter set or joining what the cluster's panel does not show (the cluster,
    its province, the sectors)."""
    return (
        with_project_figures(TenantProject.objects.filter(tenant_scope_q(user), cluster_id=cluster_id))
        .select_related("enterprise")
        .order_by("name", "pk")
    )


def cluster_tenants(*, user, cluster: Cluster, limit: int = 100) -> tuple[list[TenantProject], dict]:
    """The first `limit` projects of a cluster visible to `user` and the totals of them all (`tenant_totals`), each
    query compiled once per scope and run with each cluster's id (ccn/core/compiled.py)."""
    scope = policy.scope_key(user, TenantProject)
    projects = compiled_list(
        ("cluster-projects", scope, limit), cluster.pk, lambda pk: _cluster_projects(user, pk)[:limit]
    )
    totals = compiled_aggregate(
        ("cluster-tenant-totals", scope), cluster.pk, lambda pk: _cluster_projects(user, pk), "cluster_id", **_totals()
    )
    return projects, totals


def tenant_project_get(*, user, pk: int) -> TenantProject:
    project = tenant_project_list(user=user).filter(pk=pk).first()
    if project is None:
        from django.utils.translation import gettext as _

        raise NotFoundError(_("No such tenant project, or you may not see it."))
    return project


def tenant_totals(qs) -> dict:
    """Counts and sums of a list of projects, in SQL: total, foreign-invested, operating, land, workers, capital
    in VND (each project's capital at its own exchange rate)."""
    return qs.order_by().aggregate(**_totals())


def _totals() -> dict:
    dec = DecimalField(max_digits=24, decimal_places=2)
    return {
        "projects": Count("pk"),
        "foreign": Count("pk", filter=~Q(enterprise__country="VN")),
        "operating": Count("pk", filter=Q(status=ProjectStatus.OPERATING)),
        "land_ha": Coalesce(Sum("land_leased_ha", filter=Q(status__in=LEASING_STATUSES)), Value(Decimal("0"))),
        "workers": Coalesce(Sum("workers"), Value(0)),
        "capital_vnd": Sum(ExpressionWrapper(F("capital") * F("exchange_rate"), output_field=dec)),
    }


def months_before(day: datetime.date, months: int) -> datetime.date:
    month = day.month - months
    year = day.year
    while month <= 0:
        month += 12
        year -= 1
    for d in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=d)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


def cluster_land(cluster: Cluster) -> dict:
    """The land account of a cluster: industrial ≥ ready ≥ leased, vacant = ready − leased, occupancy = leased ÷
    industrial land; bar widths in % of industrial land; whether the figures need confirming (older than six
    months or never confirmed)."""
    leased = getattr(cluster, "leased_land_ha", None)
    if leased is None:
        leased = (
            Cluster.objects.filter(pk=cluster.pk).annotate(x=leased_land_subquery()).values_list("x", flat=True).first()
        )
    leased = Decimal(leased or 0)
    industrial = cluster.industrial_land_ha
    ready = cluster.ready_land_ha
    vacant = None if ready is None else ready - leased
    occupancy = occupancy_pct(leased, industrial)
    base = industrial or ready or None
    bar = None
    if base:
        leased_w = min(Decimal(100), leased / base * 100)
        ready_w = min(Decimal(100) - leased_w, max(Decimal(0), ((ready or leased) - leased) / base * 100))
        bar = {"leased": round(float(leased_w), 2), "vacant": round(float(ready_w), 2)}
        bar["unready"] = round(max(0.0, 100 - bar["leased"] - bar["vacant"]), 2)
    today = timezone.localdate()
    confirmed = cluster.land_confirmed_on
    stale = confirmed is None or confirmed < months_before(today, LAND_STALE_MONTHS)
    return {
        "industrial_ha": industrial,
        "ready_ha": ready,
        "leased_ha": leased,
        "vacant_ha": vacant,
        "occupancy_pct": occupancy,
        "confirmed_on": confirmed,
        "stale": stale,
        "bar": bar,
    }


def import_runs(*, user, limit: int = 20):
    return policy.visible(user, ImportRun).select_related("actor")[:limit]
