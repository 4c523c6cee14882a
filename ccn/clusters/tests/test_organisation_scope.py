"""Organisations under the scope policy: who reads and edits them, and PATCH changes only what is sent."""

import json
from decimal import Decimal

import pytest
from django.test import Client

from ccn.accounts.choices import Role
from ccn.accounts.tests.factories import make_user
from ccn.clusters.models import Organisation
from ccn.clusters.tests.factories import make_cluster, make_org
from ccn.tenants.models import TenantProject

pytestmark = pytest.mark.django_db


@pytest.fixture
def hanoi_org(users):
    """An organisation investing in a Hà Nội cluster only (the Khánh Hòa officers' other province)."""
    org = make_org("Công ty Hạ tầng Hà Nội", tax_code="0100109106")
    org.contact_email = "bi-mat@hanoi.example"
    org.save()
    make_cluster(province_code="01", code="HN-ORG", actor=users["admin"], investor=org)
    return org


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("role", ["editor", "approver", "commune"])
def test_officers_may_not_edit_another_provinces_organisation_by_page_or_api(users, hanoi_org, role):
    client = _client(users[role])
    page = client.get(f"/clusters/organisations/{hanoi_org.pk}/")
    posted = client.post(
        f"/clusters/organisations/{hanoi_org.pk}/", {"name": "Đổi tên", "kind": "enterprise", "country": "VN"}
    )
    api = client.patch(
        f"/api/v1/organisations/{hanoi_org.pk}",
        json.dumps({"name": "Đổi tên", "version": 1}),
        content_type="application/json",
    )
    assert page.status_code == 404 and posted.status_code == 404 and api.status_code == 404
    hanoi_org.refresh_from_db()
    assert hanoi_org.name == "Công ty Hạ tầng Hà Nội"
    assert "0100109106" not in page.content.decode()


def test_hanoi_officer_edits_it_and_patch_keeps_the_fields_not_sent(users, hanoi_org, hni):
    hanoi_editor = make_user("hn-editor", role=Role.PROVINCE_EDITOR, province=hni)
    resp = _client(hanoi_editor).patch(
        f"/api/v1/organisations/{hanoi_org.pk}",
        json.dumps({"name": "Tên mới", "version": 1}),
        content_type="application/json",
    )
    assert resp.status_code == 200, resp.content
    hanoi_org.refresh_from_db()
    assert hanoi_org.name == "Tên mới"
    assert hanoi_org.tax_code == "0100109106"  # not sent, kept
    assert hanoi_org.contact_email == "bi-mat@hanoi.example"


def test_an_organisation_operating_in_the_province_is_in_its_officers_scope(users, hanoi_org):
    """Tenant projects in a Khánh Hòa cluster bring the Hà Nội investor into Khánh Hòa's scope."""
    kha_cluster = make_cluster(code="KH-ORG", actor=users["admin"])
    TenantProject.objects.create(cluster=kha_cluster, enterprise=hanoi_org, name="Xưởng", land_leased_ha=Decimal("1"))
    assert _client(users["editor"]).get(f"/clusters/organisations/{hanoi_org.pk}/").status_code == 200


def test_an_officer_enters_an_organisation_into_their_province(users, hni):
    client = _client(users["editor"])
    resp = client.post("/api/v1/organisations", json.dumps({"name": "Công ty Mới"}), content_type="application/json")
    assert resp.status_code == 201
    org = Organisation.objects.get(pk=resp.json()["id"])
    assert org.created_in_id == users["editor"].province_id
    assert client.get(f"/api/v1/organisations/{org.pk}").status_code == 200
    hanoi = _client(make_user("hn2", role=Role.PROVINCE_EDITOR, province=hni))
    assert hanoi.get(f"/api/v1/organisations/{org.pk}").status_code == 404


def test_a_tenant_reads_no_other_organisations_tax_code_or_contacts(users, hanoi_org):
    client = _client(users["tenant"])
    page = client.get(f"/clusters/organisations/{hanoi_org.pk}/")
    api = client.get(f"/api/v1/organisations/{hanoi_org.pk}")
    listing = client.get("/clusters/organisations/?q=Hà Nội")
    assert page.status_code == 404 and api.status_code == 404
    for resp in (page, listing):
        assert "0100109106" not in resp.content.decode()
        assert "bi-mat@hanoi.example" not in resp.content.decode()
    own = client.get(f"/clusters/organisations/{users['tenant'].organisation_id}/")
    assert own.status_code == 200


def test_refusals_name_no_organisation(users, hanoi_org):
    resp = _client(users["ministry"]).patch(
        f"/api/v1/organisations/{hanoi_org.pk}", json.dumps({"name": "Tên khác"}), content_type="application/json"
    )
    assert resp.status_code == 403
    assert "Hà Nội" not in resp.json()["detail"]
