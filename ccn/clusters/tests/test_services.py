"""Registry services: validation, bad input, lifecycle, history and concurrent edits."""

import datetime
from decimal import Decimal

import pytest

from ccn.clusters.choices import ClusterStatus, DocumentKind
from ccn.clusters.models import Cluster, ClusterEvent, LegalDocument, LegalRule
from ccn.clusters.services import cluster_create, cluster_transition, cluster_update, document_add
from ccn.clusters.tests.factories import make_cluster
from ccn.clusters.validators import tax_code_is_valid
from ccn.core.errors import ConflictError, PermissionDeniedError, ValidationFailed
from ccn.core.models import ChangeRecord
from ccn.geo.models import Commune

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def kha_commune(kha, index=0):
    return Commune.objects.filter(province=kha).order_by("code")[index]


def test_create_records_event_and_history(users, kha):
    cluster = cluster_create(
        actor=users["editor"],
        province=kha,
        communes=[kha_commune(kha).code],
        sectors=["10", "C"],
        data={"code": "KHA-NEW", "name": "Cụm công nghiệp Đông Phú Yên Mới", "area_planned_ha": Decimal("45.5")},
    )
    assert cluster.status == ClusterStatus.PLANNED
    assert cluster.search_key == "cum cong nghiep dong phu yen moi kha-new"
    assert sorted(cluster.sectors.values_list("code", flat=True)) == ["10", "C"]
    event = ClusterEvent.objects.get(cluster=cluster)
    assert (event.from_status, event.to_status) == ("", "planned")
    change = ChangeRecord.objects.get(object_id=str(cluster.pk), action="create")
    assert change.actor == users["editor"] and change.after["code"] == "KHA-NEW"


def test_ordinary_cluster_of_80_ha_is_refused(users, kha):
    with pytest.raises(ValidationFailed) as exc:
        cluster_create(
            actor=users["editor"],
            province=kha,
            communes=[kha_commune(kha).code],
            data={"code": "KHA-BIG", "name": "Cụm lớn", "area_planned_ha": Decimal("80")},
        )
    assert "area_planned_ha" in exc.value.field_errors
    assert "10–75" in exc.value.field_errors["area_planned_ha"][0]
    assert not Cluster.objects.filter(code="KHA-BIG").exists()


def test_craft_village_floor_is_5_ha(users, kha):
    cluster = cluster_create(
        actor=users["editor"],
        province=kha,
        communes=[kha_commune(kha).code],
        data={"code": "KHA-LN", "name": "Cụm làng nghề", "kind": "craft_village", "area_planned_ha": Decimal("6")},
    )
    assert cluster.pk
    with pytest.raises(ValidationFailed):
        cluster_create(
            actor=users["editor"],
            province=kha,
            communes=[kha_commune(kha).code],
            data={"code": "KHA-ORD6", "name": "Cụm thường 6 ha", "area_planned_ha": Decimal("6")},
        )


def test_rule_in_force_on_the_date_of_the_act(users, kha):
    """Rules are dated data: a later rule raising the ceiling applies only from its start."""
    old = LegalRule.objects.get(key="area_max_ha", cluster_kind="", effective_from=datetime.date(2024, 5, 1))
    old.effective_to = TODAY - datetime.timedelta(days=1)
    old.save()
    LegalRule.objects.create(
        key="area_max_ha", cluster_kind="", value=Decimal("90"), effective_from=TODAY, legal_source="Test amendment"
    )
    cluster = cluster_create(
        actor=users["editor"],
        province=kha,
        communes=[kha_commune(kha).code],
        data={"code": "KHA-85", "name": "Cụm 85 ha", "area_planned_ha": Decimal("85")},
    )
    assert cluster.area_planned_ha == Decimal("85")


def test_duplicate_code_is_refused(users, kha):
    make_cluster(code="KHA-DUP", actor=users["editor"])
    with pytest.raises(ValidationFailed) as exc:
        make_cluster(code="KHA-DUP", actor=users["editor"])
    assert "code" in exc.value.field_errors


def test_unknown_or_out_of_province_commune(users, kha, hni):
    hanoi_commune = Commune.objects.filter(province=hni).first()
    with pytest.raises(ValidationFailed) as exc:
        make_cluster(code="KHA-X1", actor=users["editor"], commune_codes=[hanoi_commune.code])
    assert "không thuộc" in exc.value.message or "is not in" in exc.value.message
    with pytest.raises(ValidationFailed):
        make_cluster(code="KHA-X2", actor=users["editor"], commune_codes=["99999"])
    assert not Cluster.objects.filter(code__in=["KHA-X1", "KHA-X2"]).exists()


@pytest.mark.parametrize(
    "boundary",
    [
        {
            "type": "Polygon",
            "coordinates": [[[109.0, 12.0], [109.1, 12.1], [109.1, 12.0], [109.0, 12.1], [109.0, 12.0]]],
        },
        {"type": "Polygon", "coordinates": [[1, 2]]},
        {"type": "Point", "coordinates": [109.0, 12.0]},
        "{not json",
        {"type": "Polygon", "coordinates": [[[500, 12], [501, 12], [501, 13], [500, 12]]]},
    ],
    ids=["self-intersecting", "malformed", "not-a-polygon", "not-json", "out-of-range"],
)
def test_bad_polygons_are_refused(users, kha, boundary):
    with pytest.raises(ValidationFailed) as exc:
        make_cluster(code="KHA-POLY", actor=users["editor"], boundary=boundary)
    assert "boundary" in exc.value.field_errors
    assert not Cluster.objects.filter(code="KHA-POLY").exists()


def test_valid_polygon_sets_bbox_and_point(users, kha):
    ring = [[109.0, 12.0], [109.02, 12.0], [109.02, 12.02], [109.0, 12.02], [109.0, 12.0]]
    cluster = make_cluster(code="KHA-POLY2", actor=users["editor"], boundary={"type": "Polygon", "coordinates": [ring]})
    assert (cluster.min_lon, cluster.min_lat, cluster.max_lon, cluster.max_lat) == (109.0, 12.0, 109.02, 12.02)
    assert 12.0 < cluster.lat < 12.02 and 109.0 < cluster.lon < 109.02


def test_other_province_editor_cannot_create_or_edit(users, kha):
    with pytest.raises(PermissionDeniedError):
        make_cluster(code="KHA-P", actor=users["other_editor"])
    cluster = make_cluster(code="KHA-P2", actor=users["editor"])
    with pytest.raises(PermissionDeniedError):
        cluster_update(actor=users["other_editor"], cluster=cluster, data={"name": "Đổi tên"})
    with pytest.raises(PermissionDeniedError):
        cluster_update(actor=users["ministry"], cluster=cluster, data={"name": "Đổi tên"})


def test_concurrent_edit_is_refused_with_who_and_when(users, kha):
    cluster = make_cluster(code="KHA-CC", actor=users["editor"])
    opened_version = cluster.version
    cluster_update(
        actor=users["approver"],
        cluster=cluster,
        data={"name": "Tên của người thứ nhất"},
        expected_version=opened_version,
    )
    with pytest.raises(ConflictError) as exc:
        cluster_update(
            actor=users["editor"],
            cluster=cluster,
            data={"name": "Tên của người thứ hai"},
            expected_version=opened_version,
        )
    assert "approver" in exc.value.message
    assert Cluster.objects.get(pk=cluster.pk).name == "Tên của người thứ nhất"


def test_update_records_before_and_after(users, kha):
    cluster = make_cluster(code="KHA-H", actor=users["editor"], name="Tên cũ")
    cluster_update(actor=users["editor"], cluster=cluster, data={"name": "Tên mới"}, message="Sửa tên")
    change = ChangeRecord.objects.filter(object_id=str(cluster.pk), action="update").get()
    assert ("name", "Tên cũ", "Tên mới") in change.changed_fields()
    assert change.message == "Sửa tên"


def _doc(users, cluster, kind, day=datetime.date(2024, 3, 1)):
    return document_add(
        actor=users["editor"],
        cluster=cluster,
        kind=kind,
        number=f"{kind[:6]}/QĐ-UBND",
        issued_on=day,
        issuer="UBND tỉnh Khánh Hòa",
    )


def test_full_lifecycle_with_documents(users, kha):
    from ccn.clusters.tests.factories import make_org
    from ccn.tenants.models import TenantProject

    cluster = make_cluster(
        code="KHA-LC",
        actor=users["editor"],
        area_established_ha=Decimal("40"),
        industrial_land_ha=Decimal("30"),
        status_since=datetime.date(2024, 1, 1),
    )
    steps = [
        ("establish", DocumentKind.ESTABLISHED, ClusterStatus.ESTABLISHED),
        ("approve_detailed_plan", DocumentKind.DETAILED_PLAN_APPROVED, ClusterStatus.DETAILED_PLAN_APPROVED),
        ("approve_infrastructure", DocumentKind.INFRASTRUCTURE_APPROVED, ClusterStatus.INFRASTRUCTURE_APPROVED),
        ("start_land_clearance", DocumentKind.LAND_CLEARANCE, ClusterStatus.LAND_CLEARANCE),
        ("start_construction", DocumentKind.CONSTRUCTION_STARTED, ClusterStatus.UNDER_CONSTRUCTION),
    ]
    day = datetime.date(2024, 2, 1)
    for action, kind, target in steps:
        doc = _doc(users, cluster, kind, day)
        cluster = cluster_transition(
            actor=users["editor"], cluster=cluster, action=action, effective_on=day, document=doc
        )
        assert cluster.status == target
        day += datetime.timedelta(days=30)
    doc = _doc(users, cluster, DocumentKind.OPERATION_STARTED, day)
    with pytest.raises(ConflictError) as exc:  # operating needs a tenant project
        cluster_transition(
            actor=users["editor"], cluster=cluster, action="start_operation", effective_on=day, document=doc
        )
    assert "tenant" in exc.value.message or "dự án" in exc.value.message
    TenantProject.objects.create(
        cluster=cluster,
        enterprise=make_org("Công ty Thuê Đất"),
        name="Nhà máy A",
        land_leased_ha=Decimal("5"),
        status="operating",
    )
    cluster = cluster_transition(
        actor=users["editor"], cluster=cluster, action="start_operation", effective_on=day, document=doc
    )
    assert cluster.status == ClusterStatus.OPERATING
    history = list(ClusterEvent.objects.filter(cluster=cluster).values_list("to_status", flat=True))
    assert history == [
        "planned",
        "established",
        "detailed_plan_approved",
        "infrastructure_approved",
        "land_clearance",
        "under_construction",
        "operating",
    ]
    assert ChangeRecord.objects.filter(object_id=str(cluster.pk), action="transition").count() == 6


def test_transition_without_document_or_with_wrong_kind(users, kha):
    cluster = make_cluster(code="KHA-ND", actor=users["editor"], area_established_ha=Decimal("40"))
    with pytest.raises(ValidationFailed) as exc:
        cluster_transition(actor=users["editor"], cluster=cluster, action="establish", effective_on=TODAY)
    assert exc.value.code == "document_required"
    wrong = _doc(users, cluster, DocumentKind.DETAILED_PLAN_APPROVED)
    with pytest.raises(ValidationFailed) as exc:
        cluster_transition(
            actor=users["editor"], cluster=cluster, action="establish", effective_on=TODAY, document=wrong
        )
    assert exc.value.code == "document_kind"
    assert Cluster.objects.get(pk=cluster.pk).status == ClusterStatus.PLANNED


def test_transition_not_allowed_from_state(users, kha):
    cluster = make_cluster(code="KHA-NA", actor=users["editor"])
    doc = _doc(users, cluster, DocumentKind.OPERATION_STARTED)
    with pytest.raises(ConflictError) as exc:
        cluster_transition(
            actor=users["editor"], cluster=cluster, action="start_operation", effective_on=TODAY, document=doc
        )
    assert exc.value.code == "transition_not_allowed"


def test_establishing_outside_area_limits_is_refused(users, kha):
    cluster = make_cluster(code="KHA-AL", actor=users["editor"], area_planned_ha=Decimal("50"))
    # The established area is checked against the rule in force on the date of the act.
    Cluster.objects.filter(pk=cluster.pk).update(area_established_ha=Decimal("9"))
    cluster.refresh_from_db()
    doc = _doc(users, cluster, DocumentKind.ESTABLISHED)
    with pytest.raises(ConflictError) as exc:
        cluster_transition(actor=users["editor"], cluster=cluster, action="establish", effective_on=TODAY, document=doc)
    assert exc.value.code == "guard_failed"


def test_revoke_needs_approver(users, kha):
    cluster = make_cluster(code="KHA-RV", actor=users["editor"], status="established")
    doc = _doc(users, cluster, DocumentKind.REVOKED)
    with pytest.raises(PermissionDeniedError):
        cluster_transition(actor=users["editor"], cluster=cluster, action="revoke", effective_on=TODAY, document=doc)
    cluster = cluster_transition(
        actor=users["approver"], cluster=cluster, action="revoke", effective_on=TODAY, document=doc
    )
    assert cluster.status == ClusterStatus.REVOKED


def test_future_dates_are_refused(users, kha):
    cluster = make_cluster(code="KHA-FD", actor=users["editor"], area_established_ha=Decimal("40"))
    with pytest.raises(ValidationFailed):
        document_add(
            actor=users["editor"],
            cluster=cluster,
            kind="established",
            number="1",
            issued_on=TODAY + datetime.timedelta(days=3),
            issuer="UBND",
        )
    assert not LegalDocument.objects.filter(cluster=cluster).exists()


@pytest.mark.parametrize(
    "code,valid",
    [
        ("0100109106", True),
        ("0101243150", True),
        ("0100109107", False),
        ("0100109106-001", True),
        ("12345", False),
        ("010010910A", False),
    ],
)
def test_tax_code_check_digit(code, valid):
    assert tax_code_is_valid(code) is valid


def test_organisation_with_wrong_check_digit_is_refused(users):
    from ccn.clusters.services import organisation_create

    with pytest.raises(ValidationFailed) as exc:
        organisation_create(actor=users["editor"], data={"name": "Công ty Sai Mã", "tax_code": "0100109107"})
    assert "tax_code" in exc.value.field_errors
    org = organisation_create(actor=users["editor"], data={"name": "Công ty Đúng Mã", "tax_code": "0100109106"})
    assert org.pk and not org.is_foreign
