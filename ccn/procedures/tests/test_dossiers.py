"""A dossier from the commune to the province's decision: clocks, pauses, checks, the decision moving the cluster,
and the bad input the procedure must refuse."""

import datetime
from decimal import Decimal

import pytest

from ccn.clusters.models import ClusterEvent, LegalDocument
from ccn.clusters.tests.factories import make_org
from ccn.core.errors import ConflictError, PermissionDeniedError, ValidationFailed
from ccn.procedures import services
from ccn.procedures.calendar import clocks_for
from ccn.procedures.selectors import overdue_steps

from .factories import application, operating_cluster, planned_cluster, receive, select, sheet, to_appraisal

D = datetime.date
pytestmark = pytest.mark.django_db
DECISION = {
    "number": "123/QĐ-UBND",
    "issuer": "UBND tỉnh Khánh Hòa",
    "name": "Cụm công nghiệp Quy hoạch",
    "area_ha": "50",
    "location": "Khánh Hòa",
    "sectors": [],
    "scale": "Hạ tầng đồng bộ",
    "capital_bn": "450",
    "capital_sources": "Vốn doanh nghiệp",
    "schedule": "2026–2028",
    "incentives": "Theo Điều 25 Nghị định 32/2024",
}


def _winner(users, dossier):
    org = dossier.applications.first().applicant.name
    return select(users, dossier, {org: [sheet(12, 12, 25, 30), sheet(10, 10, 20, 30)]})


def test_full_procedure_moves_the_cluster(users):
    cluster = planned_cluster()
    operating_cluster(industrial=40, leased=30, name="Cụm bên cạnh")  # area occupancy 75 %: establishing allowed
    dossier = receive(users, cluster)
    assert dossier.code.startswith("HS-56-2026-")
    assert dossier.steps.get(step="announce").due_on == D(2026, 3, 9)

    services.dossier_announce(actor=users["commune"], dossier=dossier, announced_on=D(2026, 3, 4))
    dossier.refresh_from_db()
    assert dossier.status == "announced" and dossier.window_closes_on == D(2026, 3, 19)
    assert dossier.steps.get(step="send").due_on == D(2026, 3, 26)

    rival = make_org("Công ty Hạ tầng Hai")
    services.application_add(actor=users["commune"], dossier=dossier, data=application(rival, D(2026, 3, 18)))
    with pytest.raises(ValidationFailed, match="window closed"):
        services.application_add(
            actor=users["commune"], dossier=dossier, data=application(make_org("Muộn"), D(2026, 3, 20))
        )
    with pytest.raises(ValidationFailed, match="from the next day"):
        services.dossier_send(actor=users["commune"], dossier=dossier, sent_on=D(2026, 3, 19))
    services.dossier_send(actor=users["commune"], dossier=dossier, sent_on=D(2026, 3, 20))
    assert dossier.steps.get(step="appraise").due_on == D(2026, 4, 14)

    services.dossier_request_corrections(
        actor=users["editor"], dossier=dossier, requested_on=D(2026, 3, 25), reason="Bổ sung báo cáo tài chính"
    )
    assert dossier.steps.get(step="appraise").due_on is None
    services.dossier_receive_corrections(actor=users["editor"], dossier=dossier, received_on=D(2026, 3, 30))
    assert dossier.steps.get(step="appraise").due_on == D(2026, 4, 20)

    apps = {a.applicant.name: a for a in dossier.applications.all()}
    select(
        users,
        dossier,
        {
            "Công ty Hạ tầng Một": [sheet(12, 12, 25, 30), sheet(10, 10, 20, 30)],
            "Công ty Hạ tầng Hai": [sheet(10, 10, 20, 20), sheet(10, 10, 20, 20)],
        },
    )
    dossier.refresh_from_db()
    assert dossier.selected_application == apps["Công ty Hạ tầng Một"]

    services.dossier_appraise(
        actor=users["editor"], dossier=dossier, appraised_on=D(2026, 4, 17), conclusion="favourable"
    )
    dossier.refresh_from_db()
    assert dossier.checks_passed is True and dossier.checks_on == D(2026, 4, 17)
    occupancy = next(i for i in dossier.checks["items"] if i["key"] == "area_occupancy")
    assert occupancy["figures"]["average_occupancy_pct"] == "75.00"
    # Decide within 7 working days of 17/04: 27/04 (compensatory) and 30/04–01/05 are not counted.
    assert dossier.steps.get(step="decide").due_on == D(2026, 4, 29)

    services.dossier_decide(actor=users["approver"], dossier=dossier, decided_on=D(2026, 4, 24), decision=DECISION)
    cluster.refresh_from_db()
    dossier.refresh_from_db()
    assert dossier.status == "decided"
    assert cluster.status == "established" and cluster.status_since == D(2026, 4, 24)
    assert cluster.investor.name == "Công ty Hạ tầng Một"
    assert cluster.area_established_ha == Decimal("50")
    doc = LegalDocument.objects.get(cluster=cluster, kind="established")
    assert doc.number == "123/QĐ-UBND" and dossier.decision_document == doc
    event = ClusterEvent.objects.filter(cluster=cluster).latest("id")
    assert (event.action, event.document_id, event.effective_on) == ("establish", doc.pk, D(2026, 4, 24))
    clocks = {c.step: c for c in clocks_for(dossier, today=D(2026, 11, 23))}
    assert clocks["appraise"].state == "done" and clocks["appraise"].used == 23  # 28 days less 5 paused
    assert clocks["decide"].used == 5 and clocks["decide"].state == "done"


def test_decision_dated_before_the_appraisal_is_refused(users):
    cluster = planned_cluster()
    dossier = to_appraisal(users, cluster)
    _winner(users, dossier)
    services.dossier_appraise(
        actor=users["editor"], dossier=dossier, appraised_on=D(2026, 4, 10), conclusion="favourable"
    )
    with pytest.raises(ValidationFailed, match="before the appraisal") as exc:
        services.dossier_decide(actor=users["approver"], dossier=dossier, decided_on=D(2026, 4, 9), decision=DECISION)
    assert "decided_on" in exc.value.field_errors
    cluster.refresh_from_db()
    assert cluster.status == "planned" and not LegalDocument.objects.filter(cluster=cluster).exists()
    dossier.refresh_from_db()
    assert dossier.status == "appraised"


def test_appraisal_outside_the_time_limit_needs_a_reason(users):
    dossier = to_appraisal(users, planned_cluster())
    _winner(users, dossier)
    with pytest.raises(ValidationFailed, match="reason for the delay") as exc:
        services.dossier_appraise(
            actor=users["editor"], dossier=dossier, appraised_on=D(2026, 4, 21), conclusion="favourable"
        )
    assert exc.value.code == "late_without_reason" and "late_reason" in exc.value.field_errors
    dossier.refresh_from_db()
    assert dossier.status == "in_appraisal"
    services.dossier_appraise(
        actor=users["editor"],
        dossier=dossier,
        appraised_on=D(2026, 4, 21),
        conclusion="favourable",
        late_reason="Chờ ý kiến Sở Nông nghiệp và Môi trường",
    )
    step = dossier.steps.get(step="appraise")
    assert step.completed_on == D(2026, 4, 21) and step.late_reason.startswith("Chờ")
    clock = next(c for c in clocks_for(dossier, today=D(2026, 11, 23)) if c.step == "appraise")
    assert clock.state == "late"


def test_favourable_appraisal_needs_the_conditions(users):
    cluster = planned_cluster()
    for i in range(3):  # 10 % occupied and 135 ha unleased in the province: the condition fails
        operating_cluster(industrial=50, leased=5, name=f"Cụm vắng {i}")
    dossier = to_appraisal(users, cluster)
    _winner(users, dossier)
    with pytest.raises(ConflictError, match="not met"):
        services.dossier_appraise(
            actor=users["editor"], dossier=dossier, appraised_on=D(2026, 4, 10), conclusion="favourable"
        )
    services.dossier_appraise(
        actor=users["editor"], dossier=dossier, appraised_on=D(2026, 4, 10), conclusion="unfavourable"
    )
    dossier.refresh_from_db()
    assert dossier.checks_passed is False
    with pytest.raises(ConflictError, match="refusal"):
        services.dossier_decide(actor=users["approver"], dossier=dossier, decided_on=D(2026, 4, 14), decision=DECISION)
    services.dossier_refuse(actor=users["approver"], dossier=dossier, refused_on=D(2026, 4, 14), reason="Điều 8")
    dossier.refresh_from_db()
    assert dossier.status == "refused"


def test_favourable_appraisal_needs_a_closed_selection(users):
    dossier = to_appraisal(users, planned_cluster())
    with pytest.raises(ConflictError, match="close the selection"):
        services.dossier_appraise(
            actor=users["editor"], dossier=dossier, appraised_on=D(2026, 4, 10), conclusion="favourable"
        )


def test_roles_and_scope_of_each_step(users, hni):
    cluster = planned_cluster()
    with pytest.raises(PermissionDeniedError):
        receive({"commune": users["editor"]}, cluster)
    dossier = receive(users, cluster)
    with pytest.raises(PermissionDeniedError):
        services.dossier_announce(actor=users["editor"], dossier=dossier, announced_on=D(2026, 3, 4))
    services.dossier_announce(actor=users["commune"], dossier=dossier, announced_on=D(2026, 3, 4))
    services.dossier_send(actor=users["commune"], dossier=dossier, sent_on=D(2026, 3, 20))
    with pytest.raises(PermissionDeniedError):
        services.dossier_appraise(
            actor=users["commune"], dossier=dossier, appraised_on=D(2026, 4, 1), conclusion="unfavourable"
        )
    with pytest.raises(PermissionDeniedError):
        services.dossier_appraise(
            actor=users["other_editor"], dossier=dossier, appraised_on=D(2026, 4, 1), conclusion="unfavourable"
        )
    with pytest.raises(PermissionDeniedError):
        services.dossier_appraise(
            actor=users["approver"], dossier=dossier, appraised_on=D(2026, 4, 1), conclusion="unfavourable"
        )
    services.dossier_appraise(
        actor=users["editor"], dossier=dossier, appraised_on=D(2026, 4, 1), conclusion="unfavourable"
    )
    with pytest.raises(PermissionDeniedError):
        services.dossier_refuse(actor=users["editor"], dossier=dossier, refused_on=D(2026, 4, 2), reason="x")


def test_receiving_refuses_wrong_cluster_states(users):
    established = planned_cluster()
    established.status = "established"
    established.save(update_fields=["status"])
    with pytest.raises(ConflictError, match="not yet established"):
        receive(users, established)
    cluster = planned_cluster()
    receive(users, cluster)
    with pytest.raises(ConflictError, match="still open"):
        receive(users, cluster, org=make_org("Khác"))
    with pytest.raises(ConflictError, match="operating"):
        receive(users, planned_cluster(), kind="expansion")


def test_overdue_list_and_paused_clock(users):
    dossier = to_appraisal(users, planned_cluster())
    assert list(overdue_steps(user=users["editor"], today=D(2026, 4, 14))) == []
    overdue = list(overdue_steps(user=users["editor"], today=D(2026, 4, 15)))
    assert [(s.dossier_id, s.step) for s in overdue] == [(dossier.pk, "appraise")]
    assert list(overdue_steps(user=users["other_editor"], today=D(2026, 4, 15))) == []
    services.dossier_request_corrections(
        actor=users["editor"], dossier=dossier, requested_on=D(2026, 4, 1), reason="Thiếu bản đồ"
    )
    assert list(overdue_steps(user=users["editor"], today=D(2026, 6, 1))) == []  # a paused clock is never overdue
    clock = next(c for c in clocks_for(dossier, today=D(2026, 6, 1)) if c.step == "appraise")
    assert clock.state == "paused" and clock.used == 12


def test_expansion_decision_moves_an_operating_cluster(users):
    from ccn.infrastructure.models import InfrastructureComponent, WastewaterPlant

    cluster = operating_cluster(industrial=40, leased=30)
    for kind in ("roads", "water_supply", "wastewater_collection"):
        InfrastructureComponent.objects.create(cluster=cluster, kind=kind, status="completed", percent_complete=100)
    WastewaterPlant.objects.create(cluster=cluster, status="operating")
    dossier = receive(users, cluster, kind="expansion")
    services.dossier_announce(actor=users["commune"], dossier=dossier, announced_on=D(2026, 3, 4))
    services.dossier_send(actor=users["commune"], dossier=dossier, sent_on=D(2026, 3, 20))
    dossier.refresh_from_db()
    dossier.proposed_area_ha = Decimal("70")
    dossier.save()
    _winner(users, dossier)
    services.dossier_appraise(
        actor=users["editor"], dossier=dossier, appraised_on=D(2026, 4, 10), conclusion="favourable"
    )
    services.dossier_decide(
        actor=users["approver"],
        dossier=dossier,
        decided_on=D(2026, 4, 14),
        decision={**DECISION, "area_ha": "70", "name": cluster.name},
    )
    cluster.refresh_from_db()
    assert cluster.status == "expanding" and cluster.area_established_ha == Decimal("70")
    assert LegalDocument.objects.filter(cluster=cluster, kind="expanded").count() == 1


def test_withdrawal_stops_the_clocks(users):
    dossier = receive(users, planned_cluster())
    services.dossier_withdraw(actor=users["commune"], dossier=dossier, on=D(2026, 3, 3), reason="Nhà đầu tư rút")
    dossier.refresh_from_db()
    assert dossier.status == "withdrawn"
    assert not dossier.steps.filter(completed_on__isnull=True).exists()
    with pytest.raises(ConflictError):
        services.dossier_announce(actor=users["commune"], dossier=dossier, announced_on=D(2026, 3, 4))
