"""The built-in indicators of many scopes and days from one read of the clusters: the dashboard's figures and the
progress of every target of the nation in a fixed number of queries, whatever the number of provinces, targets
and days.

`Facts` reads one row per cluster with what the indicators look at — its establishment date, areas and land,
whether a compliant wastewater plant or an existing tenant project was there on a day —, each cluster's lifecycle
acts once (`lifecycle_acts`), from which its state at the end of each day needed (the reading of `state_on`), the
first day it reached a set of states and its acts into a set of states are taken in Python, and one row per
cluster of its tenant projects' sums per day, only the sums an indicator needs on its own days (land leased,
projects existing, workers). Each indicator is then the count or sum of those rows over a scope's clusters, with
the same definitions as the SQL of `ccn/plans/indicators.py` (`tests` compare the two on every built-in
indicator). An indicator, a day or a scope the rows do not cover (another app's indicator, a scope restricted to a
user's clusters) is computed by its own SQL, as before (`SqlFigures`)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from ccn.clusters.choices import ESTABLISHED_STATES, IN_PLAN_STATES
from ccn.clusters.choices import ClusterStatus as S
from ccn.clusters.figures import establishment_date
from ccn.clusters.models import Cluster, ClusterEvent
from ccn.clusters.occupancy import occupancy_pct
from ccn.core.compiled import compiled_rows
from ccn.infrastructure.selectors import meets_standard_on
from ccn.tenants.choices import ProjectStatus
from ccn.tenants.models import TenantProject, existing_q, leasing_q

from .indicators import (
    CONSTRUCTION_STARTED_STATES,
    DEC,
    INFRASTRUCTURE_COMPLETED_STATES,
    LAND_STATES,
    ZERO,
    Indicator,
    Scope,
    _area_expr,
    first_reached,
    state_on,
)

ESTABLISHED_OR_EXPANDED = (S.ESTABLISHED, S.EXPANDING)
# key → what its rows need: "area", "land", "est_on", ("fr", states), ("events", states) once per cluster; per day
# (PER_DAY): "has_tenant", "wastewater", and the tenant projects' sums "lease" (land leased), "projects" (projects
# existing), "workers"
NEEDS: dict[str, tuple] = {
    "clusters_in_plan": (),
    "cluster_area_ha": ("area",),
    "clusters_established": (),
    "clusters_newly_established": ("est_on",),
    "clusters_established_or_expanded": (("events", ESTABLISHED_OR_EXPANDED),),
    "construction_started": (("fr", CONSTRUCTION_STARTED_STATES),),
    "site_clearance_completed": (("fr", CONSTRUCTION_STARTED_STATES),),
    "infrastructure_completed": (("fr", INFRASTRUCTURE_COMPLETED_STATES),),
    "clusters_operating": ("has_tenant",),
    "industrial_land_ha": ("land",),
    "leased_land_ha": ("lease",),
    "occupancy_pct": ("land", "lease"),
    "wastewater_compliant_pct": ("wastewater", "has_tenant"),
    "tenant_projects": ("projects",),
    "workers": ("workers",),
}
# a tenant sum → its column's letter
TENANT_SUMS = {"lease": "l", "projects": "p", "workers": "w"}
# Each sum's aggregate over a cluster's tenant projects on a day: land leased, projects existing, their workers.
TENANT_SUM_OF = {
    "l": lambda d: Sum("land_leased_ha", filter=leasing_q(d)),
    "p": lambda d: Count("pk", filter=existing_q(d)),
    "w": lambda d: Sum(
        "workers",
        filter=Q(status=ProjectStatus.OPERATING, operation_started_on__isnull=False, operation_started_on__lte=d),
    ),
}
PER_DAY = ("has_tenant", "wastewater", *TENANT_SUMS)


def _acts_query(clusters):
    return (
        ClusterEvent.objects.filter(cluster__in=clusters.values("pk"))
        .order_by("cluster_id", "effective_on", "id")
        .values("cluster_id", "effective_on", "to_status", "action")
    )


def lifecycle_acts(clusters, cached: tuple | None = None) -> dict[int, list[tuple]]:
    """The lifecycle acts of `clusters` (a queryset), per cluster in the order `state_on_day` reads them (date,
    then id): (effective_on, to_status, action). One query; with `cached` (Facts' (key, province id, source)) its
    SQL compiled once per key and process."""
    acts: dict[int, list[tuple]] = defaultdict(list)
    if cached is not None:
        key, province_id, source = cached
        rows = compiled_rows((*key, "acts"), province_id, lambda p: _acts_query(source(p)[0]))
    else:
        rows = _acts_query(clusters)
    for r in rows:
        acts[r["cluster_id"]].append((r["effective_on"], r["to_status"], r["action"]))
    return acts


def states_from_acts(acts: list[tuple], days: Sequence[datetime.date]) -> list[str | None]:
    """The state at the end of each of `days` (sorted) from a cluster's acts in `lifecycle_acts`' order: the latest
    act on or before the day (None before the first), as `state_on_day` reads it in SQL."""
    out: list[str | None] = []
    i, state = 0, None
    for day in days:
        while i < len(acts) and acts[i][0] <= day:
            state = acts[i][1]
            i += 1
        out.append(state)
    return out


class SqlFigures:
    """Each figure by the indicator's own SQL (a few queries per figure)."""

    def values(self, indicator: Indicator, scope: Scope, days: Sequence[datetime.date]) -> list:
        return indicator.values(scope, list(days))

    def value(self, indicator: Indicator, scope: Scope, day: datetime.date):
        return indicator.compute(scope, day)

    def count_in_states(self, scope: Scope, day: datetime.date, states, not_reached=None) -> int:
        """Clusters of the scope in one of `states` at the end of `day` (and, with `not_reached`, that had not
        reached those states by then)."""
        qs = scope.clusters().annotate(s=state_on(day))
        if not_reached:
            qs = qs.annotate(fr=first_reached(not_reached)).filter(Q(fr__isnull=True) | Q(fr__gt=day))
        return qs.filter(s__in=states).count()


SQL_FIGURES = SqlFigures()


def _name(states) -> str:
    return "_".join(sorted(str(s) for s in states))


class Facts(SqlFigures):
    """Per-cluster rows for the indicators `needs` (key → days) over `clusters`, read in at most four queries (the
    clusters, their lifecycle acts, their tenant projects, the communes of a commune scope).

    `scope`: the one scope these rows are (the dashboard's, which may be restricted to a user's clusters); None
    when the rows cover whole provinces and a scope's clusters are picked by province, communes and cluster ids
    (targets). `projects`: the tenant projects to read (default: those of `clusters`). `cached`: (key, province
    id, source) to compile the two queries once per key and process (`compiled_rows`), where `source(province_id)`
    gives the clusters and projects of a province (None: the nation)."""

    def __init__(
        self,
        clusters,
        needs: dict[str, Iterable[datetime.date]],
        *,
        scope: Scope | None = None,
        projects=None,
        pipeline_days: Iterable[datetime.date] = (),
        pipeline_reached: Iterable[tuple] = (),
        cached: tuple | None = None,
    ):
        self.scope = scope
        self.needs = {key: set(days) for key, days in needs.items() if key in NEEDS}
        state_days = set(pipeline_days)
        per_day: dict[str, set] = defaultdict(set)
        flags: set = set()
        reached = {tuple(s) for s in pipeline_reached}
        for key, days in self.needs.items():
            state_days |= days
            for need in NEEDS[key]:
                if need in PER_DAY:
                    per_day[need] |= days
                elif isinstance(need, tuple) and need[0] == "fr":
                    reached.add(tuple(need[1]))
                else:
                    flags.add(need)
        self.covered_days = {key: days for key, days in self.needs.items()}
        self.pipeline_days = set(pipeline_days)
        self.state_col = {d: f"s{i}" for i, d in enumerate(sorted(state_days))}
        self.fr_col = {states: f"fr_{i}" for i, states in enumerate(sorted(reached, key=_name))}
        self.tenant_col = {d: f"t{i}" for i, d in enumerate(sorted(per_day["has_tenant"]))}
        self.ww_col = {d: f"w{i}" for i, d in enumerate(sorted(per_day["wastewater"]))}
        fields = ["pk", "province_id", "industrial_land_ha", "status"]

        def cluster_rows(qs):
            # built only when run or compiled: a compiled query (`cached`) runs without building its expressions
            annotations = {}
            if "area" in flags:
                annotations["area"] = _area_expr()
            if "land" in flags:
                annotations["land"] = Coalesce("industrial_land_ha", Value(ZERO), output_field=DEC)
            if "est_on" in flags:
                annotations["est_on"] = establishment_date()
            for d, col in self.tenant_col.items():
                annotations[col] = Exists(TenantProject.objects.existing_on(d).filter(cluster_id=OuterRef("pk")))
            for d, col in self.ww_col.items():
                annotations[col] = meets_standard_on(d)
            return qs.order_by().annotate(**annotations).values(*fields, *annotations)

        if cached is not None:
            key, province_id, source = cached
            self.rows = compiled_rows((*key, "clusters"), province_id, lambda p: cluster_rows(source(p)[0]))
        else:
            self.rows = list(cluster_rows(clusters))
        ids = [r["pk"] for r in self.rows]
        # the state on each day, the first day a set of states was reached and the acts into a set of states, from
        # each cluster's lifecycle acts read once (one query, whatever the days): the same reading as `state_on`
        # (from today on, the cluster's own status) and `first_reached`
        today = timezone.localdate()
        dated = sorted(d for d in self.state_col if d < today)
        wanted_events = "clusters_established_or_expanded" in self.needs
        self.events: dict[int, list[datetime.date]] = defaultdict(list)
        if self.rows and (dated or self.fr_col or wanted_events):
            acts = lifecycle_acts(clusters, cached)
            dated_cols = [self.state_col[d] for d in dated]
            for row in self.rows:
                mine = acts.get(row["pk"], ())
                row.update(zip(dated_cols, states_from_acts(mine, dated), strict=True))
                for states, col in self.fr_col.items():
                    row[col] = next((day for day, status, _a in mine if status in states), None)
                if wanted_events:
                    # acts into a set of states, except entering an existing cluster in the register (event_count)
                    into = [(day, action) for day, status, action in mine if status in ESTABLISHED_OR_EXPANDED]
                    days = [day for day, action in into if action != "register"]
                    if days:
                        self.events[row["pk"]] = days
        for d, col in self.state_col.items():
            if d >= today:
                for row in self.rows:
                    row[col] = row["status"]
        # tenant projects: per cluster, the sums each indicator needs on its days (land leased, projects existing,
        # workers)
        self.tenant_sum_col = {
            (letter, d): f"{letter}{i}"
            for need, letter in TENANT_SUMS.items()
            for i, d in enumerate(sorted(per_day[need]))
        }
        self.projects: dict[int, dict] = {}
        if self.tenant_sum_col and self.rows:

            def project_rows(clusters, projects):
                aggs = {col: TENANT_SUM_OF[letter](d) for (letter, d), col in self.tenant_sum_col.items()}
                if projects is None:
                    projects = TenantProject.objects.filter(cluster__in=clusters.values("pk"))
                return projects.with_began().order_by().values("cluster_id").annotate(**aggs)

            if cached is not None:
                key, province_id, source = cached
                rows = compiled_rows((*key, "projects"), province_id, lambda p: project_rows(*source(p)))
            else:
                rows = project_rows(clusters, projects)
            for row in rows:
                self.projects[row["cluster_id"]] = row
        # the communes of the clusters, for scopes of communes
        self.communes: dict[int, set[int]] = defaultdict(set)
        self._communes_read = False
        self._clusters = clusters
        self._ids = ids
        self._by_province: dict[int, list[dict]] | None = None
        self._scope_rows: dict[tuple, list[dict]] = {}
        self._figures: dict[tuple, object] = {}

    # ------------------------------------------------------------ scopes

    def _commune_members(self, commune_ids) -> set[int]:
        if not self._communes_read:
            through = Cluster.communes.through.objects.filter(cluster__in=self._clusters.values("pk"))
            for cluster_id, commune_id in through.values_list("cluster_id", "commune_id"):
                self.communes[commune_id].add(cluster_id)
            self._communes_read = True
        out: set[int] = set()
        for c in commune_ids:
            out |= self.communes.get(c, set())
        return out

    def rows_of(self, scope: Scope) -> list[dict] | None:
        """The rows of the scope's clusters, or None when these rows cannot tell (then SQL computes it)."""
        if self.scope is not None:
            return self.rows if scope is self.scope else None
        if scope.restrict is not None:
            return None
        if scope.province_id is None and not scope.is_nation:
            return None
        # many targets share a scope (a province's): its rows are picked once
        key = (scope.province_id, tuple(scope.commune_ids), tuple(scope.cluster_ids))
        rows = self._scope_rows.get(key)
        if rows is None:
            rows = self._scope_rows[key] = self._pick(*key)
        return rows

    def _pick(self, province_id, commune_ids, cluster_ids) -> list[dict]:
        if province_id is not None:
            if self._by_province is None:
                self._by_province = defaultdict(list)
                for r in self.rows:
                    self._by_province[r["province_id"]].append(r)
            rows = self._by_province.get(province_id, [])
        else:
            rows = self.rows
        if commune_ids:
            members = self._commune_members(commune_ids)
            rows = [r for r in rows if r["pk"] in members]
        if cluster_ids:
            wanted = set(cluster_ids)
            rows = [r for r in rows if r["pk"] in wanted]
        return rows

    # ------------------------------------------------------------ figures

    def values(self, indicator: Indicator, scope: Scope, days: Sequence[datetime.date]) -> list:
        covered = self.covered_days.get(indicator.key)
        rows = self.rows_of(scope) if covered is not None and covered.issuperset(days) else None
        if rows is None:
            return super().values(indicator, scope, days)
        # targets of one scope share figures (a province's yearly targets, the rate over the last year): each is
        # counted once (a scope's rows are one list kept as long as these facts: `rows_of`)
        where = (indicator.key, id(rows), scope.counts_from)
        out = []
        for d in days:
            value = self._figures.get((*where, d), self)
            if value is self:
                value = self._figures[(*where, d)] = self._figure(indicator.key, rows, d, scope.counts_from)
            out.append(value)
        return out

    def value(self, indicator: Indicator, scope: Scope, day: datetime.date):
        return self.values(indicator, scope, [day])[0]

    def count_in_states(self, scope: Scope, day: datetime.date, states, not_reached=None) -> int:
        rows = self.rows_of(scope) if day in self.pipeline_days else None
        fr = self.fr_col.get(tuple(not_reached)) if not_reached else None
        if rows is None or (not_reached and fr is None):
            return super().count_in_states(scope, day, states, not_reached)
        s = self.state_col[day]
        return sum(1 for r in rows if r[s] in states and (fr is None or r[fr] is None or r[fr] > day))

    def states(self, day: datetime.date) -> dict[str, int]:
        """Clusters by lifecycle state at the end of `day` (of the rows' one scope)."""
        out: dict[str, int] = defaultdict(int)
        s = self.state_col[day]
        for r in self.rows:
            out[r[s]] += 1
        return out

    def count(self, day: datetime.date, states) -> int:
        s = self.state_col[day]
        return sum(1 for r in self.rows if r[s] in states)

    def _tenant(self, rows, letter: str, day: datetime.date):
        col = self.tenant_sum_col[(letter, day)]
        values = [p[col] for p in (self.projects.get(r["pk"]) for r in rows) if p is not None]
        values = [v for v in values if v is not None]
        return sum(values, start=Decimal(0)) if values else None

    def _figure(self, key: str, rows: list[dict], day: datetime.date, counts_from: datetime.date | None):
        s = self.state_col.get(day)

        def count(states) -> Decimal:
            return Decimal(sum(1 for r in rows if r[s] in states))

        def in_window(d) -> bool:
            return d is not None and d <= day and (counts_from is None or d >= counts_from)

        if key == "clusters_in_plan":
            return count(IN_PLAN_STATES)
        if key == "clusters_established":
            return count(ESTABLISHED_STATES)
        if key == "cluster_area_ha":
            return sum((r["area"] for r in rows if r[s] in IN_PLAN_STATES and r["area"] is not None), start=ZERO)
        if key == "industrial_land_ha":
            return sum((r["land"] for r in rows if r[s] in LAND_STATES), start=ZERO)
        if key == "clusters_newly_established":
            return Decimal(sum(1 for r in rows if in_window(r["est_on"])))
        if key == "clusters_established_or_expanded":
            return Decimal(sum(1 for r in rows if any(in_window(d) for d in self.events.get(r["pk"], ()))))
        if key in ("construction_started", "site_clearance_completed", "infrastructure_completed"):
            states = dict(NEEDS[key])["fr"]
            fr = self.fr_col[tuple(states)]
            return Decimal(sum(1 for r in rows if in_window(r[fr])))
        if key == "clusters_operating":
            t = self.tenant_col[day]
            return Decimal(sum(1 for r in rows if r[s] in IN_PLAN_STATES and r[t]))
        if key == "wastewater_compliant_pct":
            w, t = self.ww_col[day], self.tenant_col[day]
            operating = [r for r in rows if r[s] in IN_PLAN_STATES and r[t]]
            if not operating:
                return None
            compliant = sum(1 for r in operating if r[w])
            return (Decimal(compliant) * 100 / len(operating)).quantize(Decimal("0.1"))
        if key == "leased_land_ha":
            return self._tenant(rows, "l", day) or ZERO
        if key == "tenant_projects":
            return Decimal(self._tenant(rows, "p", day) or 0)
        if key == "workers":
            return Decimal(self._tenant(rows, "w", day) or 0)
        if key == "occupancy_pct":
            with_land = [r for r in rows if (r["industrial_land_ha"] or 0) > 0 and r[s] in LAND_STATES]
            if not with_land:
                return occupancy_pct(ZERO, None)
            land = sum((r["industrial_land_ha"] for r in with_land), start=ZERO)
            return occupancy_pct(self._tenant(with_land, "l", day) or ZERO, land)
        raise KeyError(key)
