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
from ccn.infrastructure.models import WastewaterResult
from ccn.reports.choices import Form, PeriodKind, ReportStatus
from ccn.reports.models import Period, Report, Revision
from ccn.reports.services import period_bounds
from ccn.tenants.choices import LEASING_STATUSES, ProjectStatus
from ccn.tenants.models import TenantProject

from . import SYNTHETIC_PREFIX, Context

FIRST_YEAR = 2016
Q2 = Decimal("0.01")


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


REPORT_FIELDS = (
    "id", "form", "period_id", "project_id", "cluster_id", "province_id", "reporter_org_id", "status",
    "first_submitted_at", "current_id",
)  # fmt: skip
REVISION_FIELDS = (
    "id", "report_id", "number", "form", "period_id", "province_id", "cluster_id", "is_final", "submitted_at",
    "accepted_at",
)  # fmt: skip
FORM01_FIGURES = ("v1", "v2", "v3", "v4")
FORM02_FIGURES = tuple(f"v{i}" for i in range(1, 15))


def _form01_figures(rng, projects, half: Decimal, growth: Decimal):
    """The figures of each project's Form 01 (revenue, tax, workers, average income), in the projects' order."""
    for _pk, _cluster, _province, _enterprise, workers, capital in projects:
        revenue = (Decimal(capital or 50) * Decimal(str(rng.uniform(0.8, 2.5))) * half * growth).quantize(Q2)
        yield (
            revenue,
            (revenue * Decimal(str(rng.uniform(0.03, 0.1)))).quantize(Q2),
            Decimal(max(1, int((workers or 50) * float(growth) * rng.uniform(0.9, 1.1)))),
            Decimal(str(round(rng.uniform(6, 15), 1))),
        )


def _form02_figures(rng, clusters, stats, half: Decimal, growth: Decimal):
    """The figures of each cluster's Form 02, in the clusters' order."""
    for pk, _province, _investor, approved, disbursed, ready, industrial in clusters:
        s = stats[pk]
        v3 = ready if ready is not None else (industrial or Decimal("0"))
        v4 = min(Decimal(s["leased"] or 0), v3).quantize(Q2)
        built = s["plant"] in (PlantStatus.UNDER_CONSTRUCTION, PlantStatus.OPERATING)
        ok = built and s["plant"] == PlantStatus.OPERATING and bool(s["compliant"])
        revenue = (Decimal(rng.randint(1, 40)) * half * growth).quantize(Q2)
        yield (
            approved if approved is not None else Decimal("0"),
            disbursed if disbursed is not None else Decimal("0"),
            v3,
            v4,
            (v4 * 100 / v3).quantize(Q2) if v3 else Decimal("0"),
            Decimal(s["projects"]),
            Decimal(s["foreign"]),
            Decimal(min(s["operating"], s["projects"])),
            revenue,
            (revenue * Decimal("0.08")).quantize(Q2),
            Decimal(rng.randint(5, 60)),
            Decimal(str(round(rng.uniform(7, 14), 1))),
            Decimal(1 if built else 0),
            Decimal(1 if ok else 0),
        )


def _store(period: Period, subjects: list[tuple], figures, submitted, accepted) -> None:
    """Store the period's reports of `subjects` (form, project, cluster, province, reporter), each with its one
    final revision as current: the figures of the Form 01 revisions, then of the Form 02 ones (`figures`: two
    iterables, in the subjects' order). On PostgreSQL the ids of both are reserved first, so that each report
    points at its revision when stored and the rows stream to COPY as they are made (the foreign keys are checked
    once the load is over); elsewhere the period's reports are pointed at their revisions after the insert."""
    n = len(subjects)
    report_ids = bulk.reserve_ids(Report, n) or [None] * n
    revision_ids = bulk.reserve_ids(Revision, n) or [None] * n
    stored = bulk.load_rows(
        Report,
        REPORT_FIELDS,
        (
            (rid, form, period.pk, project, cluster, province, reporter, ReportStatus.ACCEPTED, submitted, current)
            for rid, current, (form, project, cluster, province, reporter) in zip(
                report_ids, revision_ids, subjects, strict=True
            )
        ),
    )
    report_ids = stored or report_ids
    split = sum(1 for s in subjects if s[0] == Form.F01)  # the Form 01 subjects come first
    for names, part, values in zip(
        (FORM01_FIGURES, FORM02_FIGURES), (slice(0, split), slice(split, n)), figures, strict=True
    ):
        bulk.load_rows(
            Revision,
            REVISION_FIELDS + names,
            (
                (rid, report_id, 1, form, period.pk, province, cluster, True, submitted, accepted, *v)
                for rid, report_id, (form, _project, cluster, province, _reporter), v in zip(
                    revision_ids[part], report_ids[part], subjects[part], values, strict=True
                )
            ),
        )
    if not bulk.copy_path():
        Report.objects.filter(period=period, current__isnull=True).update(
            current_id=Subquery(Revision.objects.filter(report_id=OuterRef("pk")).values("pk")[:1])
        )


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
            compliant=Subquery(
                WastewaterResult.objects.filter(plant__cluster=OuterRef("pk"))
                .order_by("-sampled_on")
                .values("compliant")[:1]
            ),
        )
    }
    subjects = [(Form.F01, pk, cluster, province, enterprise) for pk, cluster, province, enterprise, *_ in projects]
    subjects += [(Form.F02, None, pk, province, investor) for pk, province, investor, *_ in clusters]
    f01_rows = f02_rows = 0
    for period in tqdm(history, desc="reports (periods)"):
        half = Decimal("0.5") if period.kind == PeriodKind.HALF_YEAR else Decimal("1")
        # Figures grow over the decade: about 45% of today's in 2016.
        growth = Decimal(str(0.45 + 0.55 * (period.year - FIRST_YEAR) / max(1, ctx.sizes.years - 1)))
        due = datetime.date(period.year, 6 if period.kind == PeriodKind.HALF_YEAR else 12, 20)
        submitted, accepted = _at(due - datetime.timedelta(days=rng.randint(0, 10))), _at(due + datetime.timedelta(5))
        with transaction.atomic():
            _store(
                period,
                subjects,
                (
                    _form01_figures(rng, projects, half, growth),
                    _form02_figures(rng, clusters, stats, half, growth),
                ),
                submitted,
                accepted,
            )
            f01_rows += len(projects)
            f02_rows += len(clusters)
    ctx.made.update(form01_rows=f01_rows, form02_rows=f02_rows, periods=len(history))
