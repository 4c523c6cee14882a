"""The synthetic dataset: deterministic from its seed, labelled synthetic, consistent land figures."""

import pytest
from django.db.models import F

from ccn.clusters.models import Cluster, ClusterEvent
from ccn.clusters.selectors import with_land_figures
from ccn.core.dataset import SYNTHETIC_NOTE, Context, Sizes, registry
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
