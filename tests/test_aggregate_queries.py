"""The aggregates of the dashboard, the targets section and the data-quality page's plan totals: a fixed number of
queries whatever the number of provinces, clusters and targets, and the same figures as the indicators' own SQL
(docs/benchmarks.md, "Dashboards, targets and plan totals")."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ccn.accounts.choices import Role
from ccn.accounts.tests.factories import make_user
from ccn.dataset import Context, Sizes, plans, registry, reports

pytestmark = pytest.mark.django_db

TARGETS_SECTION_MAX = 20
DASHBOARD_MAX = 30


def _grow(batch: str, clusters: int, seed: int) -> None:
    """Synthetic clusters (the first 34 one per province, in province order), tenants, plans, targets, reports."""
    sizes = Sizes(clusters=clusters, tenant_projects=clusters * 8, years=1, obstacles=0)
    ctx = Context(seed=seed, sizes=sizes, batch=batch)
    registry.generate(ctx)
    plans.generate(ctx)
    reports.generate(ctx)


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


URLS = (
    "/plans/dashboard/targets/",
    "/plans/dashboard/",
    "/plans/dashboard/?province={province}",
    "/api/v1/plans/dashboard?targets=false",
    "/api/v1/plans/dashboard?province={province}",
)


def test_targets_section_and_dashboards_do_not_grow_with_provinces_or_targets(client):
    from ccn.geo.models import Province
    from ccn.plans.models import Plan, Target

    admin = make_user("agg.admin", role=Role.ADMIN, superuser=True)
    client.force_login(admin)
    _grow("A", 2, 3)
    province = Province.objects.order_by("code").first().code
    urls = [u.format(province=province) for u in URLS]
    small_targets = Target.objects.count()
    small_provinces = Plan.objects.values("province_id").distinct().count()
    for url in urls:  # warm the per-process caches (sessions, catalogues)
        _count(client, url)
    small = {url: _count(client, url) for url in urls}
    _grow("B", 6, 4)
    assert Plan.objects.values("province_id").distinct().count() > small_provinces
    assert Target.objects.count() > small_targets
    large = {url: _count(client, url) for url in urls}
    assert large == small, f"query counts grew with provinces and targets: {small} → {large}"
    assert large["/plans/dashboard/targets/"] <= TARGETS_SECTION_MAX
    assert all(n <= DASHBOARD_MAX for n in large.values()), large


@pytest.fixture
def nation(db):
    _grow("F", 12, 5)


def test_targets_progress_equals_each_target_by_its_own_sql(nation):
    from ccn.plans.forecast import evaluate
    from ccn.plans.models import Target
    from ccn.plans.selectors import targets_progress

    today = timezone.localdate()
    targets = list(Target.objects.select_related("plan").prefetch_related("clusters").order_by("pk"))
    assert len({t.indicator for t in targets}) >= 4 and any(t.deadline < today for t in targets)
    assert any(t.deadline > today for t in targets)
    batch = targets_progress(targets, as_of=today)
    for target, fast in zip(targets, batch, strict=True):
        target._cluster_ids = tuple(c.pk for c in target.clusters.all())
        slow = evaluate(target, as_of=today)
        got = (fast.actual, fast.projected, fast.rate_per_year, fast.pipeline, fast.verdict, fast.sentence)
        want = (slow.actual, slow.projected, slow.rate_per_year, slow.pipeline, slow.verdict, slow.sentence)
        assert got == want, (target.indicator, target.deadline, got, want)


def test_every_builtin_indicator_from_the_rows_equals_its_sql(nation):
    """Every built-in indicator over the nation, a province, a commune, a list of clusters and a user's restricted
    scope, on past days and today, with and without a start of the period for flows."""
    from ccn.clusters.models import Cluster
    from ccn.plans.facts import NEEDS, SQL_FIGURES, Facts
    from ccn.plans.indicators import INDICATORS, Scope

    today = timezone.localdate()
    days = [datetime.date(2019, 12, 31), datetime.date(2024, 6, 30), today - datetime.timedelta(days=365), today]
    busiest = Cluster.objects.values_list("province_id", flat=True).order_by("province_id").first()
    some = Cluster.objects.filter(province_id=busiest).order_by("pk")
    commune = Cluster.communes.through.objects.filter(cluster__province_id=busiest).values_list("commune_id", flat=True)
    scopes = [
        Scope(),
        Scope(province_id=busiest),
        Scope(province_id=busiest, commune_ids=(commune.first(),)),
        Scope(province_id=busiest, cluster_ids=tuple(some.values_list("pk", flat=True)[:1])),
        Scope(province_id=busiest, counts_from=datetime.date(2022, 1, 1)),
        Scope(counts_from=datetime.date(2024, 1, 1)),
    ]
    facts = Facts(Cluster.objects.all(), {key: days for key in NEEDS})
    checked = 0
    for scope in scopes:
        for key in NEEDS:
            indicator = INDICATORS[key]
            want = SQL_FIGURES.values(indicator, scope, days)
            assert facts.values(indicator, scope, days) == want, (key, scope, want)
            checked += 1
    assert checked == len(scopes) * len(NEEDS) == 6 * 15
    restricted = Scope(restrict=Q(province_id=busiest))
    own = Facts(restricted.clusters(), {key: days for key in NEEDS}, scope=restricted)
    for key in NEEDS:
        indicator = INDICATORS[key]
        assert own.values(indicator, restricted, days) == SQL_FIGURES.values(indicator, restricted, days), key


def test_quality_plan_totals_in_three_queries_whatever_the_provinces(db):
    """The plan totals of the data-quality page: one Form 04 per province against its development plan as in force
    on the period's end, the same rows as `plan_as_of` gives, in three queries for 2 or 6 provinces."""
    from ccn.geo.models import Province
    from ccn.plans.models import Plan, PlanVersion
    from ccn.plans.selectors import plan_as_of
    from ccn.reports import services
    from ccn.reports.models import Period
    from ccn.reports.quality import plan_totals

    editor = make_user("agg.editor", role=Role.ADMIN, superuser=True)

    def open_forms():
        # the development plans are of 2021 and amended in 2024: Form 04 of 2025
        period, _ = Period.objects.get_or_create(
            kind="annual",
            year=2025,
            defaults={"starts_on": datetime.date(2025, 1, 1), "ends_on": datetime.date(2025, 12, 31)},
        )
        for plan in Plan.objects.filter(kind="development"):
            PlanVersion.objects.filter(plan=plan).update(declared_clusters=99)
            services.report_open(actor=editor, form="04", period=period, province=plan.province)

    def expected():
        out = []
        for p in Province.objects.order_by("pk"):
            from ccn.reports.models import Report

            report = (
                Report.objects.filter(form="04", province=p, current__isnull=False)
                .order_by("-period__ends_on", "-pk")
                .first()
            )
            if report is None:
                continue
            end = report.period.ends_on
            plan = (
                Plan.objects.filter(province=p, kind="development", issued_on__lte=end)
                .order_by("-issued_on", "-pk")
                .first()
            )
            if plan is None:
                continue
            stated = plan_as_of(plan, end)
            out.append((report.pk, plan.pk, stated["version"].pk, stated["declared_clusters"]))
        return out

    counts = []
    for batch, n, seed in (("Q", 2, 6), ("R", 6, 7)):
        _grow(batch, n, seed)
        open_forms()
        with CaptureQueriesContext(connection) as queries:
            rows = plan_totals(reports_of=Province.objects.values("pk"))
        counts.append(len(queries))
        got = [(r["report"].pk, r["plan"].pk, r["version"].pk, r["rows"][0]["plan"]) for r in rows]
        assert got == expected() and len(got) >= n
    assert counts == [3, 3]


def test_dashboard_figures_equal_the_indicators_sql_for_every_province(nation):
    """The dashboard's key figures, states and series from its two compiled-once queries, province after province
    (the SQL compiled for the first one and run with each other's id) and for the nation, equal the SQL of each
    indicator."""
    from ccn.clusters.models import Cluster
    from ccn.plans import selectors
    from ccn.plans.indicators import Scope

    today = timezone.localdate()
    days = selectors.year_ends(today)
    from ccn.core import compiled

    compiled.clear()  # compiled afresh here (a full cache starts afresh mid-way)
    provinces = sorted(set(Cluster.objects.values_list("province_id", flat=True)))
    assert len(provinces) >= 3
    for province_id in [*provinces, None]:
        scope = Scope(province_id=province_id)
        facts = selectors.dashboard_facts(scope, today, days)
        fast = (
            selectors.key_figures(scope, today, facts),
            selectors.states_on(scope, today, facts),
            selectors.figures_over_time(scope, days, facts),
        )
        slow = (
            selectors.key_figures(scope, today),
            selectors.states_on(scope, today),
            selectors.figures_over_time(scope, days),
        )
        assert fast == slow, province_id
    # the lifecycle acts too were read through their SQL compiled once and run with each province's id
    ours = ("dashboard", timezone.localdate(), today, tuple(days))
    kept = [entry for key, entry in compiled.entries().items() if key[:4] == ours and key[-1] == "acts"]
    assert len(kept) == 2 and sum("province" in entry[3] for entry in kept) == 1  # the provinces' and the nation's
