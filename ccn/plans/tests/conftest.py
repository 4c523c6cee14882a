"""A fixed, hand-built history of Khánh Hòa clusters shared by the plans tests (expected values in the tests are
computed by hand from it; see docs/plans-forecast.md for the worked example)."""

import datetime
from decimal import Decimal

import pytest

from ccn.clusters.tests.factories import make_cluster, make_org

D = datetime.date


def add_history(cluster, steps):
    """Append dated lifecycle events (the registry's history) and leave the cluster in the last state."""
    from ccn.clusters.models import Cluster, ClusterEvent

    state = cluster.status
    for day, to_status in steps:
        action = "establish" if to_status == "established" else "test"  # the act whose date counts as establishment
        ClusterEvent.objects.create(
            cluster=cluster, action=action, from_status=state, to_status=to_status, effective_on=day
        )
        state = to_status
    Cluster.objects.filter(pk=cluster.pk).update(status=state, status_since=steps[-1][0])
    cluster.refresh_from_db()
    return cluster


@pytest.fixture
def history(db, kha):
    """A: planned 1/1/2023 → established 1/3/2023 → under construction 1/9/2023 → operating 1/3/2024.
    B: planned → established 1/6/2023 → under construction 1/2/2024. C: planned → established 15/1/2024.
    D: planned 1/1/2023. E: established 1/1/2022 → revoked 1/5/2024.
    F: operating since 1/6/2022, 20 ha industrial land, three leases and a compliant plant (result 1/5/2024)."""
    from ccn.infrastructure.models import WastewaterPlant
    from ccn.tenants.models import TenantProject

    a = add_history(
        make_cluster(code="H-A", name="Cụm A", status="planned", status_since=D(2023, 1, 1)),
        [(D(2023, 3, 1), "established"), (D(2023, 9, 1), "under_construction"), (D(2024, 3, 1), "operating")],
    )
    b = add_history(
        make_cluster(code="H-B", name="Cụm B", status="planned", status_since=D(2023, 1, 1)),
        [(D(2023, 6, 1), "established"), (D(2024, 2, 1), "under_construction")],
    )
    c = add_history(
        make_cluster(code="H-C", name="Cụm C", status="planned", status_since=D(2023, 1, 1)),
        [(D(2024, 1, 15), "established")],
    )
    d = make_cluster(code="H-D", name="Cụm D", status="planned", status_since=D(2023, 1, 1))
    e = add_history(
        make_cluster(code="H-E", name="Cụm E", status="established", status_since=D(2022, 1, 1)),
        [(D(2024, 5, 1), "revoked")],
    )
    f = make_cluster(
        code="H-F",
        name="Cụm F",
        status="operating",
        status_since=D(2022, 6, 1),
        industrial_land_ha=Decimal("20"),
        area_established_ha=Decimal("30"),
    )
    org = make_org("Doanh nghiệp thuê đất")
    common = {"cluster": f, "enterprise": org}
    TenantProject.objects.create(
        **common,
        name="T1",
        land_leased_ha=Decimal("5"),
        lease_start=D(2024, 1, 1),
        status="operating",
        workers=100,
        operation_started_on=D(2024, 2, 1),
    )
    TenantProject.objects.create(
        **common, name="T2", land_leased_ha=Decimal("3"), lease_start=D(2024, 7, 1), status="registered"
    )
    TenantProject.objects.create(
        **common,
        name="T3",
        land_leased_ha=Decimal("2"),
        lease_start=D(2023, 1, 1),
        lease_end=D(2023, 12, 31),
        status="registered",
    )
    plant = WastewaterPlant.objects.create(cluster=f, status="operating")
    plant.results.create(sampled_on=D(2024, 5, 1), compliant=True, standard="QCVN 40:2011/BTNMT")
    return {"A": a, "B": b, "C": c, "D": d, "E": e, "F": f}
