"""Completeness and timeliness: expected reporters from the registry on the period's end, on time / late /
missing against the deadline in force, never above 100 %, per province, commune and investor; what is due."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from ccn.clusters.tests.factories import make_cluster, make_org
from ccn.reports import selectors, services
from ccn.reports.models import Report

from .helpers import api, make_project


def submit_f01(user, project, period, *, at):
    report, _ = services.report_open(actor=user, form="01", period=period, project=project)
    services.report_save(actor=user, report=report, values={"1": "1", "2": "0", "3": "5", "4": "7"})
    services.report_transition(actor=user, report=report, action="submit")
    Report.objects.filter(pk=report.pk).update(first_submitted_at=at)
    return report


@pytest.mark.django_db
def test_form01_on_time_late_missing(users, setup):
    period = setup["half"]  # deadline 20/06/2026
    assert selectors.deadline_for("01", period) == datetime.date(2026, 6, 20)
    # a stopped project is not expected; a project outside the expected set that reports is listed apart
    stopped = make_project(setup["cluster"], users["tenant"].organisation, name="Nhà máy dừng", status="stopped")
    tz = timezone.get_current_timezone()
    submit_f01(users["tenant"], setup["project"], period, at=datetime.datetime(2026, 6, 20, 23, 0, tzinfo=tz))
    submit_f01(users["tenant"], stopped, period, at=datetime.datetime(2026, 6, 1, tzinfo=tz))
    rows, totals, unexpected = selectors.completeness(user=users["approver"], period=period, form="01")
    assert totals["expected"] == 2  # the two operating projects of the cluster
    assert (totals["on_time"], totals["late"], totals["missing"]) == (1, 0, 1)
    assert totals["rate"] == Decimal("50.0")
    assert [r.project_id for r in unexpected] == [stopped.pk]
    # late: after the end of the deadline day
    Report.objects.filter(project=setup["project"]).update(
        first_submitted_at=datetime.datetime(2026, 6, 21, 0, 5, tzinfo=tz)
    )
    rows, totals, _ = selectors.completeness(user=users["approver"], period=period, form="01")
    assert (totals["on_time"], totals["late"], totals["missing"]) == (0, 1, 1)
    units, _deadline = selectors.completeness_units(user=users["approver"], period=period, form="01")
    assert sorted(u["timeliness"] for u in units) == ["late", "missing"]


@pytest.mark.django_db
def test_never_above_100_percent_and_grouping(users, setup):
    period = setup["annual"]
    for project in (setup["project"], setup["other_project"]):
        owner = users["tenant"] if project == setup["project"] else None
        if owner is None:
            from ccn.accounts.tests.factories import make_user

            owner = make_user(role="tenant", organisation=project.enterprise)
        submit_f01(owner, project, period, at=timezone.now() - datetime.timedelta(days=30))
    rows, totals, _ = selectors.completeness(user=users["admin"], period=period, form="01", group="investor")
    assert totals["rate"] == Decimal("100.0")
    assert [(r["group"], r["expected"], r["reported"]) for r in rows] == [(users["investor"].organisation.name, 2, 2)]
    # a project that stops afterwards is no longer expected: still 100 %, not 200 %
    setup["other_project"].status = "stopped"
    setup["other_project"].save()
    rows, totals, unexpected = selectors.completeness(user=users["admin"], period=period, form="01")
    assert totals["expected"] == 1 and totals["rate"] == Decimal("100.0") and unexpected.count() == 1


@pytest.mark.django_db
def test_form02_expected_from_lifecycle_and_scope(client, users, setup):
    period = setup["annual"]
    # a planned cluster is not expected; an established one is (KHA-TEST-2, other investor)
    make_cluster(code="KHA-PLANNED", commune_codes=[setup["commune"].code], investor=make_org("NĐT kế hoạch"))
    rows, totals, _ = selectors.completeness(user=users["editor"], period=period, form="02", group="investor")
    assert totals["expected"] == 2 and totals["missing"] == 2
    assert {r["group"] for r in rows} == {
        users["investor"].organisation.name,
        users["other_investor"].organisation.name,
    }
    # each investor sees only its own clusters
    rows, totals, _ = selectors.completeness(user=users["investor"], period=period, form="02")
    assert totals["expected"] == 1
    # other province's editor sees nothing of Khánh Hòa
    rows, totals, _ = selectors.completeness(user=users["other_editor"], period=period, form="02")
    assert totals["expected"] == 0 and totals["rate"] is None
    r = api(client, users["editor"], "get", f"/completeness?period_id={period.pk}&form=02&group=commune")
    assert r.status_code == 200
    assert r.json()["rows"] == [
        {
            "group": setup["commune"].name,
            "expected": 2,
            "reported": 0,
            "on_time": 0,
            "late": 0,
            "missing": 2,
            "rate": "0.0",
            "on_time_rate": "0.0",
        }
    ]


@pytest.mark.django_db
def test_what_is_due(client, users, setup):
    period = setup["annual"]
    r = api(client, users["tenant"], "get", f"/due?period_id={period.pk}")
    assert r.status_code == 200
    items = r.json()
    assert [(i["form"], i["deadline"], i["report_id"]) for i in items] == [("01", "2026-12-20", None)]
    assert items[0]["open_with"] == {"form": "01", "period_id": period.pk, "project_id": setup["project"].pk}
    r = api(client, users["tenant"], "post", "/reports", items[0]["open_with"])
    assert r.status_code == 201
    items = api(client, users["tenant"], "get", f"/due?period_id={period.pk}").json()
    assert items[0]["status"] == "draft"
    r = api(client, users["investor"], "get", f"/due?period_id={period.pk}")
    assert [(i["form"], i["unit"]) for i in r.json()] == [("02", "Cụm công nghiệp Thử Một")]
    r = api(client, users["commune"], "get", f"/due?period_id={period.pk}")
    assert [(i["form"], i["deadline"]) for i in r.json()] == [("03", "2026-12-25")]
    r = api(client, users["approver"], "get", f"/due?period_id={period.pk}")
    assert [(i["form"], i["deadline"]) for i in r.json()] == [("04", "2026-12-31")]


@pytest.mark.django_db
def test_deadlines_are_dated_data(users, periods):
    """A change of the circular is a new row: from 2026 Form 04's annual deadline moves (an invented change)."""
    from ccn.reports.models import FormDeadline

    assert selectors.deadline_for("04", periods["prev_annual"]) == datetime.date(2025, 12, 31)
    assert selectors.deadline_for("03", periods["prev_half"]) == datetime.date(2025, 6, 25)
    assert selectors.deadline_rule("03", periods["prev_half"]).compiler_role == "province_editor"
    assert selectors.deadline_rule("03", periods["prev_annual"]).compiler_role == "commune_officer"
    FormDeadline.objects.filter(form="04", period_kind="annual").update(effective_to=datetime.date(2025, 12, 31))
    FormDeadline.objects.create(
        form="04",
        period_kind="annual",
        month=12,
        day=28,
        compiler_role="province_editor",
        effective_from=datetime.date(2026, 1, 1),
        legal_source="Thử nghiệm",
    )
    assert selectors.deadline_for("04", periods["prev_annual"]) == datetime.date(2025, 12, 31)
    assert selectors.deadline_for("04", periods["annual"]) == datetime.date(2026, 12, 28)


@pytest.mark.django_db
def test_periods_created_per_year(users):
    half, annual = services.periods_create_year(actor=users["admin"], year=2027)
    assert (half.starts_on, half.ends_on) == (datetime.date(2026, 12, 15), datetime.date(2027, 6, 14))
    assert (annual.starts_on, annual.ends_on) == (datetime.date(2026, 12, 15), datetime.date(2027, 12, 14))
    assert services.periods_create_year(actor=users["admin"], year=2027) == [half, annual]
    from ccn.core.errors import PermissionDeniedError

    with pytest.raises(PermissionDeniedError):
        services.periods_create_year(actor=users["editor"], year=2028)


@pytest.mark.django_db
def test_expected_reporters_listed_page_by_page(users, setup, client):
    """The nation's Form 01 lists about 40,000 expected reporters: the list is read one page at a time, in the
    same order and with the same timeliness as the whole list."""
    period = setup["half"]
    tz = timezone.get_current_timezone()
    submit_f01(users["tenant"], setup["project"], period, at=datetime.datetime(2026, 6, 1, tzinfo=tz))
    whole, _deadline = selectors.completeness_units(user=users["approver"], period=period, form="01")
    assert len(whole) == 2
    pages = [
        selectors.completeness_units_page(user=users["approver"], period=period, form="01", page=n, per_page=1)[0]
        for n in (1, 2)
    ]
    assert [p.paginator.count for p in pages] == [2, 2] and [p.paginator.num_pages for p in pages] == [2, 2]
    paged = [u for p in pages for u in p.object_list]
    assert [(u["unit"].pk, u["timeliness"], u["report"]) for u in paged] == [
        (u["unit"].pk, u["timeliness"], u["report"]) for u in whole
    ]
    assert sorted(u["timeliness"] for u in paged) == ["missing", "on_time"]
    # a page number out of range shows the last page, not an error
    last = selectors.completeness_units_page(user=users["approver"], period=period, form="01", page=9, per_page=1)[0]
    assert last.number == 2
    client.force_login(users["approver"])
    page = client.get(f"/reports/completeness/?period={period.pk}&form=01&page=2")
    assert page.status_code == 200 and page.context["units"].number == 1  # 2 reporters: one page of 100


@pytest.mark.django_db
def test_groups_paged_apart_from_the_reporters(users, setup, client, monkeypatch):
    """The group table is paged under its own parameter (`groups`), so its pager and the reporters' pager move
    independently; the totals stay those of every group, and each pager's links keep the other's page."""
    from ccn.reports import views

    period = setup["half"]
    make_cluster(
        code="KHA-TEST-3",
        commune_codes=[setup["commune"].code],
        status="operating",
        status_since=datetime.date(2024, 3, 1),
        investor=make_org("Công ty Hạ tầng E"),
    )
    rows, totals, _unexpected = selectors.completeness(
        user=users["ministry"], period=period, form="02", group="investor"
    )
    assert len(rows) == 3  # one row per investor of an expected cluster
    monkeypatch.setattr(views, "GROUPS_PER_PAGE", 2)
    client.force_login(users["ministry"])
    url = f"/reports/completeness/?period={period.pk}&form=02&by=investor"
    first = client.get(url)
    shown = first.context["rows"]
    assert [r["group"] for r in shown] == [r["group"] for r in rows[:2]]
    assert shown.paginator.count == 3
    assert first.context["totals"]["expected"] == totals["expected"] == sum(r["expected"] for r in rows) == 3
    html = first.content.decode()
    assert 'aria-label="Trang của các nhóm"' in html and "Nhóm 1–2 / 3" in html
    assert "groups=2" in html  # the groups' Next link
    second = client.get(url + "&groups=2&page=1")
    assert [r["group"] for r in second.context["rows"]] == [r["group"] for r in rows[2:]]
    assert second.context["units"].number == 1
    # the groups' Previous link keeps the reporters' page
    pager = second.content.decode().split('aria-label="Trang của các nhóm"')[1].split("</nav>")[0]
    assert "groups=1" in pager and "page=1" in pager
