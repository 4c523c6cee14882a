"""The nation's tenant figures skip the filter on clusters (a speed-up) and still equal the sum of the provinces'."""

import datetime
from decimal import Decimal

import pytest

from ccn.clusters.tests.factories import make_cluster, make_org
from ccn.plans.indicators import INDICATORS, Scope

pytestmark = pytest.mark.django_db
DAYS = [datetime.date(2023, 12, 31), datetime.date(2024, 12, 31)]


def test_nation_equals_sum_of_provinces(history, hni):
    from ccn.tenants.models import TenantProject

    other = make_cluster(province_code="01", code="HNI-X", status="operating", industrial_land_ha=Decimal("10"))
    TenantProject.objects.create(
        cluster=other,
        enterprise=make_org("Doanh nghiệp Hà Nội"),
        name="N1",
        land_leased_ha=Decimal("4"),
        lease_start=datetime.date(2023, 6, 1),
        status="operating",
        workers=50,
        operation_started_on=datetime.date(2023, 7, 1),
    )
    nation = Scope()
    assert nation.is_nation
    kha = Scope(province_id=history["F"].province_id)
    han = Scope(province_id=hni.pk)
    assert not kha.is_nation and not Scope(cluster_ids=(history["F"].pk,)).is_nation
    for key in ("tenant_projects", "workers", "leased_land_ha"):
        series = INDICATORS[key].series
        total = [a + b for a, b in zip(series(kha, DAYS), series(han, DAYS), strict=True)]
        assert series(nation, DAYS) == total, key
    assert INDICATORS["workers"].series(nation, DAYS) == [Decimal(50), Decimal(150)]
    assert INDICATORS["leased_land_ha"].series(nation, DAYS) == [Decimal(6), Decimal(12)]


def test_a_restricted_scope_is_not_the_nation(history):
    from django.db.models import Q

    from ccn.tenants.models import TenantProject

    restricted = Scope(restrict=Q(pk=history["A"].pk))
    assert not restricted.is_nation
    assert TenantProject.objects.filter(cluster=history["F"]).exists()
    assert INDICATORS["tenant_projects"].series(restricted, DAYS) == [Decimal(0), Decimal(0)]
