"""The profile and its API say a cluster's central wastewater plant meets a standard only by the rule of every figure
of compliant plants (Circular 14/2024/TT-BCT, Forms 03/04, item 27; `infrastructure.selectors.meets_standard_on`):
the plant operating, its result in force meeting a standard that applies to it on the day. Otherwise they say the
plant's state: not yet operating, or no result meeting a standard in force."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ccn.infrastructure.models import WastewaterPlant
from ccn.portal.selectors import wastewater_of

from .factories import portal_cluster

pytestmark = pytest.mark.django_db
day = datetime.date
OLD, NEW = "QCVN 40:2011/BTNMT", "QCVN 40:2025/BTNMT"
EXISTING = day(2020, 1, 1)  # a permit before 1/9/2025: an existing facility, which may keep QCVN 40:2011 to 2031


def _plant(code: str, *, status: str, results=()):
    cluster = portal_cluster(code=code)
    plant = WastewaterPlant.objects.create(
        cluster=cluster, status=status, permit_issued_on=EXISTING, design_capacity_m3_day=Decimal(500)
    )
    for sampled_on, compliant, standard in results:
        plant.results.create(sampled_on=sampled_on, compliant=compliant, standard=standard, document="KQ")
    return cluster


def _said(client, code: str, language: str) -> tuple[str, dict]:
    html = client.get(f"/portal/clusters/{code}/", headers={"Accept-Language": language}).content.decode()
    api = client.get(f"/api/v1/portal/clusters/{code}", headers={"Accept-Language": language})
    assert api.status_code == 200
    return html, api.json()["wastewater_plant"]


@pytest.fixture
def recent():
    return timezone.localdate() - datetime.timedelta(days=30)


def test_a_plant_under_construction_is_not_said_to_meet_a_standard(client, users, recent):
    _plant("KHA-WU", status="under_construction", results=[(recent, True, NEW)])
    html, plant = _said(client, "KHA-WU", "en")
    assert "Under construction, 500 m³/day, not yet operating" in html and "meets" not in html
    assert (plant["compliant"], plant["standard"], plant["compliance"]) == (False, "", "not yet operating")
    html, plant = _said(client, "KHA-WU", "vi")
    assert "chưa vận hành" in html and "đạt QCVN" not in html
    assert plant["compliance"] == "chưa vận hành"


def test_a_cluster_without_a_plant_is_not_said_to_wait_for_one_to_operate(client, users):
    """Status "none": the cluster has no central plant; the page says so and nothing about operating."""
    _plant("KHA-WN", status="none")
    html, plant = _said(client, "KHA-WN", "en")
    assert "None, 500 m³/day</dd>" in html and "not yet operating" not in html
    assert plant["compliant"] is False


def test_an_operating_plant_meeting_a_standard_in_force_is_said_to_meet_it(client, users, recent):
    # an earlier failure does not count: the result in force is the latest on or before the day
    _plant(
        "KHA-WO", status="operating", results=[(recent - datetime.timedelta(days=90), False, NEW), (recent, True, NEW)]
    )
    html, plant = _said(client, "KHA-WO", "en")
    assert f"Operating, 500 m³/day, meets {NEW}" in html
    assert (plant["compliant"], plant["standard"], plant["compliance"]) == (True, NEW, f"meets {NEW}")
    html, plant = _said(client, "KHA-WO", "vi")
    assert f"đạt {NEW}" in html and plant["compliance"] == f"đạt {NEW}"


def test_an_operating_plant_whose_result_in_force_fails_is_said_so(client, users, recent):
    """The latest result is what counts: a compliant one before it is not in force any more."""
    _plant(
        "KHA-WF", status="operating", results=[(recent - datetime.timedelta(days=90), True, NEW), (recent, False, NEW)]
    )
    html, plant = _said(client, "KHA-WF", "en")
    assert "Operating, 500 m³/day, no result meeting a standard in force" in html and "meets" not in html
    assert (plant["compliant"], plant["standard"]) == (False, "")
    html, plant = _said(client, "KHA-WF", "vi")
    assert "chưa có kết quả đạt quy chuẩn đang áp dụng" in html


def test_qcvn_40_2011_is_met_only_until_the_end_of_2031(users):
    """An existing facility's result judged against QCVN 40:2011 meets a standard in force up to 31/12/2031 and
    not after (`infrastructure.standards`); the day is the selector's parameter, today in Vietnam on the pages."""
    cluster = _plant("KHA-W11", status="operating", results=[(day(2026, 5, 1), True, OLD)])
    last_day = wastewater_of(cluster, day=day(2031, 12, 31))
    assert (last_day.meets_standard, last_day.standard_met) == (True, OLD)
    after = wastewater_of(cluster, day=day(2032, 1, 1))
    assert (after.meets_standard, after.standard_met) == (False, "")
    assert after.compliance == "chưa có kết quả đạt quy chuẩn đang áp dụng"
    # a result dated after the day is not in force on it
    assert wastewater_of(cluster, day=day(2026, 4, 30)).meets_standard is False


def test_the_profile_reads_the_plant_in_a_fixed_number_of_queries(client, users, recent):
    """The plant, its result in force and the rule are one query, however many results the plant has."""
    _plant("KHA-Q1", status="operating", results=[(recent, True, NEW)])
    _plant(
        "KHA-Q9", status="operating", results=[(recent - datetime.timedelta(days=30 * i), True, NEW) for i in range(9)]
    )
    counts = []
    for code in ("KHA-Q1", "KHA-Q9"):
        for url in (f"/portal/clusters/{code}/", f"/api/v1/portal/clusters/{code}"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.append(len(queries))
    assert counts[:2] == counts[2:]
