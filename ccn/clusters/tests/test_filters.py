"""The cluster list's one filter declaration (ccn/clusters/filters.py): the page, the API, the OGC collection and the
export filter alike, and a value that does not validate matches nothing and says why."""

import pytest
from django.test import Client

from ccn.accounts.tests.factories import PASSWORD
from ccn.clusters.filters import ClusterFilterSet
from ccn.clusters.models import Cluster
from ccn.clusters.tests.factories import make_cluster
from ccn.geo.models import Commune

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(users, kha, hni):
    return (
        make_cluster(code="KHA-F1", name="Cụm Lọc Một", status="operating"),
        make_cluster(code="HNI-F2", name="Cụm Lọc Hai", province_code="01", status="planned"),
    )


def _signed_in(username="editor"):
    client = Client()
    client.login(username=username, password=PASSWORD)
    return client


def test_page_api_ogc_and_export_answer_one_filter_alike(users, two):
    client = _signed_in("ministry")
    page = client.get("/clusters/", {"province": "01"})
    assert "HNI-F2" in page.text and "KHA-F1" not in page.text
    api = client.get("/api/v1/clusters", {"province": "01"}).json()
    assert [c["code"] for c in api["items"]] == ["HNI-F2"]
    ogc = client.get("/ogc/collections/clusters/items", {"province": "01", "f": "json"})
    assert ogc.status_code == 200
    assert [f["properties"]["code"] for f in ogc.json()["features"]] in (["HNI-F2"], [])  # located clusters only
    export = client.get("/tenants/clusters-export.csv", {"province": "01"})
    assert export.status_code == 200
    body = export.content.decode("utf-8-sig")
    assert "HNI-F2" in body and "KHA-F1" not in body


def test_a_value_that_does_not_validate_matches_nothing_and_says_why(users, two):
    client = _signed_in("ministry")
    page = client.get("/clusters/", {"min_occupancy": "150"})
    assert page.status_code == 200
    assert "KHA-F1" not in page.text and "HNI-F2" not in page.text
    assert 'class="fail"' in page.text  # the error is shown next to the field
    # The API refuses it before the FilterSet runs (the bound comes from the same declaration) ...
    assert client.get("/api/v1/clusters", {"min_occupancy": "150"}).status_code == 422
    # ... and an unknown province code matches nothing, on the page and in the API alike.
    assert client.get("/api/v1/clusters", {"province": "99"}).json()["count"] == 0
    assert "KHA-F1" not in client.get("/clusters/", {"province": "99"}).text
    # The OGC collection refuses it with the parameter's name.
    ogc = client.get("/ogc/collections/clusters/items", {"province": "99", "f": "json"})
    assert ogc.status_code == 400 and "province" in ogc.json()["description"]


def test_the_commune_select_offers_one_province_but_any_commune_filters(users, kha, hni, two):
    hni_commune = Commune.objects.filter(province=hni).order_by("code").first()
    filterset = ClusterFilterSet({"commune": hni_commune.code}, queryset=Cluster.objects.all(), user=users["editor"])
    offered = [str(value) for value, _label in filterset.form.fields["commune"].widget.choices if value]
    assert offered and hni_commune.code not in offered  # the editor's province's communes are offered
    assert filterset.is_valid()  # yet a commune of another province is accepted (links and the API name it)


def test_htmx_gets_the_table_partial_only(users, two):
    client = _signed_in("ministry")
    full = client.get("/clusters/")
    partial = client.get("/clusters/", {"province": "56"}, HTTP_HX_REQUEST="true")
    assert "<html" in full.text and 'id="cluster-table"' in full.text
    assert "<html" not in partial.text and "<form" not in partial.text
    assert "KHA-F1" in partial.text and "HNI-F2" not in partial.text


def test_organisation_list_pages_and_searches(users):
    client = _signed_in("admin")
    page = client.get("/clusters/organisations/", {"q": "san xuat"})
    assert "Công ty Sản xuất C" in page.text and "Công ty Hạ tầng A" not in page.text
    api = client.get("/api/v1/organisations", {"q": "sản xuất"}).json()
    assert [o["name"] for o in api["items"]] == ["Công ty Sản xuất C"]


def test_ogc_collection_takes_every_filter_of_the_list(users, two):
    """The OGC items accept the list's whole FilterSet (occupancy and vacant land included), and refuse the rest."""
    client = _signed_in("ministry")
    ok = client.get("/ogc/collections/clusters/items", {"min_occupancy": "10", "f": "json"})
    assert ok.status_code == 200
    bad = client.get("/ogc/collections/clusters/items", {"min_occupancy": "150", "f": "json"})
    assert bad.status_code == 400 and "min_occupancy" in bad.json()["description"]
    assert client.get("/ogc/collections/clusters/items", {"sort": "name", "f": "json"}).status_code == 400
