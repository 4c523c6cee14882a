"""Figures typed into Forms 01 and 02 (Circular 14/2024/TT-BCT) are read by the one rule of ccn/core/numbers.py:
on the page (with a note where the text could be read two ways, and the English page's comma), through the API,
percentages, and text that is no number refused in Vietnamese, naming the indicator, with nothing written."""

from decimal import Decimal

import pytest
from django.utils import translation

from ccn.reports import services
from ccn.reports.models import Report

from .helpers import api

pytestmark = pytest.mark.django_db


@pytest.fixture
def form01(users, setup):
    report, _ = services.report_open(actor=users["tenant"], form="01", period=setup["annual"], project=setup["project"])
    return report


def post(client, report, **figures):
    return client.post(f"/reports/{report.pk}/save/", {**figures, "op": "save"}, follow=True)


def figures(report) -> dict:
    """The figures of the report's working revision, without the indicators of the other forms."""
    values = Report.objects.get(pk=report.pk).current.values()
    return {code: values[code] for code in (["1", "2", "3", "4"] if report.form == "01" else values)}


def test_the_page_reads_vietnamese_figures_and_says_how_it_read_25_400(client, users, form01):
    client.force_login(users["tenant"])
    r = post(client, form01, v1="25.400", v2="1.686,5", v3="1 250", v4="8,5")
    assert r.status_code == 200
    assert figures(form01) == {"1": Decimal("25400"), "2": Decimal("1686.5"), "3": Decimal("1250"), "4": Decimal("8.5")}
    page = r.content.decode()
    assert "Chỉ tiêu 1: “25.400” được đọc là 25\u00a0400 (dấu chấm là dấu phân cách hàng nghìn" in page
    assert "“1.686,5” được đọc" not in page  # one reading only: no note


def test_a_figure_that_is_no_number_is_refused_in_vietnamese_and_nothing_is_written(client, users, form01):
    client.force_login(users["tenant"])
    post(client, form01, v1="12,5", v2="1", v3="50", v4="8")
    before = figures(form01)
    r = client.post(f"/reports/{form01.pk}/save/", {"v1": "1.2.3,4,5", "v2": "abc", "v3": "50", "v4": "8"})
    assert r.status_code == 422
    page = r.content.decode()
    assert "Chỉ tiêu 1 (Tỷ đồng) phải là số; “1.2.3,4,5” không phải là số." in page
    assert "Chỉ tiêu 2 (Tỷ đồng) phải là số; “abc” không phải là số." in page
    assert figures(form01) == before


def test_the_english_page_reads_its_comma_as_thousands_the_vietnamese_one_as_decimal(client, users, form01):
    client.force_login(users["tenant"])
    r = post(client, form01, v1="12", v2="1", v3="1,500", v4="8")  # Vietnamese: 1,5 workers
    assert r.status_code == 422 and "Chỉ tiêu 3 phải là số nguyên." in r.content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    r = post(client, form01, v1="12", v2="1", v3="1,500", v4="8")
    assert figures(form01)["3"] == Decimal("1500")
    assert "Indicator 3: “1,500” read as 1\u00a0500 (the comma as a thousands separator" in r.content.decode()


def test_the_api_reads_the_same_rule_and_percentages(client, users, setup, form01):
    rid = form01.pk
    r = api(client, users["tenant"], "patch", f"/reports/{rid}", {"values": {"1": "25.400", "2": 1.5, "3": "1.250"}})
    assert r.status_code == 200, r.json()
    assert figures(form01) == {"1": Decimal("25400"), "2": Decimal("1.5"), "3": Decimal("1250"), "4": None}
    with translation.override("vi"):
        r = api(client, users["tenant"], "patch", f"/reports/{rid}", {"values": {"4": "8,5,5"}})
    assert r.status_code == 422 and "“8,5,5” không phải là số" in str(r.json())
    f02, _ = services.report_open(actor=users["investor"], form="02", period=setup["annual"], cluster=setup["cluster"])
    r = api(client, users["investor"], "patch", f"/reports/{f02.pk}", {"values": {"5": "16,7 %", "4": "5"}})
    assert r.status_code == 200, r.json()
    assert figures(f02)["5"] == Decimal("16.7")
    r = api(client, users["investor"], "patch", f"/reports/{f02.pk}", {"values": {"4": "5 %"}})
    assert r.status_code == 422 and figures(f02)["4"] == Decimal("5")  # % only where the unit is a percentage
