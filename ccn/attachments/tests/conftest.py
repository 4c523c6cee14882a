"""Fixtures of the attachment store's tests: a Khánh Hòa cluster with a legal document, a dossier, an inspection, a
Form 04 report and an obstacle, all made through the real services; uploaded files go to a temporary directory."""

import datetime

import pytest
from django.utils import timezone

from ccn.clusters.services import document_add
from ccn.clusters.tests.factories import make_cluster
from ccn.obstacles import services as obstacle_services
from ccn.obstacles.choices import AgencyKind, Category
from ccn.procedures import services as procedure_services
from ccn.procedures.tests.factories import receive
from ccn.reports.choices import Form
from ccn.reports.models import Period, Report, Revision
from ccn.reports.services import periods_create_year

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
# The first bytes of a Windows executable (the DOS header "MZ" and the PE offset), whatever it is named.
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00" + b"\x00" * 200


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def records(users, kha):
    admin = users["admin"]
    commune = users["commune"].communes.get()
    cluster = make_cluster(code="KHA-ATT", name="CCN Đính Kèm", commune_codes=[commune.code], actor=admin)
    document = document_add(
        actor=admin,
        cluster=cluster,
        kind="established",
        number="123/QĐ-UBND",
        issued_on=datetime.date(2019, 5, 6),
        issuer="UBND tỉnh Khánh Hòa",
    )
    dossier = receive(users, cluster)
    inspection = procedure_services.inspection_create(
        actor=admin, cluster=cluster, planned_on=timezone.localdate(), agency="Sở Công Thương"
    )
    period = Period.objects.order_by("pk").first() or periods_create_year(actor=None, year=2025)[0]
    report = Report.objects.create(form=Form.F04, period=period, province=kha)
    report.current = Revision.objects.create(report=report, number=1, form=Form.F04, period=period, province=kha)
    report.save(update_fields=["current"])
    agency = obstacle_services.agency_create(
        actor=users["editor"], province=kha, name="UBND xã Một", kind=AgencyKind.COMMUNE, commune=commune
    )
    obstacle = obstacle_services.obstacle_create(
        actor=users["editor"],
        cluster=cluster,
        category=Category.SITE_CLEARANCE,
        description="Chưa bàn giao mặt bằng.",
        agency=agency,
        deadline=timezone.localdate() + datetime.timedelta(days=30),
    )
    return {
        "cluster": cluster,
        "document": document,
        "dossier": dossier,
        "inspection": inspection,
        "report": report,
        "obstacle": obstacle,
    }
