"""Forms 03/04 compiled over facts computed once per cluster (a MATERIALIZED common table expression) and, for a
province or the nation, from SQL compiled once per period: the same figures as the queryset itself gives, for every
province, in a fixed number of queries."""

import pytest

from ccn.core import compiled
from ccn.dataset import Context, Sizes, registry, reports
from ccn.geo.models import Province
from ccn.reports import compile as C
from ccn.reports.models import Period

pytestmark = pytest.mark.django_db


@pytest.fixture
def national():
    ctx = Context(seed=5, sizes=Sizes(clusters=40, tenant_projects=240, years=1, obstacles=0), batch="C")
    registry.generate(ctx)
    reports.generate(ctx)
    return Period.objects.filter(kind="annual", reports__form="01").order_by("-ends_on").distinct().first()


def _direct(period, province_id):
    """The facts' aggregates as Django's own queryset gives them (compiled on each call)."""
    rows = list(C._facts_query(period, province_id=province_id))
    return rows[0] if rows else C._zero_row(C.build_specs(period))


def test_same_figures_as_the_queryset_for_every_province(national, django_assert_max_num_queries):
    period = national
    compiled.clear()
    provinces = list(Province.objects.filter(clusters__isnull=False).distinct().values_list("pk", flat=True))
    empty = max(Province.objects.values_list("pk", flat=True)) + 1000  # no cluster there
    assert len(provinces) >= 2
    for pid in [*provinces, empty]:
        rows = C._facts_rows(period, province_id=pid)
        row = rows[0] if rows else C._zero_row(C.build_specs(period))
        assert row == _direct(period, pid), pid
    kept = [key for key in compiled.entries() if key[0] == "form04-facts"]
    assert len(kept) == 1  # one compilation for every province of the period
    national_rows = {r["province_id"]: r for r in C._facts_rows(period)}
    assert national_rows == {r["province_id"]: r for r in C._facts_query(period)}
    # a compiled Form 04 costs its three statements (with the transaction, and PostgreSQL's JIT switched off)
    with django_assert_max_num_queries(6):
        figures = C.compile_figures(period, province_id=provinces[1])
    assert figures["1"] == _direct(period, provinces[1])["k1"]
    assert C.compile_national(period)[provinces[1]] == figures
