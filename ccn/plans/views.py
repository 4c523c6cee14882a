"""Pages of plans and targets: plan list and detail (the plan as of a date), amendments, targets with their
progress and forecast, the leadership dashboard and the lists behind its figures."""

from __future__ import annotations

import datetime
import time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ccn.accounts import policy
from ccn.clusters.models import Cluster
from ccn.core import pagecache
from ccn.core.errors import NotFoundError, PermissionDeniedError
from ccn.core.lists import SignedInListView
from ccn.core.views_helpers import form_action, get_or_404
from ccn.geo.models import Province

from . import selectors, services
from .choices import VERDICT_COLOURS, PlanKind, Verdict
from .filters import PlanFilterSet
from .forecast import fmt_target, fmt_value
from .forms import AmendmentForm, DashboardFilterForm, PlanForm, TargetForm
from .indicators import INDICATORS
from .models import Plan


def _as_of(request) -> datetime.date:
    raw = (request.GET.get("as_of") or "").strip()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):  # as typed (dd/mm/yyyy) or as linked (ISO)
        try:
            return datetime.date(*time.strptime(raw, pattern)[:3])
        except ValueError:
            continue
    return timezone.localdate()


def _domain(fn, **kwargs):
    try:
        return fn(**kwargs)
    except NotFoundError as exc:
        raise Http404(exc.message)
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message)


def _row(progress) -> dict:
    target = progress.target
    indicator = progress.indicator
    unit = indicator.unit if indicator else "count"
    return {
        "p": progress,
        "target": target,
        "indicator": indicator,
        "target_text": fmt_target(target, unit),
        "actual_text": fmt_value(progress.actual, unit),
        "projected_text": fmt_value(progress.projected, unit),
        "verdict_label": Verdict(progress.verdict).label,
        "verdict_colour": VERDICT_COLOURS[progress.verdict],
    }


def _plan_url(plan) -> str:
    return reverse("plans:detail", kwargs={"pk": plan.pk})


def _target_url(target) -> str:
    return reverse("plans:target", kwargs={"pk": target.pk})


class PlanList(SignedInListView):
    selector = staticmethod(selectors.plan_list)
    filterset_class = PlanFilterSet
    template_name = "plans/plan_list.html"
    partial_name = None

    def get_context_data(self, qs):
        return {"can_create": policy.may(self.request.user, policy.ADD, Plan)}


plan_list = PlanList.as_view()


def _editable_provinces(user):
    """The provinces whose plans the user keeps (ccn/plans/policy.py)."""
    return Province.objects.filter(policy.parent_q(user, Plan, policy.ADD, "province"))


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request):
    provinces = _editable_provinces(request.user)
    if not provinces.exists():
        raise PermissionDenied(_("Your role may not create plans."))
    form = PlanForm(request.POST or None, provinces=provinces)
    done = form_action(
        request,
        form,
        lambda: services.plan_create(
            actor=request.user,
            province=form.cleaned_data["province"],
            data=form.service_data(),
            declared_clusters=form.cleaned_data.get("declared_clusters"),
            declared_area_ha=form.cleaned_data.get("declared_area_ha"),
        ),
        success=lambda plan: _("Plan “%(number)s” saved.") % {"number": plan.number},
        then=_plan_url,
    )
    return done or render(request, "plans/plan_form.html", {"form": form, "creating": True})


@login_required
def plan_detail(request, pk):
    plan = get_or_404(selectors.plan_get, user=request.user, pk=pk)
    as_of = _as_of(request)
    targets = selectors.target_list(user=request.user, plan=plan)
    rows = [_row(p) for p in selectors.targets_progress(targets, as_of=as_of)]
    context = {
        "plan": plan,
        "as_of": as_of,
        "rows": rows,
        "can_edit": policy.can(request.user, policy.CHANGE, plan),
        "is_development": plan.kind == PlanKind.DEVELOPMENT,
    }
    if plan.kind == PlanKind.DEVELOPMENT:
        context["versions"] = selectors.plan_versions(plan)
        context["state"] = selectors.plan_as_of(plan, as_of, user=request.user)
    return render(request, "plans/plan_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request, pk):
    plan = get_or_404(selectors.plan_get, user=request.user, pk=pk)
    if not policy.can(request.user, policy.CHANGE, plan):
        raise PermissionDenied(_("You may not edit this plan."))
    form = PlanForm(request.POST or None, instance=plan, creating=False)
    done = form_action(
        request,
        form,
        lambda: services.plan_update(
            actor=request.user, plan=plan, data=form.service_data(), expected_version=form.cleaned_data["version"]
        ),
        success=_("Changes saved."),
        then=_plan_url(plan),
    )
    return done or render(request, "plans/plan_form.html", {"form": form, "plan": plan, "creating": False})


@login_required
@require_http_methods(["GET", "POST"])
def plan_amend(request, pk):
    plan = get_or_404(selectors.plan_get, user=request.user, pk=pk)
    if not policy.can(request.user, policy.CHANGE, plan):
        raise PermissionDenied(_("You may not amend this plan."))
    if plan.kind != PlanKind.DEVELOPMENT:
        raise Http404(_("Only the cluster development plan has amendments."))
    form = AmendmentForm(request.POST or None, plan=plan)
    done = form_action(
        request,
        form,
        lambda: services.plan_amend(actor=request.user, plan=plan, **form.service_kwargs()),
        success=lambda version: _("Amendment %(number)s recorded.") % {"number": version.number},
        then=_plan_url(plan),
    )
    return done or render(request, "plans/amend_form.html", {"form": form, "plan": plan})


@login_required
@require_http_methods(["GET", "POST"])
def target_create(request, pk):
    plan = get_or_404(selectors.plan_get, user=request.user, pk=pk)
    if not policy.can(request.user, policy.CHANGE, plan):
        raise PermissionDenied(_("You may not add targets to this plan."))
    form = TargetForm(request.POST or None, plan=plan)
    done = form_action(
        request,
        form,
        lambda: services.target_create(
            actor=request.user,
            plan=plan,
            data=form.service_data(),
            clusters=list(form.cleaned_data.get("clusters") or []),
        ),
        success=_("Target saved."),
        then=_target_url,
    )
    return done or render(
        request, "plans/target_form.html", {"form": form, "plan": plan, "indicators": INDICATORS.values()}
    )


@login_required
@require_http_methods(["GET", "POST"])
def target_edit(request, pk):
    target = get_or_404(selectors.target_get, user=request.user, pk=pk)
    plan = target.plan
    if not policy.can(request.user, policy.CHANGE, plan):
        raise PermissionDenied(_("You may not edit this target."))
    form = TargetForm(request.POST or None, instance=target, plan=plan)
    done = form_action(
        request,
        form,
        lambda: services.target_update(
            actor=request.user,
            target=target,
            data=form.service_data(),
            clusters=list(form.cleaned_data.get("clusters") or []),
            expected_version=form.cleaned_data.get("version"),
        ),
        success=_("Changes saved."),
        then=_target_url(target),
    )
    return done or render(
        request,
        "plans/target_form.html",
        {"form": form, "plan": plan, "target": target, "indicators": INDICATORS.values()},
    )


@login_required
@require_POST
def target_delete(request, pk):
    target = get_or_404(selectors.target_get, user=request.user, pk=pk)
    plan_pk = target.plan_id
    try:
        services.target_delete(actor=request.user, target=target)
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message)
    messages.success(request, _("Target deleted."))
    return redirect("plans:detail", pk=plan_pk)


@login_required
def target_detail(request, pk):
    target = get_or_404(selectors.target_get, user=request.user, pk=pk)
    as_of = _as_of(request)
    progress = selectors.target_progress(target, as_of=as_of)
    row = _row(progress)
    unit = progress.indicator.unit if progress.indicator else "count"
    chart = {
        "labels": [d.isoformat() for d, _v in progress.trajectory],
        "actual": [float(v) if v is not None else None for _d, v in progress.trajectory],
        "target_min": float(target.value_min),
        "target_max": float(target.value_max) if target.value_max is not None else None,
        "deadline": target.deadline.isoformat(),
        "as_of": min(as_of, target.deadline).isoformat(),
        "projected": float(progress.projected) if progress.projected is not None else None,
        "unit": unit,
        "series_label": str(progress.indicator.label) if progress.indicator else target.indicator,
        "labels_text": {"actual": _("Actual"), "target": _("Target"), "projection": _("Projection")},
    }
    trajectory_rows = [(d, fmt_value(v, unit)) for d, v in progress.trajectory]
    return render(
        request,
        "plans/target_detail.html",
        {
            "target": target,
            "plan": target.plan,
            "row": row,
            "as_of": as_of,
            "chart": chart,
            "trajectory_rows": trajectory_rows,
            "can_edit": policy.can(request.user, policy.CHANGE, target.plan),
            "members_url": reverse("plans:target_clusters", args=[target.pk]) + "?" + urlencode({"as_of": as_of}),
        },
    )


@login_required
def target_clusters(request, pk):
    target = get_or_404(selectors.target_get, user=request.user, pk=pk)
    as_of = _as_of(request)
    clusters = selectors.target_members(target, as_of=as_of)
    return render(
        request,
        "plans/members.html",
        {
            "title": target.title,
            "clusters": clusters[:1000],
            "as_of": min(as_of, target.deadline),
            "back": reverse("plans:target", args=[target.pk]),
        },
    )


def _dashboard_context(request):
    form = DashboardFilterForm(request.GET or None)
    province = request.GET.get("province", "")
    commune = request.GET.get("commune", "")
    as_of = _as_of(request)
    scope, prov, com = _domain(selectors.dashboard_scope, user=request.user, province=province, commune=commune)
    params = {k: v for k, v in {"province": prov.code if prov else "", "commune": commune}.items() if v}
    return form, scope, prov, com, as_of, params


@login_required
def dashboard(request):
    form, scope, prov, com, as_of, params = _dashboard_context(request)
    computed = selectors.dashboard_figures(scope, as_of, user=request.user)
    days, figures = computed["days"], computed["figures"]
    figure_params = urlencode({**params, "as_of": as_of.isoformat()})
    for f in figures:
        f["text"] = fmt_value(f["value"], f["unit"])
        f["url"] = reverse("plans:figure", args=[f["key"]]) + "?" + figure_params
    states = computed["states"]
    clusters_url = reverse("clusters:list")
    for s in states:
        s["url"] = clusters_url + "?" + urlencode({**params, "status": s["status"]})
    over_time = computed["over_time"]
    lazy_targets = prov is None
    rows = counts = None
    if not lazy_targets:
        progress = selectors.dashboard_targets(user=request.user, prov=prov, com=com, as_of=as_of)
        rows = [_row(p) for p in progress]
        counts = selectors.verdict_counts(progress)
    charts = {
        "labels": [d.isoformat() for d in days],
        "stages": [{"label": str(s["label"]), "values": s["values"]} for s in over_time["stages"]],
        "land": [
            {"label": _("Industrial land (ha)"), "values": [float(v or 0) for v in over_time["industrial_land"]]},
            {"label": _("Industrial land leased (ha)"), "values": [float(v or 0) for v in over_time["leased_land"]]},
        ],
        "tenants": [
            {"label": _("Tenant projects"), "values": [float(v or 0) for v in over_time["tenant_projects"]]},
            {"label": _("Workers"), "values": [float(v or 0) for v in over_time["workers"]]},
        ],
    }
    over_rows = []
    for i, d in enumerate(days):
        over_rows.append(
            {
                "day": d,
                "stages": [s["values"][i] for s in over_time["stages"]],
                "industrial": over_time["industrial_land"][i],
                "leased": over_time["leased_land"][i],
                "tenants": over_time["tenant_projects"][i],
                "workers": over_time["workers"][i],
            }
        )
    provinces = (
        Province.objects.all()
        if scope.restrict is None
        else Province.objects.filter(pk__in=Cluster.objects.filter(scope.restrict).values("province_id"))
    )
    form.fields["province"].queryset = provinces
    return render(
        request,
        "plans/dashboard.html",
        {
            "form": form,
            "prov": prov,
            "com": com,
            "as_of": as_of,
            "figures": figures,
            "states": states,
            "state_total": sum(s["count"] for s in states),
            "charts": charts,
            "stage_labels": [s["label"] for s in over_time["stages"]],
            "over_rows": over_rows,
            "points": selectors.map_points(scope),
            "rows": rows,
            "counts": counts,
            "lazy_targets": lazy_targets,
            "targets_url": reverse("plans:dashboard_targets") + "?" + urlencode({**params, "as_of": as_of.isoformat()}),
            "clusters_url": clusters_url + ("?" + urlencode(params) if params else ""),
        },
    )


@login_required
def dashboard_targets(request):
    """The targets section of the dashboard; loaded separately for the nation, where it is the slow part."""
    _form, _scope, prov, com, as_of, _params = _dashboard_context(request)
    template = "plans/_targets_section.html" if request.htmx else "plans/dashboard_targets.html"
    # Every target's progress is computed from the registry as of a day: the section is kept in the shared cache
    # under the data version (any write anywhere makes a new one), the viewer's scope and the day
    # (ccn/core/pagecache.py), so it is computed once per write and day, not once per view.
    fragment = pagecache.Fragment(
        request,
        "plans-targets",
        scope=policy.scope_key(request.user),
        parts=(pagecache.normalised_query(request), as_of.isoformat(), timezone.localdate().isoformat()),
    )
    if fragment.hit:
        return render(request, template, {"fragment": fragment, "as_of": as_of})
    progress = selectors.dashboard_targets(user=request.user, prov=prov, com=com, as_of=as_of)
    context = {
        "rows": [_row(p) for p in progress],
        "counts": selectors.verdict_counts(progress),
        "as_of": as_of,
        "fragment": fragment,
    }
    return render(request, template, context)


@login_required
def figure_clusters(request, key):
    _form, scope, prov, com, as_of, _params = _dashboard_context(request)
    indicator = INDICATORS.get(key)
    if indicator is None or indicator.members is None:
        raise Http404(_("Unknown figure."))
    clusters = selectors.figure_members(scope, key, as_of)
    where = com.name if com else (prov.name if prov else _("All provinces"))
    return render(
        request,
        "plans/members.html",
        {
            "title": f"{indicator.label} — {where}",
            "clusters": clusters[:1000],
            "as_of": as_of,
            "back": reverse("plans:dashboard") + "?" + urlencode({k: v for k, v in request.GET.items()}),
        },
    )
