"""Ten years of synthetic periodic reports (Circular 14/2024): the six-month and annual periods 2016–2025, an
accepted Form 01 of every tenant project and an accepted Form 02 of every cluster in each, one final revision each
(about 800,000 and 40,000 rows at the default sizes). The periods of the current year are left empty for the
report-deadline scenario of the bench. Bulk inserts (COPY on PostgreSQL), one period at a time."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.utils import timezone
from tqdm import tqdm

from ccn.clusters.models import Cluster
from ccn.core import bulk
from ccn.infrastructure.choices import PlantStatus
from ccn.reports.choices import Form, PeriodKind, ReportStatus
from ccn.reports.models import Period, Report, Revision
from ccn.reports.services import period_bounds
from ccn.tenants.choices import LEASING_STATUSES, ProjectStatus
from ccn.tenants.models import TenantProject

from . import SYNTHETIC_PREFIX, Context

FIRST_YEAR = 2016
Q2 = Decimal("0.01")
CHUNK = 50_000  # reports held in memory at once


def periods(first: int, last: int) -> list[Period]:
    """The periods of the years (existing ones kept), oldest first."""
    out = []
    for year in range(first, last + 1):
        for kind in (PeriodKind.HALF_YEAR, PeriodKind.ANNUAL):
            start, end = period_bounds(kind, year)
            period, _ = Period.objects.get_or_create(
                kind=kind, year=year, defaults={"starts_on": start, "ends_on": end}
            )
            out.append(period)
    return out


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))


def _store(reports: list[dict], revisions: list[dict], period: Period, submitted, accepted) -> None:
    """Store a chunk of reports (dicts of their fields), each with its one final revision of `revisions` (dicts of
    its figures) as current."""
    # On PostgreSQL the revisions' ids are reserved first and each report points at its own when stored (the
    # foreign key is checked at commit); elsewhere the period's reports are pointed at them after its last chunk.
    revision_ids = bulk.reserve_ids(Revision, len(reports))
    if revision_ids is not None:
        for r, rid in zip(reports, revision_ids, strict=True):
            r["current_id"] = rid
    report_ids = bulk.load(Report, reports)
    for r, values, report_id, rid in zip(
        reports, revisions, report_ids, revision_ids or [None] * len(reports), strict=True
    ):
        values.update(
            id=rid,
            report_id=report_id,
            number=1,
            form=r["form"],
            period_id=period.pk,
            province_id=r["province_id"],
            cluster_id=r["cluster_id"],
            is_final=True,
            submitted_at=submitted,
            accepted_at=accepted,
        )
    bulk.load(Revision, revisions)


def generate(ctx: Context) -> None:
    rng = ctx.rng
    last_year = FIRST_YEAR + ctx.sizes.years - 1
    periods(last_year + 1, last_year + 1)  # the open year of the deadline scenario, without reports
    history = periods(FIRST_YEAR, last_year)
    prefix = SYNTHETIC_PREFIX + ctx.batch
    projects = list(
        TenantProject.objects.filter(cluster__code__startswith=prefix)
        .order_by("pk")
        .values_list("pk", "cluster_id", "cluster__province_id", "enterprise_id", "workers", "capital")
    )
    clusters = list(
        Cluster.objects.filter(code__startswith=prefix)
        .order_by("pk")
        .values_list(
            "pk",
            "province_id",
            "investor_id",
            "infra_capital_approved_bn",
            "infra_capital_disbursed_bn",
            "ready_land_ha",
            "industrial_land_ha",
        )
    )
    leasing = Q(tenant_projects__status__in=LEASING_STATUSES)
    stats = {
        r["pk"]: r
        for r in Cluster.objects.filter(code__startswith=prefix)
        .values("pk")
        .annotate(
            leased=Sum("tenant_projects__land_leased_ha", filter=leasing),
            projects=Count("tenant_projects", filter=leasing),
            foreign=Count("tenant_projects", filter=leasing & ~Q(tenant_projects__enterprise__country="VN")),
            operating=Count("tenant_projects", filter=Q(tenant_projects__status=ProjectStatus.OPERATING)),
            plant=Subquery(
                Cluster.objects.filter(pk=OuterRef("pk")).values("wastewater_plant__status")[:1],
            ),
            compliant=Subquery(Cluster.objects.filter(pk=OuterRef("pk")).values("wastewater_plant__compliant")[:1]),
        )
    }
    f01_rows = f02_rows = 0
    for period in tqdm(history, desc="reports (periods)"):
        half = Decimal("0.5") if period.kind == PeriodKind.HALF_YEAR else Decimal("1")
        # Figures grow over the decade: about 45% of today's in 2016.
        growth = Decimal(str(0.45 + 0.55 * (period.year - FIRST_YEAR) / max(1, ctx.sizes.years - 1)))
        due = datetime.date(period.year, 6 if period.kind == PeriodKind.HALF_YEAR else 12, 20)
        submitted, accepted = _at(due - datetime.timedelta(days=rng.randint(0, 10))), _at(due + datetime.timedelta(5))
        with transaction.atomic():
            reports, revisions = [], []
            for pk, cluster_id, province_id, enterprise_id, workers, capital in projects:
                reports.append(
                    {
                        "form": Form.F01,
                        "period_id": period.pk,
                        "project_id": pk,
                        "cluster_id": cluster_id,
                        "province_id": province_id,
                        "reporter_org_id": enterprise_id,
                        "status": ReportStatus.ACCEPTED,
                        "first_submitted_at": submitted,
                    }
                )
                revenue = (Decimal(capital or 50) * Decimal(str(rng.uniform(0.8, 2.5))) * half * growth).quantize(Q2)
                revisions.append(
                    {
                        "v1": revenue,
                        "v2": (revenue * Decimal(str(rng.uniform(0.03, 0.1)))).quantize(Q2),
                        "v3": Decimal(max(1, int((workers or 50) * float(growth) * rng.uniform(0.9, 1.1)))),
                        "v4": Decimal(str(round(rng.uniform(6, 15), 1))),
                    }
                )
                if len(reports) >= CHUNK:
                    _store(reports, revisions, period, submitted, accepted)
                    reports, revisions = [], []
            for pk, province_id, investor_id, approved, disbursed, ready, industrial in clusters:
                s = stats[pk]
                v3 = ready if ready is not None else (industrial or Decimal("0"))
                v4 = min(Decimal(s["leased"] or 0), v3).quantize(Q2)
                built = s["plant"] in (PlantStatus.UNDER_CONSTRUCTION, PlantStatus.OPERATING)
                ok = built and s["plant"] == PlantStatus.OPERATING and bool(s["compliant"])
                revenue = (Decimal(rng.randint(1, 40)) * half * growth).quantize(Q2)
                reports.append(
                    {
                        "form": Form.F02,
                        "period_id": period.pk,
                        "cluster_id": pk,
                        "province_id": province_id,
                        "reporter_org_id": investor_id,
                        "status": ReportStatus.ACCEPTED,
                        "first_submitted_at": submitted,
                    }
                )
                revisions.append(
                    {
                        "v1": approved if approved is not None else Decimal("0"),
                        "v2": disbursed if disbursed is not None else Decimal("0"),
                        "v3": v3,
                        "v4": v4,
                        "v5": (v4 * 100 / v3).quantize(Q2) if v3 else Decimal("0"),
                        "v6": Decimal(s["projects"]),
                        "v7": Decimal(s["foreign"]),
                        "v8": Decimal(min(s["operating"], s["projects"])),
                        "v9": revenue,
                        "v10": (revenue * Decimal("0.08")).quantize(Q2),
                        "v11": Decimal(rng.randint(5, 60)),
                        "v12": Decimal(str(round(rng.uniform(7, 14), 1))),
                        "v13": Decimal(1 if built else 0),
                        "v14": Decimal(1 if ok else 0),
                    }
                )
            _store(reports, revisions, period, submitted, accepted)
            if not bulk.copy_path():
                Report.objects.filter(period=period, current__isnull=True).update(
                    current_id=Subquery(Revision.objects.filter(report_id=OuterRef("pk")).values("pk")[:1])
                )
            f01_rows += len(projects)
            f02_rows += len(clusters)
    ctx.made.update(form01_rows=f01_rows, form02_rows=f02_rows, periods=len(history))
