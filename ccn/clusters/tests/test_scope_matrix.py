"""Role × page/endpoint × own/other scope: who sees and who may change which cluster, on the pages and the API."""

import datetime
import json
from decimal import Decimal

import pytest
from django.test import Client

from ccn.accounts.tests.factories import PASSWORD
from ccn.clusters.tests.factories import make_cluster
from ccn.geo.models import Commune
from ccn.tenants.models import TenantProject

pytestmark = pytest.mark.django_db

ROLES = [
    "admin",
    "ministry",
    "editor",
    "approver",
    "other_editor",
    "commune",
    "investor",
    "other_investor",
    "tenant",
    "public",
]

# Which of the clusters each role sees: A (Khánh Hòa, in the commune officer's commune, investor's cluster),
# B (Hà Nội, the other investor's, a tenant project of the tenant), C (Khánh Hòa, unpublished, another commune).
SEES = {
    "admin": {"A", "B", "C"},
    "ministry": {"A", "B", "C"},
    "editor": {"A", "C"},
    "approver": {"A", "C"},
    "other_editor": {"B"},
    "commune": {"A"},
    "investor": {"A"},
    "other_investor": {"B"},
    "tenant": {"B"},
    "public": {"A", "B"},
}
EDITS = {"admin": {"A", "B", "C"}, "editor": {"A", "C"}, "approver": {"A", "C"}, "other_editor": {"B"}}


@pytest.fixture
def world(users, kha, hni):
    kha_communes = list(Commune.objects.filter(province=kha).order_by("code")[:2])
    hni_commune = Commune.objects.filter(province=hni).order_by("code").first()
    assert users["commune"].communes.get() == kha_communes[0]
    a = make_cluster(
        code="SC-A",
        name="Cụm A",
        commune_codes=[kha_communes[0].code],
        actor=users["admin"],
        investor=users["investor"].organisation,
        internal_notes="BÍ-MẬT-A",
    )
    b = make_cluster(
        code="SC-B",
        name="Cụm B",
        province_code="01",
        commune_codes=[hni_commune.code],
        actor=users["admin"],
        investor=users["other_investor"].organisation,
    )
    c = make_cluster(
        code="SC-C", name="Cụm C", commune_codes=[kha_communes[1].code], actor=users["admin"], is_published=False
    )
    TenantProject.objects.create(
        cluster=b, enterprise=users["tenant"].organisation, name="Xưởng", land_leased_ha=Decimal("1")
    )
    return {"A": a, "B": b, "C": c}


def client_for(users, role) -> Client:
    client = Client()
    if role != "public":
        assert client.login(username=users[role].username, password=PASSWORD)
    return client


def test_list_page_and_api_show_exactly_the_scope(users, world):
    for role in ROLES:
        _check_list(users, role)


def _check_list(users, role):
    client = client_for(users, role)
    html = client.get("/clusters/").content.decode()
    shown = {k for k in "ABC" if f"/clusters/SC-{k}/" in html}
    assert shown == SEES[role]
    data = client.get("/api/v1/clusters?limit=500").json()
    assert {i["code"][-1] for i in data["items"] if i["code"].startswith("SC-")} == SEES[role]
    assert data["count"] >= len(SEES[role])


def test_detail_page_and_api(users, world):
    for role in ROLES:
        client = client_for(users, role)
        for key in "ABC":
            _check_detail(client, role, key)


def _check_detail(client, role, key):
    page = client.get(f"/clusters/SC-{key}/")
    api = client.get(f"/api/v1/clusters/SC-{key}")
    expected = 200 if key in SEES[role] else 404
    assert page.status_code == expected
    assert api.status_code == expected
    if expected == 200 and role == "public":
        assert api.json()["confidential"] is None
        assert "BÍ-MẬT" not in page.content.decode()
        assert "BÍ-MẬT" not in api.content.decode()
    if expected == 200 and role != "public":
        assert api.json()["confidential"] is not None


def test_edit_page_and_patch(users, world):
    for role in ROLES:
        client = client_for(users, role)
        for key in "AB":
            _check_edit(client, world, role, key)


def _check_edit(client, world, role, key):
    cluster = world[key]
    page = client.get(f"/clusters/SC-{key}/edit/")
    cluster.refresh_from_db()
    resp = client.patch(
        f"/api/v1/clusters/SC-{key}",
        json.dumps({"name": f"Đổi tên bởi {role}", "version": cluster.version}),
        content_type="application/json",
    )
    cluster.refresh_from_db()
    if key in EDITS.get(role, set()):
        assert page.status_code == 200
        assert resp.status_code == 200, resp.content
        assert cluster.name == f"Đổi tên bởi {role}"
    else:
        assert page.status_code in (302, 403, 404)
        if role == "public":
            assert page.status_code == 302 and "/accounts/login/" in page["Location"]
            assert resp.status_code == 401
        else:
            assert resp.status_code in (403, 404)
        assert cluster.name != f"Đổi tên bởi {role}"


def test_create_page_and_api(users, world):
    for role in ROLES:
        _check_create(users, role)


def _check_create(users, role):
    client = client_for(users, role)
    commune = Commune.objects.filter(province__code="56").order_by("code").first()
    payload = {
        "code": f"NEW-{role.upper().replace('_', '')}",
        "name": "Cụm mới",
        "province": "56",
        "communes": [commune.code],
        "area_planned_ha": "30",
    }
    resp = client.post("/api/v1/clusters", json.dumps(payload), content_type="application/json")
    allowed = role in ("admin", "editor", "approver")
    if allowed:
        assert resp.status_code == 201, resp.content
        assert resp.json()["province_code"] == "56"
    else:
        assert resp.status_code in (401, 403), role
    page = client.get("/clusters/new/")
    may_open = allowed or role == "other_editor"  # a province editor creates in their own province
    assert page.status_code == (200 if may_open else 302 if role == "public" else 403), role


def test_form_posted_with_another_provinces_id_is_refused(users, world, hni):
    client = client_for(users, "editor")
    commune = Commune.objects.filter(province=hni).first()
    resp = client.post(
        "/clusters/new/",
        {
            "code": "HN-SNEAK",
            "name": "Lén",
            "kind": "ordinary",
            "province": hni.pk,
            "communes": [commune.pk],
            "area_planned_ha": "30",
            "is_published": "on",
        },
    )
    assert resp.status_code == 200
    assert "province" in resp.context["form"].errors
    from ccn.clusters.models import Cluster

    assert not Cluster.objects.filter(code="HN-SNEAK").exists()


def test_transition_matrix_through_the_api(users, world):
    """Only province editors/approvers of the cluster's province (and admins) move it; others are refused."""
    doc = {"kind": "established", "number": "12/QĐ-UBND", "issued_on": "2024-03-01", "issuer": "UBND tỉnh"}
    from ccn.clusters.models import Cluster

    Cluster.objects.filter(code="SC-A").update(
        area_established_ha=Decimal("40"), status_since=datetime.date(2024, 1, 1)
    )
    for role in ["ministry", "other_editor", "commune", "investor", "tenant", "public"]:
        resp = client_for(users, role).post(
            "/api/v1/clusters/SC-A/transitions",
            json.dumps({"action": "establish", "effective_on": "2024-03-02", "document": doc}),
            content_type="application/json",
        )
        assert resp.status_code in (401, 403, 404), (role, resp.status_code)
    assert Cluster.objects.get(code="SC-A").status == "planned"
    resp = client_for(users, "editor").post(
        "/api/v1/clusters/SC-A/transitions",
        json.dumps({"action": "establish", "effective_on": "2024-03-02", "document": doc, "version": 1}),
        content_type="application/json",
    )
    assert resp.status_code == 200, resp.content
    assert resp.json()["status"] == "established"
