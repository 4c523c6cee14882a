"""The synthetic dataset: deterministic from its seed, labelled synthetic, consistent land figures."""

import pytest
from django.db.models import F

from ccn.clusters.models import Cluster, ClusterEvent
from ccn.clusters.selectors import with_land_figures
from ccn.dataset import SYNTHETIC_NOTE, Context, Sizes, registry
from ccn.tenants.models import TenantProject

pytestmark = pytest.mark.django_db


def _generate(seed):
    ctx = Context(seed=seed, sizes=Sizes(clusters=80, tenant_projects=400))
    registry.generate(ctx)
    return list(
        Cluster.objects.filter(code__startswith="SYN-")
        .order_by("code")
        .values_list("code", "status", "area_planned_ha", "industrial_land_ha")
    )


def test_same_seed_same_data_and_consistent_figures():
    first = _generate(7)
    assert len(first) == 80
    assert TenantProject.objects.filter(cluster__code__startswith="SYN-").count() > 300
    qs = with_land_figures(Cluster.objects.filter(code__startswith="SYN-"))
    assert not qs.filter(leased_land_ha__gt=F("ready_land_ha")).exists()
    assert not qs.filter(ready_land_ha__gt=F("industrial_land_ha")).exists()
    assert all(10 <= a <= 75 or k == "craft_village" for a, k in qs.values_list("area_planned_ha", "kind"))
    assert set(qs.values_list("internal_notes", flat=True)) == {SYNTHETIC_NOTE}
    assert set(qs.values_list("is_sample", flat=True)) == {True}
    # Every cluster's last event is its current state.
    for c in qs[:40]:
        assert ClusterEvent.objects.filter(cluster=c).order_by("-effective_on", "-id").first().to_status == c.status
    TenantProject.objects.all().delete()
    ClusterEvent.objects.all().delete()
    Cluster.objects.all().delete()
    assert _generate(7) == first


def test_plans_and_targets_part():
    from ccn.dataset import plans
    from ccn.plans.forecast import evaluate
    from ccn.plans.indicators import INDICATORS
    from ccn.plans.models import Plan, PlanItem, Target

    ctx = Context(seed=3, sizes=Sizes(clusters=60, tenant_projects=300))
    registry.generate(ctx)
    plans.generate(ctx)
    clusters = Cluster.objects.filter(code__startswith="SYN-")
    provinces = set(clusters.values_list("province_id", flat=True))
    development = Plan.objects.filter(kind="development")
    assert set(development.values_list("province_id", flat=True)) == provinces
    assert Plan.objects.filter(kind="annual").count() == 6 * len(provinces)
    assert not Plan.objects.exclude(number__startswith="SYN-").exists()
    assert set(Plan.objects.values_list("is_sample", flat=True)) == {True}
    assert set(Target.objects.values_list("is_sample", flat=True)) == {True}
    # Every synthetic cluster is in its province's development plan; those removed from the plan left it.
    assert PlanItem.objects.count() == clusters.count()
    assert not PlanItem.objects.exclude(plan__province_id=F("cluster__province_id")).exists()
    removed = clusters.filter(status="removed_from_plan").values_list("pk", flat=True)
    assert set(PlanItem.objects.filter(removed_in__isnull=False).values_list("cluster_id", flat=True)) <= set(removed)
    for t in Target.objects.all():
        assert t.indicator in INDICATORS
        assert (t.counts_from is not None) == INDICATORS[t.indicator].is_flow
    progress = [evaluate(t) for t in Target.objects.filter(plan__province_id=min(provinces))[:8]]
    assert all(p.verdict for p in progress)
    assert ctx.made["targets"] == Target.objects.count()


def test_batches_coexist():
    registry.generate(Context(seed=1, sizes=Sizes(clusters=10, tenant_projects=40), batch="A"))
    registry.generate(Context(seed=1, sizes=Sizes(clusters=10, tenant_projects=40), batch="B"))
    assert Cluster.objects.filter(code__startswith="SYN-A").count() == 10
    assert Cluster.objects.filter(code__startswith="SYN-B").count() == 10


def test_reports_and_obstacles_parts():
    from django.db.models import Count

    from ccn.dataset import obstacles, reports
    from ccn.obstacles.models import Obstacle
    from ccn.reports.compile import compile_figures
    from ccn.reports.models import Period, Report, Revision

    ctx = Context(seed=5, sizes=Sizes(clusters=40, tenant_projects=200, years=2, obstacles=60))
    registry.generate(ctx)
    obstacles.generate(ctx)
    reports.generate(ctx)
    assert Obstacle.objects.count() == 60 and set(Obstacle.objects.values_list("is_sample", flat=True)) == {True}
    assert not Obstacle.objects.exclude(agency__province_id=F("cluster__province_id")).exists()
    history = Period.objects.filter(year__in=(2016, 2017))
    assert history.count() == 4
    assert Period.objects.filter(year=2018).count() == 2 and not Report.objects.filter(period__year=2018).exists()
    projects, clusters = TenantProject.objects.count(), Cluster.objects.count()
    assert Revision.objects.filter(form="01").count() == 4 * projects == ctx.made["form01_rows"]
    assert Revision.objects.filter(form="02").count() == 4 * clusters
    # One accepted report per unit and period, its only revision final and current.
    assert not Report.objects.exclude(status="accepted").exists()
    assert not Report.objects.filter(current__isnull=True).exists()
    assert not Report.objects.exclude(current__report_id=F("pk")).exists()
    assert not Report.objects.annotate(n=Count("revisions")).exclude(n=1).exists()
    assert not Revision.objects.filter(is_final=False).exists()
    # Form 02 passes its own rules: leased within ready land, foreign and operating within all projects.
    f02 = Revision.objects.filter(form="02")
    assert not f02.filter(v4__gt=F("v3")).exists()
    assert not f02.filter(v7__gt=F("v6")).exists() and not f02.filter(v14__gt=F("v13")).exists()
    # A province's Form 04 compiles from them: revenue (23) is the sum of its accepted Forms 01.
    period = history.get(kind="annual", year=2017)
    province_id = Cluster.objects.values_list("province_id", flat=True).first()
    figures = compile_figures(period, province_id=province_id)
    expected = sum(
        Revision.objects.filter(form="01", period=period, province_id=province_id).values_list("v1", flat=True)
    )
    assert figures["23"] == expected.quantize(figures["23"])
