"""The projection method on the fixed history, with expectations computed by hand (docs/plans-forecast.md)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from ccn.clusters.choices import ClusterStatus as S
from ccn.plans.choices import Verdict
from ccn.plans.forecast import evaluate, month_ends, months_to_reach, project, reachable_states
from ccn.plans.services import plan_create, target_create

D = datetime.date
AS_OF = D(2024, 6, 30)


def test_lead_times():
    opened = (S.OPERATING, S.EXPANDING)
    assert months_to_reach(S.UNDER_CONSTRUCTION, opened) == 0
    assert months_to_reach(S.ESTABLISHED, opened) == 9  # 3 + 3 + 0 + 3 + 0
    assert months_to_reach(S.PLANNED, opened) == 15
    assert months_to_reach(S.OPERATING, opened) is None
    assert months_to_reach(S.REVOKED, opened) is None
    # "a cluster under construction can open this year; a planned one cannot"
    within_year = reachable_states(opened, Decimal(12))
    assert S.UNDER_CONSTRUCTION in within_year and S.PLANNED not in within_year


def test_project_rounds_counts_down_and_caps_by_pipeline():
    # 1 now, 0 a year ago, 184 days left: 1 + 184/365 = 1.50 → 1 cluster
    assert project(actual=Decimal(1), earlier=Decimal(0), window_days=365, days_left=184, pipeline=5, whole=True) == (
        Decimal(1),
        Decimal("1.00"),
    )
    # 11 now, 3 a year ago, half a year left: 11 + 8 × 0.5 = 15, but only 2 more can get there → 13
    assert project(actual=Decimal(11), earlier=Decimal(3), window_days=365, days_left=183, pipeline=2, whole=True)[
        0
    ] == Decimal(13)
    assert project(
        actual=Decimal("40"),
        earlier=Decimal("20"),
        window_days=365,
        days_left=730,
        pipeline=None,
        whole=False,
        ceiling=Decimal(100),
    )[0] == Decimal("80.0")
    assert project(
        actual=Decimal("90"),
        earlier=Decimal("50"),
        window_days=365,
        days_left=365,
        pipeline=None,
        whole=False,
        ceiling=Decimal(100),
    )[0] == Decimal(100)


def test_month_ends():
    assert month_ends(D(2024, 1, 15), D(2024, 4, 10)) == [
        D(2024, 1, 31),
        D(2024, 2, 29),
        D(2024, 3, 31),
        D(2024, 4, 10),
    ]
    long = month_ends(D(2015, 1, 1), D(2024, 6, 30))
    assert len(long) <= 37 and long[-1] == D(2024, 6, 30)


@pytest.fixture
def plan(history, users, kha):
    return plan_create(
        actor=users["editor"],
        province=kha,
        data={
            "kind": "annual",
            "number": "1/KH-UBND",
            "title": "Kế hoạch 2024",
            "issued_on": D(2024, 1, 1),
            "issuer": "UBND tỉnh",
            "year": 2024,
        },
    )


def make_target(plan, users, **data):
    clusters = data.pop("clusters", ())
    base = {"title": "Chỉ tiêu", "scope_kind": "province"}
    return target_create(actor=users["editor"], plan=plan, data={**base, **data}, clusters=clusters)


def test_opening_target_at_risk_with_sentence(plan, users):
    """Open 3 in 2024. On 30/6/2024: A opened (1). A year earlier F alone had opened, so the rate is 1 a year:
    1 + 184/365 → 1. The pipeline: B is under construction (can open), C needs 9 months (6 left), D is planned,
    E revoked → 1 more at most. Projection min(1, 1 + 1) = 1 < 3: at risk."""
    target = make_target(
        plan, users, indicator="infrastructure_completed", value_min=Decimal(3), deadline=D(2024, 12, 31)
    )
    assert target.counts_from == D(2024, 1, 1)  # an annual plan counts from 1 January
    with translation.override("en"):
        p = evaluate(target, as_of=AS_OF)
    assert (p.actual, p.pipeline, p.projected, p.rate_per_year) == (Decimal(1), 1, Decimal(1), Decimal("1.00"))
    assert p.verdict == Verdict.AT_RISK
    assert p.sentence.startswith("At the current rate 1 of the 3 clusters will open by 31/12/2024.")
    with translation.override("vi"):
        p = evaluate(target, as_of=AS_OF)
    assert "31/12/2024" in p.sentence


def test_range_target_sentence_uses_vietnamese_numbers(plan, users):
    target = make_target(
        plan,
        users,
        indicator="infrastructure_completed",
        value_min=Decimal(1500),
        value_max=Decimal(2000),
        deadline=D(2024, 12, 31),
    )
    with translation.override("vi"):
        p = evaluate(target, as_of=AS_OF)
    assert "1.500–2.000" in p.sentence


def test_rate_is_capped_by_the_pipeline(plan, users):
    """Construction started in 2024, target 2. Now 1 (B). Cumulative 3 now, 1 a year ago: 2 a year →
    1 + 2 × 184/365 = 2.008 → 2. No cluster left can start construction within 6 months (C needs 9) → 1."""
    target = make_target(plan, users, indicator="construction_started", value_min=Decimal(2), deadline=D(2024, 12, 31))
    p = evaluate(target, as_of=AS_OF)
    assert (p.actual, p.rate_per_year, p.pipeline, p.projected) == (Decimal(1), Decimal("2.00"), 0, Decimal(1))
    assert p.verdict == Verdict.AT_RISK


def test_on_track_when_rate_and_pipeline_allow(plan, users):
    """From 1/1/2023, target 3 by 30/6/2025: now 2 (A, B); rate 2 a year; 2 + 2 = 4; C can start within the 12
    months left (9 needed): pipeline 1 → min(4, 3) = 3 ≥ 3: on track."""
    target = make_target(
        plan,
        users,
        indicator="construction_started",
        value_min=Decimal(3),
        counts_from=D(2023, 1, 1),
        deadline=D(2025, 6, 30),
    )
    p = evaluate(target, as_of=AS_OF)
    assert (p.actual, p.pipeline, p.projected, p.verdict) == (Decimal(2), 1, Decimal(3), Verdict.ON_TRACK)


def test_falling_stock_projects_down(plan, users):
    """Clusters in the plan: 5 now, 6 a year ago (E was revoked) → 5 − 1 = 4 by 30/6/2025 < 6."""
    target = make_target(plan, users, indicator="clusters_in_plan", value_min=Decimal(6), deadline=D(2025, 6, 30))
    p = evaluate(target, as_of=AS_OF)
    assert (p.actual, p.rate_per_year, p.projected, p.pipeline) == (Decimal(5), Decimal("-1.00"), Decimal(4), None)
    assert p.verdict == Verdict.AT_RISK


def test_past_deadline_is_met_or_missed_at_the_deadline(plan, users):
    # operating = with a tenant project (Circular 14/2024, indicator 15): only F (A opened without tenants)
    met = make_target(plan, users, indicator="clusters_operating", value_min=Decimal(1), deadline=D(2024, 4, 30))
    missed = make_target(plan, users, indicator="clusters_operating", value_min=Decimal(2), deadline=D(2024, 2, 29))
    assert evaluate(met, as_of=AS_OF).verdict == Verdict.MET
    p = evaluate(missed, as_of=AS_OF)
    assert (p.verdict, p.actual, p.past_deadline) == (Verdict.MISSED, Decimal(1), True)


def test_occupancy_of_one_cluster_and_trajectory(plan, users, history):
    target = make_target(
        plan,
        users,
        indicator="occupancy_pct",
        scope_kind="cluster",
        clusters=[history["F"]],
        value_min=Decimal(45),
        deadline=D(2024, 12, 31),
    )
    early = evaluate(target, as_of=D(2024, 3, 31), trajectory=True)
    # 25 % now, 10 % a year earlier: 25 + 15 × 275/365 = 36.3 < 45
    assert (early.actual, early.projected, early.verdict) == (Decimal("25.0"), Decimal("36.3"), Verdict.AT_RISK)
    assert early.trajectory[-1] == (D(2024, 3, 31), Decimal("25.0"))
    assert dict(early.trajectory)[D(2024, 1, 31)] == Decimal("25.0")
    assert evaluate(target, as_of=D(2025, 1, 10)).verdict == Verdict.MISSED  # 40 % at the deadline


def test_met_early_and_no_data(plan, users, history):
    met = make_target(plan, users, indicator="workers", value_min=Decimal(50), deadline=D(2024, 12, 31))
    assert evaluate(met, as_of=AS_OF).verdict == Verdict.MET
    no_land = make_target(
        plan,
        users,
        indicator="occupancy_pct",
        scope_kind="cluster",
        clusters=[history["A"]],
        value_min=Decimal(45),
        deadline=D(2024, 12, 31),
    )
    assert evaluate(no_land, as_of=AS_OF).verdict == Verdict.NO_DATA
