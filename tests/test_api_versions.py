"""Every API write names the version it is based on (ccn/core/api.py `based_on`): without one 428, with a stale one
409 naming who changed the record and when; GET sends the version as ETag and a write accepts it as If-Match."""

import json

import pytest
from django.test import Client
from django.utils import timezone

from ccn.clusters.models import Cluster, Organisation
from ccn.clusters.tests.factories import make_cluster, make_org

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _patch(client, url, body, **headers):
    return client.patch(url, json.dumps(body), content_type="application/json", headers=headers)


def test_patch_without_a_version_is_428_and_changes_nothing(users, kha):
    cluster = make_cluster(code="VER-1", name="Cụm gốc", actor=users["editor"])
    response = _patch(_client(users["editor"]), "/api/v1/clusters/VER-1", {"name": "Mất phiên bản"})
    assert response.status_code == 428
    body = response.json()
    assert body["code"] == "version_required" and "If-Match" in body["detail"] and body["request_id"]
    cluster.refresh_from_db()
    assert (cluster.name, cluster.version) == ("Cụm gốc", 1)


def test_etag_on_get_and_if_match_on_patch(users, kha):
    make_cluster(code="VER-2", actor=users["editor"])
    client = _client(users["editor"])
    read = client.get("/api/v1/clusters/VER-2")
    assert read["ETag"] == '"1"' and read.json()["confidential"]["version"] == 1
    saved = _patch(client, "/api/v1/clusters/VER-2", {"name": "Qua If-Match"}, **{"If-Match": read["ETag"]})
    assert saved.status_code == 200 and saved["ETag"] == '"2"' and saved.json()["confidential"]["version"] == 2
    assert Cluster.objects.get(code="VER-2").name == "Qua If-Match"


def test_stale_version_is_409_naming_who_and_when(users, kha):
    make_cluster(code="VER-3", actor=users["editor"])
    users["approver"].first_name, users["approver"].last_name = "Lan", "Trần"
    users["approver"].save()
    first = _patch(_client(users["approver"]), "/api/v1/clusters/VER-3", {"name": "Trước", "version": 1})
    assert first.status_code == 200
    late = _patch(_client(users["editor"]), "/api/v1/clusters/VER-3", {"name": "Sau", "version": 1})
    assert late.status_code == 409 and late.json()["code"] == "edit_conflict"
    detail = late.json()["detail"]
    assert "Lan Trần" in detail and timezone.localdate().strftime("%d/%m/%Y") in detail
    assert Cluster.objects.get(code="VER-3").name == "Trước"


def test_organisation_writes_are_versioned_too(users, kha):
    make_cluster(code="VER-4", actor=users["editor"], investor=make_org("Công ty Phiên bản"))
    org = Organisation.objects.get(name="Công ty Phiên bản")
    client = _client(users["editor"])
    url = f"/api/v1/organisations/{org.pk}"
    assert client.get(url)["ETag"] == '"1"'
    assert _patch(client, url, {"website": "https://a.example"}).status_code == 428
    assert _patch(client, url, {"website": "https://a.example", "version": 1}).json()["version"] == 2
    stale = _patch(client, url, {"website": "https://b.example"}, **{"If-Match": '"1"'})
    assert stale.status_code == 409 and "editor" in stale.json()["detail"]
    org.refresh_from_db()
    assert (org.website, org.version) == ("https://a.example", 2)


def test_transitions_need_a_version(users, kha):
    make_cluster(code="VER-5", actor=users["editor"])
    client = _client(users["editor"])
    body = {"action": "approve_plan", "effective_on": timezone.localdate().isoformat()}
    missing = client.post("/api/v1/clusters/VER-5/transitions", json.dumps(body), content_type="application/json")
    assert missing.status_code == 428
    # A user who may not act at all is told that first (404 out of scope), not asked for a version.
    other = _client(users["other_editor"]).post(
        "/api/v1/clusters/VER-5/transitions", json.dumps(body), content_type="application/json"
    )
    assert other.status_code in (403, 404)


DOSSIER_STEPS = {"announce", "send", "corrections", "received", "appraise", "decide", "refuse", "withdraw"}


def test_openapi_documents_428_and_if_match_on_every_versioned_write(client):
    spec = client.get("/api/v1/openapi.json").json()
    versioned = []
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            is_write = (
                method == "patch"
                or path.endswith(("/transitions", "/steps"))
                or (method == "put" and ("/offers/" in path or "/infrastructure/" in path))
                or (path.startswith("/api/v1/procedures/dossiers/{code}/") and path.rsplit("/", 1)[1] in DOSSIER_STEPS)
                or (path.startswith("/api/v1/procedures/inspections/{pk}/") and path.endswith(("/record", "/close")))
            )
            if not is_write:
                continue
            versioned.append(operation["operationId"])
            assert "428" in operation["responses"], operation["operationId"]
            headers = [p["name"] for p in operation.get("parameters", []) if p["in"] == "header"]
            assert headers == ["If-Match"], operation["operationId"]
    # 8 PATCH, 1 PUT and 6 transition endpoints (clusters, tenants, obstacles, leads, relocations, reports' actions
    # are under /reports/{id}/{action} and checked by name below)
    assert len(versioned) >= 14 + 1 + 2 + 2  # and the action steps, the infrastructure PUTs, inspection steps
    assert {"obstacles_action_step", "infrastructure_component_set", "infrastructure_plant_set"} <= set(versioned)
    assert {"procedures_announce", "procedures_decide", "procedures_inspections_close"} <= set(versioned)
    reports_action = spec["paths"]["/api/v1/reports/reports/{report_id}/{action}"]["post"]
    assert "428" in reports_action["responses"]


def test_infrastructure_puts_are_versioned_once_recorded(users, kha):
    """The first PUT records a component (nothing to be stale against); a later one names the version it read: 428
    without, 409 stale; a change of state goes through the transition engine and leaves a transition record."""
    from ccn.core.history import transitions_for
    from ccn.infrastructure.models import InfrastructureComponent

    make_cluster(code="VER-9", actor=users["editor"])
    client = _client(users["editor"])
    url = "/api/v1/infrastructure/clusters/VER-9/components/roads"

    def put(body, **headers):
        return client.put(url, json.dumps(body), content_type="application/json", headers=headers)

    assert put({"status": "in_progress", "percent_complete": 40}).status_code == 200
    roads = client.get("/api/v1/infrastructure/clusters/VER-9").json()["components"][0]
    assert roads["kind"] == "roads" and roads["version"] == 1
    missing = put({"status": "completed", "percent_complete": 100})
    assert missing.status_code == 428
    assert put({"status": "completed", "percent_complete": 100, "version": 1}).status_code == 200
    stale = put({"status": "in_progress", "percent_complete": 90, "version": 1})
    assert stale.status_code == 409 and stale.json()["code"] == "edit_conflict"
    assert put({"status": "in_progress", "percent_complete": 90}, **{"If-Match": '"2"'}).status_code == 200
    component = InfrastructureComponent.objects.get(cluster__code="VER-9", kind="roads")
    assert (component.status, component.percent_complete, component.version) == ("in_progress", 90, 3)
    steps = [(t.action, t.from_status, t.to_status) for t in transitions_for(component)]
    assert steps == [
        ("create", "", "in_progress"),
        ("complete", "in_progress", "completed"),
        ("start", "completed", "in_progress"),
    ]
