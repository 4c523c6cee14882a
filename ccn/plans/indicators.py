"""The indicator catalogue: every figure a target can be set on, computed from the registry for any date.

`INDICATORS` is a registry (key → `Indicator`). Another app adds its own indicator with `register(...)` from its
AppConfig.ready(), e.g. the obstacles app registering "obstacles resolved"; this module imports no such app.
An indicator's `compute(scope, as_of)` returns the value at the end of `as_of` (a Decimal, or None when it cannot be
computed); built-in indicators also give `series(scope, days)` (several dates in one SQL query), `members(scope,
as_of)` (the clusters behind the figure) and, for counts of clusters, the lifecycle states that make a cluster count
(used by the pipeline forecast). How "as of" is read for each kind of data is in docs/plans-forecast.md.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, Exists, F, Min, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ccn.clusters.choices import ESTABLISHED_STATES, IN_PLAN_STATES, OPERATING_STATES
from ccn.clusters.choices import ClusterStatus as S
from ccn.clusters.figures import establishment_date, state_on_day
from ccn.clusters.models import Cluster, ClusterEvent
from ccn.clusters.occupancy import occupancy_pct
from ccn.clusters.selectors import with_land_figures
from ccn.infrastructure.selectors import meets_standard_on
from ccn.tenants.choices import ProjectStatus
from ccn.tenants.models import TenantProject, existing_q, leasing_q

from .choices import ScopeKind, Unit

DEC = DecimalField(max_digits=18, decimal_places=4)
ZERO = Decimal("0")
ALL_SCOPES = tuple(ScopeKind.values)

CONSTRUCTION_STARTED_STATES = (S.UNDER_CONSTRUCTION, S.OPERATING, S.EXPANDING)
INFRASTRUCTURE_COMPLETED_STATES = (S.OPERATING, S.EXPANDING)
# Clusters whose land counts for occupancy: established (or operating without establishment), not revoked.
LAND_STATES = (*ESTABLISHED_STATES, S.OPERATING_UNESTABLISHED)


@dataclass(eq=False)
class Scope:
    """Which clusters a figure covers: a province (None: the nation), communes, a list of clusters, and an
    optional restriction (the caller's visibility). `counts_from` starts the period of counts of events."""

    province_id: int | None = None
    commune_ids: tuple[int, ...] = ()
    cluster_ids: tuple[int, ...] = ()
    counts_from: datetime.date | None = None
    restrict: Q | None = None
    kind: str = ScopeKind.PROVINCE

    @property
    def is_nation(self) -> bool:
        """Every cluster, unrestricted: figures over related rows need no filter on their cluster."""
        return self.province_id is None and not self.commune_ids and not self.cluster_ids and self.restrict is None

    def clusters(self):
        qs = Cluster.objects.all()
        if self.province_id is not None:
            qs = qs.filter(province_id=self.province_id)
        if self.commune_ids:
            through = Cluster.communes.through.objects.filter(commune_id__in=self.commune_ids)
            qs = qs.filter(pk__in=through.values("cluster_id"))
        if self.cluster_ids:
            qs = qs.filter(pk__in=self.cluster_ids)
        if self.restrict is not None:
            qs = qs.filter(self.restrict)
        return qs.order_by()


@dataclass(eq=False)
class Indicator:
    key: str
    label: str
    unit: str
    compute: Callable[[Scope, datetime.date], Decimal | None]
    description: str = ""
    scopes: tuple[str, ...] = ALL_SCOPES
    # counts of events in a period (needs `counts_from`) rather than a stock on a day
    is_flow: bool = False
    # lifecycle states that make a cluster count: the pipeline forecast uses them
    states: tuple[str, ...] = ()
    series: Callable[[Scope, Sequence[datetime.date]], list[Decimal | None]] | None = None
    members: Callable[[Scope, datetime.date], object] | None = None
    # a message when the indicator cannot be computed on this scope (e.g. occupancy of a commune with no cluster)
    fits: Callable[[Scope], str | None] | None = None
    # a sentence with %(projected)s, %(target)s, %(deadline)s, e.g. "… 11 of the 15–20 clusters will open by …"
    forecast_phrase: str = ""
    extra: dict = field(default_factory=dict)

    def values(self, scope: Scope, days: Sequence[datetime.date]) -> list[Decimal | None]:
        if self.series is not None:
            return self.series(scope, list(days))
        return [self.compute(scope, d) for d in days]


INDICATORS: dict[str, Indicator] = {}


def register(indicator: Indicator) -> Indicator:
    """Add an indicator to the catalogue (apps call this from AppConfig.ready())."""
    INDICATORS[indicator.key] = indicator
    return indicator


def get_indicator(key: str) -> Indicator | None:
    return INDICATORS.get(key)


def indicator_choices() -> list[tuple[str, str]]:
    return [(k, str(i.label)) for k, i in INDICATORS.items()]


# ---------------------------------------------------------------- as-of building blocks (SQL)


def state_on(day: datetime.date, ref: str = "pk"):
    """The lifecycle state of the cluster `ref` at the end of `day`: the latest ClusterEvent on or before it.
    From today on that is the cluster's own `status` (events cannot be dated in the future), read without a
    subquery: the dashboard's figures "today" stay fast on the national registry."""
    if day >= timezone.localdate():
        return F("status" if ref == "pk" else "cluster__status")
    return state_on_day(day, ref)


def first_reached(states: Sequence[str]):
    """The first date the cluster entered one of `states` (None if it never did)."""
    return Subquery(
        ClusterEvent.objects.filter(cluster_id=OuterRef("pk"), to_status__in=states)
        .order_by()
        .values("cluster_id")
        .annotate(first=Min("effective_on"))
        .values("first")
    )


def _dec(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(value) if not isinstance(value, Decimal) else value


def _area_expr():
    return Coalesce("area_established_ha", "area_planned_ha", output_field=DEC)


# ---------------------------------------------------------------- kinds of indicators


def state_count(states):
    """Clusters whose state at the end of each day is one of `states`."""

    def series(scope, days):
        qs = scope.clusters().annotate(**{f"s{i}": state_on(d) for i, d in enumerate(days)})
        row = qs.aggregate(**{f"n{i}": Count("pk", filter=Q(**{f"s{i}__in": states})) for i in range(len(days))})
        return [Decimal(row[f"n{i}"] or 0) for i in range(len(days))]

    def members(scope, day):
        return scope.clusters().annotate(s=state_on(day)).filter(s__in=states)

    return series, members


def state_sum(states, expr_factory):
    """The sum of a cluster figure (its current value) over clusters in `states` at the end of each day."""

    def series(scope, days):
        qs = scope.clusters().annotate(v=expr_factory(), **{f"s{i}": state_on(d) for i, d in enumerate(days)})
        row = qs.aggregate(**{f"n{i}": Sum("v", filter=Q(**{f"s{i}__in": states})) for i in range(len(days))})
        return [_dec(row[f"n{i}"]) or ZERO for i in range(len(days))]

    def members(scope, day):
        return scope.clusters().annotate(s=state_on(day), value=expr_factory()).filter(s__in=states)

    return series, members


def milestone_count(states):
    """Clusters that first reached one of `states` within [counts_from, day] (from the start if no counts_from)."""

    def _period(scope, day, name="fr"):
        q = Q(**{f"{name}__lte": day})
        if scope.counts_from:
            q &= Q(**{f"{name}__gte": scope.counts_from})
        return q

    def series(scope, days):
        qs = scope.clusters().annotate(fr=first_reached(states))
        row = qs.aggregate(**{f"n{i}": Count("pk", filter=_period(scope, d)) for i, d in enumerate(days)})
        return [Decimal(row[f"n{i}"] or 0) for i in range(len(days))]

    def members(scope, day):
        return scope.clusters().annotate(fr=first_reached(states)).filter(_period(scope, day))

    return series, members


def event_count(states):
    """Clusters with at least one act into `states` within [counts_from, day] (e.g. established or expanded)."""

    def _exists(scope, day):
        events = ClusterEvent.objects.filter(
            cluster_id=OuterRef("pk"), to_status__in=states, effective_on__lte=day
        ).exclude(action="register")  # entering an existing cluster in the register is not an act of the period
        if scope.counts_from:
            events = events.filter(effective_on__gte=scope.counts_from)
        return Exists(events)

    def series(scope, days):
        qs = scope.clusters().annotate(**{f"e{i}": _exists(scope, d) for i, d in enumerate(days)})
        row = qs.aggregate(**{f"n{i}": Count("pk", filter=Q(**{f"e{i}": True})) for i in range(len(days))})
        return [Decimal(row[f"n{i}"] or 0) for i in range(len(days))]

    def members(scope, day):
        return scope.clusters().annotate(e=_exists(scope, day)).filter(e=True)

    return series, members


def _tenant_projects(scope):
    if scope.is_nation:
        # `cluster IN (every cluster)` made SQLite read the 40,000 projects through the cluster index: 2.5× slower.
        return TenantProject.objects.with_began().order_by()
    return TenantProject.objects.with_began().filter(cluster__in=scope.clusters().values("pk")).order_by()


def _lease_in_force(day):
    """The registry's one reading of a lease in force on a day (`tenants.models.leasing_q`)."""
    return leasing_q(day)


def leased_series(scope, days):
    row = _tenant_projects(scope).aggregate(
        **{f"n{i}": Sum("land_leased_ha", filter=_lease_in_force(d)) for i, d in enumerate(days)}
    )
    return [_dec(row[f"n{i}"]) or ZERO for i in range(len(days))]


def occupancy_series(scope, days):
    """Leased land ÷ industrial land over the scope's established clusters with industrial land, in %.
    For one cluster this is its occupancy; for several, the weighted average (total leased ÷ total land)."""
    clusters = scope.clusters().filter(industrial_land_ha__gt=0)
    land = clusters.annotate(**{f"s{i}": state_on(d) for i, d in enumerate(days)}).aggregate(
        **{f"n{i}": Sum("industrial_land_ha", filter=Q(**{f"s{i}__in": LAND_STATES})) for i in range(len(days))}
    )
    projects = TenantProject.objects.with_began().filter(cluster__in=clusters.values("pk")).order_by()
    projects = projects.annotate(**{f"s{i}": state_on(d, "cluster_id") for i, d in enumerate(days)})
    leased = projects.aggregate(
        **{
            f"n{i}": Sum("land_leased_ha", filter=_lease_in_force(d) & Q(**{f"s{i}__in": LAND_STATES}))
            for i, d in enumerate(days)
        }
    )
    out = []
    for i in range(len(days)):
        out.append(occupancy_pct(_dec(leased[f"n{i}"]) or ZERO, _dec(land[f"n{i}"])))
    return out


def occupancy_members(scope, day):
    return (
        with_land_figures(scope.clusters().filter(industrial_land_ha__gt=0))
        .annotate(s=state_on(day))
        .filter(s__in=LAND_STATES)
    )


def tenant_projects_series(scope, days):
    """Tenant projects existing on each day (`tenants.models.existing_q`, as Forms 02–04 count them)."""
    row = _tenant_projects(scope).aggregate(**{f"n{i}": Count("pk", filter=existing_q(d)) for i, d in enumerate(days)})
    return [Decimal(row[f"n{i}"] or 0) for i in range(len(days))]


def _has_tenant(day):
    return Exists(TenantProject.objects.existing_on(day).filter(cluster_id=OuterRef("pk")))


def operating_series(scope, days):
    """Clusters operating on each day by the circular's definition (Circular 14/2024, Form 03/04, indicator 15):
    in the plan and at least one tenant project existing in it, whatever the lifecycle state."""
    qs = scope.clusters().annotate(
        **{f"s{i}": state_on(d) for i, d in enumerate(days)},
        **{f"t{i}": _has_tenant(d) for i, d in enumerate(days)},
    )
    row = qs.aggregate(
        **{f"n{i}": Count("pk", filter=Q(**{f"s{i}__in": IN_PLAN_STATES, f"t{i}": True})) for i in range(len(days))}
    )
    return [Decimal(row[f"n{i}"] or 0) for i in range(len(days))]


def operating_members(scope, day):
    return scope.clusters().annotate(s=state_on(day), t=_has_tenant(day)).filter(s__in=IN_PLAN_STATES, t=True)


def newly_established_series(scope, days):
    """Clusters whose establishment decision is dated within [counts_from, day] (the decision's date, never the
    day the cluster was registered or imported: Circular 14/2024, Form 03/04, indicator 5)."""
    qs = scope.clusters().annotate(est_on=establishment_date())

    def window(d):
        q = Q(est_on__isnull=False, est_on__lte=d)
        if scope.counts_from:
            q &= Q(est_on__gte=scope.counts_from)
        return q

    row = qs.aggregate(**{f"n{i}": Count("pk", filter=window(d)) for i, d in enumerate(days)})
    return [Decimal(row[f"n{i}"] or 0) for i in range(len(days))]


def newly_established_members(scope, day):
    qs = scope.clusters().annotate(est_on=establishment_date()).filter(est_on__isnull=False, est_on__lte=day)
    if scope.counts_from:
        qs = qs.filter(est_on__gte=scope.counts_from)
    return qs


def workers_series(scope, days):
    row = _tenant_projects(scope).aggregate(
        **{
            f"n{i}": Sum(
                "workers",
                filter=Q(
                    status=ProjectStatus.OPERATING, operation_started_on__isnull=False, operation_started_on__lte=d
                ),
            )
            for i, d in enumerate(days)
        }
    )
    return [Decimal(row[f"n{i}"] or 0) for i in range(len(days))]


def _tenant_members(scope, day):
    return scope.clusters().annotate(value=Count("tenant_projects")).filter(value__gt=0)


def wastewater_series(scope, days):
    """Share (%) of the scope's operating clusters whose central wastewater plant meets the standard on each day, by
    the rule of indicator 27 (`meets_standard_on`: the plant operating, its result in force on the day compliant
    against a standard that applies to it on the day). "Operating" as the circular defines it
    (Circular 14/2024, Form 03/04, indicator 15): in the plan with at least one tenant project on the day, whatever
    the lifecycle state — the same clusters as `operating_series`."""
    qs = scope.clusters().annotate(
        **{f"s{i}": state_on(d) for i, d in enumerate(days)},
        **{f"t{i}": _has_tenant(d) for i, d in enumerate(days)},
        **{f"c{i}": meets_standard_on(d) for i, d in enumerate(days)},
    )
    aggs = {}
    for i in range(len(days)):
        operating = Q(**{f"s{i}__in": IN_PLAN_STATES, f"t{i}": True})
        aggs[f"d{i}"] = Count("pk", filter=operating)
        aggs[f"n{i}"] = Count("pk", filter=operating & Q(**{f"c{i}": True}))
    row = qs.aggregate(**aggs)
    out = []
    for i in range(len(days)):
        den = row[f"d{i}"]
        out.append(None if not den else (Decimal(row[f"n{i}"]) * 100 / den).quantize(Decimal("0.1")))
    return out


def wastewater_members(scope, day):
    return operating_members(scope, day).annotate(value=meets_standard_on(day))


def needs_clusters(scope: Scope) -> str | None:
    """A ratio needs at least one cluster in its scope."""
    if not scope.clusters().exists():
        return str(_("There is no cluster in this scope, so this ratio cannot be computed. Choose another scope."))
    return None


def _single(series):
    def compute(scope, day):
        return series(scope, [day])[0]

    return compute


def _builtin(key, label, unit, series, members=None, **kw):
    register(Indicator(key=key, label=label, unit=unit, compute=_single(series), series=series, members=members, **kw))


def _register_builtins():
    s, m = state_count(IN_PLAN_STATES)
    _builtin(
        "clusters_in_plan",
        _("Clusters in the plan"),
        Unit.COUNT,
        s,
        m,
        states=IN_PLAN_STATES,
        description=_("Registered clusters not revoked nor removed from the plan, on the day."),
        forecast_phrase=_(
            "at the current rate %(projected)s of the %(target)s clusters will be in the plan by %(deadline)s"
        ),
    )
    s, m = state_sum(IN_PLAN_STATES, _area_expr)
    _builtin(
        "cluster_area_ha",
        _("Area of the clusters in the plan (ha)"),
        Unit.HECTARE,
        s,
        m,
        description=_("Established area, else planned area, of the clusters in the plan on the day (current areas)."),
    )
    s, m = state_count(ESTABLISHED_STATES)
    _builtin(
        "clusters_established",
        _("Clusters established (in that state on the day)"),
        Unit.COUNT,
        s,
        m,
        states=ESTABLISHED_STATES,
        forecast_phrase=_(
            "at the current rate %(projected)s of the %(target)s clusters will be established by %(deadline)s"
        ),
    )
    s, m = newly_established_series, newly_established_members
    _builtin(
        "clusters_newly_established",
        _("Clusters newly established in the period"),
        Unit.COUNT,
        s,
        m,
        is_flow=True,
        states=ESTABLISHED_STATES,
        forecast_phrase=_(
            "at the current rate %(projected)s of the %(target)s clusters will be established by %(deadline)s"
        ),
    )
    s, m = event_count((S.ESTABLISHED, S.EXPANDING))
    _builtin(
        "clusters_established_or_expanded",
        _("Clusters established or expanded in the period"),
        Unit.COUNT,
        s,
        m,
        is_flow=True,
        states=(S.ESTABLISHED, S.EXPANDING),
        forecast_phrase=_(
            "at the current rate %(projected)s"
            " of the %(target)s clusters will be established or expanded by %(deadline)s"
        ),
    )
    s, m = milestone_count(CONSTRUCTION_STARTED_STATES)
    _builtin(
        "construction_started",
        _("Clusters whose construction started"),
        Unit.COUNT,
        s,
        m,
        is_flow=True,
        states=CONSTRUCTION_STARTED_STATES,
        forecast_phrase=_(
            "at the current rate construction of %(projected)s"
            " of the %(target)s clusters will have started by %(deadline)s"
        ),
    )
    s, m = milestone_count(CONSTRUCTION_STARTED_STATES)
    _builtin(
        "site_clearance_completed",
        _("Clusters whose site clearance is completed"),
        Unit.COUNT,
        s,
        m,
        is_flow=True,
        states=CONSTRUCTION_STARTED_STATES,
        description=_("Clearance counts as completed when construction starts, the next step of the lifecycle."),
        forecast_phrase=_(
            "at the current rate site clearance of %(projected)s"
            " of the %(target)s clusters will be completed by %(deadline)s"
        ),
    )
    s, m = milestone_count(INFRASTRUCTURE_COMPLETED_STATES)
    _builtin(
        "infrastructure_completed",
        _("Clusters whose infrastructure is completed (opened)"),
        Unit.COUNT,
        s,
        m,
        is_flow=True,
        states=INFRASTRUCTURE_COMPLETED_STATES,
        description=_("A cluster's infrastructure counts as completed when it starts operating."),
        forecast_phrase=_("at the current rate %(projected)s of the %(target)s clusters will open by %(deadline)s"),
    )
    s, m = operating_series, operating_members
    _builtin(
        "clusters_operating",
        _("Clusters operating"),
        Unit.COUNT,
        s,
        m,
        states=OPERATING_STATES,
        forecast_phrase=_(
            "at the current rate %(projected)s of the %(target)s clusters will be operating by %(deadline)s"
        ),
    )
    s, m = state_sum(LAND_STATES, lambda: Coalesce("industrial_land_ha", Value(ZERO), output_field=DEC))
    _builtin("industrial_land_ha", _("Industrial land (ha)"), Unit.HECTARE, s, m)
    _builtin(
        "leased_land_ha",
        _("Industrial land leased (ha)"),
        Unit.HECTARE,
        leased_series,
        occupancy_members,
        description=_("Leases that started on or before the day and had not ended (stopped projects excluded)."),
    )
    _builtin(
        "occupancy_pct",
        _("Occupancy (%)"),
        Unit.PERCENT,
        occupancy_series,
        occupancy_members,
        fits=needs_clusters,
        description=_("Leased ÷ industrial land: one cluster's occupancy, or the weighted average of several."),
    )
    _builtin(
        "wastewater_compliant_pct",
        _("Operating clusters with a wastewater plant meeting standards (%)"),
        Unit.PERCENT,
        wastewater_series,
        wastewater_members,
        fits=needs_clusters,
    )
    _builtin(
        "tenant_projects",
        _("Tenant projects"),
        Unit.PROJECTS,
        tenant_projects_series,
        _tenant_members,
        description=_("Projects not stopped whose lease (or operation) started on or before the day."),
    )
    _builtin(
        "workers",
        _("Workers in tenant projects"),
        Unit.PEOPLE,
        workers_series,
        _tenant_members,
        description=_("Workers of operating projects that started operating on or before the day."),
    )


_register_builtins()

__all__ = ["INDICATORS", "Indicator", "Scope", "register", "get_indicator", "state_on"]
