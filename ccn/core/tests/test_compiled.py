"""A query compiled once and run with each province's id (`ccn.core.compiled`): the same rows as the queryset
itself, with constants that quote, escape or convert (a percent sign and an apostrophe in a text, a date, a decimal,
a boolean), which are written into the kept SQL, the province's id in its place on each run."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import DateField, DecimalField, Q, Value

from ccn.clusters.models import Cluster
from ccn.core import compiled
from ccn.geo.models import Province

pytestmark = pytest.mark.django_db

TEXT = "50% 'sure' %s"


def _query(province_id):
    return (
        Cluster.objects.filter(province_id=province_id)
        .filter(Q(name__startswith="Cụm %") | Q(is_published=False))
        .annotate(
            tag=Value(TEXT),
            since=Value(datetime.date(2025, 1, 31), output_field=DateField()),
            share=Value(Decimal("0.25"), output_field=DecimalField(max_digits=5, decimal_places=2)),
        )
        .order_by("code")
        .values("code", "tag", "since", "share", "is_published")
    )


def test_the_kept_query_gives_the_querysets_rows_for_every_province():
    first, second = Province.objects.order_by("code")[:2]
    Cluster.objects.create(province=first, code="A-1", name="Cụm % một")
    Cluster.objects.create(province=first, code="A-2", name="Cụm hai", is_published=False)
    Cluster.objects.create(province=first, code="A-3", name="Cụm ba")
    Cluster.objects.create(province=second, code="B-1", name="Cụm %")
    Cluster.objects.create(province=second, code="B-2", name="Cụm bốn")
    compiled.clear()
    for province in (first, second):
        rows = compiled.compiled_rows("test", province.pk, _query)
        assert rows == list(_query(province.pk)), province.code
        assert rows and all(r["tag"] == TEXT and r["since"] == datetime.date(2025, 1, 31) for r in rows)
    assert [r["code"] for r in compiled.compiled_rows("test", first.pk, _query)] == ["A-1", "A-2"]
    assert [r["code"] for r in compiled.compiled_rows("test", second.pk, _query)] == ["B-1"]
    (_compiler, sql, params, roles, _names, _converters, _pieces) = compiled.entries()["test"]
    assert params == [first.pk] and roles == ["province"]  # the constants are written in the SQL
