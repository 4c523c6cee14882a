"""Pages: raising and following an obstacle, overdue and ageing figures computed in SQL, the meeting pack (page,
XLSX, PDF) with the changes since the previous meeting, the queue, agencies and conferences."""

import datetime
import io

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from ccn.accounts.tests.factories import PASSWORD
from ccn.obstacles import services
from ccn.obstacles.models import Obstacle, ObstacleEvent

pytestmark = pytest.mark.django_db


def _client(user):
    c = Client()
    assert c.login(username=user.username, password=PASSWORD)
    return c


def test_raise_act_overdue_and_pack_flow(users, world, kha, today):
    editor, commune = _client(users["editor"]), _client(users["commune"])
    response = editor.post(
        "/obstacles/new/",
        {
            "cluster": world["own"].pk,
            "category": "site_clearance",
            "description": "Còn 3 hộ chưa nhận tiền bồi thường",
            "agency": world["commune_agency"].pk,
            "deadline": (today + datetime.timedelta(days=14)).isoformat(),
        },
    )
    obstacle = Obstacle.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/obstacles/{obstacle.pk}/"
    r = commune.post(
        f"/obstacles/{obstacle.pk}/actions/",
        {
            "action-description": "Vận động 3 hộ",
            "action-owner": users["commune"].pk,
            "action-due_on": today.isoformat(),
        },
    )
    assert r.status_code == 302
    assert commune.post(f"/obstacles/{obstacle.pk}/state/start/", {}).status_code == 302
    # The deadline passes.
    Obstacle.objects.filter(pk=obstacle.pk).update(
        raised_on=today - datetime.timedelta(days=20), deadline=today - datetime.timedelta(days=3)
    )
    page = commune.get(f"/obstacles/{obstacle.pk}/").content.decode()
    assert "Vận động 3 hộ" in page and "3 ngày quá hạn" in page
    listing = editor.get("/obstacles/?overdue=on").content.decode()
    assert "Còn 3 hộ chưa nhận tiền bồi thường" in listing
    meeting = services.meeting_create(actor=users["editor"], province=kha, held_on=today, title="Giao ban tháng")
    pack = editor.get(f"/obstacles/meetings/{meeting.pk}/").content.decode()
    section = pack.split(f'id="agency-{world["commune_agency"].pk}"')[1]
    assert "UBND xã Một" in section.split("</h2>")[0]
    assert f"#{obstacle.pk}" in section and "3 ngày quá hạn" in section
    xlsx = editor.get(f"/obstacles/meetings/{meeting.pk}/pack.xlsx")
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    rows = [r for r in ws.iter_rows(values_only=True) if r and r[0] == "UBND xã Một"]
    assert len(rows) == 1 and rows[0][1] == obstacle.pk and rows[0][7] == 3
    pdf = editor.get(f"/obstacles/meetings/{meeting.pk}/pack.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_pack_changes_since_previous_meeting_and_state_on_the_day(users, world, kha, raise_obstacle, today):
    a = raise_obstacle(description="Vướng A")
    b = raise_obstacle(description="Vướng B", agency=world["department"])
    old = today - datetime.timedelta(days=40)
    # Both were raised 40 days ago; the previous meeting was 20 days ago.
    Obstacle.objects.update(raised_on=old)
    ObstacleEvent.objects.update(at=timezone.now() - datetime.timedelta(days=40))
    first = services.meeting_create(
        actor=users["editor"], province=kha, held_on=today - datetime.timedelta(days=20), title="Giao ban 1"
    )
    services.note_add(actor=users["commune"], obstacle=a, text="Đã họp dân lần 2")
    services.obstacle_transition(actor=users["editor"], obstacle=b, action="resolve", resolution_note="Đã có giá đất")
    second = services.meeting_create(actor=users["editor"], province=kha, held_on=today, title="Giao ban 2")
    from ccn.obstacles.selectors import meeting_pack

    pack_now = meeting_pack(user=users["editor"], province=kha, on=second.held_on, since=first.held_on)
    assert [o.pk for g in pack_now["groups"] for o in g["items"]] == [a.pk]
    item = pack_now["groups"][0]["items"][0]
    assert [e.kind for e in item.changes] == ["note"] and not item.is_new
    assert [e.obstacle_id for e in pack_now["changes_elsewhere"]] == [b.pk]
    # On the first meeting's day both were still open: the state is read from the timeline.
    pack_then = meeting_pack(user=users["editor"], province=kha, on=first.held_on, since=None)
    assert (
        pack_then["total"] == 2
        and pack_then["changes"]
        and all(o.is_new for g in pack_then["groups"] for o in g["items"])
    )
    page = _client(users["approver"]).get(f"/obstacles/meetings/{second.pk}/").content.decode()
    assert "Đã họp dân lần 2" in page and "Giao ban 1" not in page.split("<main")[0]


def test_overview_counts(users, world, raise_obstacle, today, django_assert_max_num_queries):
    for days_ago, deadline_delta, agency, cluster, category in [
        (5, 10, "commune_agency", "own", "site_clearance"),
        (45, -3, "commune_agency", "own", "land_price"),
        (100, -30, "department", "other", "site_clearance"),
        (200, 5, "department", "other", "power_supply"),
    ]:
        o = raise_obstacle(agency=world[agency], cluster=world[cluster], category=category)
        Obstacle.objects.filter(pk=o.pk).update(
            raised_on=today - datetime.timedelta(days=days_ago),
            deadline=today + datetime.timedelta(days=deadline_delta),
        )
    done = raise_obstacle(category="capital")
    services.obstacle_transition(actor=users["editor"], obstacle=done, action="resolve", resolution_note="Xong")
    from ccn.obstacles.selectors import ageing, ageing_totals, clusters_blocked_by_category

    with django_assert_max_num_queries(1):
        by_agency = {r["label"]: r for r in ageing(user=users["editor"], by="agency", on=today)}
    assert by_agency["UBND xã Một"]["active"] == 2 and by_agency["UBND xã Một"]["overdue"] == 1
    assert by_agency["UBND xã Một"]["age_0_30"] == 1 and by_agency["UBND xã Một"]["age_31_90"] == 1
    assert by_agency["Sở Công Thương"]["age_91_180"] == 1 and by_agency["Sở Công Thương"]["age_181_plus"] == 1
    assert by_agency["Sở Công Thương"]["max_days_overdue"] == 30 and by_agency["Sở Công Thương"]["oldest_days"] == 200
    by_category = {r["key"]: r for r in ageing(user=users["editor"], by="category", on=today)}
    assert by_category["site_clearance"]["active"] == 2 and "capital" not in by_category
    blocked = {r["category"]: r["clusters"] for r in clusters_blocked_by_category(user=users["editor"])}
    assert blocked == {"site_clearance": 2, "land_price": 1, "power_supply": 1}
    assert ageing_totals(user=users["editor"], on=today)["overdue"] == 2
    # The commune officer sees only their commune's figures.
    assert {r["label"] for r in ageing(user=users["commune"], by="agency")} == {"UBND xã Một"}
    for by in ("agency", "category", "cluster"):
        page = _client(users["editor"]).get(f"/obstacles/overview/?by={by}")
        assert page.status_code == 200


def test_list_and_pack_query_counts(users, world, kha, raise_obstacle, today, django_assert_max_num_queries):
    for i in range(6):
        o = raise_obstacle(description=f"Vướng {i}")
        services.note_add(actor=users["editor"], obstacle=o, text="x")
    meeting = services.meeting_create(actor=users["editor"], province=kha, held_on=today, title="Giao ban")
    c = _client(users["editor"])
    with django_assert_max_num_queries(14):
        assert c.get("/obstacles/").status_code == 200
    with django_assert_max_num_queries(14):
        assert c.get(f"/obstacles/meetings/{meeting.pk}/").status_code == 200


def test_form_errors_shown(users, world, today):
    c = _client(users["editor"])
    r = c.post(
        "/obstacles/new/",
        {
            "cluster": world["own"].pk,
            "category": "planning",
            "description": "x",
            "agency": "",
            "deadline": (today - datetime.timedelta(days=1)).isoformat(),
        },
    )
    body = r.content.decode()
    assert r.status_code == 200 and "Chọn cơ quan chịu trách nhiệm" in body
    assert Obstacle.objects.count() == 0


def test_queue_lists_agency_items_and_own_actions(users, world, raise_obstacle, today):
    own = raise_obstacle(description="Vướng của xã")
    raise_obstacle(cluster=world["other"], agency=world["other_agency"], description="Vướng xã khác")
    services.action_add(
        actor=users["editor"], obstacle=own, description="Rà soát hồ sơ", owner=users["commune"], due_on=today
    )
    page = _client(users["commune"]).get("/obstacles/queue/").content.decode()
    assert "Vướng của xã" in page and "Rà soát hồ sơ" in page and "Vướng xã khác" not in page
    api = _client(users["commune"]).get("/api/v1/obstacles/queue").json()
    assert [o["id"] for o in api["obstacles"]] == [own.pk] and len(api["actions"]) == 1


def test_agency_pages_and_members(users, world, kha):
    c = _client(users["editor"])
    r = c.post(
        "/obstacles/agencies/new/", {"name": "Sở Xây dựng", "kind": "department", "email": "", "is_active": "on"}
    )
    assert r.status_code == 302
    from ccn.obstacles.models import Agency

    agency = Agency.objects.get(name="Sở Xây dựng")
    assert agency.province == kha
    assert c.post(f"/obstacles/agencies/{agency.pk}/", {"username": "approver"}).status_code == 302
    assert list(agency.members.values_list("username", flat=True)) == ["approver"]
    r = c.post(f"/obstacles/agencies/{agency.pk}/", {"username": "nobody"})
    assert "Không có người dùng" in r.content.decode()
    assert (
        _client(users["commune"]).post(f"/obstacles/agencies/{agency.pk}/", {"username": "commune"}).status_code == 403
    )


def test_conference_pages(users, world, kha, today):
    c = _client(users["editor"])
    r = c.post(
        "/obstacles/conferences/",
        {"held_on": today.isoformat(), "title": "Đối thoại DN 2025", "participants": "Công ty A"},
    )
    assert r.status_code == 302
    from ccn.obstacles.models import DialogueConference, Recommendation

    conf = DialogueConference.objects.get()
    c.post(
        f"/obstacles/conferences/{conf.pk}/",
        {"business_name": "Công ty A", "content": "Xin hỗ trợ điện", "cluster": world["own"].pk},
    )
    rec = Recommendation.objects.get()
    r = c.post(
        f"/obstacles/recommendations/{rec.pk}/to_obstacle/",
        {
            "cluster": world["own"].pk,
            "category": "power_supply",
            "agency": world["department"].pk,
            "deadline": (today + datetime.timedelta(days=20)).isoformat(),
        },
    )
    assert r.status_code == 302
    rec.refresh_from_db()
    assert rec.status == "obstacle" and rec.obstacle.category == "power_supply"
    page = c.get(f"/obstacles/conferences/{conf.pk}/").content.decode()
    assert f"/obstacles/{rec.obstacle_id}/" in page
