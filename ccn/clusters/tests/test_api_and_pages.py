"""The registry's API and pages: errors per field, OpenAPI, offline docs, query ceilings, search, export."""

import json
from decimal import Decimal

import pytest
from django.test import Client

from ccn.accounts.tests.factories import PASSWORD
from ccn.clusters.tests.factories import make_cluster
from ccn.geo.models import Commune

pytestmark = pytest.mark.django_db


def editor_client(users):
    client = Client()
    client.login(username="editor", password=PASSWORD)
    return client


def test_create_with_bad_fields_gets_a_message_per_field(users, kha):
    client = editor_client(users)
    commune = Commune.objects.filter(province=kha).first()
    resp = client.post(
        "/api/v1/clusters",
        json.dumps(
            {
                "code": "KHA-API",
                "name": "Cụm qua API",
                "province": "56",
                "communes": [commune.code],
                "area_planned_ha": "80",
            }
        ),
        content_type="application/json",
    )
    assert resp.status_code == 422
    body = resp.json()
    assert body["code"] == "validation_error" and "area_planned_ha" in body["errors"]
    resp = client.post(
        "/api/v1/clusters",
        json.dumps({"code": "KHA-API", "name": "C", "province": "56", "communes": [], "lat": 200}),
        content_type="application/json",
    )
    assert resp.status_code == 422
    assert {"name", "lat"} <= set(resp.json()["errors"])


def test_vietnamese_messages_by_default_and_english_on_request(users, kha):
    client = editor_client(users)
    payload = json.dumps({"code": "KHA-LANG", "name": "Cụm ngôn ngữ", "province": "56", "communes": ["99999"]})
    vi = client.post("/api/v1/clusters", payload, content_type="application/json").json()
    en = client.post("/api/v1/clusters", payload, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en").json()
    assert vi["detail"] == "Không có xã/phường mã 99999."
    assert en["detail"] == "Unknown commune 99999."


def test_conflict_is_409_with_who_and_when(users, kha):
    cluster = make_cluster(code="KHA-409", actor=users["editor"])
    client = editor_client(users)
    ok = client.patch(
        "/api/v1/clusters/KHA-409",
        json.dumps({"name": "Một", "version": cluster.version}),
        content_type="application/json",
    )
    assert ok.status_code == 200
    stale = client.patch(
        "/api/v1/clusters/KHA-409",
        json.dumps({"name": "Hai", "version": cluster.version}),
        content_type="application/json",
    )
    assert stale.status_code == 409
    assert "editor" in stale.json()["detail"]


def test_openapi_document_and_offline_docs():
    client = Client()
    doc = client.get("/api/v1/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    paths = doc["paths"]
    for path in [
        "/api/v1/clusters",
        "/api/v1/clusters/{code}",
        "/api/v1/clusters/{code}/transitions",
        "/api/v1/organisations",
        "/api/v1/admin-units/provinces",
    ]:
        assert path in paths
    ops = [op for p in paths.values() for op in p.values()]
    assert len({op["operationId"] for op in ops}) == len(ops)
    html = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/" in html and "cdn" not in html.lower()


def test_list_queries_do_not_grow_with_rows(users, kha, django_assert_max_num_queries):
    communes = list(Commune.objects.filter(province=kha).order_by("code")[:3])
    for i in range(30):
        make_cluster(
            code=f"KHA-Q{i:02d}",
            actor=users["admin"],
            commune_codes=[communes[i % 3].code],
            investor=users["investor"].organisation,
            industrial_land_ha=Decimal("20"),
        )
    client = editor_client(users)
    with django_assert_max_num_queries(12):
        resp = client.get("/clusters/?sort=-occupancy")
    assert resp.status_code == 200 and resp.content.decode().count("/clusters/KHA-Q") == 30
    with django_assert_max_num_queries(10):
        resp = client.get("/api/v1/clusters?limit=100")
    assert resp.json()["count"] == 30
    with django_assert_max_num_queries(12):
        Client().get("/api/v1/clusters?limit=100")


def test_search_ignores_diacritics_and_filters_combine(users, kha):
    make_cluster(code="KHA-S1", name="Cụm công nghiệp Đông Phú Yên", actor=users["admin"])
    make_cluster(code="KHA-S2", name="Cụm công nghiệp Tam Hiệp", actor=users["admin"], kind="craft_village")
    client = editor_client(users)
    for q in ["dong phu yen", "ĐÔNG PHÚ", "Đông Phú Yên"]:
        codes = [i["code"] for i in client.get("/api/v1/clusters", {"q": q}).json()["items"]]
        assert codes == ["KHA-S1"], q
    codes = [i["code"] for i in client.get("/api/v1/clusters", {"kind": "craft_village"}).json()["items"]]
    assert codes == ["KHA-S2"]


def test_history_is_exportable(users, kha):
    cluster = make_cluster(code="KHA-HX", actor=users["editor"], name='=HYPERLINK("x")')
    client = editor_client(users)
    resp = client.get(f"/clusters/{cluster.code}/history.csv")
    text = resp.content.decode("utf-8-sig")
    assert resp["Content-Type"].startswith("text/csv")
    assert "Tạo mới" in text and "editor" in text
    assert ",=HYPERLINK" not in text  # never a live formula


def test_nul_characters_are_dropped_not_crashing(users, kha):
    client = editor_client(users)
    resp = client.get("/api/v1/admin-units/provinces/56/communes", {"q": "dien\x00 tho"})
    assert resp.status_code == 200 and [c["name"] for c in resp.json()] == ["Xã Diên Thọ"]
    cluster = make_cluster(code="KHA-NUL", actor=users["editor"])
    resp = client.patch(
        f"/api/v1/clusters/{cluster.code}", '{"name": "T\\u0000ên", "version": 1}', content_type="application/json"
    )
    assert resp.status_code == 200 and resp.json()["name"] == "Tên"
