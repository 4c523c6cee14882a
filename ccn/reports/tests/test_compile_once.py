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


def test_the_projects_without_an_accepted_form01_are_those_the_trace_lists(national):
    """23–25's missing data (operating tenant projects without an accepted Form 01 of the period) as the facts
    count them, per province and for the nation, against the trace's own list of those projects; with some final
    Forms 01 taken back and one filed under another province (a province counts its own province's reports)."""
    from ccn.reports.choices import Form
    from ccn.reports.models import Revision
    from ccn.tenants.models import TenantProject

    period = national
    operating = TenantProject.objects.operating_on(period.ends_on).order_by("pk")
    finals = Revision.objects.filter(form=Form.F01, period=period, is_final=True, report__project__in=operating)
    taken_back = list(finals.values_list("pk", flat=True)[:3])
    Revision.objects.filter(pk__in=taken_back).update(is_final=False)
    moved = finals.exclude(pk__in=taken_back).select_related("cluster").first()
    other = Province.objects.exclude(pk=moved.cluster.province_id).values_list("pk", flat=True).first()
    Revision.objects.filter(pk=moved.pk).update(province_id=other)
    compiled.clear()
    provinces = list(Province.objects.filter(clusters__isnull=False).distinct().values_list("pk", flat=True))
    national_rows = {r["province_id"]: r for r in C._facts_rows(period)}
    total_missing = 0
    for pid in provinces:
        listed = len(C.trace(period, "23", province_id=pid)["missing_projects"])
        compiled_report = C.compile_report(period, province_id=pid)
        assert compiled_report.missing["23"][0] == listed, pid
        total_missing += national_rows[pid]["f01_n"]
    # the moved report counts as missing for its cluster's province only, not for the nation
    assert sum(len(C.trace(period, "23", province_id=p)["missing_projects"]) for p in provinces) == 4
    assert total_missing == len(C.trace(period, "23")["missing_projects"]) == 3
