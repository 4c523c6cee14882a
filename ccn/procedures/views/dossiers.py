"""Pages of dossiers: list, detail, receipt and every step."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ccn.accounts import policy
from ccn.clusters.choices import ClusterStatus
from ccn.clusters.models import Cluster
from ccn.core import activity
from ccn.core.errors import DomainError
from ccn.core.lists import SignedInListView
from ccn.core.spreadsheets import xlsx_response
from ccn.core.throttle import limit_exports
from ccn.core.views_helpers import apply_error, get_or_404
from ccn.geo.models import Commune

from .. import forms as f
from .. import selectors, services
from ..calendar import clocks_for
from ..checks import LABELS, describe
from ..choices import DossierKind
from ..filters import DossierFilterSet
from ..models import Dossier
from ..policy import RECEIVE
from ..workflow import DOSSIER_WORKFLOW
from .common import PAGE_SIZE, _form_page, _run, procedures_user


class DossierList(SignedInListView):
    """The register of establishment and expansion dossiers, newest first."""

    selector = staticmethod(selectors.dossier_list)
    filterset_class = DossierFilterSet
    template_name = "procedures/dossier_list.html"
    partial_name = None
    page_size = PAGE_SIZE

    def check_access(self):
        if not selectors.can_see_procedures(self.request.user):
            raise PermissionDenied(_("Your role does not take part in these procedures."))

    def get_context_data(self, qs):
        user = self.request.user
        return {
            "today": timezone.localdate(),
            "can_receive": policy.may(user, RECEIVE, Dossier),
            "overdue_count": selectors.overdue_steps(user=user).count(),
        }


dossier_list = DossierList.as_view()


@procedures_user
@limit_exports
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
    if not policy.may(user, RECEIVE, Dossier):
        raise PermissionDenied(_("Only a commune officer receives applications."))
    communes = Commune.objects.filter(policy.parent_q(user, Dossier, RECEIVE, "commune"))
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
            "history": activity.history_feed(dossier, limit=30),
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
    initial = {**(_decide_initial(dossier) if action == "decide" else {}), "version": dossier.version}
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
                    expected_version=form.cleaned_data.get("version"),
                )

        else:

            def call_service():
                data = {k: v for k, v in form.cleaned_data.items() if v is not None and k != "version"}
                return call(request.user, dossier, {**data, "expected_version": form.cleaned_data.get("version")})

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
