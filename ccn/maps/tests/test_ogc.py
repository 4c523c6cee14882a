"""OGC API – Features at /ogc/: documents, paging, bbox, formats, errors and the permission matrix."""

import json

import pytest

from ccn.accounts.models import ApiToken

KHA_BBOX = "108.5,11.5,109.5,13.0"


def get(client, url, **headers):
    response = client.get(url, **{f"HTTP_{k.upper()}": v for k, v in headers.items()})
    return response, (json.loads(response.content) if "json" in response["Content-Type"] else None)


def ids(data):
    return sorted(f["id"] for f in data["features"])


def test_landing_conformance_collections(client, geo_clusters):
    response, data = get(client, "/ogc/")
    assert response.status_code == 200
    rels = {link["rel"] for link in data["links"]}
    assert {"self", "alternate", "service-desc", "conformance", "data"} <= rels
    _r, conf = get(client, "/ogc/conformance")
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson" in conf["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30" in conf["conformsTo"]
    _r, cols = get(client, "/ogc/collections")
    by_id = {c["id"]: c for c in cols["collections"]}
    assert set(by_id) == {"clusters", "cluster_boundaries"}
    # Extent of what the public sees: the published, located clusters only (not the unpublished at 21.0 N).
    assert by_id["clusters"]["extent"]["spatial"]["bbox"] == [[105.77, 12.2, 109.1, 20.86]]
    _r, one = get(client, "/ogc/collections/clusters")
    assert one["id"] == "clusters" and any(link["rel"] == "items" for link in one["links"])


def test_items_public_fields_of_published_clusters_only(client, geo_clusters):
    response, data = get(client, "/ogc/collections/clusters/items")
    assert response["Content-Type"] == "application/geo+json"
    assert ids(data) == ["HNI-A", "KHA-A", "KHA-B"]
    assert data["numberMatched"] == 3 and data["numberReturned"] == 3 and data["timeStamp"].endswith("Z")
    props = next(f for f in data["features"] if f["id"] == "KHA-A")["properties"]
    assert props["name"] == "Cụm công nghiệp Diên Phú" and props["province_name"] == "Tỉnh Khánh Hòa"
    for secret in ("internal_notes", "infra_capital_approved_bn", "is_published", "funding_source"):
        assert secret not in props
    assert next(f for f in data["features"] if f["id"] == "KHA-A")["geometry"] == {
        "type": "Point",
        "coordinates": [109.1, 12.25],
    }
    assert "ghi chú" not in response.content.decode()


def test_bbox_and_filters(client, geo_clusters):
    _r, data = get(client, f"/ogc/collections/clusters/items?bbox={KHA_BBOX}")
    assert ids(data) == ["KHA-A", "KHA-B"]
    _r, data = get(client, "/ogc/collections/clusters/items?bbox=109.01,12.21,109.5,12.215")
    assert ids(data) == ["KHA-B"]  # the boundary's extent intersects the box, its point does not matter
    _r, data = get(client, "/ogc/collections/clusters/items?bbox=100,0,101,1")
    assert data["numberMatched"] == 0 and data["features"] == []
    _r, data = get(client, "/ogc/collections/clusters/items?province=01")
    assert ids(data) == ["HNI-A"]
    _r, data = get(client, "/ogc/collections/clusters/items?status=operating&q=dien phu")
    assert ids(data) == ["KHA-A"]
    _r, data = get(client, "/ogc/collections/cluster_boundaries/items")
    assert ids(data) == ["KHA-B"] and data["features"][0]["geometry"]["type"] == "Polygon"


def test_datetime_keeps_clusters_registered_by_then(client, geo_clusters):
    _r, data = get(client, "/ogc/collections/clusters/items?datetime=2023-12-31")
    assert data["numberMatched"] == 0  # the test clusters are registered on 1 January 2024
    _r, data = get(client, "/ogc/collections/clusters/items?datetime=../2024-01-01")
    assert data["numberMatched"] == 3


def test_paging_with_next_and_prev(client, geo_clusters):
    _r, first = get(client, "/ogc/collections/clusters/items?limit=2")
    assert first["numberReturned"] == 2 and first["numberMatched"] == 3
    links = {link["rel"]: link["href"] for link in first["links"]}
    assert "prev" not in links and "offset=2" in links["next"]
    _r, second = get(client, links["next"].replace("http://testserver", ""))
    assert second["numberReturned"] == 1 and second["numberMatched"] == 3
    links2 = {link["rel"]: link["href"] for link in second["links"]}
    assert "next" not in links2 and "prev" in links2
    assert set(ids(first)) | set(ids(second)) == {"HNI-A", "KHA-A", "KHA-B"}


def test_item_and_not_found(client, geo_clusters):
    response, data = get(client, "/ogc/collections/clusters/items/KHA-A")
    assert response.status_code == 200 and data["id"] == "KHA-A"
    assert any(link["rel"] == "collection" for link in data["links"])
    for url in (
        "/ogc/collections/clusters/items/KHA-H",  # unpublished: the public may not see it
        "/ogc/collections/clusters/items/NOPE",
        "/ogc/collections/nope",
        "/ogc/collections/nope/items",
        "/ogc/collections/cluster_boundaries/items/KHA-A",
    ):
        response, data = get(client, url)
        assert response.status_code == 404, url
        assert data["code"] == "NotFound" and data["description"]


@pytest.mark.parametrize(
    "query",
    [
        "bbox=110,10,100,20",
        "bbox=100,20,110,10",
        "bbox=-181,10,100,20",
        "bbox=100,-91,110,20",
        "bbox=100,10,110",
        "bbox=a,b,c,d",
        "bbox=1,2,3,nan",
        "bbox=1e400,2,3,4",
        "limit=0",
        "limit=1000000",
        "limit=-5",
        "limit=ten",
        "offset=-1",
        "f=xml",
        "datetime=yesterday",
        "datetime=2025-01-01/2024-01-01",
        "province=99",
        "status=flying",
        "colour=red",
    ],
)
def test_bad_parameters_get_an_ogc_400(client, geo_clusters, query):
    response, data = get(client, f"/ogc/collections/clusters/items?{query}")
    assert response.status_code == 400, query
    assert data["code"] == "InvalidParameterValue" and data["description"]


def test_html_by_parameter_and_by_accept_header(client, geo_clusters):
    response = client.get("/ogc/collections/clusters/items?f=html")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert "Cụm công nghiệp Diên Phú" in response.content.decode()
    response = client.get("/ogc/", HTTP_ACCEPT="text/html,application/xhtml+xml,*/*")
    assert response["Content-Type"].startswith("text/html")
    response = client.get("/ogc/", HTTP_ACCEPT="application/json")
    assert response["Content-Type"] == "application/json"
    for url in (
        "/ogc/conformance",
        "/ogc/collections",
        "/ogc/collections/clusters",
        "/ogc/api",
        "/ogc/collections/clusters/items/KHA-A",
    ):
        response = client.get(url + "?f=html")
        assert response.status_code == 200 and b"<h1>" in response.content, url
    response = client.get("/ogc/collections/clusters/items?limit=0&f=html")
    assert response.status_code == 400 and b"InvalidParameterValue" in response.content


def test_openapi_document(client):
    response, _data = get(client, "/ogc/api")
    assert response["Content-Type"] == "application/vnd.oai.openapi+json;version=3.0"
    doc = json.loads(response.content)
    assert doc["openapi"].startswith("3.0")
    items = doc["paths"]["/collections/{collectionId}/items"]["get"]
    limit = next(p for p in items["parameters"] if p["name"] == "limit")
    assert limit["schema"]["default"] == 100 and limit["schema"]["maximum"] == 10_000
    assert {p["name"] for p in items["parameters"]} >= {"bbox", "limit", "offset", "datetime", "f"}


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("admin", ["HNI-A", "HNI-H", "KHA-A", "KHA-B", "KHA-H"]),
        ("ministry", ["HNI-A", "HNI-H", "KHA-A", "KHA-B", "KHA-H"]),
        ("editor", ["KHA-A", "KHA-B", "KHA-H"]),
        ("approver", ["KHA-A", "KHA-B", "KHA-H"]),
        ("other_editor", ["HNI-A", "HNI-H"]),
        ("investor", []),
        ("tenant", []),
    ],
)
def test_scope_matrix_with_a_bearer_token(client, users, geo_clusters, who, expected):
    _token, key = ApiToken.issue(user=users[who], name="gis")
    _r, data = get(client, "/ogc/collections/clusters/items", authorization=f"Bearer {key}")
    assert ids(data) == expected
    if expected:
        props = data["features"][0]["properties"]
        assert "infra_capital_approved_bn" in props and "internal_notes" not in props
    # The item endpoint follows the same scope.
    response, _d = get(client, "/ogc/collections/clusters/items/KHA-H", authorization=f"Bearer {key}")
    assert response.status_code == (200 if "KHA-H" in expected else 404)


def test_session_sees_its_scope_and_a_bad_token_is_refused(client, users, geo_clusters):
    client.force_login(users["other_editor"])
    _r, data = get(client, "/ogc/collections/clusters/items")
    assert ids(data) == ["HNI-A", "HNI-H"]
    response, data = get(client, "/ogc/collections/clusters/items", authorization="Bearer wrong")
    assert response.status_code == 401 and data["code"] == "NotAuthenticated"


def test_queries_do_not_grow_with_rows(client, geo_clusters, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = client.get("/ogc/collections/clusters/items?limit=2")
    assert response.status_code == 200
    with django_assert_max_num_queries(3):
        client.get("/ogc/collections/clusters/items")
