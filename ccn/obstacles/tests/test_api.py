"""The API under /api/v1/obstacles/ through the HTTP client with JSON: create, refusals, transitions, actions,
files, figures, meetings and conferences."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from ccn.accounts.models import ApiToken
from ccn.accounts.tests.factories import PASSWORD
from ccn.obstacles.models import Obstacle

pytestmark = pytest.mark.django_db


def _client(user):
    c = Client()
    assert c.login(username=user.username, password=PASSWORD)
    return c


def _post(c, url, data):
    return c.post(url, data, content_type="application/json")


def _v(pk) -> int:
    """The obstacle's version as stored: every API write names the version it is based on."""
    return Obstacle.objects.get(pk=pk).version


def test_create_and_follow_through_api(users, world, today, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    _, key = ApiToken.issue(user=users["editor"], name="test")
    c = Client(headers={"Authorization": f"Bearer {key}"})
    payload = {
        "cluster": world["own"].code,
        "category": "site_clearance",
        "description": "Chưa giải phóng mặt bằng 2 ha",
        "agency_id": world["commune_agency"].pk,
        "deadline": (today + datetime.timedelta(days=10)).isoformat(),
    }
    r = _post(c, "/api/v1/obstacles", payload)
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["status"] == "open" and body["agency_name"] == "UBND xã Một" and body["events"][0]["kind"] == "raised"
    oid = body["id"]
    commune = _client(users["commune"])
    r = _post(
        commune,
        f"/api/v1/obstacles/{oid}/actions",
        {"description": "Kiểm đếm", "owner": "commune", "due_on": today.isoformat()},
    )
    assert r.status_code == 201 and r.json()["owner"] == "commune"
    action_id = r.json()["id"]
    r = _post(commune, f"/api/v1/obstacles/actions/{action_id}/steps", {"step": "complete", "outcome": "Xong"})
    assert r.status_code == 428  # a step names the version of the action it is based on
    step = {"step": "complete", "outcome": "Xong", "version": 1}
    r = _post(commune, f"/api/v1/obstacles/actions/{action_id}/steps", step)
    assert r.status_code == 200 and r.json()["status"] == "done" and r.json()["version"] == 2
    r = _post(commune, f"/api/v1/obstacles/actions/{action_id}/steps", {**step, "step": "reopen"})
    assert r.status_code == 409 and r.json()["code"] == "edit_conflict"  # based on version 1, now at 2
    r = _post(commune, f"/api/v1/obstacles/actions/{action_id}/steps", {**step, "step": "reopen", "version": 2})
    assert r.status_code == 403  # reopening stays with the province's managers
    r = commune.post(
        f"/api/v1/obstacles/{oid}/attachments",
        {"file": SimpleUploadedFile("anh.png", b"\x89PNG..."), "description": "Hiện trạng"},
    )
    assert r.status_code == 201 and r.json()["name"] == "anh.png"
    r = _post(
        commune,
        f"/api/v1/obstacles/{oid}/transitions",
        {"action": "resolve", "resolution_note": "Đã bàn giao", "version": _v(oid)},
    )
    assert r.status_code == 200 and r.json()["status"] == "resolved"
    r = _post(c, f"/api/v1/obstacles/{oid}/transitions", {"action": "close", "version": _v(oid)})
    assert r.status_code == 200 and r.json()["status"] == "closed"
    history = c.get(f"/api/v1/obstacles/{oid}/history").json()
    assert [h["action"] for h in history][-1] == "create" and history[0]["action"] == "transition"


def test_bad_input_refused_with_clear_messages(users, world, today):
    c = _client(users["editor"])
    base = {
        "cluster": world["own"].code,
        "category": "site_clearance",
        "description": "Vướng",
        "deadline": (today + datetime.timedelta(days=10)).isoformat(),
    }
    r = _post(c, "/api/v1/obstacles", base)
    assert r.status_code == 422 and "agency" in r.json()["errors"]
    r = _post(c, "/api/v1/obstacles", {**base, "agency_id": world["commune_agency"].pk, "deadline": "2020-01-01"})
    assert r.status_code == 422 and "deadline" in r.json()["errors"]
    assert "01/01/2020" in r.json()["detail"]
    assert Obstacle.objects.count() == 0
    r = _post(c, "/api/v1/obstacles", {**base, "agency_id": world["commune_agency"].pk})
    oid = r.json()["id"]
    r = _post(
        c, f"/api/v1/obstacles/{oid}/actions", {"description": "x", "owner": "approver", "due_on": today.isoformat()}
    )
    assert r.status_code == 422 and "owner" in r.json()["errors"]
    _post(c, f"/api/v1/obstacles/{oid}/transitions", {"action": "resolve", "resolution_note": "x", "version": _v(oid)})
    Obstacle.objects.filter(pk=oid).update(resolution_note="")
    r = _post(c, f"/api/v1/obstacles/{oid}/transitions", {"action": "close", "version": _v(oid)})
    assert r.status_code == 422 and "resolution_note" in r.json()["errors"]
    r = _post(c, f"/api/v1/obstacles/{oid}/transitions", {"action": "start", "version": _v(oid)})
    assert r.status_code == 409
    r = _post(c, f"/api/v1/obstacles/{oid}/transitions", {"action": "teleport", "version": _v(oid)})
    assert r.status_code == 409
    r = _post(c, "/api/v1/obstacles", {**base, "cluster": world["hanoi"].code, "agency_id": world["commune_agency"].pk})
    assert r.status_code == 422  # a cluster the editor may not see


def test_figures_queue_meetings_and_conferences(users, world, kha, raise_obstacle, today):
    o = raise_obstacle()
    Obstacle.objects.filter(pk=o.pk).update(
        raised_on=today - datetime.timedelta(days=10), deadline=today - datetime.timedelta(days=1)
    )
    c = _client(users["approver"])
    rows = c.get("/api/v1/obstacles/overview/ageing?by=agency").json()
    assert rows[0]["label"] == "UBND xã Một" and rows[0]["overdue"] == 1
    assert c.get("/api/v1/obstacles/overview/blocked-clusters").json()[0]["clusters"] == 1
    m = _post(c, "/api/v1/obstacles/meetings", {"province": "56", "held_on": today.isoformat(), "title": "Giao ban"})
    assert m.status_code == 201
    pack = c.get(f"/api/v1/obstacles/meetings/{m.json()['id']}/pack").json()
    assert pack["overdue"] == 1 and pack["groups"][0]["agency_name"] == "UBND xã Một"
    assert pack["groups"][0]["items"][0]["overdue_days"] == 1
    conf = _post(
        c,
        "/api/v1/obstacles/conferences",
        {"province": "56", "held_on": today.isoformat(), "title": "Đối thoại", "participants": "A"},
    )
    assert conf.status_code == 201
    rec = _post(
        c,
        f"/api/v1/obstacles/conferences/{conf.json()['id']}/recommendations",
        {"business_name": "A", "content": "Giảm phí"},
    )
    assert rec.status_code == 201
    ans = _post(c, f"/api/v1/obstacles/recommendations/{rec.json()['id']}/answer", {"answer": "Đã giảm 10%"})
    assert ans.status_code == 200 and ans.json()["status"] == "answered"
    assert (
        c.get(f"/api/v1/obstacles/conferences/{conf.json()['id']}").json()["recommendations"][0]["answer"]
        == "Đã giảm 10%"
    )
    assert _client(users["commune"]).get("/api/v1/obstacles/meetings").status_code == 403
    agencies = _client(users["ministry"]).get("/api/v1/obstacles/agencies?province=56").json()
    assert {a["name"] for a in agencies} == {"UBND xã Một", "UBND xã Hai", "Sở Công Thương"}


def test_agency_api(users, world):
    c = _client(users["editor"])
    r = _post(c, "/api/v1/obstacles/agencies", {"province": "56", "name": "Điện lực", "kind": "utility"})
    assert r.status_code == 201
    r = _post(c, f"/api/v1/obstacles/agencies/{r.json()['id']}/members", {"username": "approver"})
    assert r.status_code == 201
    r = _post(_client(users["other_editor"]), "/api/v1/obstacles/agencies", {"province": "56", "name": "Sở X"})
    assert r.status_code == 403
