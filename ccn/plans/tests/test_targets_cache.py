"""The targets section (/plans/dashboard/targets/) is kept in the shared cache under the data version, the
viewer's scope and the day (ccn/core/pagecache.py): a second view computes nothing, a write anywhere shows the
new figures at once, and one province's section is never sent to another's officer."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ccn.core.testing import run_commit_callbacks

from .test_forecast import make_target, plan  # noqa: F401 - the plan fixture

pytestmark = pytest.mark.django_db
URL = "/plans/dashboard/targets/"
DEADLINE = datetime.date(2024, 12, 31)


def test_the_section_is_computed_once_per_write(client, users, plan, page_cache):  # noqa: F811
    make_target(
        plan,
        users,
        title="Mở 3 cụm",
        indicator="infrastructure_completed",
        value_min=Decimal(3),
        deadline=DEADLINE,
    )
    run_commit_callbacks()
    client.force_login(users["editor"])
    first = client.get(URL)
    with CaptureQueriesContext(connection) as q:
        second = client.get(URL)
    assert "Mở 3 cụm" in first.content.decode() and second.content.decode().count("Mở 3 cụm") == 1
    assert not any("plans_target" in s["sql"] for s in q.captured_queries)  # kept: no target read again
    make_target(plan, users, title="Lấp đầy 80 %", indicator="occupancy_pct", value_min=Decimal(80), deadline=DEADLINE)
    run_commit_callbacks()
    assert "Lấp đầy 80 %" in client.get(URL).content.decode()  # the write made a new data version


def test_one_provinces_section_is_never_sent_to_another(client, users, plan, page_cache):  # noqa: F811
    make_target(
        plan,
        users,
        title="Mở 3 cụm",
        indicator="infrastructure_completed",
        value_min=Decimal(3),
        deadline=DEADLINE,
    )
    run_commit_callbacks()
    client.force_login(users["editor"])  # Khánh Hòa, the plan's province
    assert "Mở 3 cụm" in client.get(URL).content.decode()
    client.force_login(users["other_editor"])  # Hà Nội
    assert "Mở 3 cụm" not in client.get(URL).content.decode()
