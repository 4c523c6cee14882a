"""Actual values computed from the dated history, at several dates, against hand-computed expectations."""

import datetime
from decimal import Decimal

import pytest

from ccn.plans.indicators import INDICATORS, Indicator, Scope, register

D = datetime.date


def values(key, scope, *days):
    return INDICATORS[key].values(scope, list(days))


@pytest.fixture
def scope(history, kha):
    return Scope(province_id=kha.pk)


def test_lifecycle_stocks_as_of_dates(scope):
    assert values("clusters_established", scope, D(2022, 12, 31), D(2023, 12, 31), D(2024, 6, 30)) == [2, 4, 4]
    # operating = a tenant project exists in the cluster (Circular 14/2024, Form 03/04, indicator 15): F only; A's
    # lifecycle says "operating" from 1/3/2024 but it has no tenant, so it does not count
    assert values("clusters_operating", scope, D(2023, 12, 31), D(2024, 6, 30)) == [1, 1]
    # E is revoked on 1/5/2024 and leaves the plan; A–D were registered on 1/1/2023
    assert values("clusters_in_plan", scope, D(2022, 12, 31), D(2024, 4, 30), D(2024, 6, 30)) == [2, 6, 5]
    # from today on the state is read from the cluster itself, and agrees with the history
    today = datetime.date.today()
    assert values("clusters_established", scope, today) == [4]
    assert values("clusters_operating", scope, today, D(2025, 1, 1)) == [1, 1]


def test_single_date_compute_equals_series(scope):
    for key in ("clusters_established", "occupancy_pct", "workers", "construction_started"):
        assert INDICATORS[key].compute(scope, D(2024, 3, 31)) == values(key, scope, D(2024, 3, 31))[0]


def test_milestones_count_first_arrival_within_the_period(scope):
    assert values("construction_started", scope, D(2024, 6, 30)) == [3]  # A, B and F (registered operating)
    scope.counts_from = D(2024, 1, 1)
    assert values("construction_started", scope, D(2024, 1, 31), D(2024, 6, 30)) == [0, 1]  # only B in 2024
    assert values("infrastructure_completed", scope, D(2024, 2, 29), D(2024, 3, 1)) == [0, 1]  # A opens 1/3
    assert values("clusters_newly_established", scope, D(2024, 6, 30)) == [1]  # C


def test_area_and_land(scope):
    # F is the only cluster with industrial land (20 ha); areas are the current ones
    assert values("industrial_land_ha", scope, D(2022, 1, 1), D(2023, 1, 1)) == [0, 20]
    assert values("cluster_area_ha", scope, D(2022, 12, 31))[0] == Decimal("80")  # E planned 50 + F established 30


def test_leased_land_and_occupancy_follow_lease_dates(scope, history):
    days = (D(2022, 12, 31), D(2023, 6, 30), D(2024, 3, 31), D(2024, 12, 31))
    assert values("leased_land_ha", scope, *days) == [0, 2, 5, 8]
    assert values("occupancy_pct", scope, *days) == [Decimal("0.0"), Decimal("10.0"), Decimal("25.0"), Decimal("40.0")]
    one = Scope(province_id=history["F"].province_id, cluster_ids=(history["F"].pk,))
    assert values("occupancy_pct", one, D(2024, 12, 31)) == [Decimal("40.0")]
    no_land = Scope(province_id=history["A"].province_id, cluster_ids=(history["A"].pk,))
    assert values("occupancy_pct", no_land, D(2024, 12, 31)) == [None]


def test_tenants_workers_and_wastewater(scope):
    assert values("tenant_projects", scope, D(2022, 12, 31), D(2024, 3, 31), D(2024, 12, 31)) == [0, 2, 3]
    assert values("workers", scope, D(2024, 1, 15), D(2024, 3, 31)) == [0, 100]
    # operating clusters as the circular defines them (a tenant project in the cluster): F alone — A is operating
    # in its lifecycle from 1/3/2024 but has no tenant project, so it is neither operating nor in the share's
    # denominator (where the lifecycle reading would give 50 %); F's plant meets the standard from 1/5/2024
    days = (D(2023, 12, 31), D(2024, 4, 1), D(2024, 6, 30))
    assert values("clusters_operating", scope, *days) == [1, 1, 1]
    assert values("wastewater_compliant_pct", scope, *days) == [Decimal("0.0"), Decimal("0.0"), Decimal("100.0")]
    members = INDICATORS["wastewater_compliant_pct"].members(scope, D(2024, 6, 30))
    assert {(c.code, c.value) for c in members} == {("H-F", True)}


def test_scope_by_commune_and_restriction(history, kha):
    from ccn.geo.models import Commune

    first, second = Commune.objects.filter(province=kha).order_by("code")[:2]
    assert values("clusters_in_plan", Scope(province_id=kha.pk, commune_ids=(first.pk,)), D(2024, 6, 30)) == [5]
    assert values("clusters_in_plan", Scope(province_id=kha.pk, commune_ids=(second.pk,)), D(2024, 6, 30)) == [0]
    from django.db.models import Q

    only_f = Scope(province_id=kha.pk, restrict=Q(code="H-F"))
    assert values("clusters_in_plan", only_f, D(2024, 6, 30)) == [1]


def test_series_is_one_query_per_indicator(scope, django_assert_max_num_queries):
    days = [D(2019 + k, 12, 31) for k in range(6)]
    for key in ("clusters_established", "construction_started", "leased_land_ha", "workers"):
        with django_assert_max_num_queries(1):
            values(key, scope, *days)
    with django_assert_max_num_queries(2):
        values("occupancy_pct", scope, *days)


def test_catalogue_is_an_extensible_registry(scope):
    """Another app (obstacles) registers its indicator without this app importing it."""
    register(
        Indicator(
            key="test_constant",
            label="Obstacles resolved",
            unit="items",
            compute=lambda scope, as_of: Decimal(as_of.year),
        )
    )
    try:
        assert INDICATORS["test_constant"].values(scope, [D(2024, 1, 1)]) == [Decimal(2024)]
    finally:
        INDICATORS.pop("test_constant")
