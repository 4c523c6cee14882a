"""Pages of the procedures app: dossiers and their clocks, investor selection, inspections, relocation, and the
legal calendar. Views parse input, call a service or selector and render."""

from __future__ import annotations

import datetime
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ccn.accounts.choices import PROVINCE_ROLES, Role
from ccn.accounts.models import User
from ccn.accounts.scope import role_of
from ccn.clusters.choices import OPERATING_STATES, ClusterStatus
from ccn.clusters.models import Cluster
from ccn.core.errors import DomainError
from ccn.core.history import history_for
from ccn.core.spreadsheets import xlsx_response
from ccn.core.views_helpers import apply_error, get_or_404
from ccn.geo.models import Commune, Province

from . import forms as f
from . import selectors, services
from .calendar import clocks_for
from .checks import LABELS, describe
from .choices import CRITERION_MAX, Criterion, DossierKind, RoundStatus
from .models import Correction, Finding, TimeLimit
from .workflow import DOSSIER_WORKFLOW, RELOCATION_WORKFLOW

PAGE_SIZE = 50


def procedures_user(view):
    """Signed-in users of the roles that take part in procedures; investors, tenants and the public may not."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not selectors.can_see_procedures(request.user):
            raise PermissionDenied(_("Your role does not take part in these procedures."))
        return view(request, *args, **kwargs)

    return wrapper


def _back_url(back) -> str:
    """Where "Cancel" goes: a URL, a URL name, or a dossier."""
    from django.urls import reverse

    if hasattr(back, "code"):
        return reverse("procedures:dossier", kwargs={"code": back.code})
    return back if back.startswith("/") else reverse(back)


def _form_page(request, *, title, form, back, intro="", submit=None):
    return render(
        request,
        "procedures/form.html",
        {"title": title, "form": form, "back": _back_url(back), "intro": intro, "submit": submit or _("Confirm")},
    )


def _run(request, form, call, success: str):
    """Call a service with the form's data; on a refusal show it on the form and return None."""
    try:
        result = call()
    except DomainError as exc:
        apply_error(request, form, exc)
        return None
    messages.success(request, success)
    return result if result is not None else True


# ---------------------------------------------------------------- dossiers


@procedures_user
def dossier_list(request):
    form = f.DossierFilterForm(request.GET or None)
    qs = selectors.dossier_list(user=request.user, filters=form.filters() if request.GET else {})
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "procedures/dossier_list.html",
        {
            "form": form,
            "page": page,
            "today": timezone.localdate(),
            "can_receive": role_of(request.user) in (Role.ADMIN, Role.COMMUNE_OFFICER),
            "overdue_count": selectors.overdue_steps(user=request.user).count(),
        },
    )


@procedures_user
def dossier_export(request):
    rows = []
    for d in selectors.dossier_list(user=request.user):
        rows.append(
            [
                d.code,
                d.get_kind_display(),
                d.cluster.code,
                d.cluster.name,
                d.province.name,
                d.commune.name,
                d.get_status_display(),
                d.first_received_on,
                d.announced_on,
                d.window_closes_on,
                d.sent_on,
                d.department_received_on,
                d.appraised_on,
                d.get_conclusion_display(),
                d.decided_on,
                (d.decision or {}).get("number", ""),
                d.applications_count,
                d.selected_application.applicant.name if d.selected_application_id else "",
                d.current_due,
                "" if d.checks_passed is None else (_("yes") if d.checks_passed else _("no")),
            ]
        )
    headers = [
        _("Dossier number"),
        _("Procedure"),
        _("Cluster code"),
        _("Cluster"),
        _("Province"),
        _("Receiving commune"),
        _("State"),
        _("First application received on"),
        _("Announced on"),
        _("Applications accepted until"),
        _("Sent to the Department on"),
        _("Received by the Department on"),
        _("Appraised on"),
        _("Conclusion"),
        _("Decided on"),
        _("Decision number"),
        _("Applications"),
        _("Investor selected"),
        _("Current step due on"),
        _("Checks passed"),
    ]
    return xlsx_response(
        "dossiers.xlsx",
        headers,
        rows,
        title=_("Register of establishment and expansion dossiers"),
        notes=[_("Exported on %(day)s") % {"day": timezone.localdate().strftime("%d/%m/%Y")}],
        sheet_name="dossiers",
    )


@procedures_user
@require_http_methods(["GET", "POST"])
def dossier_new(request):
    user = request.user
    role = role_of(user)
    if role not in (Role.ADMIN, Role.COMMUNE_OFFICER):
        raise PermissionDenied(_("Only a commune officer receives applications."))
    communes = Commune.objects.all() if role == Role.ADMIN else user.communes.all()
    clusters = (
        Cluster.objects.visible_to(user)
        .filter(status__in=(ClusterStatus.PLANNED, ClusterStatus.OPERATING))
        .filter(pk__in=Cluster.communes.through.objects.filter(commune__in=communes).values("cluster_id"))
        .order_by("name")
    )
    initial = {"cluster": request.GET.get("cluster")} if request.GET.get("cluster") else None
    form = f.DossierReceiveForm(
        request.POST or None, initial=initial, clusters=clusters, communes=communes.order_by("name")
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        dossier = _run(
            request,
            form,
            lambda: services.dossier_receive(
                actor=user,
                cluster=data["cluster"],
                kind=data["kind"],
                commune=data["commune"],
                application=form.application_data(),
            ),
            _("Application received; the dossier is open."),
        )
        if dossier:
            return redirect("procedures:dossier", code=dossier.code)
    return _form_page(request, title=_("Receive an application (Form 01)"), form=form, back="procedures:dossiers")


def _actions(user, dossier):
    return [t for t in DOSSIER_WORKFLOW.transitions.values() if services.may_act(user, dossier, t.action)]


@procedures_user
def dossier_detail(request, code):
    dossier = get_or_404(selectors.dossier_get, user=request.user, code=code)
    today = timezone.localdate()
    selection = getattr(dossier, "selection", None)
    user = request.user
    checks = dossier.checks
    return render(
        request,
        "procedures/dossier_detail.html",
        {
            "dossier": dossier,
            "clocks": clocks_for(dossier, today=today),
            "applications": dossier.applications.select_related("applicant"),
            "pauses": dossier.pauses.all(),
            "actions": _actions(user, dossier),
            "selection": selection,
            "checks": _present_checks(checks),
            "can_add_application": services.is_commune_officer_of(user, dossier.commune_id)
            and dossier.status in ("received", "announced"),
            "can_check": services.is_department_of(user, dossier.province_id)
            or services.is_province_approver_of(user, dossier.province_id),
            "can_open_selection": services.is_department_of(user, dossier.province_id)
            and selection is None
            and dossier.status in ("in_appraisal", "awaiting_corrections"),
            "history": history_for(dossier)[:30],
            "today": today,
        },
    )


def _present_checks(checks):
    if not checks:
        return None
    items = [{**i, "label": LABELS.get(i["key"], i["key"]), "text": describe(i)} for i in checks["items"]]
    return {**checks, "items": items, "on_date": datetime.date.fromisoformat(checks["on"])}


@procedures_user
@require_http_methods(["GET", "POST"])
def application_add(request, code):
    dossier = get_or_404(selectors.dossier_get, user=request.user, code=code)
    if not services.is_commune_officer_of(request.user, dossier.commune_id):
        raise PermissionDenied(_("Only an officer of the receiving commune records applications."))
    form = f.ApplicationFields(request.POST or None, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        if _run(
            request,
            form,
            lambda: services.application_add(actor=request.user, dossier=dossier, data=form.application_data()),
            _("Application recorded."),
        ):
            return redirect("procedures:dossier", code=code)
    return _form_page(request, title=_("Record a competing application (Form 01)"), form=form, back=dossier)


ACTION_FORMS = {
    "announce": (f.AnnounceForm, lambda u, d, c: services.dossier_announce(actor=u, dossier=d, **c)),
    "send": (f.SendForm, lambda u, d, c: services.dossier_send(actor=u, dossier=d, **c)),
    "request_corrections": (
        f.CorrectionsRequestForm,
        lambda u, d, c: services.dossier_request_corrections(actor=u, dossier=d, **c),
    ),
    "receive_corrections": (
        f.CorrectionsReceivedForm,
        lambda u, d, c: services.dossier_receive_corrections(actor=u, dossier=d, **c),
    ),
    "appraise": (f.AppraiseForm, lambda u, d, c: services.dossier_appraise(actor=u, dossier=d, **c)),
    "decide": (
        f.DecideForm,
        None,
    ),
    "refuse": (f.RefuseForm, lambda u, d, c: services.dossier_refuse(actor=u, dossier=d, **c)),
    "withdraw": (f.WithdrawForm, lambda u, d, c: services.dossier_withdraw(actor=u, dossier=d, **c)),
}


def _decide_initial(dossier):
    cluster = dossier.cluster
    area = dossier.proposed_area_ha or cluster.area_planned_ha
    return {
        "decided_on": timezone.localdate(),
        "name": cluster.name,
        "area_ha": area,
        "location": ", ".join(c.name for c in cluster.communes.all()) + f", {cluster.province.name}",
        "sectors": list(cluster.sectors.all()),
        "capital_bn": dossier.selected_application.estimated_capital_bn if dossier.selected_application_id else None,
        "capital_sources": dossier.selected_application.capital_sources if dossier.selected_application_id else "",
        "schedule": dossier.selected_application.schedule if dossier.selected_application_id else "",
        "issuer": _("Provincial People's Committee of %(province)s") % {"province": cluster.province.name},
    }


@procedures_user
@require_http_methods(["GET", "POST"])
def dossier_action(request, code, action):
    dossier = get_or_404(selectors.dossier_get, user=request.user, code=code)
    if action not in ACTION_FORMS:
        raise Http404(_("Unknown action."))
    if not services.may_act(request.user, dossier, action):
        raise PermissionDenied(_("You may not do this now."))
    form_class, call = ACTION_FORMS[action]
    initial = _decide_initial(dossier) if action == "decide" else None
    form = form_class(request.POST or None, initial=initial)
    transition = DOSSIER_WORKFLOW.transitions[action]
    if request.method == "POST" and form.is_valid():
        if action == "decide":

            def call_service():
                return services.dossier_decide(
                    actor=request.user,
                    dossier=dossier,
                    decided_on=form.cleaned_data["decided_on"],
                    decision=form.decision(),
                    late_reason=form.cleaned_data.get("late_reason") or "",
                )

        else:

            def call_service():
                return call(request.user, dossier, {k: v for k, v in form.cleaned_data.items() if v is not None})

        if _run(request, form, call_service, _("%(action)s: done.") % {"action": transition.label}):
            return redirect("procedures:dossier", code=code)
    intro = ""
    if action == "decide":
        intro = _("The decision becomes the cluster's %(kind)s document and moves the cluster's lifecycle.") % {
            "kind": _("expansion") if dossier.kind == DossierKind.EXPANSION else _("establishment")
        }
    return _form_page(request, title=f"{transition.label} · {dossier.code}", form=form, back=dossier, intro=intro)


@procedures_user
@require_POST
def dossier_checks(request, code):
    dossier = get_or_404(selectors.dossier_get, user=request.user, code=code)
    form = f.ChecksForm(request.POST)
    if form.is_valid():
        try:
            result = services.dossier_run_checks(actor=request.user, dossier=dossier, on=form.cleaned_data["on"])
        except DomainError as exc:
            apply_error(request, None, exc)
        else:
            if result["passed"]:
                messages.success(request, _("Every condition is met on that date."))
            else:
                messages.warning(request, _("Some conditions are not met on that date: see the checks."))
    else:
        messages.error(request, _("Give a valid date."))
    return redirect("procedures:dossier", code=code)


@procedures_user
def overdue(request):
    return render(
        request,
        "procedures/overdue.html",
        {
            "steps": selectors.overdue_steps(user=request.user),
            "corrections": selectors.overdue_corrections(user=request.user),
            "today": timezone.localdate(),
        },
    )


# ---------------------------------------------------------------- selection


def _council_candidates(dossier):
    return User.objects.filter(province_id=dossier.province_id, role__in=list(PROVINCE_ROLES), is_active=True).order_by(
        "last_name", "username"
    )


@procedures_user
@require_http_methods(["GET", "POST"])
def selection(request, code):
    dossier = get_or_404(selectors.dossier_get, user=request.user, code=code)
    user = request.user
    sel = getattr(dossier, "selection", None)
    if sel is None:
        if not services.is_department_of(user, dossier.province_id):
            raise Http404(_("No selection for this dossier yet."))
        form = f.SelectionOpenForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            if _run(
                request,
                form,
                lambda: services.selection_open(
                    actor=user, dossier=dossier, council_ref=form.cleaned_data["council_ref"]
                ),
                _("Selection opened: add the council members."),
            ):
                return redirect("procedures:selection", code=code)
        return _form_page(request, title=_("Open the investor selection"), form=form, back=dossier)
    applications = dossier.applications.select_related("applicant")
    is_department = services.is_department_of(user, dossier.province_id)
    member = sel.members.filter(user=user).first() if user.is_authenticated else None
    scored = set(sel.sheets.filter(member=member).values_list("application_id", flat=True)) if member else set()
    to_score = [a for a in applications if a.pk not in scored]
    member_form = f.MemberForm(users=_council_candidates(dossier), prefix="m")
    score_form = f.ScoreForm(
        applications=applications, prefix="s", initial={"application": to_score[0].pk} if to_score else None
    )
    close_form = f.SelectionCloseForm(
        applications=applications, prefix="c", initial={"meeting_on": timezone.localdate()}
    )
    if request.method == "POST":
        which = request.POST.get("form")
        if which == "member" and is_department:
            member_form = f.MemberForm(request.POST, users=_council_candidates(dossier), prefix="m")
            if member_form.is_valid() and _run(
                request,
                member_form,
                lambda: services.council_member_add(actor=user, selection=sel, **member_form.cleaned_data),
                _("Member added."),
            ):
                return redirect("procedures:selection", code=code)
        elif which == "score" and member:
            score_form = f.ScoreForm(request.POST, applications=applications, prefix="s")
            if score_form.is_valid() and _run(
                request,
                score_form,
                lambda: services.score_submit(
                    actor=user,
                    selection=sel,
                    application=score_form.cleaned_data["application"],
                    scores=score_form.scores(),
                    comment=score_form.cleaned_data["comment"],
                ),
                _("Scores recorded."),
            ):
                return redirect("procedures:selection", code=code)
        elif which == "close" and is_department:
            close_form = f.SelectionCloseForm(request.POST, applications=applications, prefix="c")
            if close_form.is_valid() and _run(
                request,
                close_form,
                lambda: services.selection_close(actor=user, selection=sel, **close_form.cleaned_data),
                _("Selection closed."),
            ):
                return redirect("procedures:selection", code=code)
        else:
            raise PermissionDenied(_("You may not do this."))
    return render(
        request,
        "procedures/selection.html",
        {
            "dossier": dossier,
            "selection": sel,
            "members": sel.members.select_related("user"),
            "sheets": sel.sheets.select_related("member__user", "application__applicant"),
            "results": selectors.selection_results(sel),
            "applications": applications,
            "criteria": [(c.value, c.label, CRITERION_MAX[c]) for c in Criterion],
            "is_open": sel.status == RoundStatus.OPEN,
            "is_department": is_department,
            "member": member,
            "to_score": to_score,
            "member_form": member_form,
            "score_form": score_form,
            "close_form": close_form,
            "winner": dossier.selected_application,
        },
    )


# ---------------------------------------------------------------- inspections


def _year(request):
    try:
        return int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        return timezone.localdate().year


@procedures_user
def inspection_list(request):
    year = _year(request)
    inspections = selectors.inspection_list(user=request.user, year=year)
    user = request.user
    return render(
        request,
        "procedures/inspection_list.html",
        {
            "year": year,
            "years": range(timezone.localdate().year + 1, 2023, -1),
            "inspections": inspections,
            "plans": selectors.inspection_plans(user=user).filter(year=year),
            "can_plan": role_of(user) in (Role.ADMIN, Role.PROVINCE_EDITOR),
        },
    )


@procedures_user
def inspection_export(request):
    year = _year(request)
    rows = [
        [
            i.planned_on,
            i.province.name,
            i.cluster.code,
            i.cluster.name,
            i.tenant_project.name if i.tenant_project_id else "",
            i.enterprise.name if i.enterprise_id else "",
            i.agency,
            i.subject,
            i.suspicion,
            i.plan.title if i.plan_id else _("Unscheduled"),
            i.get_status_display(),
            i.conducted_on,
            i.findings_count,
            i.violations_count,
        ]
        for i in selectors.inspection_list(user=request.user, year=year)
    ]
    headers = [
        _("Planned for"),
        _("Province"),
        _("Cluster code"),
        _("Cluster"),
        _("Tenant project"),
        _("Tenant enterprise"),
        _("Inspecting agency"),
        _("Subject"),
        _("Suspected violation"),
        _("Plan"),
        _("State"),
        _("Conducted on"),
        _("Findings"),
        _("Violations"),
    ]
    return xlsx_response(
        f"inspections-{year}.xlsx",
        headers,
        rows,
        title=_("Inspection plan %(year)s") % {"year": year},
        notes=[
            _(
                "Decree 32/2024/NĐ-CP, Art. 24(2): at most one inspection a year per tenant "
                "unless a violation is suspected."
            )
        ],
        sheet_name=str(year),
    )


def _editor_province(user):
    if role_of(user) == Role.ADMIN:
        return None
    if role_of(user) != Role.PROVINCE_EDITOR:
        raise PermissionDenied(_("Only the Department plans inspections."))
    return user.province


@procedures_user
@require_http_methods(["GET", "POST"])
def inspection_plan_new(request):
    province = _editor_province(request.user)
    form = f.InspectionPlanForm(request.POST or None, initial={"year": _year(request)})
    if province is None:
        form.fields["province"] = f.forms.ModelChoiceField(Province.objects.all(), label=_("Province"))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        target = data.pop("province", None) or province
        if _run(
            request,
            form,
            lambda: services.inspection_plan_create(actor=request.user, province=target, **data),
            _("Inspection plan recorded."),
        ):
            return redirect(f"{_url('procedures:inspections')}?year={data['year']}")
    return _form_page(request, title=_("New inspection plan"), form=form, back="procedures:inspections")


def _url(name, **kwargs):
    from django.urls import reverse

    return reverse(name, kwargs=kwargs or None)


@procedures_user
@require_http_methods(["GET", "POST"])
def inspection_new(request):
    from ccn.tenants.models import TenantProject

    province = _editor_province(request.user)
    clusters = Cluster.objects.visible_to(request.user).order_by("name")
    if province is not None:
        clusters = clusters.filter(province=province)
    projects = TenantProject.objects.filter(cluster__in=clusters).select_related("cluster", "enterprise")
    initial = {"cluster": request.GET.get("cluster")} if request.GET.get("cluster") else None
    form = f.InspectionForm(request.POST or None, initial=initial, clusters=clusters, projects=projects)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        from .models import InspectionPlan

        plan = InspectionPlan.objects.filter(
            province_id=data["cluster"].province_id, year=data["planned_on"].year
        ).first()
        inspection = _run(
            request,
            form,
            lambda: services.inspection_create(actor=request.user, plan=plan, **data),
            _("Inspection planned."),
        )
        if inspection:
            return redirect("procedures:inspection", pk=inspection.pk)
    return _form_page(request, title=_("Plan an inspection"), form=form, back="procedures:inspections")


@procedures_user
def inspection_detail(request, pk):
    inspection = get_or_404(selectors.inspection_get, user=request.user, pk=pk)
    findings = inspection.findings.prefetch_related("corrections")
    can_write = services.is_department_of(request.user, inspection.province_id)
    others = []
    if inspection.enterprise_id:
        others = selectors.enterprise_inspections_in_year(
            enterprise_id=inspection.enterprise_id, year=inspection.planned_on.year, exclude_pk=inspection.pk
        )
    return render(
        request,
        "procedures/inspection_detail.html",
        {
            "inspection": inspection,
            "findings": findings,
            "can_write": can_write,
            "others": others,
            "obstacles_available": services.obstacles_available(),
            "today": timezone.localdate(),
            "record_form": f.InspectionRecordForm(initial={"conducted_on": timezone.localdate()}),
            "finding_form": f.FindingForm(),
        },
    )


@procedures_user
@require_http_methods(["GET", "POST"])
def inspection_step(request, pk, step):
    inspection = get_or_404(selectors.inspection_get, user=request.user, pk=pk)
    if not services.is_department_of(request.user, inspection.province_id):
        raise PermissionDenied(_("Only the Department records inspections in its province."))
    back = _url("procedures:inspection", pk=pk)
    if step == "record":
        form = f.InspectionRecordForm(request.POST or None, initial={"conducted_on": timezone.localdate()})
        title = _("Record the inspection")

        def call():
            return services.inspection_record(actor=request.user, inspection=inspection, **form.cleaned_data)

    elif step == "finding":
        form = f.FindingForm(request.POST or None)
        title = _("Add a finding")

        def call():
            return services.finding_add(actor=request.user, inspection=inspection, **form.cleaned_data)

    elif step == "close":
        form = f.forms.Form(request.POST or None)
        title = _("Close the inspection")

        def call():
            return services.inspection_close(actor=request.user, inspection=inspection)

    else:
        raise Http404(_("Unknown action."))
    if request.method == "POST" and form.is_valid() and _run(request, form, call, _("Saved.")):
        return redirect(back)
    return _form_page(request, title=title, form=form, back=back)


def _finding(request, pk) -> Finding:
    finding = Finding.objects.select_related("inspection").filter(pk=pk).first()
    if finding is None:
        raise Http404(_("Not found."))
    get_or_404(selectors.inspection_get, user=request.user, pk=finding.inspection_id)
    if not services.is_department_of(request.user, finding.inspection.province_id):
        raise PermissionDenied(_("Only the Department records inspections in its province."))
    return finding


@procedures_user
@require_http_methods(["GET", "POST"])
def correction_add(request, pk):
    finding = _finding(request, pk)
    form = f.CorrectionForm(request.POST or None)
    back = _url("procedures:inspection", pk=finding.inspection_id)
    if request.method == "POST" and form.is_valid():
        if _run(
            request,
            form,
            lambda: services.correction_add(actor=request.user, finding=finding, **form.cleaned_data),
            _("Correction required."),
        ):
            return redirect(back)
    return _form_page(request, title=_("Require a correction"), form=form, back=back, intro=finding.description)


@procedures_user
@require_http_methods(["GET", "POST"])
def correction_follow_up(request, pk):
    correction = Correction.objects.select_related("finding__inspection").filter(pk=pk).first()
    if correction is None:
        raise Http404(_("Not found."))
    _finding(request, correction.finding_id)
    back = _url("procedures:inspection", pk=correction.finding.inspection_id)
    form = f.FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _run(
            request,
            form,
            lambda: services.correction_follow_up(actor=request.user, correction=correction, **form.cleaned_data),
            _("Follow-up recorded."),
        ):
            return redirect(back)
    return _form_page(request, title=_("Follow up a correction"), form=form, back=back, intro=correction.action)


@procedures_user
@require_http_methods(["GET", "POST"])
def finding_obstacle(request, pk):
    finding = _finding(request, pk)
    back = _url("procedures:inspection", pk=finding.inspection_id)
    initial = {"description": finding.description, "category": services.OBSTACLE_CATEGORY.get(finding.area, "other")}
    form = f.ObstacleForm(request.POST or None, initial=initial, province_id=finding.inspection.province_id)
    if request.method == "POST" and form.is_valid():
        if _run(
            request,
            form,
            lambda: services.finding_open_obstacle(actor=request.user, finding=finding, **form.cleaned_data),
            _("Obstacle opened in the obstacles register."),
        ):
            return redirect(back)
    return _form_page(
        request, title=_("Open an obstacle from this finding"), form=form, back=back, intro=finding.description
    )


# ---------------------------------------------------------------- relocation


def _relocation_clusters(user, province_id=None):
    qs = Cluster.objects.visible_to(user).filter(status__in=OPERATING_STATES).order_by("name")
    return qs.filter(province_id=province_id) if province_id else qs


def _facility_communes(user):
    role = role_of(user)
    if role == Role.COMMUNE_OFFICER:
        return user.communes.order_by("name")
    if role == Role.PROVINCE_EDITOR:
        return Commune.objects.filter(province_id=user.province_id).order_by("name")
    if role == Role.ADMIN:
        return Commune.objects.order_by("name")
    return Commune.objects.none()


@procedures_user
def relocation_list(request):
    form = f.FacilityFilterForm(request.GET or None)
    filters = dict(form.filters()) if request.GET else {}
    filters["cluster"] = request.GET.get("cluster") or ""
    facilities = selectors.relocation_list(user=request.user, filters=filters)
    role = role_of(request.user)
    return render(
        request,
        "procedures/relocation_list.html",
        {
            "form": form,
            "facilities": facilities,
            "counts": selectors.relocation_counts(user=request.user),
            "can_add": role in (Role.ADMIN, Role.PROVINCE_EDITOR, Role.COMMUNE_OFFICER),
            "today": timezone.localdate(),
            "actions": RELOCATION_WORKFLOW.transitions.values(),
        },
    )


@procedures_user
@require_http_methods(["GET", "POST"])
def relocation_edit(request, pk=None):
    user = request.user
    facility = get_or_404(selectors.relocation_get, user=user, pk=pk) if pk else None
    communes = _facility_communes(user)
    province_id = facility.province_id if facility else (user.province_id if role_of(user) != Role.ADMIN else None)
    initial = None
    if facility:
        initial = {k: getattr(facility, k) for k in f.FacilityForm.base_fields}
        initial["target_cluster"] = facility.target_cluster.code if facility.target_cluster_id else None
    form = f.FacilityForm(
        request.POST or None, initial=initial, communes=communes, clusters=_relocation_clusters(user, province_id)
    )
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        data["notes"] = data.get("notes") or ""
        if facility:
            call = lambda: services.relocation_update(actor=user, facility=facility, data=data)  # noqa: E731
        else:
            province = data["commune"].province
            call = lambda: services.relocation_create(actor=user, province=province, data=data)  # noqa: E731
        if _run(request, form, call, _("Facility saved.")):
            return redirect("procedures:relocations")
    title = _("Edit facility") if facility else _("New facility to relocate")
    return _form_page(request, title=title, form=form, back="procedures:relocations")


@procedures_user
@require_http_methods(["GET", "POST"])
def relocation_step(request, pk, action):
    facility = get_or_404(selectors.relocation_get, user=request.user, pk=pk)
    if action not in RELOCATION_WORKFLOW.transitions:
        raise Http404(_("Unknown action."))
    transition = RELOCATION_WORKFLOW.transitions[action]
    initial = {"on": timezone.localdate()}
    if facility.target_cluster_id:
        initial["target_cluster"] = facility.target_cluster.code
    form = f.RelocationStepForm(
        request.POST or None, initial=initial, clusters=_relocation_clusters(request.user, facility.province_id)
    )
    if request.method == "POST" and form.is_valid():
        if _run(
            request,
            form,
            lambda: services.relocation_transition(
                actor=request.user, facility=facility, action=action, **form.cleaned_data
            ),
            _("%(action)s: done.") % {"action": transition.label},
        ):
            return redirect("procedures:relocations")
    return _form_page(request, title=f"{transition.label} · {facility.name}", form=form, back="procedures:relocations")


# ---------------------------------------------------------------- legal calendar and settings


@procedures_user
@require_http_methods(["GET", "POST"])
def legal_calendar(request):
    user = request.user
    role = role_of(user)
    year = _year(request)
    scope_form = day_form = limit_form = None
    province = user.province if role in PROVINCE_ROLES else None
    if province is not None:
        scope_form = f.ScopeSettingForm(request.POST if request.POST.get("form") == "scope" else None, prefix="scope")
    if role == Role.ADMIN:
        day_form = f.CalendarDayForm(request.POST if request.POST.get("form") == "day" else None, prefix="day")
        limit_form = f.TimeLimitForm(request.POST if request.POST.get("form") == "limit" else None, prefix="limit")
    if request.method == "POST":
        which = request.POST.get("form")
        if which == "scope" and scope_form is not None and scope_form.is_valid():
            if _run(
                request,
                scope_form,
                lambda: services.occupancy_scope_set(actor=user, province=province, **scope_form.cleaned_data),
                _("Setting saved."),
            ):
                return redirect("procedures:calendar")
        elif which == "day" and day_form is not None and day_form.is_valid():
            if _run(
                request, day_form, lambda: services.calendar_day_save(actor=user, **day_form.cleaned_data), _("Saved.")
            ):
                return redirect(f"{_url('procedures:calendar')}?year={day_form.cleaned_data['date'].year}")
        elif which == "limit" and limit_form is not None and limit_form.is_valid():
            rule = TimeLimit(**limit_form.cleaned_data)
            if _run(request, limit_form, lambda: services.time_limit_save(actor=user, rule=rule), _("Saved.")):
                return redirect("procedures:calendar")
        elif which not in ("scope", "day", "limit") or (scope_form, day_form, limit_form) == (None, None, None):
            raise PermissionDenied(_("You may not do this."))
    from .checks import occupancy_scope
    from .models import OccupancyScopeSetting

    settings_qs = OccupancyScopeSetting.objects.select_related("province")
    if province is not None:
        settings_qs = settings_qs.filter(province=province)
    return render(
        request,
        "procedures/calendar.html",
        {
            "year": year,
            "years": range(2024, 2028),
            "days": selectors.calendar_days(year=year),
            "limits": selectors.time_limits(),
            "scope_settings": settings_qs,
            "current_scope": occupancy_scope(province.pk, timezone.localdate())[0] if province else None,
            "scope_form": scope_form,
            "day_form": day_form,
            "limit_form": limit_form,
        },
    )
