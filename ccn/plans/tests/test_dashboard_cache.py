"""The dashboard's figures (key figures, clusters by state, series at year ends) are kept in the shared cache under
the data version, the viewer's scope key, the dashboard's place and the day (`selectors.dashboard_figures`,
ccn/core/pagecache.py): a second view reads no cluster or tenant project, a write anywhere shows at once on the page
and in the API, and one province's figures are never served to another's officer or to the nation."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ccn.core.testing import run_commit_callbacks

pytestmark = pytest.mark.django_db
API = "/api/v1/plans/dashboard?targets=false&as_of=2024-06-30"
PAGE = "/plans/dashboard/?as_of=2024-06-30"


def _figures(client, url=API) -> dict:
    response = client.get(url)
    assert response.status_code == 200, response.content
    return {f["key"]: f["value"] for f in response.json()["figures"]}


def test_the_figures_are_computed_once_per_write(client, users, history, page_cache):
    client.force_login(users["editor"])  # Khánh Hòa, the history's province
    assert _figures(client)["workers"] == "100"
    with CaptureQueriesContext(connection) as q:
        again = _figures(client)
        page = client.get(PAGE)
    assert again["workers"] == "100" and page.status_code == 200 and "150" not in page.content.decode()
    assert not any(
        "tenants_tenantproject" in s["sql"] or "clusters_clusterevent" in s["sql"] for s in q.captured_queries
    )
    from ccn.tenants.models import TenantProject

    TenantProject.objects.create(
        cluster=history["F"],
        enterprise=TenantProject.objects.first().enterprise,
        name="T4",
        status="operating",
        workers=50,
        land_leased_ha=Decimal("1"),
        lease_start=datetime.date(2024, 1, 1),
        operation_started_on=datetime.date(2024, 3, 1),
    )
    run_commit_callbacks()
    assert _figures(client)["workers"] == "150"  # the write made a new data version: the API
    assert "150" in client.get(PAGE).content.decode()  # and the page


def test_one_provinces_figures_are_never_served_to_another(client, users, history, page_cache):
    client.force_login(users["editor"])
    khanh_hoa = _figures(client)
    assert khanh_hoa["clusters_in_plan"] != "0"
    client.force_login(users["other_editor"])  # Hà Nội: none of the history's clusters
    assert _figures(client)["clusters_in_plan"] == "0"
    client.force_login(users["ministry"])
    assert _figures(client, API + "&province=01")["clusters_in_plan"] == "0"
    assert _figures(client, API + "&province=56") == khanh_hoa
    assert _figures(client) == khanh_hoa  # the nation holds only the history's clusters
