"""Pages of the reports: what is due, a report (entry, review, revisions, trace), its official layout (print, PDF,
XLSX), completeness and timeliness, the national table and the periods."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ccn.accounts import policy
from ccn.accounts.scope import role_of
from ccn.clusters.addresses import clusters_to_confirm
from ccn.clusters.choices import ClusterStatus
from ccn.clusters.models import Cluster
from ccn.core import activity, pagecache
from ccn.core.errors import DomainError, NotFoundError, PermissionDeniedError, ValidationFailed
from ccn.core.numbers import page_thousands
from ccn.core.throttle import limit_exports
from ccn.core.views_helpers import get_or_404
from ccn.geo.models import Commune, Province
from ccn.tenants.models import TenantProject

from . import output, quality, selectors, services
from .choices import COMPILED_FORMS, Form, ReportStatus, Severity
from .compile import national_total, trace
from .models import FormDeadline, Period, Report, ValidationRule, column_of
from .output import SECTIONS
from .policy import NATIONAL
from .values import reading_notes
from .workflow import workflow_for

GROUPS_PER_PAGE = 100  # groups of the completeness table a page shows (the 34 provinces on one)


def _period_from(request) -> Period | None:
    pk = request.GET.get("period") or request.POST.get("period")
    if pk:
        try:
            return selectors.period_get(int(pk))
        except (ValueError, NotFoundError):
            raise Http404(_("No such reporting period."))
    return selectors.current_period()


@login_required
def index(request):
    period = _period_from(request)
    context = {
        "period": period,
        "periods": selectors.period_list(),
        "due": selectors.due_for(user=request.user, period=period) if period else [],
        "review": selectors.to_review(user=request.user)[:100],
        "mine": selectors.report_list(user=request.user, period=period)[:200] if period else [],
        "can_national": policy.may(request.user, NATIONAL, Report),
    }
    return render(request, "reports/index.html", context)


@login_required
@require_POST
def start(request):
    period = _period_from(request)
    if period is None:
        raise Http404(_("No such reporting period."))
    form = request.POST.get("form", "")
    kwargs = {}

    def one(model, key):
        try:
            return model.objects.get(pk=int(request.POST.get(key, "")))
        except (ValueError, model.DoesNotExist):
            raise Http404(_("Not found."))

    if form == Form.F01:
        kwargs["project"] = one(TenantProject, "project")
    elif form == Form.F02:
        kwargs["cluster"] = one(Cluster, "cluster")
    elif form == Form.F03:
        kwargs["commune"] = one(Commune, "commune")
    elif form == Form.F04:
        kwargs["province"] = one(Province, "province")
    else:
        raise Http404(_("Unknown form."))
    try:
        report, _created = services.report_open(actor=request.user, form=form, period=period, **kwargs)
    except DomainError as exc:
        _refuse(request, exc)
        return redirect("reports:index")
    return redirect("reports:detail", pk=report.pk)


def _refuse(request, exc: DomainError):
    if isinstance(exc, NotFoundError):
        raise Http404(exc.message)
    if isinstance(exc, PermissionDeniedError):
        raise PermissionDenied(exc.message)
    messages.error(request, exc.message)


def _revision(report, request):
    number = request.GET.get("rev")
    if not number:
        return report.current
    try:
        return report.revisions.get(number=int(number))
    except (ValueError, report.revisions.model.DoesNotExist):
        raise Http404(_("No such revision."))


def _rows(report, revision, *, errors=None, typed=None):
    errors = errors or {}
    typed = typed or {}
    notes = revision.notes or {}
    returned = revision.return_comments or {}
    sources = revision.sources or {}
    missing = (revision.compilation or {}).get("missing", {})
    lang = get_language()
    rows, section = [], None

    for ind in selectors.indicators_for(report.form):
        if ind.section and ind.section != section:
            section = ind.section
            rows.append({"section": True, "no": section, "label": SECTIONS[section]})
        rows.append(
            {
                "section": False,
                "ind": ind,
                "label": ind.label(lang),
                "value": getattr(revision, ind.column),
                "typed": typed.get(ind.code),
                "note": notes.get(ind.code, ""),
                "returned": returned.get(ind.code, ""),
                "source": sources.get(ind.code, ""),
                "errors": errors.get(ind.column, []),
                "field": ind.column,
                "missing": missing.get(ind.code),
            }
        )
    return rows


def _detail_context(request, report, *, errors=None, typed=None, warnings_needed=None):
    revision = _revision(report, request)
    role = role_of(request.user)
    is_current = revision.pk == report.current_id
    reporter = services.is_reporter(request.user, report)
    decider = services.is_decider(request.user, report) and report.current.submitted_by_id != request.user.pk
    editable = (
        is_current
        and reporter
        and report.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)
        and not report.period.is_closed
    )
    actions = [t for t in workflow_for(report.form).allowed_actions(report.status, role)]
    allowed = {t.action for t in actions}
    findings = services.validate_report(report, revision) if is_current else []
    compiled = report.form in COMPILED_FORMS
    stale = []
    if compiled and is_current and report.status in (ReportStatus.DRAFT, ReportStatus.RETURNED, ReportStatus.SUBMITTED):
        stale = services.stale_figures(report, revision)
    most_missing, missing_codes = services.missing_summary(revision) if compiled else (0, [])
    return {
        "report": report,
        "revision": revision,
        "is_current": is_current,
        "revisions": selectors.revisions_of(report),
        "rows": _rows(report, revision, errors=errors, typed=typed),
        "compiled": compiled,
        "as_of": report.period.ends_on if compiled else None,
        "stale": stale,
        "most_missing": most_missing,
        "missing_codes": missing_codes,
        "confirmed": (revision.compilation or {}).get("confirmed", {}),
        "editable": editable,
        "can_submit": editable and "submit" in allowed,
        "can_decide": is_current and decider and report.status == ReportStatus.SUBMITTED,
        "can_accept": "accept" in allowed,
        "accept_label": workflow_for(report.form).transitions.get("accept").label if "accept" in allowed else "",
        "can_correct": is_current and reporter and "correct" in allowed and not report.period.is_closed,
        "findings": findings,
        "errors_found": [f for f in findings if f.severity == Severity.ERROR],
        "warnings_found": [f for f in findings if f.severity == Severity.WARNING],
        "warnings_needed": warnings_needed or {},
        "deadline": selectors.deadline_for(report.form, report.period),
        "history": activity.history_feed(report),
    }


@login_required
def detail(request, pk):
    report = get_or_404(selectors.report_get, user=request.user, pk=pk)
    return render(request, "reports/detail.html", _detail_context(request, report))


@login_required
@require_POST
def save(request, pk):
    """Save figures and notes (op=save) and, with op=submit, submit in the same step."""
    report = get_or_404(selectors.report_get, user=request.user, pk=pk)
    compiled = report.form in COMPILED_FORMS
    values, notes, comments = {}, {}, {}
    for ind in selectors.indicators_for(report.form):
        if not compiled and ind.column in request.POST:
            values[ind.code] = request.POST.get(ind.column, "")
        notes[ind.code] = request.POST.get("note_" + ind.column, "")
    for key, value in request.POST.items():
        if key.startswith("warn_"):
            comments[key[5:]] = value
    version = _int(request.POST.get("version"))
    try:
        services.report_save(
            actor=request.user,
            report=report,
            values=values or None,
            notes=notes,
            general_note=request.POST.get("general_note", ""),
            version=version,
            thousands=page_thousands(),
        )
        for note in reading_notes(report.form, values, thousands=page_thousands()):
            messages.info(request, note)
        if request.POST.get("op") == "submit":
            report.refresh_from_db()
            services.report_transition(
                actor=request.user,
                report=report,
                action="submit",
                comments=comments,
                confirm_missing=request.POST.get("confirm_missing") == "1",
            )
            messages.success(request, _("The report was submitted."))
        else:
            messages.success(request, _("Saved."))
    except DomainError as exc:
        _refuse(request, exc)
        report = selectors.report_get(user=request.user, pk=pk)
        needed = {k[len("warnings.") :]: v for k, v in exc.field_errors.items() if k.startswith("warnings.")}
        context = _detail_context(request, report, errors=exc.field_errors, typed=values, warnings_needed=needed)
        return render(request, "reports/detail.html", context, status=422)
    return redirect("reports:detail", pk=pk)


def _int(text):
    try:
        return int(text)
    except (TypeError, ValueError):
        return None


@login_required
@require_POST
def act(request, pk, action):
    report = get_or_404(selectors.report_get, user=request.user, pk=pk)
    try:
        if action == "recompile":
            services.report_recompile(actor=request.user, report=report)
            messages.success(request, _("Compiled again from the registry and the accepted reports."))
        elif action in ("accept", "return", "correct"):
            comments = {}
            for key, value in request.POST.items():
                if key.startswith("ret_v"):
                    code = key[5:].replace("_", ".")
                    comments[code] = value
            if request.POST.get("ret_general", "").strip():
                comments["general"] = request.POST["ret_general"]
            services.report_transition(
                actor=request.user,
                report=report,
                action=action,
                comments=comments,
                reason=request.POST.get("reason", ""),
                version=_int(request.POST.get("version")),
                confirm_missing=request.POST.get("confirm_missing") == "1",
            )
            messages.success(
                request,
                {
                    "accept": _("The report was accepted."),
                    "return": _("The report was returned to its sender."),
                    "correct": _("A new revision was started."),
                }[action],
            )
        else:
            raise Http404(_("Unknown action."))
    except DomainError as exc:
        _refuse(request, exc)
        report = selectors.report_get(user=request.user, pk=pk)
        return render(
            request, "reports/detail.html", _detail_context(request, report, errors=exc.field_errors), status=422
        )
    return redirect("reports:detail", pk=pk)


@login_required
def print_view(request, pk):
    report = get_or_404(selectors.report_get, user=request.user, pk=pk)
    revision = _revision(report, request)
    return HttpResponse(output.print_html(report, revision, request=request))


@login_required
@limit_exports
def pdf_view(request, pk):
    report = get_or_404(selectors.report_get, user=request.user, pk=pk)
    return output.pdf_response(report, _revision(report, request))


@login_required
@limit_exports
def xlsx_view(request, pk):
    report = get_or_404(selectors.report_get, user=request.user, pk=pk)
    return output.xlsx_response(report, _revision(report, request))


@login_required
def trace_view(request, pk, code):
    report = get_or_404(selectors.report_get, user=request.user, pk=pk)
    if report.form not in COMPILED_FORMS:
        raise Http404(_("Only compiled forms are traced."))
    indicator = next((i for i in selectors.indicators_for(report.form) if i.code == code), None)
    if indicator is None:
        raise Http404(_("No such indicator."))
    scope = {"commune_id": report.commune_id} if report.form == Form.F03 else {"province_id": report.province_id}
    data = trace(report.period, code, **scope)
    visible = set(
        selectors.report_list(user=request.user)
        .filter(
            pk__in=[c["form02_report_id"] for c in data["clusters"] if c["form02_report_id"]]
            + [r["report_id"] for r in data["reports"]]
        )
        .values_list("pk", flat=True)
    )
    labels = dict(ClusterStatus.choices)
    for cluster in data["clusters"] + data["missing"]:
        cluster["status_label"] = labels.get(cluster["status"], cluster["status"] or "—")
    stored = getattr(report.current, column_of(code))
    return render(
        request,
        "reports/trace.html",
        {
            "report": report,
            "indicator": indicator,
            "label": indicator.label(get_language()),
            "data": data,
            "visible": visible,
            "stored": stored,
        },
    )


@login_required
def completeness_view(request):
    period = _period_from(request)
    form = request.GET.get("form", Form.F01)
    if form not in Form.values:
        form = Form.F01
    group = request.GET.get("by", "province")
    if group not in selectors.GROUPS:
        group = "province"
    province = request.GET.get("province") or None
    context = {
        "period": period,
        "periods": selectors.period_list(),
        "form": form,
        "group": group,
        "forms": Form.choices,
        "province": province,
    }
    if period:
        # The counts run over every expected reporter of the period (40,000 tenant projects for the nation's Form 01):
        # the body is kept in the shared cache under the data version (any write anywhere makes a new one), the
        # viewer's scope key and the query (ccn/core/pagecache.py), so it is counted once per write, not per view.
        fragment = pagecache.Fragment(
            request,
            "reports-completeness",
            scope=policy.scope_key(request.user),
            parts=(pagecache.normalised_query(request), str(period.pk), form, group, province or ""),
        )
        context["fragment"] = fragment
        if fragment.hit:
            return render(request, "reports/completeness.html", context)
        rows, totals, unexpected = selectors.completeness(
            user=request.user, period=period, form=form, group=group, province_code=province
        )
        units, deadline = selectors.completeness_units_page(
            user=request.user, period=period, form=form, province_code=province, page=request.GET.get("page")
        )
        # The groups are paged apart from the reporters (Form 02 by commune has 1,092 for the nation); the totals
        # stay those of every group.
        groups = Paginator(rows, GROUPS_PER_PAGE).get_page(request.GET.get("groups"))
        groups.param = "groups"
        context.update(
            {"rows": groups, "totals": totals, "unexpected": unexpected, "units": units, "deadline": deadline}
        )
    return render(request, "reports/completeness.html", context)


@login_required
def national_view(request):
    if not policy.may(request.user, NATIONAL, Report):
        raise PermissionDenied(_("The national table is for the Ministry and the provinces."))
    period = _period_from(request)
    live = request.GET.get("live") == "1"
    indicators = selectors.indicators_for(Form.F04)
    rows = selectors.national_rows(period=period, live=live) if period else []
    total = national_total(rows) if period else None
    if request.GET.get("format") == "xlsx" and period:
        return output.national_xlsx(period, rows, indicators, live=live, total=total)
    shown = [i for i in indicators if i.code in ("1", "3", "15", "17", "18", "19", "20", "23", "25", "26")]
    for row in rows:
        row["cells"] = [row["figures"].get(i.code) for i in shown]
    if total is not None:
        total["cells"] = [total["figures"].get(i.code) for i in shown]
    return render(
        request,
        "reports/national.html",
        {
            "period": period,
            "periods": selectors.period_list(),
            "rows": rows,
            "total": total,
            "indicators": shown,
            "live": live,
        },
    )


@login_required
def quality_view(request):
    """Data quality of the user's province (any province, or the nation, for the Ministry and administrators)."""
    if not policy.may(request.user, NATIONAL, Report):
        raise PermissionDenied(_("The data-quality page is for the Ministry and the provinces."))
    province = None
    code = request.GET.get("province", "")
    if code:
        province = Province.objects.filter(code=code).first()
        if province is None:
            raise Http404(_("No such province."))
    lists = quality.data_quality(user=request.user, province_id=province.pk if province else None)
    to_confirm = clusters_to_confirm(request.user, province=code).count()
    return render(
        request,
        "reports/quality.html",
        {
            "lists": lists,
            "province": province,
            "provinces": Province.objects.order_by("code"),
            "locations_to_confirm": to_confirm,
        },
    )


@login_required
def periods_view(request):
    if request.method == "POST":
        try:
            if request.POST.get("op") == "create":
                year = _int(request.POST.get("year"))
                if year is None:
                    raise ValidationFailed(_("Give a year from 2024 on."))
                services.periods_create_year(actor=request.user, year=year)
                messages.success(request, _("The periods of %(year)s exist.") % {"year": year})
            elif request.POST.get("op") in ("close", "open"):
                period = selectors.period_get(_int(request.POST.get("period")))
                services.period_set_closed(actor=request.user, period=period, closed=request.POST["op"] == "close")
                messages.success(request, _("Saved."))
        except DomainError as exc:
            _refuse(request, exc)
        return redirect("reports:periods")
    periods = list(selectors.period_list())
    deadlines = {p.pk: [(f, selectors.deadline_for(f, p)) for f in Form.values] for p in periods}
    return render(
        request,
        "reports/periods.html",
        {
            "periods": [(p, deadlines[p.pk]) for p in periods],
            "rules": FormDeadline.objects.all(),
            "validation_rules": ValidationRule.objects.all(),
            "is_admin": policy.may(request.user, policy.CHANGE, Period),
            "lang": get_language(),
        },
    )
