"""Pages of inspections, findings and corrections."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ccn.accounts import policy
from ccn.clusters.models import Cluster
from ccn.core.spreadsheets import xlsx_response
from ccn.core.throttle import limit_exports
from ccn.core.views_helpers import get_or_404
from ccn.geo.models import Province
from ccn.tenants.models import TenantProject

from .. import forms as f
from .. import selectors, services
from ..models import Correction, Finding, InspectionPlan
from .common import _form_page, _run, procedures_user


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
            "can_plan": policy.may(user, policy.ADD, InspectionPlan),
        },
    )


@procedures_user
@limit_exports
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
    if not policy.may(user, policy.ADD, InspectionPlan):
        raise PermissionDenied(_("Only the Department plans inspections."))
    return None if user.sees_everything else user.province


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

    return reverse(name, kwargs=kwargs or None)


@procedures_user
@require_http_methods(["GET", "POST"])
def inspection_new(request):

    province = _editor_province(request.user)
    clusters = Cluster.objects.visible_to(request.user).order_by("name")
    if province is not None:
        clusters = clusters.filter(province=province)
    projects = TenantProject.objects.filter(cluster__in=clusters).select_related("cluster", "enterprise")
    initial = {"cluster": request.GET.get("cluster")} if request.GET.get("cluster") else None
    form = f.InspectionForm(request.POST or None, initial=initial, clusters=clusters, projects=projects)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

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
    can_write = policy.can(request.user, policy.CHANGE, inspection)
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
    if not policy.can(request.user, policy.CHANGE, inspection):
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
    if not policy.can(request.user, policy.CHANGE, finding.inspection):
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
