"""Test data for the procedures app, made through the real services wherever a service exists."""

from __future__ import annotations

import datetime
from decimal import Decimal

from ccn.clusters.tests.factories import make_cluster, make_org

D = datetime.date
FIRST = D(2026, 3, 2)


def tenant(cluster, ha, *, name=None, enterprise=None, start=None, end=None, status="operating"):
    """A lease in a cluster (the tenants app has no write service yet, so the row is created directly)."""
    from ccn.tenants.models import TenantProject

    return TenantProject.objects.create(
        cluster=cluster,
        enterprise=enterprise or make_org(f"Doanh nghiệp {name or ha}"),
        name=name or f"Dự án {ha} ha",
        land_leased_ha=Decimal(str(ha)),
        lease_start=start,
        lease_end=end,
        status=status,
    )


def operating_cluster(*, industrial, leased=0, ready=None, commune_codes=None, province_code="56", code=None, **kw):
    since = kw.pop("since", D(2024, 1, 1))
    lease_start = kw.pop("lease_start", since)  # leased since the cluster operates, unless the test says otherwise
    cluster = make_cluster(
        province_code=province_code,
        code=code,
        name=kw.pop("name", "Cụm công nghiệp đang hoạt động"),
        commune_codes=commune_codes,
        status="operating",
        status_since=since,
        area_planned_ha=Decimal("60"),
        area_established_ha=Decimal("60"),
        industrial_land_ha=Decimal(str(industrial)),
        ready_land_ha=Decimal(str(ready if ready is not None else industrial)),
        **kw,
    )
    if leased:
        tenant(cluster, leased, start=lease_start)
    return cluster


def planned_cluster(*, commune_codes=None, area=50, **kw):
    return make_cluster(
        name=kw.pop("name", "Cụm công nghiệp Quy hoạch"),
        commune_codes=commune_codes,
        status="planned",
        status_since=D(2024, 1, 1),
        area_planned_ha=Decimal(str(area)),
        **kw,
    )


def application(org=None, received_on=FIRST, **kw):
    return {
        "applicant": org or make_org("Công ty Hạ tầng Một"),
        "received_on": received_on,
        "project": "Đầu tư hạ tầng kỹ thuật cụm công nghiệp 50 ha",
        "proposed_area_ha": Decimal("50"),
        "estimated_capital_bn": Decimal("450"),
        "capital_sources": "Vốn chủ sở hữu 20%, vốn vay 80%",
        "schedule": "2026–2028",
        "attachments": "Báo cáo đầu tư\nBản đồ vị trí\nBáo cáo tài chính 2 năm",
        **kw,
    }


def receive(users, cluster, *, kind="establishment", received_on=FIRST, org=None):
    from ccn.procedures.services import dossier_receive

    return dossier_receive(
        actor=users["commune"],
        cluster=cluster,
        kind=kind,
        commune=cluster.communes.first(),
        application=application(org, received_on),
    )


def to_appraisal(users, cluster, *, orgs=None):
    """A dossier received 02/03/2026, announced 04/03, sent 20/03 (window closed 19/03)."""
    from ccn.procedures import services

    orgs = orgs or [make_org("Công ty Hạ tầng Một")]
    dossier = receive(users, cluster, org=orgs[0])
    services.dossier_announce(
        actor=users["commune"], dossier=dossier, announced_on=D(2026, 3, 4), announcement_ref="TB 1"
    )
    for i, org in enumerate(orgs[1:]):
        services.application_add(actor=users["commune"], dossier=dossier, data=application(org, D(2026, 3, 10 + i)))
    services.dossier_send(actor=users["commune"], dossier=dossier, sent_on=D(2026, 3, 20))
    dossier.refresh_from_db()
    return dossier


def select(users, dossier, scores_by_org: dict, *, chair_proposal=None):
    """A council of the approver (chair) and the editor scoring every application with the given totals split
    over the criteria; returns the closed selection."""
    from ccn.procedures import services

    selection = services.selection_open(actor=users["editor"], dossier=dossier, council_ref="QĐ 12/QĐ-UBND")
    services.council_member_add(actor=users["editor"], selection=selection, user=users["approver"], role="chair")
    services.council_member_add(actor=users["editor"], selection=selection, user=users["editor"], role="member")
    for app in dossier.applications.all():
        for member, scores in zip((users["approver"], users["editor"]), scores_by_org[app.applicant.name], strict=True):
            services.score_submit(actor=member, selection=selection, application=app, scores=scores)
    return services.selection_close(
        actor=users["editor"],
        selection=selection,
        meeting_on=D(2026, 4, 10),
        minutes="Biên bản họp hội đồng",
        chair_proposal=chair_proposal,
    )


def sheet(infra, mgmt, capacity, finance):
    return {
        "infrastructure_plan": Decimal(str(infra)),
        "management_environment": Decimal(str(mgmt)),
        "capacity": Decimal(str(capacity)),
        "finance": Decimal(str(finance)),
    }
