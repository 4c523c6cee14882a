"""The completeness page's body (the groups' counts, the page of reporters, the reports of units not expected) is kept
in the shared cache under the data version, the viewer's scope key and the query (ccn/core/pagecache.py): a second
view counts nothing again, a report submitted shows at once, and one province's counts never reach another's
officer."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ccn.core.testing import run_commit_callbacks

from .test_completeness import submit_f01

pytestmark = pytest.mark.django_db


def _totals(response) -> list[str]:
    """The totals row: expected, reported, on time, late, missing, the two rates."""
    assert response.status_code == 200
    foot = re.search(r"<tfoot>(.*?)</tfoot>", response.content.decode(), re.S).group(1)
    return re.findall(r'<td class="num">([^<]*)</td>', foot)


def test_the_counts_are_made_once_per_write(client, users, setup, page_cache):
    period = setup["half"]
    url = f"/reports/completeness/?period={period.pk}&form=01&by=province"
    client.force_login(users["approver"])
    assert _totals(client.get(url))[:5] == ["2", "0", "0", "0", "2"]
    with CaptureQueriesContext(connection) as q:
        again = client.get(url)
    assert _totals(again)[:5] == ["2", "0", "0", "0", "2"] and "Nhà máy D" in again.content.decode()
    assert not any("tenants_tenantproject" in s["sql"] or "reports_report" in s["sql"] for s in q.captured_queries)
    at = datetime.datetime(2026, 6, 1, tzinfo=timezone.get_current_timezone())
    submit_f01(users["tenant"], setup["project"], period, at=at)
    run_commit_callbacks()
    assert _totals(client.get(url))[:5] == ["2", "1", "1", "0", "1"]  # the submission made a new data version


def test_one_provinces_counts_are_never_sent_to_another(client, users, setup, page_cache):
    url = f"/reports/completeness/?period={setup['annual'].pk}&form=02&by=commune"
    client.force_login(users["editor"])  # Khánh Hòa: the two clusters of the setup
    assert _totals(client.get(url))[0] == "2"
    client.force_login(users["other_editor"])  # Hà Nội: none
    assert _totals(client.get(url))[0] == "0"
    client.force_login(users["investor"])  # one of the two clusters
    assert _totals(client.get(url))[0] == "1"
