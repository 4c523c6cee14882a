"""Inspections: at most one a year per tenant unless a violation is suspected; findings by area of law, required
corrections and follow-up; a finding opening an obstacle."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from ccn.clusters.tests.factories import make_org
from ccn.core.errors import ConflictError, PermissionDeniedError, ValidationFailed
from ccn.procedures import services

from .factories import operating_cluster, tenant

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def project(db):
    cluster = operating_cluster(industrial=40, leased=0)
    return tenant(cluster, 2, name="Nhà máy may", enterprise=make_org("Công ty May Một"))


def _inspect(users, project, day, **kw):
    return services.inspection_create(
        actor=users["editor"],
        cluster=project.cluster,
        tenant_project=project,
        planned_on=day,
        agency="Sở Công Thương",
        **kw,
    )


def test_second_inspection_of_a_tenant_in_a_year_needs_a_suspicion(users, project):
    first = _inspect(users, project, D(2026, 3, 1))
    assert first.enterprise == project.enterprise
    with pytest.raises(ValidationFailed, match="at most once a year") as exc:
        _inspect(users, project, D(2026, 9, 1))
    assert exc.value.code == "second_inspection" and "suspicion" in exc.value.field_errors
    # Another project of the same enterprise counts too: the rule is per tenant.
    other = tenant(project.cluster, 1, name="Xưởng hai", enterprise=project.enterprise)
    with pytest.raises(ValidationFailed):
        _inspect(users, other, D(2026, 10, 1))
    second = _inspect(users, project, D(2026, 9, 1), suspicion="Phản ánh xả nước thải chưa qua xử lý")
    assert second.suspicion
    assert _inspect(users, project, D(2027, 2, 1)).pk  # a new year
    # An inspection of the cluster as a whole is not an inspection of a tenant.
    services.inspection_create(actor=users["editor"], cluster=project.cluster, planned_on=D(2026, 11, 1), agency="Sở")


def test_findings_corrections_and_closing(users, project):
    inspection = _inspect(users, project, D(2026, 3, 1))
    with pytest.raises(ConflictError):
        services.finding_add(actor=users["editor"], inspection=inspection, area="environment", description="x")
    services.inspection_record(
        actor=users["editor"], inspection=inspection, conducted_on=D(2026, 3, 2), summary="Biên bản"
    )
    finding = services.finding_add(
        actor=users["editor"],
        inspection=inspection,
        area="environment",
        description="Chưa đấu nối nước thải",
        is_violation=True,
        legal_basis="Luật Bảo vệ môi trường 2020, Điều 51",
    )
    with pytest.raises(ValidationFailed, match="before the inspection"):
        services.correction_add(actor=users["editor"], finding=finding, action="Đấu nối", deadline=D(2026, 3, 1))
    correction = services.correction_add(
        actor=users["editor"], finding=finding, action="Đấu nối", deadline=D(2026, 6, 1)
    )
    with pytest.raises(ConflictError, match="still open"):
        services.inspection_close(actor=users["editor"], inspection=inspection)
    services.correction_follow_up(actor=users["editor"], correction=correction, follow_up="Đã nhắc lần 1")
    services.correction_follow_up(
        actor=users["editor"], correction=correction, follow_up="Đã đấu nối", done_on=D(2026, 5, 20)
    )
    correction.refresh_from_db()
    assert correction.status == "done" and "Đã nhắc lần 1" in correction.follow_up
    services.inspection_close(actor=users["editor"], inspection=inspection)
    inspection.refresh_from_db()
    assert inspection.status == "closed"
    with pytest.raises(PermissionDeniedError):
        services.inspection_record(actor=users["other_editor"], inspection=inspection, conducted_on=D(2026, 3, 2))


def test_a_finding_opens_an_obstacle(users, project):
    from django.utils import timezone

    from ccn.obstacles.models import Obstacle
    from ccn.obstacles.services import agency_create

    agency = agency_create(
        actor=users["editor"], province=project.cluster.province, name="Sở Nông nghiệp và Môi trường"
    )
    deadline = timezone.localdate() + datetime.timedelta(days=30)
    inspection = _inspect(users, project, D(2026, 3, 1))
    services.inspection_record(actor=users["editor"], inspection=inspection, conducted_on=D(2026, 3, 2))
    finding = services.finding_add(
        actor=users["editor"], inspection=inspection, area="environment", description="Xả nước thải chưa qua xử lý"
    )
    assert services.obstacles_available()
    obstacle = services.finding_open_obstacle(actor=users["editor"], finding=finding, agency=agency, deadline=deadline)
    finding.refresh_from_db()
    assert finding.obstacle == obstacle
    obstacle = Obstacle.objects.get(pk=obstacle.pk)
    assert (obstacle.cluster_id, obstacle.tenant_project_id, obstacle.agency_id) == (
        project.cluster_id,
        project.pk,
        agency.pk,
    )
    assert obstacle.category == "wastewater_environment" and obstacle.description == finding.description
    assert "02/03/2026" in obstacle.source
    with pytest.raises(ConflictError, match="already"):
        services.finding_open_obstacle(actor=users["editor"], finding=finding, agency=agency, deadline=deadline)
    # The register's own rules apply: a past deadline is refused and nothing is linked.
    other = services.finding_add(
        actor=users["editor"], inspection=inspection, area="land_use", description="Sai mục đích"
    )
    with pytest.raises(ValidationFailed):
        services.finding_open_obstacle(actor=users["editor"], finding=other, agency=agency, deadline=D(2026, 1, 1))
    other.refresh_from_db()
    assert other.obstacle_id is None
    with pytest.raises(PermissionDeniedError):
        services.finding_open_obstacle(actor=users["ministry"], finding=other, agency=agency, deadline=deadline)


def test_inspection_plan_export(users, project, client):
    plan = services.inspection_plan_create(
        actor=users["editor"], province=project.cluster.province, year=2026, title="Kế hoạch kiểm tra 2026"
    )
    _inspect(users, project, D(2026, 3, 1), plan=plan, subject='=HYPERLINK("x")')
    with pytest.raises(ValidationFailed):
        services.inspection_plan_create(
            actor=users["editor"], province=project.cluster.province, year=2026, title="Lần hai"
        )
    client.force_login(users["editor"])
    response = client.get("/procedures/inspections.xlsx?year=2026")
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = [[c for c in row] for row in ws.iter_rows(values_only=True)]
    data = [r for r in rows if r and r[0] and str(r[0]).startswith("2026-03-01")]
    assert len(data) == 1
    assert data[0][5] == "Công ty May Một" and data[0][9] == "Kế hoạch kiểm tra 2026"
    assert data[0][7].startswith("'=")  # no formula injection
    client.force_login(users["other_editor"])
    other = load_workbook(io.BytesIO(client.get("/procedures/inspections.xlsx?year=2026").content)).active
    assert not any(r and r[0] and str(r[0]).startswith("2026-03-01") for r in other.iter_rows(values_only=True))
