"""Reads of the procedures app that apply scope or aggregation. Pages and API call these."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Avg, Count, DecimalField, ExpressionWrapper, F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from ccn.accounts import policy
from ccn.core.compiled import compiled_aggregate, compiled_list
from ccn.core.errors import NotFoundError

from .choices import (
    OPEN_DOSSIER_STATES,
    QUALIFYING_SCORE,
    CorrectionStatus,
    Criterion,
    RelocationStatus,
)
from .filters import DossierFilterSet, FacilityFilterSet
from .models import (
    CalendarDay,
    Correction,
    Dossier,
    DossierStep,
    Inspection,
    InspectionPlan,
    RelocationFacility,
    ScoreSheet,
    TimeLimit,
)


def _commune_ids(user):
    return user.communes.values("pk")


def dossier_scope_q(user) -> Q:
    """Ministry and administrators see every dossier; the province its own; a commune officer those received by
    their communes; investors, tenants and the public none (ccn/procedures/policy.py)."""
    return policy.scope_q(user, Dossier)


def can_see_procedures(user) -> bool:
    return policy.may(user, policy.VIEW, Dossier)


def _current_step():
    """The dossier's open step (the one whose clock runs now)."""
    return DossierStep.objects.filter(dossier=OuterRef("pk"), completed_on__isnull=True).order_by("-started_on", "-id")


def dossier_list(*, user, filters=None):
    """Dossiers in scope with the due date of their open step (one query), filtered by the register's FilterSet
    (`filters`: the query's data; ccn/procedures/filters.py)."""
    qs = (
        Dossier.objects.filter(dossier_scope_q(user))
        .select_related("cluster", "province", "commune", "selected_application__applicant")
        .annotate(
            current_step=Subquery(_current_step().values("step")[:1]),
            current_due=Subquery(_current_step().values("due_on")[:1]),
            applications_count=Count("applications", distinct=True),
        )
    )
    if filters:
        qs = DossierFilterSet(filters, queryset=qs, user=user).qs
    return qs.order_by("-first_received_on", "-id")


def dossier_get(*, user, code: str) -> Dossier:
    dossier = (
        Dossier.objects.filter(dossier_scope_q(user))
        .select_related("cluster", "province", "commune", "selected_application__applicant", "decision_document")
        .filter(code=code)
        .first()
    )
    if dossier is None:
        raise NotFoundError(_("No such dossier, or you may not see it."))
    return dossier


def overdue_steps(*, user, today: datetime.date | None = None):
    """Open steps past their due date, in scope, most overdue first. A paused step has no due date and is never
    overdue."""
    today = today or timezone.localdate()
    return (
        DossierStep.objects.filter(
            dossier__in=Dossier.objects.filter(dossier_scope_q(user), status__in=OPEN_DOSSIER_STATES),
            completed_on__isnull=True,
            due_on__lt=today,
        )
        .select_related("dossier__cluster", "dossier__commune", "dossier__province")
        .order_by("due_on", "id")
    )


def selection_results(selection) -> list[dict]:
    """Each application's average total over the members who scored it (in SQL), ranked; whether it qualifies."""
    total = ExpressionWrapper(
        sum((F(c) for c in Criterion.values[1:]), F(Criterion.values[0])),
        output_field=DecimalField(max_digits=6, decimal_places=2),
    )
    rows = (
        ScoreSheet.objects.filter(selection=selection)
        .annotate(total=total)
        .values("application_id", "application__applicant__name")
        .annotate(
            average=Avg("total"),
            sheets=Count("pk"),
            **{f"avg_{c}": Avg(c) for c in Criterion.values},
        )
        .order_by()
    )
    result = []
    for r in rows:
        average = Decimal(str(r["average"])).quantize(Decimal("0.01"))
        result.append(
            {
                "application_id": r["application_id"],
                "applicant": r["application__applicant__name"],
                "sheets": r["sheets"],
                "average": average,
                "criteria": {c: Decimal(str(r[f"avg_{c}"])).quantize(Decimal("0.01")) for c in Criterion.values},
                "qualifies": average >= QUALIFYING_SCORE,
            }
        )
    result.sort(key=lambda x: (-x["average"], x["applicant"]))
    return result


def inspection_scope_q(user) -> Q:
    return policy.scope_q(user, Inspection)


def inspection_list(*, user, year: int | None = None, province: str | None = None):
    qs = Inspection.objects.filter(inspection_scope_q(user)).select_related(
        "cluster", "tenant_project", "enterprise", "plan", "province"
    )
    if year:
        qs = qs.filter(planned_on__year=year)
    if province:
        qs = qs.filter(province__code=province)
    return qs.annotate(
        findings_count=Count("findings", distinct=True),
        violations_count=Count("findings", filter=Q(findings__is_violation=True), distinct=True),
    ).order_by("planned_on", "id")


def inspection_get(*, user, pk: int) -> Inspection:
    inspection = (
        Inspection.objects.filter(inspection_scope_q(user))
        .select_related("cluster", "tenant_project", "enterprise", "plan", "province")
        .filter(pk=pk)
        .first()
    )
    if inspection is None:
        raise NotFoundError(_("No such inspection, or you may not see it."))
    return inspection


def inspection_plans(*, user):
    return policy.visible(user, InspectionPlan).select_related("province")


def overdue_corrections(*, user, today: datetime.date | None = None):
    today = today or timezone.localdate()
    return Correction.objects.filter(
        finding__inspection__in=Inspection.objects.filter(inspection_scope_q(user)),
        status=CorrectionStatus.OPEN,
        deadline__lt=today,
    ).select_related("finding__inspection__cluster")


def enterprise_inspections_in_year(*, enterprise_id: int, year: int, exclude_pk: int | None = None):
    qs = Inspection.objects.filter(enterprise_id=enterprise_id, planned_on__year=year)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.order_by("planned_on")


def relocation_scope_q(user) -> Q:
    return policy.scope_q(user, RelocationFacility)


def relocation_list(*, user, filters=None):
    """Facilities in scope, filtered by the list's FilterSet (`filters`: the query's data; procedures/filters.py)."""
    qs = RelocationFacility.objects.filter(relocation_scope_q(user)).select_related(
        "commune", "target_cluster", "sector", "province"
    )
    if filters:
        qs = FacilityFilterSet(filters, queryset=qs, user=user).qs
    return qs.order_by("commune__name", "name", "pk")


def relocation_get(*, user, pk: int) -> RelocationFacility:
    facility = relocation_list(user=user).filter(pk=pk).first()
    if facility is None:
        raise NotFoundError(_("No such facility, or you may not see it."))
    return facility


def _status_counts():
    counts = {"total": Count("pk")}
    for status in RelocationStatus.values:
        counts[status] = Count("pk", filter=Q(status=status))
    counts["overdue"] = Count("pk", filter=Q(deadline__lt=timezone.localdate()) & ~Q(status=RelocationStatus.MOVED))
    return counts


def relocation_counts(*, user, province=None) -> dict:
    """Facilities to relocate counted by state, per commune (where they are now) and per target cluster, in two
    grouped queries, for the leaders' dashboard. `province` is a Province, its code or None (the user's scope)."""
    qs = RelocationFacility.objects.filter(relocation_scope_q(user))
    if province is not None:
        code = getattr(province, "code", province)
        qs = qs.filter(province__code=code)
    by_commune = list(
        qs.values("commune__code", "commune__name").annotate(**_status_counts()).order_by("commune__name")
    )
    by_cluster = list(
        qs.filter(target_cluster__isnull=False)
        .values("target_cluster__code", "target_cluster__name")
        .annotate(**_status_counts())
        .order_by("target_cluster__name")
    )
    totals = qs.aggregate(**_status_counts())
    return {
        "by_commune": [{"code": r.pop("commune__code"), "name": r.pop("commune__name"), **r} for r in by_commune],
        "by_cluster": [
            {"code": r.pop("target_cluster__code"), "name": r.pop("target_cluster__name"), **r} for r in by_cluster
        ],
        "totals": totals,
    }


def cluster_dossiers(*, user, cluster, limit: int = 10) -> list:
    """The latest `limit` dossiers of a cluster the user may see, for its page (compiled once per scope)."""
    return compiled_list(
        ("cluster-dossiers", policy.scope_key(user, Dossier), limit),
        cluster.pk,
        lambda pk: Dossier.objects.filter(dossier_scope_q(user), cluster_id=pk).order_by("-first_received_on")[:limit],
    )


def cluster_relocation_counts(cluster) -> dict:
    return compiled_aggregate(
        ("cluster-relocation", timezone.localdate()),  # the overdue count reads today
        cluster.pk,
        lambda pk: RelocationFacility.objects.filter(target_cluster_id=pk),
        "target_cluster_id",
        **_status_counts(),
    )


def calendar_days(*, year: int | None = None):
    qs = CalendarDay.objects.all()
    if year:
        qs = qs.filter(date__year=year)
    return qs.order_by("date")


def time_limits():
    return TimeLimit.objects.order_by("step", "-effective_from")
