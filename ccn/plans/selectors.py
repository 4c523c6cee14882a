"""Reads of plans, targets and the dashboard, each applying the caller's scope; figures are aggregated in SQL."""

from __future__ import annotations

import datetime

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ccn.accounts import policy
from ccn.accounts.choices import PROVINCE_ROLES, Role
from ccn.accounts.scope import role_of
from ccn.clusters.choices import STATUS_COLOURS, ClusterStatus
from ccn.clusters.models import Cluster
from ccn.clusters.selectors import cluster_scope_q
from ccn.core import pagecache
from ccn.core.compiled import compiled_list
from ccn.core.errors import NotFoundError, PermissionDeniedError
from ccn.geo.models import Commune, Province
from ccn.tenants.models import TenantProject

from .choices import VERDICT_COLOURS, ScopeKind, Verdict
from .facts import SQL_FIGURES, Facts
from .filters import PlanFilterSet
from .forecast import evaluate, has_pipeline, needed_days, target_scope
from .indicators import INDICATORS, Scope, state_on
from .models import Plan, PlanItem, PlanVersion, Target

SEE_ALL = (Role.ADMIN, Role.MINISTRY_VIEWER)


def target_scope_q(user) -> Q:
    """Targets the user may read: every target for the ministry; the province's for its officers; for others,
    the targets whose scope lies inside what they see (their communes, their clusters)."""
    role = role_of(user)
    if role is None:
        return Q(pk__in=[])
    if role in SEE_ALL:
        return Q()
    if role in PROVINCE_ROLES:
        return Q(plan__province_id=user.province_id)
    visible = Cluster.objects.filter(cluster_scope_q(user)).values("pk")
    outside = Target.clusters.through.objects.filter(target_id=OuterRef("pk")).exclude(cluster_id__in=visible)
    on_own_clusters = Q(scope_kind__in=(ScopeKind.CLUSTERS, ScopeKind.CLUSTER)) & ~Q(Exists(outside))
    if role == Role.COMMUNE_OFFICER:
        own_commune = Q(scope_kind=ScopeKind.COMMUNE, commune__in=user.communes.values("pk"))
        return Q(plan__province_id=user.province_id) & (own_commune | on_own_clusters)
    return on_own_clusters


def plan_scope_q(user) -> Q:
    role = role_of(user)
    if role is None:
        return Q(pk__in=[])
    if role in SEE_ALL:
        return Q()
    if role in (*PROVINCE_ROLES, Role.COMMUNE_OFFICER):
        return Q(province_id=user.province_id)
    return Q(pk__in=Target.objects.filter(target_scope_q(user)).values("plan_id"))


def plan_list(*, user, filters=None):
    """Plans in scope with the number of targets the user sees, filtered by the list's FilterSet (`filters`: the
    query's data; ccn/plans/filters.py)."""
    qs = Plan.objects.filter(plan_scope_q(user)).select_related("province")
    if filters:
        qs = PlanFilterSet(filters, queryset=qs, user=user).qs
    return qs.order_by("pk").annotate(
        target_count=Count("targets", filter=Q(targets__in=Target.objects.filter(target_scope_q(user))))
    )


def _mask_unseen(items: list, user) -> None:
    """Hide the name and cluster of items on unpublished clusters the user may not see (issue: no disclosure)."""
    linked = {i.cluster_id for i in items if i.cluster_id}
    seen = set(
        Cluster.objects.filter(pk__in=linked)
        .filter(Q(is_published=True) | policy.scope_q(user, Cluster))
        .values_list("pk", flat=True)
    )
    for item in items:
        if item.cluster_id and item.cluster_id not in seen:
            item.name = _("A cluster not yet published")
            item.cluster = None


def plan_get(*, user, pk: int) -> Plan:
    plan = Plan.objects.filter(plan_scope_q(user)).select_related("province").filter(pk=pk).first()
    if plan is None:
        raise NotFoundError(_("No such plan, or you may not see it."))
    return plan


def plan_as_of(plan: Plan, day: datetime.date, *, user=None) -> dict:
    """The development plan as it stood at the end of `day`: the version in force, the planned clusters then in
    it and their totals, and the totals the documents state. For a `user`, an item on an unpublished cluster
    outside their scope is listed without its name or code (counted in the totals all the same)."""
    version = plan.versions.filter(issued_on__lte=day).order_by("-seq").first()
    items = (
        PlanItem.objects.filter(plan=plan, added_in__issued_on__lte=day)
        .filter(Q(removed_in__isnull=True) | Q(removed_in__issued_on__gt=day))
        .select_related("cluster", "commune", "added_in")
        .order_by("name")
    )
    totals = items.aggregate(count=Count("pk"), area=Sum("area_ha"))
    declared = (
        plan.versions.filter(issued_on__lte=day, declared_clusters__isnull=False).order_by("-seq").first()
        if version
        else None
    )
    declared_area = (
        plan.versions.filter(issued_on__lte=day, declared_area_ha__isnull=False).order_by("-seq").first()
        if version
        else None
    )
    listed = list(items) if version else []
    if user is not None:
        _mask_unseen(listed, user)
    return {
        "day": day,
        "version": version,
        "items": listed,
        "listed_count": totals["count"] if version else 0,
        "listed_area_ha": totals["area"] if version else None,
        "declared_clusters": declared.declared_clusters if declared else None,
        "declared_area_ha": declared_area.declared_area_ha if declared_area else None,
    }


def plan_versions(plan: Plan):
    return PlanVersion.objects.filter(plan=plan).annotate(
        added=Count("added_items", distinct=True), removed=Count("removed_items", distinct=True)
    )


def target_list(*, user, plan: Plan | None = None, province: str = ""):
    qs = (
        Target.objects.filter(target_scope_q(user))
        .select_related("plan__province", "commune")
        # into a list (`cluster_list`): a prefetch into `target.clusters` builds a related manager per target, a
        # third of the national targets section's time
        .prefetch_related(
            Prefetch(
                "clusters", queryset=Cluster.objects.only("pk", "code", "name", "province_id"), to_attr="cluster_list"
            )
        )
    )
    if plan is not None:
        qs = qs.filter(plan=plan)
    if province:
        qs = qs.filter(plan__province__code=province)
    return qs.order_by("deadline", "plan__province__code", "pk")


def target_get(*, user, pk: int) -> Target:
    target = target_list(user=user).filter(pk=pk).first()
    if target is None:
        raise NotFoundError(_("No such target, or you may not see it."))
    return target


def target_clusters(target: Target) -> list:
    """The target's clusters: as `target_list` read them, else from the database."""
    listed = getattr(target, "cluster_list", None)
    return list(target.clusters.all()) if listed is None else listed


def with_cluster_lists(targets: list[Target]) -> list[Target]:
    """Each target's clusters into `cluster_list`, as `target_list`'s prefetch does, in two queries whatever their
    number: the links by target, then their clusters by id. (The prefetch's join of clusters and links let SQLite
    scan all 2,000 clusters against the 918 ids of the nation's targets: 0.2–0.3 s.)"""
    links = Target.clusters.through.objects.filter(target_id__in=[t.pk for t in targets])
    pairs = list(links.values_list("target_id", "cluster_id"))
    clusters = Cluster.objects.only("pk", "code", "name", "province_id").filter(pk__in=links.values("cluster_id"))
    by_pk = {c.pk: c for c in clusters.order_by("name", "pk")}
    listed: dict[int, list] = {}
    for target_id, cluster_id in pairs:
        listed.setdefault(target_id, []).append(by_pk[cluster_id])
    for t in targets:
        t.cluster_list = sorted(listed.get(t.pk, []), key=lambda c: (c.name, c.pk))
    return targets


def _prime(target: Target) -> Target:
    target._cluster_ids = tuple(c.pk for c in target_clusters(target))
    return target


def cluster_targets(*, user, cluster) -> list:
    """The targets set on one cluster (or on a list including it) that `user` sees, for its page: compiled once per
    scope and run with each cluster's id (ccn/core/compiled.py)."""
    return compiled_list(
        ("cluster-targets", policy.scope_key(user, Target)),
        cluster.pk,
        lambda pk: target_list(user=user).filter(clusters=pk),
    )


def targets_progress(targets, *, as_of: datetime.date | None = None) -> list:
    """Progress of several targets in a fixed number of queries, whatever their number: the built-in indicators
    of all their scopes are read at once (`ccn.plans.facts.Facts`, over the clusters of the targets' provinces);
    another app's indicator is computed by its own SQL, target by target."""
    as_of = as_of or timezone.localdate()
    targets = [_prime(t) for t in targets]
    if not targets:
        return []
    needs: dict[str, set] = {}
    reached = set()
    for t in targets:
        indicator = INDICATORS.get(t.indicator)
        if indicator is None:
            continue
        needs.setdefault(t.indicator, set()).update(needed_days(t, as_of))
        if as_of < t.deadline and indicator.is_flow and has_pipeline(indicator):
            reached.add(tuple(indicator.states))
    provinces = {t.plan.province_id for t in targets}
    figures = Facts(
        Cluster.objects.filter(province_id__in=provinces),
        needs,
        projects=TenantProject.objects.filter(cluster__province_id__in=provinces),
        pipeline_days=[as_of],
        pipeline_reached=reached,
    )
    return [evaluate(t, as_of=as_of, figures=figures) for t in targets]


def target_progress(target: Target, *, as_of: datetime.date | None = None):
    return evaluate(_prime(target), as_of=as_of, trajectory=True)


def target_members(target: Target, *, as_of: datetime.date):
    """The clusters behind a target's actual value on `as_of`."""

    indicator = INDICATORS.get(target.indicator)
    if indicator is None or indicator.members is None:
        return Cluster.objects.none()
    day = min(as_of, target.deadline)
    return indicator.members(target_scope(_prime(target)), day).select_related("province").order_by("name")


# ---------------------------------------------------------------- dashboard


def dashboard_scope(*, user, province: str = "", commune: str = "") -> tuple[Scope, Province | None, Commune | None]:
    """The scope of a dashboard: the nation or a province, optionally one commune, always inside what the user
    may see. Asking for a province outside one's own is refused."""
    role = role_of(user)
    if role is None:
        raise PermissionDeniedError(_("Sign in to see the dashboard."))
    prov = Province.objects.filter(code=province).first() if province else None
    if province and prov is None:
        raise NotFoundError(_("Unknown province %(code)s.") % {"code": province})
    if role not in SEE_ALL and role not in (Role.INVESTOR, Role.TENANT):
        if prov is None:
            prov = Province.objects.filter(pk=user.province_id).first()
        elif prov.pk != user.province_id:
            raise PermissionDeniedError(_("You may see the dashboard of your own province only."))
    com = None
    if commune:
        com = Commune.objects.filter(code=commune).first()
        if com is None or (prov is not None and com.province_id != prov.pk):
            raise NotFoundError(_("Unknown commune %(code)s in this province.") % {"code": commune})
        if prov is None:
            prov = Province.objects.get(pk=com.province_id)
    scope = Scope(
        province_id=prov.pk if prov else None,
        commune_ids=(com.pk,) if com else (),
        restrict=None if role in SEE_ALL else cluster_scope_q(user),
    )
    return scope, prov, com


KEY_FIGURES = (
    "clusters_in_plan",
    "cluster_area_ha",
    "clusters_established",
    "clusters_operating",
    "industrial_land_ha",
    "leased_land_ha",
    "occupancy_pct",
    "tenant_projects",
    "workers",
    "wastewater_compliant_pct",
)


SERIES = ("industrial_land_ha", "leased_land_ha", "tenant_projects", "workers")


def dashboard_facts(scope: Scope, day: datetime.date, days: list[datetime.date]) -> Facts:
    """The rows the dashboard's key figures (on `day`), clusters by state and series (on `days`) are counted from:
    one read of the scope's clusters, one of their lifecycle acts (their state on each past day), one of their
    tenant projects per day."""
    needs = {key: {day} for key in KEY_FIGURES}
    for key in SERIES:
        needs[key] = needs.get(key, set()) | set(days)
    projects = TenantProject.objects.all() if scope.is_nation else None
    cached = None
    if scope.restrict is None and not scope.commune_ids and not scope.cluster_ids:
        key = ("dashboard", timezone.localdate(), day, tuple(days), scope.province_id is None)

        def source(province_id):
            clusters = Scope(province_id=province_id).clusters()
            return clusters, (TenantProject.objects.all() if province_id is None else None)

        cached = (key, scope.province_id, source)
    return Facts(scope.clusters(), needs, scope=scope, projects=projects, pipeline_days=[day, *days], cached=cached)


def dashboard_figures(scope: Scope, as_of: datetime.date, *, user) -> dict:
    """The dashboard's key figures on `as_of`, its clusters by state and its series at the year ends (`year_ends`):
    {"days", "figures", "states", "over_time"}. Kept in the shared cache under the data version (any write anywhere
    makes a new one), the viewer's scope key, the dashboard's province and commune, the day and today
    (ccn/core/pagecache.py): computed once per write and day for each scope, not once per view; the page and the
    API read the same."""
    parts = (
        str(scope.province_id or ""),
        ",".join(str(c) for c in scope.commune_ids),
        as_of.isoformat(),
        timezone.localdate().isoformat(),
    )

    def compute() -> dict:
        days = year_ends(as_of)
        facts = dashboard_facts(scope, as_of, days)
        return {
            "days": days,
            "figures": key_figures(scope, as_of, facts),
            "states": states_on(scope, as_of, facts),
            "over_time": figures_over_time(scope, days, facts),
        }

    return pagecache.kept("plans-dashboard", scope=policy.scope_key(user), parts=parts, compute=compute)


def key_figures(scope: Scope, day: datetime.date, facts: Facts | None = None) -> list[dict]:
    figures = facts or SQL_FIGURES
    out = []
    for key in KEY_FIGURES:
        indicator = INDICATORS[key]
        out.append(
            {
                "key": key,
                "label": indicator.label,
                "unit": indicator.unit,
                "value": figures.value(indicator, scope, day),
            }
        )
    return out


def states_on(scope: Scope, day: datetime.date, facts: Facts | None = None) -> list[dict]:
    """Clusters by lifecycle state on `day` (the current state when `day` is today)."""
    qs = scope.clusters()
    if facts is not None and facts.scope is scope and day in facts.state_col:
        rows = facts.states(day)
    elif day >= timezone.localdate():
        rows = dict(qs.values_list("status").annotate(n=Count("pk")))
    else:
        rows = dict(qs.annotate(s=state_on(day)).values_list("s").annotate(n=Count("pk")))
    return [
        {"status": s.value, "label": s.label, "colour": STATUS_COLOURS[s], "count": rows.get(s.value, 0)}
        for s in ClusterStatus
    ]


STATE_GROUPS = (
    ("planned", (ClusterStatus.PLANNED,)),
    (
        "preparing",
        (ClusterStatus.ESTABLISHED, ClusterStatus.DETAILED_PLAN_APPROVED, ClusterStatus.INFRASTRUCTURE_APPROVED),
    ),
    ("building", (ClusterStatus.LAND_CLEARANCE, ClusterStatus.UNDER_CONSTRUCTION)),
    ("operating", (ClusterStatus.OPERATING, ClusterStatus.EXPANDING, ClusterStatus.OPERATING_UNESTABLISHED)),
)


def state_groups_labels():
    return {
        "planned": _("Planned"),
        "preparing": _("Established, preparing"),
        "building": _("Clearance or construction"),
        "operating": _("Operating"),
    }


def year_ends(day: datetime.date, years: int = 6) -> list[datetime.date]:
    return [datetime.date(day.year - k, 12, 31) for k in range(years - 1, 0, -1)] + [day]


def figures_over_time(scope: Scope, days: list[datetime.date], facts: Facts | None = None) -> dict:
    """Clusters by stage, land and tenants at each day: from the dashboard's rows (`dashboard_facts`), else one
    query for the stages and one per land/tenant series."""
    if facts is not None and facts.scope is scope and all(d in facts.state_col for d in days):
        row = {f"{name}_{i}": facts.count(d, states) for i, d in enumerate(days) for name, states in STATE_GROUPS}
    else:
        qs = scope.clusters().annotate(**{f"s{i}": state_on(d) for i, d in enumerate(days)})
        aggs = {}
        for i in range(len(days)):
            for name, states in STATE_GROUPS:
                aggs[f"{name}_{i}"] = Count("pk", filter=Q(**{f"s{i}__in": states}))
        row = qs.aggregate(**aggs)
    figures = facts or SQL_FIGURES
    labels = state_groups_labels()
    stages = [
        {"key": name, "label": labels[name], "values": [row[f"{name}_{i}"] for i in range(len(days))]}
        for name, _s in STATE_GROUPS
    ]
    return {
        "days": days,
        "stages": stages,
        "industrial_land": figures.values(INDICATORS["industrial_land_ha"], scope, days),
        "leased_land": figures.values(INDICATORS["leased_land_ha"], scope, days),
        "tenant_projects": figures.values(INDICATORS["tenant_projects"], scope, days),
        "workers": figures.values(INDICATORS["workers"], scope, days),
    }


def map_points(scope: Scope) -> list[dict]:
    rows = scope.clusters().filter(lat__isnull=False, lon__isnull=False).values("code", "name", "lat", "lon", "status")
    labels = {value: str(label) for value, label in ClusterStatus.choices}  # translated once, not once per point
    return [
        {
            **r,
            "status_label": labels.get(r["status"], r["status"]),
            "colour": STATUS_COLOURS.get(r["status"], "grey"),
        }
        for r in rows[:3000]
    ]


def dashboard_targets(*, user, prov: Province | None, com: Commune | None, as_of: datetime.date):
    """Targets in the dashboard's scope with their progress, the ones needing attention first."""
    qs = target_list(user=user)
    if prov is not None:
        qs = qs.filter(plan__province=prov)
    if com is not None:
        through = Target.clusters.through.objects.filter(cluster__communes=com).values("target_id")
        qs = qs.filter(Q(commune=com) | Q(pk__in=through))
    progress = targets_progress(with_cluster_lists(list(qs.prefetch_related(None))), as_of=as_of)
    order = {Verdict.MISSED: 0, Verdict.AT_RISK: 1, Verdict.NO_DATA: 2, Verdict.ON_TRACK: 3, Verdict.MET: 4}
    progress.sort(key=lambda p: (order.get(p.verdict, 9), p.target.deadline))
    return progress


def verdict_counts(progress) -> list[dict]:
    counts = {v.value: 0 for v in Verdict}
    for p in progress:
        counts[p.verdict] += 1
    return [{"key": v.value, "label": v.label, "colour": VERDICT_COLOURS[v], "count": counts[v.value]} for v in Verdict]


def figure_members(scope: Scope, key: str, day: datetime.date):
    indicator = INDICATORS.get(key)
    if indicator is None or indicator.members is None:
        raise NotFoundError(_("Unknown figure."))
    return indicator.members(scope, day).select_related("province").order_by("name")
