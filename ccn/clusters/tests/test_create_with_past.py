"""An existing cluster or tenant project entered with its past: created in the state it was in from the day that
state began, with the decision behind it, then moved on by its later acts; the lifecycle form has one date."""

import datetime
import json

import pytest
from django.test import Client

from ccn.accounts.tests.factories import PASSWORD
from ccn.clusters.models import Cluster
from ccn.geo.models import Commune
from ccn.tenants.models import TenantProject

pytestmark = pytest.mark.django_db


def _client(users, who="editor"):
    client = Client()
    client.login(username=who, password=PASSWORD)
    return client


def _payload(kha, **extra):
    commune = Commune.objects.filter(province=kha).order_by("code").first()
    return {"code": "KHA-P08", "name": "Cụm công nghiệp Ninh Hòa", "province": "56", "communes": [commune.code],
            "area_planned_ha": "45", **extra}  # fmt: skip


def test_the_api_creates_a_cluster_planned_in_2008_with_its_plan_decision_then_later_acts(users, kha):
    client = _client(users)
    document = {"kind": "included_in_plan", "number": "15/QĐ-UBND", "issued_on": "2008-05-01",
                "issuer": "UBND tỉnh Khánh Hòa"}  # fmt: skip
    resp = client.post(
        "/api/v1/clusters",
        json.dumps(_payload(kha, status="planned", status_since="2008-05-01", document=document)),
        content_type="application/json",
    )
    assert resp.status_code == 201, resp.content
    cluster = Cluster.objects.get(code="KHA-P08")
    assert (cluster.status, cluster.status_since) == ("planned", datetime.date(2008, 5, 1))
    register = cluster.events.get()
    assert (register.effective_on, register.document.number) == (datetime.date(2008, 5, 1), "15/QĐ-UBND")
    # The next act, in 2012, before today and after the plan: accepted with its own date.
    act = {"action": "establish", "effective_on": "2012-06-20", "version": cluster.version,
           "document": {"kind": "established", "number": "812/QĐ-UBND", "issued_on": "2012-06-20",
                        "issuer": "UBND tỉnh Khánh Hòa"}}  # fmt: skip
    resp = client.post("/api/v1/clusters/KHA-P08/transitions", json.dumps(act), content_type="application/json")
    assert resp.status_code in (200, 201), resp.content
    cluster.refresh_from_db()
    assert (cluster.status, cluster.status_since) == ("established", datetime.date(2012, 6, 20))


def test_a_state_in_the_future_or_a_document_after_the_act_is_refused(users, kha):
    client = _client(users)
    future = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    resp = client.post(
        "/api/v1/clusters", json.dumps(_payload(kha, status_since=future)), content_type="application/json"
    )
    assert resp.status_code == 422 and "status_since" in resp.json()["errors"]
    late = {"kind": "established", "number": "9/QĐ", "issued_on": "2013-01-01", "issuer": "UBND"}
    resp = client.post(
        "/api/v1/clusters",
        json.dumps(_payload(kha, status="established", status_since="2012-06-20", document=late)),
        content_type="application/json",
    )
    assert resp.status_code == 422 and "document" in resp.json()["errors"]
    assert not Cluster.objects.filter(code="KHA-P08").exists()


def test_the_page_creates_a_cluster_in_its_state_with_the_act_of_that_day(users, kha):
    client = _client(users)
    commune = Commune.objects.filter(province=kha).order_by("code").first()
    resp = client.post(
        "/clusters/new/",
        {"code": "KHA-P12", "name": "Cụm công nghiệp Đắc Lộc", "kind": "ordinary", "province": kha.pk,
         "communes": [commune.pk], "area_planned_ha": "40", "area_established_ha": "40",
         "initial_status": "established", "status_since": "2012-06-20", "state_doc_kind": "established",
         "state_doc_number": "812/QĐ-UBND", "state_doc_issuer": "UBND tỉnh Khánh Hòa"},
    )  # fmt: skip
    assert resp.status_code == 302, resp.context["form"].errors if resp.context else resp
    cluster = Cluster.objects.get(code="KHA-P12")
    event = cluster.events.get()
    assert (cluster.status, event.effective_on) == ("established", datetime.date(2012, 6, 20))
    assert (event.document.number, event.document.issued_on) == ("812/QĐ-UBND", datetime.date(2012, 6, 20))
    # The lifecycle form has one date, the act's, which its new document bears.
    form = client.get("/clusters/KHA-P12/actions/approve_detailed_plan/").content.decode()
    assert 'name="effective_on"' in form and 'name="doc_issued_on"' not in form
    # The edit form does not offer the state: it changes only through the lifecycle.
    assert 'name="initial_status"' not in client.get("/clusters/KHA-P12/edit/").content.decode()


def test_a_tenant_project_is_entered_in_its_status_since_its_day(users, kha):
    from ccn.clusters.tests.factories import make_cluster

    cluster = make_cluster(code="KHA-T1", actor=users["editor"], status="operating")
    client = _client(users)
    resp = client.post(
        "/api/v1/tenants/projects",
        json.dumps({"cluster": cluster.code, "tax_code": "4209876540", "enterprise_name": "Công ty TNHH Gỗ Nam",
                    "name": "Nhà máy gỗ", "status": "under_construction", "status_since": "2019-03-01"}),
        content_type="application/json",
    )  # fmt: skip
    assert resp.status_code == 201, resp.content
    project = TenantProject.objects.get(name="Nhà máy gỗ")
    assert (project.status, project.status_since) == ("under_construction", datetime.date(2019, 3, 1))
