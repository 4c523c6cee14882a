"""Services: creating an obstacle, editing, actions, notes, attachments, and every bad input the issue lists
(refused with a clear message, nothing written)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from ccn.attachments.models import Attachment
from ccn.core.errors import ConflictError, PermissionDeniedError, ValidationFailed
from ccn.core.history import history_for
from ccn.core.models import ChangeRecord
from ccn.obstacles import services
from ccn.obstacles.choices import Category, EventKind, ObstacleStatus
from ccn.obstacles.models import Notification, Obstacle, ObstacleAction, ObstacleNote

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in English here; the pages' tests check the Vietnamese."""
    with translation.override("en"):
        yield


def _counts():
    return (
        Obstacle.objects.count(),
        ObstacleAction.objects.count(),
        ObstacleNote.objects.count(),
        Notification.objects.count(),
        ChangeRecord.objects.count(),
    )


def test_create_records_history_timeline_and_assignment(users, world, today):
    obstacle = services.obstacle_create(
        actor=users["editor"],
        cluster=world["own"],
        category=Category.SITE_CLEARANCE,
        description="  Chưa chi trả bồi thường cho 12 hộ dân  ",
        agency=world["commune_agency"],
        deadline=today + datetime.timedelta(days=20),
        source="inspection:7",
    )
    obstacle.refresh_from_db()
    assert obstacle.status == ObstacleStatus.OPEN
    assert obstacle.raised_by == users["editor"] and obstacle.raised_on == today
    assert obstacle.description == "Chưa chi trả bồi thường cho 12 hộ dân"
    assert obstacle.source == "inspection:7"
    assert [r.action for r in history_for(obstacle)] == ["create"]
    assert list(obstacle.events.values_list("kind", "to_status")) == [(EventKind.RAISED, ObstacleStatus.OPEN)]
    # The commune agency's one member is told.
    assert list(Notification.objects.values_list("kind", "recipient")) == [("assigned", "commune@example.vn")]


def test_missing_agency_refused_nothing_written(users, world, today):
    before = _counts()
    with pytest.raises(ValidationFailed) as exc:
        services.obstacle_create(
            actor=users["editor"],
            cluster=world["own"],
            category=Category.SITE_CLEARANCE,
            description="Vướng mặt bằng",
            agency=None,
            deadline=today + datetime.timedelta(days=5),
        )
    assert "agency" in exc.value.field_errors
    assert "responsible" in exc.value.message
    assert _counts() == before


def test_past_deadline_refused_on_create(users, world, today):
    before = _counts()
    with pytest.raises(ValidationFailed) as exc:
        services.obstacle_create(
            actor=users["editor"],
            cluster=world["own"],
            category=Category.LAND_PRICE,
            description="Chưa phê duyệt giá đất",
            agency=world["department"],
            deadline=today - datetime.timedelta(days=1),
        )
    assert "past" in exc.value.field_errors["deadline"][0]
    assert _counts() == before


def test_today_is_an_acceptable_deadline(raise_obstacle):
    assert raise_obstacle(days=0).deadline == raise_obstacle(days=0).raised_on


def test_agency_of_another_province_refused(users, world, today):
    with pytest.raises(ValidationFailed) as exc:
        services.obstacle_create(
            actor=users["editor"],
            cluster=world["own"],
            category=Category.PLANNING,
            description="Quy hoạch",
            agency=world["hanoi_agency"],
            deadline=today,
        )
    assert "another province" in exc.value.field_errors["agency"][0]


def test_close_without_resolution_note_refused(users, raise_obstacle):
    obstacle = raise_obstacle()
    services.obstacle_transition(actor=users["editor"], obstacle=obstacle, action="start")
    # Resolving without a note is refused too: the note is what closing needs.
    with pytest.raises(ValidationFailed) as exc:
        services.obstacle_transition(actor=users["editor"], obstacle=obstacle, action="resolve")
    assert "resolution_note" in exc.value.field_errors
    obstacle.refresh_from_db()
    assert obstacle.status == ObstacleStatus.IN_PROGRESS
    # A resolved obstacle whose note was cleared by the database cannot be closed without giving one.
    services.obstacle_transition(
        actor=users["editor"], obstacle=obstacle, action="resolve", resolution_note="Đã chi trả xong"
    )
    Obstacle.objects.filter(pk=obstacle.pk).update(resolution_note="")
    before = _counts()
    with pytest.raises(ValidationFailed) as exc:
        services.obstacle_transition(actor=users["approver"], obstacle=obstacle, action="close")
    assert "resolution note" in exc.value.message
    obstacle.refresh_from_db()
    assert obstacle.status == ObstacleStatus.RESOLVED
    assert _counts() == before
    services.obstacle_transition(
        actor=users["approver"], obstacle=obstacle, action="close", resolution_note="Bàn giao mặt bằng 20/5"
    )
    obstacle.refresh_from_db()
    assert obstacle.status == ObstacleStatus.CLOSED and obstacle.resolution_note == "Bàn giao mặt bằng 20/5"


def test_commune_officer_cannot_act_on_another_communes_item(users, world, raise_obstacle):
    obstacle = raise_obstacle(cluster=world["other"], agency=world["other_agency"])
    commune = users["commune"]
    before = _counts()
    with pytest.raises(PermissionDeniedError) as exc:
        services.note_add(actor=commune, obstacle=obstacle, text="Xã đã làm việc với hộ dân")
    assert "your own communes" in exc.value.message  # what the officer may do, not the other commune
    with pytest.raises(PermissionDeniedError):
        services.action_add(actor=commune, obstacle=obstacle, description="x", owner=commune, due_on=obstacle.deadline)
    with pytest.raises(PermissionDeniedError):
        services.obstacle_transition(actor=commune, obstacle=obstacle, action="start")
    with pytest.raises(PermissionDeniedError):
        services.obstacle_update(actor=commune, obstacle=obstacle, data={"description": "sửa"})
    assert _counts() == before


def test_commune_officer_acts_on_own_item_but_cannot_edit_it(users, world, raise_obstacle, today):
    obstacle = raise_obstacle()
    commune = users["commune"]
    action = services.action_add(
        actor=commune,
        obstacle=obstacle,
        description="Họp dân thôn 2 về phương án bồi thường",
        owner=commune,
        due_on=today + datetime.timedelta(days=7),
    )
    services.note_add(actor=commune, obstacle=obstacle, text="Đã họp lần 1")
    services.obstacle_transition(actor=commune, obstacle=obstacle, action="start")
    services.action_transition(actor=commune, action=action, step="complete", outcome="12/12 hộ đồng ý")
    action.refresh_from_db()
    assert action.status == "done" and action.done_on == today and action.outcome == "12/12 hộ đồng ý"
    with pytest.raises(PermissionDeniedError) as exc:
        services.obstacle_update(actor=commune, obstacle=obstacle, data={"deadline": today})
    assert "editors and approvers" in exc.value.message
    with pytest.raises(PermissionDeniedError):
        services.obstacle_transition(actor=commune, obstacle=obstacle, action="escalate", comment="x")


def test_action_owner_outside_agency_refused(users, raise_obstacle, today):
    obstacle = raise_obstacle()
    before = _counts()
    with pytest.raises(ValidationFailed) as exc:
        services.action_add(
            actor=users["editor"],
            obstacle=obstacle,
            description="Thẩm định giá đất",
            owner=users["approver"],  # a member of the department, not of the commune agency
            due_on=today + datetime.timedelta(days=3),
        )
    assert "not a member of UBND xã Một" in exc.value.field_errors["owner"][0]
    assert _counts() == before


def test_action_due_in_past_refused(users, raise_obstacle, today):
    obstacle = raise_obstacle()
    with pytest.raises(ValidationFailed) as exc:
        services.action_add(
            actor=users["editor"],
            obstacle=obstacle,
            description="x",
            owner=users["commune"],
            due_on=today - datetime.timedelta(days=1),
        )
    assert "due_on" in exc.value.field_errors


def test_reassign_and_move_deadline_record_events_and_notify(users, world, raise_obstacle, today):
    obstacle = raise_obstacle()
    Notification.objects.all().delete()
    services.obstacle_update(
        actor=users["editor"],
        obstacle=obstacle,
        data={"agency": world["department"], "deadline": today + datetime.timedelta(days=60)},
        expected_version=1,
    )
    obstacle.refresh_from_db()
    assert obstacle.agency == world["department"] and obstacle.version == 2
    kinds = list(obstacle.events.values_list("kind", flat=True))
    assert EventKind.REASSIGNED in kinds and EventKind.DEADLINE in kinds
    assert set(Notification.objects.values_list("recipient", flat=True)) == {"approver@example.vn", "sct@example.vn"}
    with pytest.raises(ConflictError):
        services.obstacle_update(
            actor=users["editor"], obstacle=obstacle, data={"description": "y"}, expected_version=1
        )
    with pytest.raises(ValidationFailed):
        services.obstacle_update(actor=users["editor"], obstacle=obstacle, data={"agency": None})
    with pytest.raises(ValidationFailed):
        services.obstacle_update(
            actor=users["editor"], obstacle=obstacle, data={"deadline": today - datetime.timedelta(days=2)}
        )


def test_no_change_writes_no_history(users, raise_obstacle):
    obstacle = raise_obstacle()
    n = ChangeRecord.objects.count()
    services.obstacle_update(actor=users["editor"], obstacle=obstacle, data={"category": obstacle.category})
    assert ChangeRecord.objects.count() == n


def test_investor_raises_on_own_cluster_only(users, world, today):
    ok = services.obstacle_create(
        actor=users["investor"],
        cluster=world["own"],
        category=Category.POWER_SUPPLY,
        description="Chưa có đường dây 22 kV",
        agency=world["department"],
        deadline=today + datetime.timedelta(days=10),
    )
    assert ok.raised_by == users["investor"]
    with pytest.raises(PermissionDeniedError):
        services.obstacle_create(
            actor=users["investor"],
            cluster=world["other"],
            category=Category.POWER_SUPPLY,
            description="x",
            agency=world["department"],
            deadline=today,
        )
    with pytest.raises(PermissionDeniedError):
        services.note_add(actor=users["investor"], obstacle=ok, text="x")


def test_ministry_and_other_province_cannot_write(users, raise_obstacle, world, today):
    obstacle = raise_obstacle()
    for who in ("ministry", "other_editor", "tenant"):
        with pytest.raises(PermissionDeniedError):
            services.obstacle_create(
                actor=users[who],
                cluster=world["own"],
                category=Category.OTHER,
                description="x",
                agency=world["department"],
                deadline=today,
            )
        with pytest.raises(PermissionDeniedError):
            services.obstacle_transition(actor=users[who], obstacle=obstacle, action="start")


def test_attachment_size_and_type_limits(users, raise_obstacle, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.MAX_UPLOAD_BYTES = 1024
    obstacle = raise_obstacle()
    att = services.attachment_add(
        actor=users["commune"],
        obstacle=obstacle,
        file=SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
        description="Biên bản họp dân",
    )
    assert att.size == 13 and att.name == "bien-ban.pdf" and att.file.read() == b"%PDF-1.4 test"
    assert att.record == obstacle and att.media_type == "application/pdf"  # in the attachment store
    assert list(obstacle.attachments) == [att]
    with pytest.raises(ValidationFailed) as exc:
        services.attachment_add(
            actor=users["editor"], obstacle=obstacle, file=SimpleUploadedFile("x.exe", b"MZ"), description=""
        )
    assert exc.value.code == "file_type_refused"  # judged by its bytes, whatever its name
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4 " + b"0" * 1024)
    with pytest.raises(ValidationFailed) as exc:
        services.attachment_add(actor=users["editor"], obstacle=obstacle, file=big)
    assert "limit" in exc.value.message
    assert Attachment.objects.count() == 1


def test_agency_commune_must_be_in_province(users, kha, world):
    with pytest.raises(ValidationFailed):
        services.agency_create(
            actor=users["editor"],
            province=kha,
            name="UBND xã lạ",
            kind="commune",
            commune=world["hanoi"].communes.get(),
        )
    with pytest.raises(PermissionDeniedError):
        services.agency_create(actor=users["other_editor"], province=kha, name="Sở X")
    with pytest.raises(ValidationFailed):
        services.agency_member_add(actor=users["editor"], agency=world["department"], user=users["investor"])


def test_member_with_open_actions_cannot_be_removed(users, world, raise_obstacle, today):
    obstacle = raise_obstacle()
    services.action_add(actor=users["editor"], obstacle=obstacle, description="x", owner=users["commune"], due_on=today)
    with pytest.raises(ConflictError):
        services.agency_member_remove(actor=users["editor"], agency=world["commune_agency"], user=users["commune"])


def test_dialogue_recommendation_answered_or_turned_into_obstacle(users, kha, world, today):
    conf = services.conference_create(
        actor=users["editor"],
        province=kha,
        held_on=today,
        title="Hội nghị đối thoại doanh nghiệp 2025",
        participants="Công ty A; Công ty B; Sở Công Thương",
    )
    r1 = services.recommendation_add(
        actor=users["editor"], conference=conf, business_name="Công ty A", content="Hỗ trợ điện"
    )
    r2 = services.recommendation_add(
        actor=users["editor"],
        conference=conf,
        business_name="Công ty B",
        content="Mặt bằng chậm bàn giao",
        cluster=world["own"],
    )
    with pytest.raises(ValidationFailed):
        services.recommendation_answer(actor=users["editor"], recommendation=r1, answer="  ")
    services.recommendation_answer(actor=users["editor"], recommendation=r1, answer="Điện lực sẽ đấu nối trong quý III")
    r1.refresh_from_db()
    assert r1.status == "answered" and r1.answered_on == today
    with pytest.raises(ValidationFailed):  # no agency: nothing written, recommendation still pending
        services.recommendation_to_obstacle(
            actor=users["editor"], recommendation=r2, category=Category.SITE_CLEARANCE, agency=None, deadline=today
        )
    r2.refresh_from_db()
    assert r2.status == "pending" and r2.obstacle is None
    obstacle = services.recommendation_to_obstacle(
        actor=users["editor"],
        recommendation=r2,
        category=Category.SITE_CLEARANCE,
        agency=world["commune_agency"],
        deadline=today + datetime.timedelta(days=30),
    )
    r2.refresh_from_db()
    assert r2.status == "obstacle" and r2.obstacle == obstacle
    assert obstacle.source == f"dialogue:{conf.pk}" and obstacle.description == "Mặt bằng chậm bàn giao"
    with pytest.raises(ConflictError):
        services.recommendation_to_obstacle(
            actor=users["editor"],
            recommendation=r2,
            category=Category.OTHER,
            agency=world["department"],
            deadline=today,
        )
    with pytest.raises(PermissionDeniedError):
        services.recommendation_answer(actor=users["commune"], recommendation=r1, answer="x")


def test_meeting_unique_per_day(users, kha, today):
    services.meeting_create(actor=users["editor"], province=kha, held_on=today, title="Giao ban tháng")
    with pytest.raises(ValidationFailed) as exc:
        services.meeting_create(actor=users["approver"], province=kha, held_on=today, title="Giao ban 2")
    assert "already" in exc.value.message
    with pytest.raises(PermissionDeniedError):
        services.meeting_create(actor=users["commune"], province=kha, held_on=today, title="x")
