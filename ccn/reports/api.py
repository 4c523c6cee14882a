"""API of the reports (under /api/v1/reports/): periods, what is due, reports of Forms 01–04 with their figures,
validation, transitions and revisions, traces of compiled figures, completeness and the national table.
The pages and the API call the same services and selectors."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from ccn.accounts import policy
from ccn.accounts.scope import role_of
from ccn.clusters.models import Cluster
from ccn.core.api import VERSIONED, ErrorOut, api_user, based_on, paginate
from ccn.core.errors import NotFoundError, PermissionDeniedError, field_error
from ccn.core.filters import page_fields, query_schema
from ccn.geo.models import Commune, Province
from ccn.tenants.models import TenantProject

from . import selectors, services
from .choices import COMPILED_FORMS, Form, PeriodKind, ReportStatus
from .compile import national_total, trace
from .filters import ReportFilterSet
from .models import Period, Report, column_of
from .policy import NATIONAL
from .workflow import workflow_for

router = Router(tags=["reports"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class PeriodOut(Schema):
    id: int
    kind: PeriodKind
    year: int
    label: str
    starts_on: datetime.date
    ends_on: datetime.date
    closed: bool
    deadlines: dict[str, datetime.date | None]


class YearIn(Schema):
    year: int


class ReportFindingOut(Schema):
    rule: str
    severity: str
    message: str
    indicators: list[str]
    left: Decimal | None
    right: Decimal | None


class IndicatorValueOut(Schema):
    code: str
    section: str
    label: str
    unit: str
    value: Decimal | None
    note: str
    source: str = Field("", description="registry or previous: where a prefilled figure came from")
    return_comment: str = ""
    clusters_without_data: int | None = Field(
        None,
        description="Forms 03/04: clusters (23–25: operating tenant projects) that should give this figure a "
        "value and have none; they add nothing (unknown is not 0)",
    )
    clusters_expected: int | None = Field(None, description="Forms 03/04: clusters that should give a value")


class RevisionOut(Schema):
    number: int
    reason: str
    submitted_at: datetime.datetime | None
    submitted_by: str | None
    accepted_at: datetime.datetime | None
    accepted_by: str | None
    is_final: bool
    values: dict[str, Decimal | None]
    notes: dict[str, str]
    warning_comments: dict[str, str]
    return_comments: dict[str, str]


class ReportOut(Schema):
    id: int
    form: Form
    period_id: int
    period: str
    status: ReportStatus
    version: int
    subject: str
    province_code: str
    cluster_code: str | None
    project_id: int | None
    commune_code: str | None
    deadline: datetime.date | None
    first_submitted_at: datetime.datetime | None
    revision: int


class ReportDetailOut(ReportOut):
    as_of: datetime.date | None = Field(None, description="Forms 03/04: the date every registry value is read at")
    missing_confirmed: dict[str, dict] = Field(
        default_factory=dict, description="Recorded confirmations of submitting/approving with data missing"
    )
    indicators: list[IndicatorValueOut]
    general_note: str
    findings: list[ReportFindingOut]
    allowed_actions: list[str]
    revisions: list[RevisionOut]


class ReportPage(Schema):
    items: list[ReportOut]
    count: int
    limit: int
    offset: int


class OpenIn(Schema):
    form: Form
    period_id: int
    project_id: int | None = None
    cluster_code: str | None = None
    commune_code: str | None = None
    province_code: str | None = None


class SaveIn(Schema):
    values: dict[str, str | float | int | None] | None = Field(
        None, description="indicator code → figure (a number, or text such as “1.234,5”); empty clears it"
    )
    notes: dict[str, str] | None = None
    general_note: str | None = None
    version: int | None = None


class ReportTransitionIn(Schema):
    comments: dict[str, str] | None = Field(
        None, description="submit: rule code → comment on a warning; return: indicator code (or general) → comment"
    )
    reason: str = ""
    version: int | None = None
    confirm_missing: bool = Field(
        False, description="submit/accept of Forms 03/04: confirm going ahead although clusters lack data"
    )


class DueOut(Schema):
    form: Form
    unit: str
    deadline: datetime.date | None
    overdue: bool
    report_id: int | None
    status: ReportStatus | None
    open_with: dict


class TraceClusterOut(Schema):
    id: int
    code: str
    name: str
    status: str | None
    value: Decimal | None
    source: str
    form02_report_id: int | None


class TraceReportOut(Schema):
    report_id: int
    revision: int
    project: str
    cluster_code: str
    value: Decimal | None


class TraceMissingOut(Schema):
    id: int
    code: str
    name: str
    status: str | None


class TraceOut(Schema):
    code: str
    as_of: datetime.date
    value: Decimal | None
    clusters: list[TraceClusterOut]
    reports: list[TraceReportOut]
    missing: list[TraceMissingOut] = Field(description="Clusters that should give a value and have none")


class CompletenessRowOut(Schema):
    group: str
    expected: int
    reported: int
    on_time: int
    late: int
    missing: int
    rate: Decimal | None
    on_time_rate: Decimal | None


class CompletenessOut(Schema):
    form: Form
    period_id: int
    deadline: datetime.date | None
    rows: list[CompletenessRowOut]
    totals: CompletenessRowOut
    not_expected_report_ids: list[int]


class NationalRowOut(Schema):
    province_code: str
    province_name: str
    report_id: int | None
    status: ReportStatus | None
    figures: dict[str, Decimal | None]


class NationalTotalOut(Schema):
    provinces: int = Field(description="Provinces whose figures are added")
    figures: dict[str, Decimal | None] = Field(
        description="Sum of each figure over the provinces; 19 = Σ leased ÷ Σ industrial land (known land)"
    )
    missing: dict[str, list[int]] = Field(description="Per indicator [clusters without data, clusters expected]")


class NationalOut(Schema):
    period_id: int
    live: bool
    rows: list[NationalRowOut]
    total: NationalTotalOut


def _period_out(p: Period) -> dict:
    return {
        "id": p.pk,
        "kind": p.kind,
        "year": p.year,
        "label": str(p.label),
        "starts_on": p.starts_on,
        "ends_on": p.ends_on,
        "closed": p.is_closed,
        "deadlines": {f: selectors.deadline_for(f, p) for f in Form.values},
    }


def _report_out(r: Report, deadlines: dict | None = None) -> dict:
    """`deadlines` caches the deadline per (form, period) across a list: one look-up each, not one per report."""
    if deadlines is None:
        deadline = selectors.deadline_for(r.form, r.period)
    else:
        if (r.form, r.period_id) not in deadlines:
            deadlines[(r.form, r.period_id)] = selectors.deadline_for(r.form, r.period)
        deadline = deadlines[(r.form, r.period_id)]
    return {
        "id": r.pk,
        "form": r.form,
        "period_id": r.period_id,
        "period": str(r.period.label),
        "status": r.status,
        "version": r.version,
        "subject": r.subject_name,
        "province_code": r.province.code,
        "cluster_code": r.cluster.code if r.cluster_id else None,
        "project_id": r.project_id,
        "commune_code": r.commune.code if r.commune_id else None,
        "deadline": deadline,
        "first_submitted_at": r.first_submitted_at,
        "revision": r.current.number if r.current_id else 0,
    }


def _revision_out(rev) -> dict:
    return {
        "number": rev.number,
        "reason": rev.reason,
        "submitted_at": rev.submitted_at,
        "submitted_by": rev.submitted_by.username if rev.submitted_by_id else None,
        "accepted_at": rev.accepted_at,
        "accepted_by": rev.accepted_by.username if rev.accepted_by_id else None,
        "is_final": rev.is_final,
        "values": {k: v for k, v in rev.values().items() if k in _codes(rev.form)},
        "notes": rev.notes,
        "warning_comments": rev.warning_comments,
        "return_comments": rev.return_comments,
    }


def _codes(form: str) -> set[str]:
    return {i.code for i in selectors.indicators_for(form)}


def _detail(report: Report, user) -> dict:
    from django.utils.translation import get_language

    report = selectors.report_get(user=user, pk=report.pk)
    rev = report.current
    lang = get_language()
    data = _report_out(report)
    compilation = rev.compilation or {}
    missing = compilation.get("missing", {})
    data["as_of"] = compilation.get("as_of")
    data["missing_confirmed"] = compilation.get("confirmed", {})
    data["indicators"] = [
        {
            "code": i.code,
            "section": i.section,
            "label": i.label(lang),
            "unit": i.unit,
            "value": getattr(rev, i.column),
            "note": rev.notes.get(i.code, ""),
            "source": rev.sources.get(i.code, ""),
            "return_comment": rev.return_comments.get(i.code, ""),
            "clusters_without_data": missing[i.code][0] if i.code in missing else None,
            "clusters_expected": missing[i.code][1] if i.code in missing else None,
        }
        for i in selectors.indicators_for(report.form)
    ]
    data["general_note"] = rev.general_note
    data["findings"] = [f.as_dict() for f in services.validate_report(report)]
    data["allowed_actions"] = [
        t.action for t in workflow_for(report.form).allowed_actions(report.status, role_of(user))
    ]
    data["revisions"] = [_revision_out(r) for r in selectors.revisions_of(report)]
    return data


def _period(pk: int) -> Period:
    return selectors.period_get(pk)


@router.get("/periods", response={200: list[PeriodOut], **ERRORS}, operation_id="reports_periods_list")
def periods_list(request):
    """Reporting periods with each form's deadline (from the dated configuration)."""
    api_user(request, required=True)
    return Status(200, [_period_out(p) for p in selectors.period_list()])


@router.post("/periods", response={201: list[PeriodOut], **ERRORS}, operation_id="reports_periods_create")
def periods_create(request, payload: YearIn):
    """Create the six-month and annual periods of a year (administrators)."""
    user = api_user(request, required=True)
    return Status(201, [_period_out(p) for p in services.periods_create_year(actor=user, year=payload.year)])


@router.get("/due", response={200: list[DueOut], **ERRORS}, operation_id="reports_due")
def due(request, period_id: int | None = None):
    """What the caller has to report for a period (the current one by default)."""
    user = api_user(request, required=True)
    period = _period(period_id) if period_id else selectors.current_period()
    if period is None:
        return Status(200, [])
    out = []
    for item in selectors.due_for(user=user, period=period):
        start = dict(item["start"])
        open_with = {"form": start.pop("form"), "period_id": start.pop("period")}
        unit = item["unit"]
        if item["form"] == Form.F01:
            open_with["project_id"] = unit.pk
        elif item["form"] == Form.F02:
            open_with["cluster_code"] = unit.code
        elif item["form"] == Form.F03:
            open_with["commune_code"] = unit.code
        else:
            open_with["province_code"] = unit.code
        out.append(
            {
                "form": item["form"],
                "unit": item["label"],
                "deadline": item["deadline"],
                "overdue": item["overdue"],
                "report_id": item["report"].pk if item["report"] else None,
                "status": item["report"].status if item["report"] else None,
                "open_with": open_with,
            }
        )
    return Status(200, out)


# The report list's filters (ccn/reports/filters.py), then paging.
ReportFilters = query_schema(ReportFilterSet, "ReportFilters", **page_fields(bounded=False))


@router.get("/reports", response={200: ReportPage, **ERRORS}, operation_id="reports_list")
def reports_list(request, filters: Query[ReportFilters]):
    user = api_user(request, required=True)
    if filters.period_id:
        _period(filters.period_id)  # an unknown period is not found (404), as before
    qs = selectors.report_list(user=user, filters=filters.filter_data())
    items, meta = paginate(qs, limit=filters.limit, offset=filters.offset)
    deadlines: dict = {}
    return Status(200, {"items": [_report_out(r, deadlines) for r in items], **meta})


@router.post("/reports", response={200: ReportDetailOut, 201: ReportDetailOut, **ERRORS}, operation_id="reports_open")
def reports_open(request, payload: OpenIn):
    """Open the report of a unit for a period: created prefilled (Forms 01/02) or compiled (Forms 03/04) the first
    time (201), returned as it is afterwards (200)."""
    user = api_user(request, required=True)
    period = _period(payload.period_id)
    kwargs: dict = {}
    if payload.form == Form.F01:
        project = TenantProject.objects.filter(pk=payload.project_id or 0).select_related("cluster").first()
        if project is None:
            raise NotFoundError(_("No such tenant project."))
        kwargs["project"] = project
    elif payload.form == Form.F02:
        cluster = Cluster.objects.filter(code=payload.cluster_code or "").first()
        if cluster is None:
            raise NotFoundError(_("No such cluster."))
        kwargs["cluster"] = cluster
    elif payload.form == Form.F03:
        commune = Commune.objects.filter(code=payload.commune_code or "").first()
        if commune is None:
            raise NotFoundError(_("No such commune."))
        kwargs["commune"] = commune
    else:
        province = Province.objects.filter(code=payload.province_code or "").first()
        if province is None:
            raise NotFoundError(_("No such province."))
        kwargs["province"] = province
    report, created = services.report_open(actor=user, form=payload.form, period=period, **kwargs)
    return Status(201 if created else 200, _detail(report, user))


@router.get("/reports/{report_id}", response={200: ReportDetailOut, **ERRORS}, operation_id="reports_get")
def reports_get(request, report_id: int):
    """A report with its current figures, the checks of the rules in force, allowed actions and every revision."""
    user = api_user(request, required=True)
    return Status(200, _detail(selectors.report_get(user=user, pk=report_id), user))


@router.patch(
    "/reports/{report_id}", response={200: ReportDetailOut, **ERRORS, **VERSIONED}, operation_id="reports_save"
)
def reports_save(request, report_id: int, payload: SaveIn):
    """Save figures (Forms 01/02) and notes of a draft or returned report."""
    user = api_user(request, required=True)
    report = selectors.report_get(user=user, pk=report_id)
    services.report_save(
        actor=user,
        report=report,
        values=payload.values,
        notes=payload.notes,
        general_note=payload.general_note,
        version=based_on(request, payload.version),
    )
    return Status(200, _detail(report, user))


@router.post(
    "/reports/{report_id}/{action}",
    response={200: ReportDetailOut, **ERRORS, **VERSIONED},
    operation_id="reports_transition",
)
def reports_transition(request, report_id: int, action: str, payload: ReportTransitionIn):
    """Run a workflow action: submit, accept (approve for Form 04), return, correct; or recompile (Forms 03/04)."""
    user = api_user(request, required=True)
    report = selectors.report_get(user=user, pk=report_id)
    if action == "recompile":
        services.report_recompile(actor=user, report=report)
    else:
        services.report_transition(
            actor=user,
            report=report,
            action=action,
            comments=payload.comments,
            reason=payload.reason,
            version=based_on(request, payload.version),
            confirm_missing=payload.confirm_missing,
        )
    return Status(200, _detail(report, user))


@router.get("/reports/{report_id}/trace/{code}", response={200: TraceOut, **ERRORS}, operation_id="reports_trace")
def reports_trace(request, report_id: int, code: str):
    """The clusters and reports behind one figure of a Form 03 or 04."""
    user = api_user(request, required=True)
    report = selectors.report_get(user=user, pk=report_id)
    if report.form not in COMPILED_FORMS:
        raise NotFoundError(_("Only compiled forms are traced."))
    if code not in _codes(report.form):
        raise NotFoundError(_("No such indicator."))
    scope = {"commune_id": report.commune_id} if report.form == Form.F03 else {"province_id": report.province_id}
    data = trace(report.period, code, **scope)
    visible = set(
        selectors.report_list(user=user)
        .values_list("pk", flat=True)
        .filter(pk__in=[r["report_id"] for r in data["reports"]])
    )
    data["reports"] = [r for r in data["reports"] if r["report_id"] in visible]

    data["value"] = getattr(report.current, column_of(code))
    return Status(200, data)


@router.get("/completeness", response={200: CompletenessOut, **ERRORS}, operation_id="reports_completeness")
def completeness(request, period_id: int, form: Form = Form.F01, group: str = "province", province: str | None = None):
    """Expected, on-time, late and missing reports per province, commune or investor."""
    user = api_user(request, required=True)
    if group not in selectors.GROUPS:
        raise field_error("group", _("Unknown."), detail=_("Group by province, commune or investor."))
    period = _period(period_id)
    rows, totals, unexpected = selectors.completeness(
        user=user, period=period, form=form, group=group, province_code=province
    )
    return Status(
        200,
        {
            "form": form,
            "period_id": period.pk,
            "deadline": selectors.deadline_for(form, period),
            "rows": rows,
            "totals": {"group": "total", **totals},
            "not_expected_report_ids": list(unexpected.values_list("pk", flat=True)),
        },
    )


@router.get("/national", response={200: NationalOut, **ERRORS}, operation_id="reports_national")
def national(request, period_id: int, live: bool = False):
    """Form 04 of the 34 provinces: approved figures, or (live=true) compiled now from the registry and the
    accepted reports."""
    user = api_user(request, required=True)
    if not policy.may(user, NATIONAL, Report):
        raise PermissionDeniedError(_("The national table is for the Ministry and the provinces."))
    period = _period(period_id)
    rows = selectors.national_rows(period=period, live=live)
    return Status(
        200,
        {
            "period_id": period.pk,
            "live": live,
            "total": national_total(rows),
            "rows": [
                {
                    "province_code": r["province"].code,
                    "province_name": r["province"].name,
                    "report_id": r["report"].pk if r["report"] else None,
                    "status": r["report"].status if r["report"] else None,
                    "figures": {k: v for k, v in r["figures"].items()},
                }
                for r in rows
            ],
        },
    )
