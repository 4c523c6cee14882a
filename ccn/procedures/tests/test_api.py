"""The API over HTTP with JSON: a dossier from the commune to the decision, bad input, and scope as a matrix
(role × endpoint × own/other scope)."""

import datetime

import pytest

from ccn.clusters.tests.factories import make_org
from ccn.procedures.models import Dossier

from .factories import operating_cluster, planned_cluster, tenant

D = datetime.date
API = "/api/v1/procedures"
pytestmark = pytest.mark.django_db


def call(client, user, method, path, body=None):
    client.logout()
    if user is not None:
        client.force_login(user)
    fn = getattr(client, method)
    if body is None:
        return fn(API + path)
    return fn(API + path, body, content_type="application/json")


def versioned(code, body):
    """A dossier step names the version of the dossier it is based on (read from the database here, as a client
    reads it from the dossier it fetched)."""
    return {**body, "version": Dossier.objects.get(code=code).version}


def application(org, day="2026-03-02"):
    return {
        "applicant_id": org.pk,
        "received_on": day,
        "project": "Hạ tầng 50 ha",
        "estimated_capital_bn": "450",
        "attachments": ["Báo cáo đầu tư", "Bản đồ vị trí"],
    }


@pytest.fixture
def dossier_code(client, users):
    cluster = planned_cluster()
    body = {
        "kind": "establishment",
        "cluster": cluster.code,
        "commune": cluster.communes.first().code,
        "application": application(make_org("Công ty Hạ tầng Một")),
    }
    response = call(client, users["commune"], "post", "/dossiers", body)
    assert response.status_code == 201, response.content
    return response.json()["code"]


def test_dossier_from_commune_to_decision(client, users, dossier_code):
    code = dossier_code
    detail = call(client, users["ministry"], "get", f"/dossiers/{code}").json()
    assert detail["applications"][0]["attachments"] == ["Báo cáo đầu tư", "Bản đồ vị trí"]
    assert detail["clocks"][0]["step"] == "announce" and detail["clocks"][0]["due_on"] == "2026-03-09"
    r = call(
        client, users["commune"], "post", f"/dossiers/{code}/announce", versioned(code, {"announced_on": "2026-03-04"})
    )
    assert r.json()["window_closes_on"] == "2026-03-19"
    r = call(client, users["commune"], "post", f"/dossiers/{code}/send", versioned(code, {"sent_on": "2026-03-20"}))
    assert r.status_code == 200 and r.json()["status"] == "in_appraisal"
    assert (
        call(client, users["editor"], "post", f"/dossiers/{code}/selection", {"council_ref": "QĐ 1"}).status_code == 201
    )
    for username, role in (("approver", "chair"), ("editor", "member")):
        r = call(
            client, users["editor"], "post", f"/dossiers/{code}/selection/members", {"username": username, "role": role}
        )
        assert r.status_code == 200, r.content
    app_id = detail["applications"][0]["id"]
    too_much = {
        "application_id": app_id,
        "infrastructure_plan": "16",
        "management_environment": "10",
        "capacity": "20",
        "finance": "30",
    }
    r = call(client, users["approver"], "post", f"/dossiers/{code}/selection/scores", too_much)
    assert r.status_code == 422 and r.json()["code"] == "score_above_maximum"
    assert "infrastructure_plan" in r.json()["errors"]
    good = {**too_much, "infrastructure_plan": "12"}
    assert call(client, users["approver"], "post", f"/dossiers/{code}/selection/scores", good).status_code == 201
    r = call(client, users["approver"], "post", f"/dossiers/{code}/selection/scores", good)
    assert r.status_code == 409 and r.json()["code"] == "already_scored"
    assert call(client, users["editor"], "post", f"/dossiers/{code}/selection/scores", good).status_code == 201
    r = call(
        client,
        users["editor"],
        "post",
        f"/dossiers/{code}/selection/close",
        {"meeting_on": "2026-04-08", "minutes": "Biên bản"},
    )
    assert r.status_code == 200 and r.json()["selected_applicant"] == "Công ty Hạ tầng Một"
    assert r.json()["results"][0]["average"] == "72.00"
    r = call(
        client,
        users["editor"],
        "post",
        f"/dossiers/{code}/appraise",
        versioned(code, {"appraised_on": "2026-04-10", "conclusion": "favourable"}),
    )
    assert r.status_code == 200 and r.json()["checks_passed"] is True
    decision = {
        "decided_on": "2026-04-09",
        "number": "45/QĐ-UBND",
        "issuer": "UBND tỉnh Khánh Hòa",
        "name": "Cụm công nghiệp Quy hoạch",
        "area_ha": "50",
        "location": "Khánh Hòa",
    }
    r = call(client, users["approver"], "post", f"/dossiers/{code}/decide", versioned(code, decision))
    assert r.status_code == 422 and r.json()["code"] == "decision_before_appraisal"
    r = call(
        client,
        users["approver"],
        "post",
        f"/dossiers/{code}/decide",
        versioned(code, {**decision, "decided_on": "2026-04-14"}),
    )
    assert r.status_code == 200 and r.json()["status"] == "decided"
    assert r.json()["decision"]["investor"] == "Công ty Hạ tầng Một"
    cluster = call(client, users["editor"], "get", f"/dossiers/{code}").json()["cluster"]
    registry = client.get(f"/api/v1/clusters/{cluster}").json()
    assert registry["status"] == "established"


def test_late_appraisal_over_http(client, users, dossier_code):
    code = dossier_code
    call(
        client, users["commune"], "post", f"/dossiers/{code}/announce", versioned(code, {"announced_on": "2026-03-04"})
    )
    call(client, users["commune"], "post", f"/dossiers/{code}/send", versioned(code, {"sent_on": "2026-03-20"}))
    r = call(
        client,
        users["editor"],
        "post",
        f"/dossiers/{code}/appraise",
        versioned(code, {"appraised_on": "2026-04-20", "conclusion": "unfavourable"}),
    )
    assert r.status_code == 422 and "late_reason" in r.json()["errors"]
    r = call(
        client,
        users["editor"],
        "post",
        f"/dossiers/{code}/appraise",
        versioned(
            code, {"appraised_on": "2026-04-20", "conclusion": "unfavourable", "late_reason": "Chờ ý kiến các sở"}
        ),
    )
    assert r.status_code == 200
    clock = next(c for c in r.json()["clocks"] if c["step"] == "appraise")
    assert clock["state"] == "late" and clock["late_reason"] == "Chờ ý kiến các sở"
    assert call(client, users["ministry"], "get", "/overdue").status_code == 200


@pytest.mark.parametrize(
    "who,status,sees",
    [
        (None, 401, None),
        ("investor", 403, None),
        ("tenant", 403, None),
        ("ministry", 200, True),
        ("editor", 200, True),
        ("approver", 200, True),
        ("commune", 200, True),
        ("other_editor", 200, False),
    ],
)
def test_dossier_read_scope(client, users, dossier_code, who, status, sees):
    user = users[who] if who else None
    r = call(client, user, "get", "/dossiers")
    assert r.status_code == status
    if status == 200:
        assert (dossier_code in [d["code"] for d in r.json()["items"]]) is sees
        assert call(client, user, "get", f"/dossiers/{dossier_code}").status_code == (200 if sees else 404)


@pytest.mark.parametrize(
    "who,status",
    [
        (None, 401),
        ("ministry", 403),
        ("investor", 403),
        ("other_editor", 404),
        ("editor", 403),
        ("approver", 403),
        ("commune", 200),
    ],
)
def test_announce_write_scope(client, users, dossier_code, who, status):
    r = call(
        client,
        users[who] if who else None,
        "post",
        f"/dossiers/{dossier_code}/announce",
        versioned(dossier_code, {"announced_on": "2026-03-04"}),
    )
    assert r.status_code == status, r.content


def test_second_inspection_and_relocation_over_http(client, users):
    cluster = operating_cluster(industrial=40, leased=0)
    project = tenant(cluster, 2, name="Nhà máy")
    body = {
        "cluster": cluster.code,
        "planned_on": "2026-03-01",
        "agency": "Sở Công Thương",
        "tenant_project_id": project.pk,
    }
    assert call(client, users["editor"], "post", "/inspections", body).status_code == 201
    r = call(client, users["editor"], "post", "/inspections", {**body, "planned_on": "2026-08-01"})
    assert r.status_code == 422 and r.json()["code"] == "second_inspection"
    r = call(
        client,
        users["editor"],
        "post",
        "/inspections",
        {**body, "planned_on": "2026-08-01", "suspicion": "Tố cáo xả thải"},
    )
    assert r.status_code == 201
    assert call(client, users["other_editor"], "post", "/inspections", body).status_code in (403, 404)
    assert call(client, users["ministry"], "post", "/inspections", body).status_code == 403
    listed = call(client, users["ministry"], "get", "/inspections?year=2026").json()
    assert len(listed) == 2
    assert call(client, users["other_editor"], "get", "/inspections?year=2026").json() == []

    planned = planned_cluster()
    facility = {
        "commune": cluster.communes.first().code,
        "name": "Lò gạch thủ công",
        "kind": "craft_workshop",
        "current_location": "Thôn 2",
        "pollution_concern": "Khói bụi",
        "target_cluster": planned.code,
    }
    r = call(client, users["editor"], "post", "/relocations", facility)
    assert r.status_code == 422 and r.json()["code"] == "cluster_not_operating"
    full = operating_cluster(industrial=40, leased=40, name="Cụm đầy")
    r = call(client, users["editor"], "post", "/relocations", {**facility, "target_cluster": full.code})
    assert r.status_code == 422 and r.json()["code"] == "no_vacant_land"
    r = call(client, users["editor"], "post", "/relocations", {**facility, "target_cluster": cluster.code})
    assert r.status_code == 201
    counts = call(client, users["ministry"], "get", "/relocations/counts").json()
    assert counts["by_cluster"][0]["code"] == cluster.code and counts["by_cluster"][0]["identified"] == 1


def test_obstacle_from_finding_over_http(client, users):
    from django.utils import timezone

    from ccn.obstacles.services import agency_create
    from ccn.procedures import services

    cluster = operating_cluster(industrial=40, leased=0)
    agency = agency_create(actor=users["editor"], province=cluster.province, name="Sở Xây dựng")
    inspection = services.inspection_create(
        actor=users["editor"], cluster=cluster, planned_on=D(2026, 3, 1), agency="Sở"
    )
    services.inspection_record(actor=users["editor"], inspection=inspection, conducted_on=D(2026, 3, 2))
    finding = services.finding_add(
        actor=users["editor"], inspection=inspection, area="construction", description="Xây dựng sai phép"
    )
    deadline = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    body = {"agency_id": agency.pk, "deadline": deadline}
    assert call(client, users["ministry"], "post", f"/findings/{finding.pk}/obstacle", body).status_code == 403
    assert call(client, users["other_editor"], "post", f"/findings/{finding.pk}/obstacle", body).status_code == 404
    r = call(client, users["editor"], "post", f"/findings/{finding.pk}/obstacle", {**body, "agency_id": 999999})
    assert r.status_code == 422
    r = call(client, users["editor"], "post", f"/findings/{finding.pk}/obstacle", body)
    assert r.status_code == 201 and r.json()["obstacle_id"]
    detail = call(client, users["editor"], "get", f"/inspections/{inspection.pk}").json()
    assert detail["findings"][0]["obstacle_id"] == r.json()["obstacle_id"]
    assert call(client, users["editor"], "post", f"/findings/{finding.pk}/obstacle", body).status_code == 409
    assert call(client, users["editor"], "get", "/inspections/99999999999").status_code == 404


def test_dossier_steps_name_the_version_they_are_based_on(client, users, dossier_code):
    """A step without a version is refused with 428, one based on an older version with 409; neither changes the
    dossier. If-Match carries the version as well as the body."""
    path = f"/dossiers/{dossier_code}/announce"
    missing = call(client, users["commune"], "post", path, {"announced_on": "2026-03-04"})
    assert missing.status_code == 428 and missing.json()["code"] == "version_required"
    stale = call(client, users["commune"], "post", path, {"announced_on": "2026-03-04", "version": 0})
    assert stale.status_code == 409 and stale.json()["code"] == "edit_conflict"
    dossier = Dossier.objects.get(code=dossier_code)
    assert (dossier.status, dossier.version) == ("received", 1)
    client.force_login(users["commune"])
    ok = client.post(
        API + path, {"announced_on": "2026-03-04"}, content_type="application/json", headers={"If-Match": '"1"'}
    )
    assert ok.status_code == 200 and ok.json()["status"] == "announced" and ok.json()["version"] == 2
