"""Every public surface shows exactly the public fields of ccn/clusters/policy.py: the cluster's page, the portal's
profile and search (pages and API), the registry API, the map and open-data downloads, the OGC API and the
sitemap. A published cluster is given distinctive values in every field outside that list; none may reach an
anonymous visitor, and no surface may carry a key of the scoped list. Unpublished clusters appear nowhere."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.test import Client

from ccn.accounts.choices import Role
from ccn.accounts.tests.factories import make_user
from ccn.clusters.models import Cluster
from ccn.clusters.policy import PUBLIC_DERIVED, PUBLIC_FIELDS, SCOPED_FIELDS
from ccn.clusters.tests.factories import make_cluster, make_org

pytestmark = pytest.mark.django_db

# Keys a surface may add beside the public fields: labels, links and figures derived from public data or from
# the portal's own public offer, and nested public lists.
PRESENTATION = {
    "status_label",
    "kind_label",
    "url",
    "detail_url",
    "vacant_land_ha",
    "land_figures_stale",
    "price_from_vnd_m2_year",
    "price_to_vnd_m2_year",
    "distance_km",
    "communes",
    "sectors",
    "boundary",
    "confidential",
    "documents",
    "offer",
    "contact",  # the portal's public offer: the contact the investor publishes
    "infrastructure",  # public infrastructure components and the wastewater plant (the portal's profile)
    "wastewater_plant",
    "as_of",  # open data: the date of the extract and its licence
    "licence",
    "id",
}
ALLOWED = set(PUBLIC_FIELDS) | set(PUBLIC_DERIVED) | PRESENTATION

SECRETS = {
    "funding_source": ("state_budget", ("State budget", "Ngân sách nhà nước")),
    "infra_capital_approved_bn": (Decimal("777.123"), ("777,123", "777.123")),
    "infra_capital_disbursed_bn": (Decimal("555.987"), ("555,987", "555.987")),
    "internal_notes": ("GHI-CHÚ-NỘI-BỘ", ("GHI-CHÚ-NỘI-BỘ",)),
}


@pytest.fixture
def published(db):
    admin = make_user("pf-admin", role=Role.ADMIN, superuser=True)
    cluster = make_cluster(
        code="PF-PUB",
        name="Cụm Công Khai",
        actor=admin,
        status="operating",
        investor=make_org("Trung tâm Hạ tầng Công Khai", kind="public_unit"),  # a state-budget cluster's investor
        industrial_land_ha=Decimal("40"),
        ready_land_ha=Decimal("30"),
        lat=Decimal("12.25"),
        lon=Decimal("109.1"),
        **{field: value for field, (value, _shown) in SECRETS.items()},
    )
    hidden = make_cluster(code="PF-HIDDEN", name="Cụm Chưa Công Bố", actor=admin, is_published=False)
    return cluster, hidden


def test_the_lists_do_not_overlap():
    assert not (set(PUBLIC_FIELDS) | set(PUBLIC_DERIVED)) & set(SCOPED_FIELDS)
    assert all(f in {f.name for f in Cluster._meta.get_fields()} for f in PUBLIC_FIELDS)


# Blocks of the registry's answer that only a signed-in user receives: the public gets the key with null.
SIGNED_IN_BLOCKS = {"confidential", "former_address"}


def _keys(item: dict) -> set:
    return set(item) - {key for key in SIGNED_IN_BLOCKS if key in item and item[key] is None}


def test_json_surfaces_carry_public_keys_only(published):
    cluster, hidden = published
    client = Client()
    registry = client.get(f"/api/v1/clusters/{cluster.code}").json()
    registry_list = client.get("/api/v1/clusters?limit=500").json()["items"]
    portal = client.get(f"/api/v1/portal/clusters/{cluster.code}").json()
    portal_list = client.get("/api/v1/portal/clusters?limit=200").json()["items"]
    ogc = client.get("/ogc/collections/clusters/items?limit=1000").json()["features"]
    geojson = json.loads(client.get("/geo/clusters.geojson").content)["features"]
    items = [registry, *registry_list, portal, *portal_list]
    items += [f["properties"] for f in ogc] + [f["properties"] for f in geojson]
    assert registry["confidential"] is None and registry["former_address"] is None
    for item in items:
        assert _keys(item) <= ALLOWED, sorted(_keys(item) - ALLOWED)
        assert not _keys(item) & set(SCOPED_FIELDS)
    codes = {i.get("code") for i in items}
    assert cluster.code in codes and hidden.code not in codes


def test_open_data_csv_has_public_columns_only(published):
    cluster, hidden = published
    body = Client().get("/geo/clusters.csv").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert rows and set(rows[0]) <= ALLOWED | {"lon", "lat"}, sorted(set(rows[0]) - ALLOWED)
    assert {r["code"] for r in rows} >= {cluster.code} and hidden.code not in {r["code"] for r in rows}


@pytest.mark.parametrize(
    "url",
    ["/clusters/PF-PUB/", "/portal/clusters/PF-PUB/", "/portal/", "/portal/clusters.csv", "/geo/clusters.csv"],
)
def test_pages_and_downloads_show_no_scoped_value(published, url):
    response = Client().get(url)
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
    for field, (_value, shown) in SECRETS.items():
        for form in shown:
            assert form not in text, (url, field, form)
    assert "Cụm Chưa Công Bố" not in text


def test_signed_in_officers_still_see_the_funding_source(published):
    """The same page shows the scoped fields to an officer of the cluster's province (so the check above is not
    passing because the value is missing)."""
    cluster, _hidden = published
    client = Client()
    client.force_login(make_user("pf-editor", role=Role.PROVINCE_EDITOR, province=cluster.province))
    text = client.get(f"/clusters/{cluster.code}/").content.decode()
    assert any(form in text for form in SECRETS["funding_source"][1])
    assert "GHI-CHÚ-NỘI-BỘ" in text


def test_sitemap_lists_published_profiles_only(published):
    cluster, hidden = published
    text = Client().get("/portal/sitemap.xml").content.decode()
    assert f"/portal/clusters/{cluster.code}/" in text
    assert hidden.code not in text
