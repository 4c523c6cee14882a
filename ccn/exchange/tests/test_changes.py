"""What the exchange reads to send: when each cluster's record last changed (its own row or the latest row of any
relation it carries), read with one subquery per relation, so the queries neither grow with the rows nor multiply
them (figures × documents × results) in a join."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ccn.clusters.models import Cluster, ClusterEvent, ClusterFigure, LegalDocument
from ccn.clusters.tests.factories import make_cluster
from ccn.exchange import bundle as fmt
from ccn.infrastructure.models import WastewaterPlant, WastewaterResult

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2026, 1, 5, 8, 0, tzinfo=datetime.UTC)
UNTIL = datetime.datetime(2026, 12, 31, tzinfo=datetime.UTC)


def _at(hours: int) -> datetime.datetime:
    return T0 + datetime.timedelta(hours=hours)


def _cluster_with(code: str, n: int) -> Cluster:
    """A cluster with `n` figures, `n` documents and a plant with `n` results, every row entered at T0."""
    cluster = make_cluster(code=code)
    for i in range(n):
        day = datetime.date(2020 + i, 3, 1)
        ClusterFigure.objects.create(cluster=cluster, field="area_planned_ha", value=Decimal(40 + i), valid_from=day)
        LegalDocument.objects.create(cluster=cluster, kind="other", number=f"{i}/QĐ-UBND", issued_on=day,
                                     issuer="UBND tỉnh Khánh Hòa")  # fmt: skip
    plant = WastewaterPlant.objects.create(cluster=cluster, status="operating")
    for i in range(n):
        WastewaterResult.objects.create(plant=plant, sampled_on=datetime.date(2020 + i, 6, 1), compliant=True)
    Cluster.objects.filter(pk=cluster.pk).update(updated_at=T0)
    ClusterEvent.objects.filter(cluster=cluster).update(created_at=T0)
    ClusterFigure.objects.filter(cluster=cluster).update(created_at=T0)
    LegalDocument.objects.filter(cluster=cluster).update(updated_at=T0)
    WastewaterPlant.objects.filter(cluster=cluster).update(updated_at=T0)
    WastewaterResult.objects.filter(plant__cluster=cluster).update(updated_at=T0)
    return cluster


def _changed(province, since=None) -> dict[str, datetime.datetime]:
    return {
        r["data"]["code"]: datetime.datetime.fromisoformat(r["changed_at"])
        for r in fmt.changed_records(province, since=since, until=UNTIL)
        if r["kind"] == "cluster"
    }


def test_a_clusters_record_changes_when_any_row_it_carries_changes(kha):
    """Three figures, three documents and three results: the record's time is the latest row of any of them, and a
    batch since a time carries exactly the clusters changed after it."""
    busy = _cluster_with("KHA-CH1", 3)
    _cluster_with("KHA-CH2", 1)
    assert _changed(kha) == {"KHA-CH1": T0, "KHA-CH2": T0}

    steps = [
        (WastewaterResult.objects.filter(plant__cluster=busy, sampled_on__year=2021), "updated_at", 5),
        (ClusterFigure.objects.filter(cluster=busy, valid_from__year=2020), "created_at", 6),
        (LegalDocument.objects.filter(cluster=busy, issued_on__year=2022), "updated_at", 7),
        (WastewaterPlant.objects.filter(cluster=busy), "updated_at", 8),
        (ClusterEvent.objects.filter(cluster=busy), "created_at", 9),
    ]
    for rows, field, hours in steps:
        assert rows.update(**{field: _at(hours)}) == 1
        assert _changed(kha) == {"KHA-CH1": _at(hours), "KHA-CH2": T0}, rows.model
        assert _changed(kha, since=_at(hours - 1)) == {"KHA-CH1": _at(hours)}
    assert _changed(kha, since=_at(9)) == {}

    # An older row of a relation does not pull the time back.
    WastewaterResult.objects.filter(plant__cluster=busy, sampled_on__year=2022).update(updated_at=_at(-5))
    assert _changed(kha)["KHA-CH1"] == _at(9)


def test_reading_the_changes_costs_the_same_queries_for_more_rows_and_joins_no_relation(kha):
    """One cluster with one row of each relation, then five clusters with four of each: the same number of
    queries, and the clusters' query groups nothing (a MAX over the relations joined at once would read
    figures × documents × results rows per cluster)."""
    _cluster_with("KHA-Q1", 1)
    with CaptureQueriesContext(connection) as few:
        assert len(_changed(kha)) == 1
    for i in range(2, 7):
        _cluster_with(f"KHA-Q{i}", 4)
    with CaptureQueriesContext(connection) as many:
        assert len(_changed(kha)) == 6
    assert len(many.captured_queries) == len(few.captured_queries)
    clusters_query = next(q["sql"] for q in many.captured_queries if 'AS "changed_at"' in q["sql"]
                          and 'FROM "clusters_cluster"' in q["sql"])  # fmt: skip
    assert "GROUP BY" not in clusters_query
    for model in (ClusterEvent, ClusterFigure, LegalDocument, WastewaterResult):
        assert f'JOIN "{model._meta.db_table}"' not in clusters_query
