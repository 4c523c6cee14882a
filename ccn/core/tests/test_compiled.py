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


def _clusters_of(province_code):
    return (
        Cluster.objects.filter(province__code=province_code)
        .select_related("province")
        .annotate(tag=Value(TEXT))
        .prefetch_related("communes")
        .order_by("code")
    )


def test_a_kept_list_gives_the_querysets_instances_for_each_value():
    """Model instances with what select_related, annotations and prefetches add, for a value written as text (a
    province's code), the SQL compiled for the first value only."""
    first, second, third = Province.objects.order_by("code")[:3]
    one = Cluster.objects.create(province=first, code="A-1", name="Cụm % một")
    Cluster.objects.create(province=second, code="B-2", name="Cụm hai")
    Cluster.objects.create(province=second, code="B-1", name="Cụm ba")
    one.communes.set(first.communes.all()[:2])
    compiled.clear()
    for province in (first, second, third):
        kept = compiled.compiled_list("test-objects", province.code, _clusters_of)
        built = list(_clusters_of(province.code))
        assert [(c.pk, c.province.name, c.tag) for c in kept] == [(c.pk, c.province.name, c.tag) for c in built]
        assert [list(c.communes.all()) for c in kept] == [list(c.communes.all()) for c in built]
    assert [c.code for c in compiled.compiled_list("test-objects", second.code, _clusters_of)] == ["B-1", "B-2"]
    assert len(compiled.compiled_list("test-objects", first.code, _clusters_of)[0].communes.all()) == 2
    _queryset, _compiler, sql, slots, _shape = compiled.entries()["test-objects"]
    assert slots == 1 and first.code not in sql  # the code is bound in its place, not kept


def test_a_key_that_leaves_out_what_the_query_depends_on_fails_in_the_suite(settings):
    """With the check on (the suite), a kept query is compared with the one built for each value: a key without
    the scope (here the province a query filters on) is caught instead of answering with another scope's rows."""
    first, second = Province.objects.order_by("code")[:2]
    cluster = Cluster.objects.create(province=first, code="A-1", name="Cụm một")
    compiled.clear()

    def of(province):
        return lambda pk: Cluster.objects.filter(pk=pk, province=province)

    assert compiled.compiled_list("short-key", cluster.pk, of(first)) == [cluster]
    with pytest.raises(AssertionError, match="short-key"):
        compiled.compiled_list("short-key", cluster.pk, of(second))
    settings.COMPILED_QUERIES_CHECK = False
    assert compiled.compiled_list("short-key", cluster.pk, of(second)) == [cluster]  # what the check prevents


def test_an_aggregate_of_one_group_and_of_none():
    first = Province.objects.order_by("code").first()
    cluster = Cluster.objects.create(province=first, code="A-1", name="Cụm một", area_planned_ha=Decimal("20.5"))
    Cluster.objects.create(province=first, code="A-2", name="Cụm hai", area_planned_ha=Decimal("30"))
    compiled.clear()
    from django.db.models import Count, Sum
    from django.db.models.functions import Coalesce

    def rows(province_id):
        return Cluster.objects.filter(province_id=province_id)

    sums = {"n": Count("pk"), "area": Coalesce(Sum("area_planned_ha"), Value(Decimal("0")))}
    got = compiled.compiled_aggregate("test-sums", cluster.province_id, rows, "province_id", **sums)
    assert got == rows(cluster.province_id).aggregate(**sums) == {"n": 2, "area": Decimal("50.5")}
    none = compiled.compiled_aggregate("test-sums", -5, rows, "province_id", **sums)
    assert none == rows(-5).aggregate(**sums) == {"n": 0, "area": Decimal("0")}


def test_a_query_that_cannot_be_kept_is_tried_once_then_built_each_time():
    """A query whose SQL depends on the value (here one that can match nothing) gives the queryset's rows, and its
    key remembers that it cannot be kept: later runs build it once, never compiling it twice more to find out."""
    compiled.clear()
    built = []

    def nothing(code):
        built.append(code)
        return Cluster.objects.filter(code=code, pk__in=[])

    assert compiled.compiled_list("test-nothing", "A-1", nothing) == []
    assert compiled.entries()["test-nothing"] is compiled.UNCOMPILED
    built.clear()
    assert compiled.compiled_list("test-nothing", "B-1", nothing) == []
    assert built == ["B-1"]
