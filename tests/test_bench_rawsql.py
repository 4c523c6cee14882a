"""The bench's hand-written SQL (bench/rawsql.py) computes the same figures as the app, by the same readings of
Circular 14/2024: Form 04 of every province and the national table, the dashboards of the nation and of each
province (docs/benchmarks.md). A figure the two read differently is a wrong ratio in the bench."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from ccn.accounts.choices import Role
from ccn.accounts.tests.factories import make_user
from ccn.dataset import Context, Sizes, plans, registry, reports
from ccn.reports.models import Revision
from ccn.tenants.models import TenantProject

pytestmark = pytest.mark.django_db


@pytest.fixture
def nation(db):
    ctx = Context(seed=11, sizes=Sizes(clusters=40, tenant_projects=320, years=1, obstacles=0), batch="R")
    registry.generate(ctx)
    plans.generate(ctx)
    reports.generate(ctx)
    # The projects that gave a Form 01 operate from the first period on, and every other one's accepted Form 01s
    # are taken back: 23–25's missing data (operating projects without an accepted Form 01) is some, not all.
    reporting = sorted(set(Revision.objects.filter(form="01", is_final=True).values_list("report__project", flat=True)))
    first = datetime.date(2015, 1, 1)
    TenantProject.objects.filter(pk__in=reporting).update(lease_start=first, operation_started_on=first)
    Revision.objects.filter(form="01", report__project__in=reporting[::2]).update(is_final=False)


def test_form04_and_national_table_equal_the_apps(nation):
    from bench import rawsql
    from ccn.reports.compile import compile_national_report, compile_report
    from ccn.reports.models import Period, Revision

    def answer(compiled) -> dict:  # the figures and 23–25's missing data, as a Form 04 shows them
        return {**compiled.values, rawsql.MISSING_F01: tuple(compiled.missing["23"])}

    periods = Period.objects.filter(pk__in=Revision.objects.filter(is_final=True).values("period_id"))
    assert periods.exists()
    checked = 0
    for period in periods:
        raw = rawsql.form04(period.pk, period.starts_on, period.ends_on, None)
        app = compile_national_report(period)
        assert set(raw) <= set(app)
        for province_id, values in raw.items():
            assert rawsql.compare_figures(answer(app[province_id]), values, str(province_id)) == []
            one = rawsql.form04(period.pk, period.starts_on, period.ends_on, province_id)[province_id]
            assert rawsql.compare_figures(answer(compile_report(period, province_id=province_id)), one, "") == []
            checked += 1
        # the readings that separate old from new: operating clusters and projects counted
        assert sum(v["15"] for v in raw.values()) > 0 and sum(v["20"] for v in raw.values()) > 0
        # and the projects expected to give a Form 01, some with it and some without
        unreported, expected = rawsql.national_missing_f01(raw)
        assert 0 < unreported < expected, (period, unreported, expected)
    assert checked >= 3


def test_dashboards_equal_the_apps(nation, client):
    from bench import rawsql
    from ccn.clusters.models import Cluster
    from ccn.plans.selectors import year_ends

    client.force_login(make_user("raw.viewer", role=Role.MINISTRY_VIEWER))
    today = timezone.localdate()
    days = year_ends(today)
    provinces = sorted(set(Cluster.objects.values_list("province_id", "province__code")))
    assert len(provinces) >= 3
    for province_id, code in [*provinces[:5], (None, None)]:
        url = "/api/v1/plans/dashboard?targets=false" + (f"&province={code}" if code else "")
        response = client.get(url)
        assert response.status_code == 200, response.content[:300]
        raw = rawsql.dashboard(province_id, days, today)
        assert rawsql.compare_dashboard(response.json(), raw) == [], province_id
    assert raw["figures"]["clusters_operating"] > 0
