"""The data-quality page of a province (the nation for the Ministry): what makes the figures of Forms 02–04 wrong
or incomplete, each with the place to correct it (docs/reports.md, "Data quality")."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from ccn.clusters.choices import ESTABLISHED_STATES, IN_PLAN_STATES, OPERATING_STATES, FundingSource, OrganisationKind
from ccn.clusters.figures import establishment_date
from ccn.clusters.models import Cluster
from ccn.clusters.selectors import cluster_scope_q
from ccn.tenants.models import TenantProject

from .choices import COMPILED_FORMS, ReportStatus
from .models import Report
from .services import stale_figures


def data_quality(*, user, province_id: int | None = None) -> dict:
    """Lists of the clusters, tenant projects and reports in the user's scope (one province when given) that need
    attention, as of today."""
    today = timezone.localdate()
    clusters = Cluster.objects.filter(cluster_scope_q(user)).filter(status__in=IN_PLAN_STATES)
    if province_id is not None:
        clusters = clusters.filter(province_id=province_id)
    has_tenant = Exists(TenantProject.objects.existing_on(today).filter(cluster_id=OuterRef("pk")))
    clusters = clusters.annotate(has_tenant=has_tenant, est_on=establishment_date()).select_related(
        "province", "investor"
    )
    clusters = clusters.order_by("province__code", "code")
    projects = TenantProject.objects.existing_on(today).filter(cluster__in=clusters.values("pk"))
    reports = Report.objects.filter(
        form__in=COMPILED_FORMS,
        status__in=(ReportStatus.DRAFT, ReportStatus.RETURNED, ReportStatus.SUBMITTED),
        province_id__in=clusters.values("province_id"),
    ).select_related("period", "province", "commune", "current")
    stale = []
    for report in reports.order_by("-period__ends_on", "form", "pk")[:50]:
        changes = stale_figures(report)
        if changes:
            stale.append({"report": report, "changes": changes})
    return {
        "no_area": list(clusters.filter(area_planned_ha__isnull=True, area_established_ha__isnull=True)),
        "no_land": list(clusters.filter(status__in=(*ESTABLISHED_STATES, *OPERATING_STATES), industrial_land_ha=None)),
        # lifecycle "operating" without a tenant project, or a tenant project in a cluster the lifecycle does not
        # call operating (Circular 14/2024, Form 03/04, indicator 15: operating = with a tenant project)
        "operating_without_tenant": list(clusters.filter(status__in=OPERATING_STATES, has_tenant=False)),
        "tenant_not_operating": list(clusters.exclude(status__in=OPERATING_STATES).filter(has_tenant=True)),
        "no_decision_date": list(clusters.filter(status__in=ESTABLISHED_STATES, est_on__isnull=True)),
        "funding_mismatch": list(
            clusters.filter(funding_source=FundingSource.STATE_BUDGET, investor__kind=OrganisationKind.ENTERPRISE)
        ),
        "tenants_without_lease": list(
            projects.filter(Q(land_leased_ha=0) | Q(land_leased_ha__isnull=True))
            .select_related("cluster", "enterprise")
            .order_by("cluster__code", "name")[:500]
        ),
        "stale_reports": stale,
    }
