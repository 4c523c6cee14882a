"""A province's registry with its history and an approved Form 04, made through the real services: run in the
province instance's own process by the two-instance test (`manage.py shell -c "…seed()"`), and in-process by the
receiver's tests to build real bundles."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal as D

from django.core.files.uploadedfile import SimpleUploadedFile

from ccn.accounts.choices import Role
from ccn.accounts.models import User
from ccn.clusters import figures
from ccn.clusters.models import Cluster, Organisation
from ccn.clusters.services import cluster_create, cluster_transition, cluster_update, organisation_create
from ccn.geo.models import Commune, Province
from ccn.papers.services import signed_paper_attach
from ccn.reports import services as reports
from ccn.reports.models import Period
from ccn.tenants.services import tenant_project_create

PROVINCE = "56"
SIGNED_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n% Bieu 04 nam 2025, da ky\ntrailer<</Root 1 0 R>>\n%%EOF\n"
YEAR = 2025


def _user(username: str, role: str, province: Province) -> User:
    user, _ = User.objects.get_or_create(username=username, defaults={"role": role, "province": province})
    return user


def _doc(kind: str, number: str, day: datetime.date) -> dict:
    return {"kind": kind, "number": number, "issued_on": day, "issuer": "UBND tỉnh Khánh Hòa"}


def seed() -> None:
    """Three clusters with dated acts since 2019, dated figures, four tenant projects and the approved Form 04 of
    the year 2025."""
    province = Province.objects.get(code=PROVINCE)
    communes = list(Commune.objects.filter(province=province).order_by("code").values_list("code", flat=True)[:3])
    editor = _user("so.kha.editor", Role.PROVINCE_EDITOR, province)
    approver = _user("so.kha.approver", Role.PROVINCE_APPROVER, province)
    investor = organisation_create(
        actor=editor, data={"name": "Công ty CP Hạ tầng Diên Khánh", "tax_code": "4201234566", "country": "VN"}
    )
    tenants = [
        organisation_create(
            actor=editor, data={"name": "Công ty TNHH Gỗ Nam", "tax_code": "4209876540", "country": "VN"}
        ),
        organisation_create(actor=editor, data={"name": "Nihon Seiko KK", "tax_code": "", "country": "JP"}),
    ]
    c1 = cluster_create(
        actor=editor,
        province=province,
        communes=[communes[0]],
        data={
            "code": "KHA-DK1",
            "name": "Cụm công nghiệp Diên Phú",
            "area_planned_ha": D("50"),
            "area_established_ha": D("48"),
            "industrial_land_ha": D("30"),
            "investor": investor,
            "funding_source": "enterprise",
            "is_published": True,
        },
        status_since=datetime.date(2019, 3, 1),
    )
    for action, day, kind in (
        ("establish", datetime.date(2020, 6, 15), "established"),
        ("approve_detailed_plan", datetime.date(2021, 2, 1), "detailed_plan_approved"),
        ("approve_infrastructure", datetime.date(2021, 9, 1), "infrastructure_approved"),
        ("start_construction", datetime.date(2022, 4, 1), "construction_started"),
    ):
        cluster_transition(
            actor=editor,
            cluster=Cluster.objects.get(pk=c1.pk),
            action=action,
            effective_on=day,
            new_document=_doc(kind, f"{day.year}/QĐ-UBND-{action[:6]}", day),
        )
    figures.figure_record(
        actor=editor, cluster=c1, field="industrial_land_ha", value=D("32.5"), valid_from=datetime.date(2023, 5, 1)
    )
    p1 = tenant_project_create(
        actor=editor,
        cluster=Cluster.objects.get(pk=c1.pk),
        enterprise=tenants[0],
        data={"name": "Nhà máy gỗ Nam", "land_leased_ha": D("4.5"), "lease_start": datetime.date(2022, 9, 1)},
        initial_status="operating",
        status_since=datetime.date(2023, 1, 10),
    )
    tenant_project_create(
        actor=editor,
        cluster=Cluster.objects.get(pk=c1.pk),
        enterprise=tenants[1],
        data={
            "name": "Seiko Khánh Hòa",
            "land_leased_ha": D("6"),
            "currency": "USD",
            "capital": D("12000000"),
            "exchange_rate": D("25400"),
            "lease_start": datetime.date(2023, 3, 1),
        },
        initial_status="under_construction",
        status_since=datetime.date(2023, 3, 1),
    )
    cluster_transition(
        actor=editor,
        cluster=Cluster.objects.get(pk=c1.pk),
        action="start_operation",
        effective_on=datetime.date(2023, 2, 1),
        new_document=_doc("operation_started", "12/TB-CCN", datetime.date(2023, 2, 1)),
    )
    c2 = cluster_create(
        actor=editor,
        province=province,
        communes=[communes[1]],
        data={"code": "KHA-NH2", "name": "Cụm công nghiệp Ninh Xuân", "area_planned_ha": D("40"), "kind": "ordinary"},
        status_since=datetime.date(2018, 1, 1),
    )
    cluster_transition(
        actor=editor,
        cluster=Cluster.objects.get(pk=c2.pk),
        action="establish",
        effective_on=datetime.date(2025, 3, 20),
        new_document=_doc("established", "55/QĐ-UBND", datetime.date(2025, 3, 20)),
    )
    c3 = cluster_create(
        actor=editor,
        province=province,
        communes=[communes[2]],
        data={"code": "KHA-VN3", "name": "Cụm công nghiệp làng nghề Vạn Ninh", "kind": "craft_village"},
        initial_status="planned",
        status_since=datetime.date(2017, 7, 1),
    )
    cluster_update(
        actor=editor, cluster=c3, data={"area_planned_ha": D("15")}, figures_valid_from=datetime.date(2024, 2, 1)
    )
    # The year's Form 04, compiled from the registry, submitted by the editor and approved by the approver.
    reports.periods_create_year(actor=None, year=YEAR)
    period = Period.objects.get(kind="annual", year=YEAR)
    report, _ = reports.report_open(actor=editor, form="04", period=period, province=province)
    warnings = {f.code: "Số liệu đã rà soát" for f in reports.validate_report(report)}
    # Some figures have clusters without data (e.g. the investment capital): sent and approved knowingly, recorded.
    reports.report_transition(actor=editor, report=report, action="submit", comments=warnings, confirm_missing=True)
    reports.report_transition(actor=approver, report=report, action="accept", comments=warnings, confirm_missing=True)
    # Signed and sealed outside the system, its scan attached: the legal record that goes to the Ministry.
    signed_paper_attach(
        actor=editor,
        kind="report-letter",
        key=str(report.pk),
        upload=SimpleUploadedFile("cong-van-bieu-04.pdf", SIGNED_PDF),
        number="125/SCT-QLCN",
        signed_on=datetime.date(2026, 1, 10),
        signer="GIÁM ĐỐC Trần Văn Minh",
    )
    assert p1.pk and Organisation.objects.count() >= 3


def form04_values() -> None:
    """Print the province's approved Form 04 of the year as JSON (indicator → value or null)."""
    from ccn.reports.models import Revision

    revision = Revision.objects.get(form="04", period__kind="annual", period__year=YEAR, is_final=True)
    print(json.dumps({k: (None if v is None else str(v)) for k, v in revision.values().items()}))  # noqa: T201
