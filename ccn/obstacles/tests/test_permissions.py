"""Scope matrix: role × page/API × own/other scope. Obstacles are never public."""

import pytest
from django.test import Client

from ccn.accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _client(user):
    c = Client()
    if user is not None:
        assert c.login(username=user.username, password=PASSWORD)
    return c


def test_page_and_api_matrix(users, world, raise_obstacle):
    own = raise_obstacle()  # on a cluster in the commune officer's commune, assigned to that commune
    other = raise_obstacle(cluster=world["other"], agency=world["other_agency"])
    hanoi = raise_obstacle(cluster=world["hanoi"], agency=world["hanoi_agency"], actor=users["other_editor"])
    # role: which obstacles it sees
    sees = {
        "admin": {own, other, hanoi},
        "ministry": {own, other, hanoi},
        "editor": {own, other},
        "approver": {own, other},
        "other_editor": {hanoi},
        "commune": {own},
        "investor": {own},  # the investor of KHA-OWN
        "tenant": set(),
    }
    for role, visible in sees.items():
        c = _client(users[role])
        for obstacle in (own, other, hanoi):
            page = c.get(f"/obstacles/{obstacle.pk}/")
            api = c.get(f"/api/v1/obstacles/{obstacle.pk}")
            expected = 200 if obstacle in visible else 403 if role == "tenant" else 404
            assert page.status_code == expected, (role, obstacle.pk, page.status_code)
            assert api.status_code == expected, (role, obstacle.pk, api.status_code)
        listing = c.get("/api/v1/obstacles?limit=100")
        if role == "tenant":
            assert listing.status_code == 403
            assert c.get("/obstacles/").status_code == 403
        else:
            assert {o["id"] for o in listing.json()["items"]} == {o.pk for o in visible}, role
            assert c.get("/obstacles/").status_code == 200


def test_anonymous_sees_nothing(users, world, raise_obstacle):
    obstacle = raise_obstacle()
    c = Client()
    for url in ("/obstacles/", f"/obstacles/{obstacle.pk}/", "/obstacles/overview/", "/obstacles/meetings/"):
        response = c.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    assert c.get("/api/v1/obstacles").status_code == 401
    assert c.get(f"/api/v1/obstacles/{obstacle.pk}").status_code == 401
    # The public cluster page carries no obstacle.
    page = c.get(f"/clusters/{world['own'].code}/").content.decode()
    assert "giải phóng mặt bằng 5 ha" not in page and "blockers-h" not in page


def test_cluster_panel_for_signed_in_users_in_scope(users, world, raise_obstacle):
    obstacle = raise_obstacle(description="Vướng bồi thường khu B")
    page = _client(users["commune"]).get(f"/clusters/{world['own'].code}/").content.decode()
    assert "Vướng bồi thường khu B" in page and f"/obstacles/{obstacle.pk}/" in page
    ministry = _client(users["ministry"]).get(f"/clusters/{world['own'].code}/").content.decode()
    assert "Vướng bồi thường khu B" in ministry
    tenant = _client(users["tenant"]).get(f"/clusters/{world['own'].code}/")
    assert "Vướng bồi thường khu B" not in tenant.content.decode()


def test_writes_matrix_through_api(users, world, raise_obstacle, today):
    own = raise_obstacle()
    other = raise_obstacle(cluster=world["other"], agency=world["other_agency"])
    note = {"text": "Ghi chú"}
    expectations = {
        # role: (note on own, note on other, edit own)
        "editor": (201, 201, 200),
        "approver": (201, 201, 200),
        "commune": (201, 404, 403),
        "ministry": (403, 403, 403),
        "investor": (403, 404, 403),
        "other_editor": (404, 404, 404),
    }
    for role, (own_note, other_note, edit) in expectations.items():
        c = _client(users[role])
        r1 = c.post(f"/api/v1/obstacles/{own.pk}/notes", note, content_type="application/json")
        r2 = c.post(f"/api/v1/obstacles/{other.pk}/notes", note, content_type="application/json")
        own.refresh_from_db()
        body = {"description": "Sửa mô tả", "version": own.version}
        r3 = c.patch(f"/api/v1/obstacles/{own.pk}", body, content_type="application/json")
        assert (r1.status_code, r2.status_code, r3.status_code) == (own_note, other_note, edit), role
        if r3.status_code == 403:
            assert r3.json()["detail"]


def test_commune_officer_page_refuses_editing_own_and_hides_others(users, world, raise_obstacle):
    own = raise_obstacle()
    other = raise_obstacle(cluster=world["other"], agency=world["other_agency"])
    c = _client(users["commune"])
    assert c.get(f"/obstacles/{own.pk}/edit/").status_code == 403
    assert c.post(f"/obstacles/{other.pk}/notes/", {"note-text": "x"}).status_code == 404
    assert other.notes.count() == 0


def test_meetings_for_province_and_ministry_only(users, kha, today):
    from ccn.obstacles import services

    meeting = services.meeting_create(actor=users["editor"], province=kha, held_on=today, title="Giao ban")
    for role, status in {
        "ministry": 200,
        "approver": 200,
        "other_editor": 404,
        "commune": 403,
        "investor": 403,
    }.items():
        assert _client(users[role]).get(f"/obstacles/meetings/{meeting.pk}/").status_code == status, role
    assert _client(users["ministry"]).post("/obstacles/meetings/", {"held_on": today, "title": "x"}).status_code == 403
