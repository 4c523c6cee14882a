"""The data-quality page of a province (the nation for the Ministry): what makes the figures of Forms 02–04 wrong
or incomplete, each with the place to correct it (docs/reports.md, "Data quality")."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from ccn.clusters import legacy
from ccn.clusters.choices import ESTABLISHED_STATES, IN_PLAN_STATES, OPERATING_STATES, FundingSource, OrganisationKind
from ccn.clusters.figures import establishment_date
from ccn.clusters.models import Cluster, ClusterEvent
from ccn.clusters.selectors import cluster_scope_q
from ccn.plans.choices import PlanKind
from ccn.plans.models import Plan, PlanVersion
from ccn.tenants.models import TenantProject

from .choices import COMPILED_FORMS, ReportStatus
from .models import Report, column_of
from .services import stale_figures


def data_quality(*, user, province_id: int | None = None) -> dict:
    """Lists of the clusters, tenant projects and reports in the user's scope (one province when given) that need
    attention, as of today."""
    today = timezone.localdate()
    clusters = Cluster.objects.filter(cluster_scope_q(user)).filter(status__in=IN_PLAN_STATES)
    if province_id is not None:
        clusters = clusters.filter(province_id=province_id)
    has_tenant = Exists(TenantProject.objects.existing_on(today).filter(cluster_id=OuterRef("pk")))
    first_event = ClusterEvent.objects.filter(cluster_id=OuterRef("pk")).order_by("effective_on", "id")
    clusters = clusters.annotate(
        has_tenant=has_tenant,
        est_on=establishment_date(),
        first_on=Subquery(first_event.values("effective_on")[:1]),
    ).select_related("province", "investor")
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
        **transitional(clusters, today),
        "plan_totals": plan_totals(reports_of=clusters.values("province_id")),
    }


def transitional(clusters, today) -> dict:
    """Clusters formed before the area limits took effect (Decree 32/2024, Art. 35): those outside today's limits
    that continue on the date of their establishment decision (with the legal basis) or have none (to correct),
    and the clusters formed before Decision 105/2009 not yet established by a decision, to regularise by
    31/12/2026 (Art. 35(4)(b)) with the days left (negative: overdue)."""
    rules = legacy.area_rules()
    accepted, unsupported, to_regularise = [], [], []
    for c in clusters:
        # formed: its establishment decision, or its first lifecycle event when earlier (a cluster formed before
        # Decision 105/2009 and regularised later keeps the basis of its formation)
        c.formed_on = min((d for d in (c.est_on, c.first_on) if d is not None), default=None)
        if c.est_on is None and c.formed_on is not None and c.formed_on < legacy.DECISION_105_2009_FROM:
            to_regularise.append(
                {"cluster": c, "formed_on": c.formed_on, "days_left": (legacy.REGULARISE_BY - today).days}
            )
        area = c.area_ha
        if not legacy.breaches(rules, kind=c.kind, area=area, day=today, mountainous=c.mountainous_area):
            continue
        basis = legacy.legal_basis(
            rules, kind=c.kind, area=area, established_on=c.formed_on, today=today, mountainous=c.mountainous_area
        )
        (accepted if basis else unsupported).append({"cluster": c, "area": area, "basis": basis})
    return {
        "transitional": accepted,
        "area_without_basis": unsupported,
        "outside_limits": accepted + unsupported,
        "to_regularise": to_regularise,
        "regularise_by": legacy.REGULARISE_BY,
    }


def plan_totals(*, reports_of) -> list[dict]:
    """Form 04 indicators 1–2 of each province's latest Form 04 against the totals its development plan states
    (as in force on the period's end, Decree 32/2024, Art. 5–6): a difference means the registry lacks planned
    clusters, or the plan's amendments are not recorded. Three queries for any number of provinces: the latest
    Form 04 of each province, the development plans of those provinces and their versions (what `plan_as_of`
    reads for the stated totals, picked here in memory)."""
    latest = (
        Report.objects.filter(form="04", province_id__in=reports_of, current__isnull=False)
        .select_related("period", "province", "current")
        .order_by("province_id", "-period__ends_on", "-pk")
    )
    reports = {}
    for report in latest:
        reports.setdefault(report.province_id, report)
    if not reports:
        return []
    plans: dict[int, list[Plan]] = {}
    for plan in Plan.objects.filter(province_id__in=list(reports), kind=PlanKind.DEVELOPMENT).order_by(
        "-issued_on", "-pk"
    ):
        plans.setdefault(plan.province_id, []).append(plan)
    versions: dict[int, list[PlanVersion]] = {}
    all_plans = [p.pk for ps in plans.values() for p in ps]
    for version in PlanVersion.objects.filter(plan_id__in=all_plans).order_by("-seq"):
        versions.setdefault(version.plan_id, []).append(version)
    out = []
    for province_id, report in reports.items():
        end = report.period.ends_on
        plan = next((p for p in plans.get(province_id, ()) if p.issued_on <= end), None)
        if plan is None:
            continue
        in_force = [v for v in versions.get(plan.pk, ()) if v.issued_on <= end]
        version = in_force[0] if in_force else None
        declared = next((v.declared_clusters for v in in_force if v.declared_clusters is not None), None)
        declared_area = next((v.declared_area_ha for v in in_force if v.declared_area_ha is not None), None)
        rows = []
        for code, stated in (("1", declared), ("2", declared_area)):
            value = getattr(report.current, column_of(code))
            if stated is not None and value is not None and value != stated:
                rows.append({"code": code, "report": value, "plan": stated})
        if rows:
            out.append({"report": report, "plan": plan, "version": version, "rows": rows})
    return out
