"""`Facts` reads each cluster's state on a day, the first day it reached a set of states and its acts into a set of
states from its lifecycle acts read once (`lifecycle_acts`), not from one SQL subquery per day: the states and every
built-in indicator must stay what the SQL reading (`state_on`, `first_reached`) gives, on a deadline an act is
dated on, between two deadlines, with two acts on one day, and for a cluster without acts."""

import datetime

import pytest
from django.utils import timezone

from ccn.clusters.tests.factories import make_cluster

from .conftest import D, add_history

pytestmark = pytest.mark.django_db


@pytest.fixture
def tricky(history):
    """G: established exactly on the deadline 31/12/2023, under construction exactly on 31/12/2024. H: established
    and revoked on the same day 30/6/2024 (the later act wins). J: two changes between two year ends (2023)."""
    from ccn.clusters.models import ClusterEvent

    g = add_history(
        make_cluster(code="H-G", name="Cụm G", status="planned", status_since=D(2022, 5, 1)),
        [(D(2023, 12, 31), "established"), (D(2024, 12, 31), "under_construction")],
    )
    h = add_history(
        make_cluster(code="H-H", name="Cụm H", status="planned", status_since=D(2022, 5, 1)),
        [(D(2024, 6, 30), "established"), (D(2024, 6, 30), "revoked")],
    )
    j = add_history(
        make_cluster(code="H-J", name="Cụm J", status="planned", status_since=D(2022, 5, 1)),
        [(D(2023, 2, 1), "established"), (D(2023, 7, 1), "under_construction"), (D(2024, 8, 1), "operating")],
    )
    # a cluster with no lifecycle act at all (entered before acts were recorded)
    bare = make_cluster(code="H-K", name="Cụm K", status="established", status_since=D(2021, 1, 1))
    ClusterEvent.objects.filter(cluster=bare).delete()
    return g, h, j, bare


def _days():
    today = timezone.localdate()
    return [
        D(2022, 12, 31),
        D(2023, 12, 30),
        D(2023, 12, 31),
        D(2024, 6, 29),
        D(2024, 6, 30),
        D(2024, 12, 31),
        today - datetime.timedelta(days=365),
        today,
    ]


def test_states_from_acts_equal_the_dated_subquery(tricky):
    from ccn.clusters.figures import state_on_day
    from ccn.clusters.models import Cluster
    from ccn.plans.facts import Facts
    from ccn.plans.indicators import state_on

    days = _days()
    facts = Facts(Cluster.objects.all(), {"clusters_in_plan": days})
    g, h, j, bare = tricky
    by_pk = {r["pk"]: r for r in facts.rows}
    for day in days:
        want = dict(Cluster.objects.annotate(s=state_on(day)).values_list("pk", "s"))
        got = {pk: r[facts.state_col[day]] for pk, r in by_pk.items()}
        assert got == want, day
        if day < timezone.localdate():
            dated = dict(Cluster.objects.annotate(s=state_on_day(day)).values_list("pk", "s"))
            assert got == dated, day
    s = facts.state_col
    assert by_pk[g.pk][s[D(2023, 12, 30)]] == "planned" and by_pk[g.pk][s[D(2023, 12, 31)]] == "established"
    assert by_pk[g.pk][s[D(2024, 12, 31)]] == "under_construction"
    assert by_pk[h.pk][s[D(2024, 6, 29)]] == "planned" and by_pk[h.pk][s[D(2024, 6, 30)]] == "revoked"
    assert by_pk[j.pk][s[D(2022, 12, 31)]] == "planned" and by_pk[j.pk][s[D(2023, 12, 31)]] == "under_construction"
    assert by_pk[bare.pk][s[D(2023, 12, 31)]] is None and by_pk[bare.pk][s[timezone.localdate()]] == "established"


def test_every_builtin_indicator_and_pipeline_from_acts_equal_their_sql(tricky):
    from ccn.clusters.models import Cluster
    from ccn.plans.facts import NEEDS, SQL_FIGURES, Facts
    from ccn.plans.indicators import CONSTRUCTION_STARTED_STATES, INDICATORS, Scope

    days = _days()
    province = Cluster.objects.get(code="H-G").province_id
    scopes = [Scope(), Scope(province_id=province), Scope(province_id=province, counts_from=D(2023, 12, 31))]
    facts = Facts(
        Cluster.objects.all(),
        {key: days for key in NEEDS},
        pipeline_days=days,
        pipeline_reached=[CONSTRUCTION_STARTED_STATES],
    )
    for scope in scopes:
        for key in NEEDS:
            indicator = INDICATORS[key]
            assert facts.values(indicator, scope, days) == SQL_FIGURES.values(indicator, scope, days), (key, scope)
        for day in days:
            for states, not_reached in (
                (("planned", "established"), CONSTRUCTION_STARTED_STATES),
                (("established", "revoked"), None),
            ):
                want = SQL_FIGURES.count_in_states(scope, day, states, not_reached)
                assert facts.count_in_states(scope, day, states, not_reached) == want, (day, states)
    # the flows read the acts: G and J started construction, G and H were established (one on the deadline itself)
    started = INDICATORS["construction_started"]
    in_2024 = Scope(province_id=province, counts_from=D(2024, 1, 1))
    assert facts.values(started, in_2024, [D(2024, 12, 31)]) == SQL_FIGURES.values(started, in_2024, [D(2024, 12, 31)])
    assert facts.value(started, in_2024, D(2024, 12, 30)) < facts.value(started, in_2024, D(2024, 12, 31))
