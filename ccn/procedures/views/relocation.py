"""Pages of relocation."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ccn.accounts import policy
from ccn.clusters.choices import OPERATING_STATES
from ccn.clusters.models import Cluster
from ccn.core.views_helpers import get_or_404
from ccn.geo.models import Commune, Province

from .. import forms as f
from .. import selectors, services
from ..filters import FacilityFilterSet
from ..models import RelocationFacility
from ..workflow import RELOCATION_WORKFLOW
from .common import _form_page, _run, procedures_user


def _relocation_clusters(user, province_id=None):
    qs = Cluster.objects.visible_to(user).filter(status__in=OPERATING_STATES).order_by("name")
    return qs.filter(province_id=province_id) if province_id else qs


def _facility_communes(user):
    """Communes where the user may keep relocation facilities: their own, or their province's for the Department."""
    provinces = Province.objects.filter(policy.parent_q(user, RelocationFacility, policy.ADD, "province"))
    return Commune.objects.filter(
        policy.parent_q(user, RelocationFacility, policy.ADD, "commune") | Q(province__in=provinces)
    ).order_by("name")


@procedures_user
def relocation_list(request):
    form = FacilityFilterSet(request.GET or None, request=request).form
    facilities = selectors.relocation_list(user=request.user, filters=request.GET)
    return render(
        request,
        "procedures/relocation_list.html",
        {
            "form": form,
            "facilities": facilities,
            "counts": selectors.relocation_counts(user=request.user),
            "can_add": policy.may(request.user, policy.ADD, RelocationFacility),
            "today": timezone.localdate(),
            "actions": RELOCATION_WORKFLOW.transitions.values(),
        },
    )


@procedures_user
@require_http_methods(["GET", "POST"])
def relocation_edit(request, pk=None):
    user = request.user
    facility = get_or_404(selectors.relocation_get, user=user, pk=pk) if pk else None
    if facility is not None:
        get_or_404(policy.require, user, policy.CHANGE, facility)
    elif not policy.may(user, policy.ADD, RelocationFacility):
        raise PermissionDenied(policy.refusal(user, policy.ADD, RelocationFacility))
    communes = _facility_communes(user)
    province_id = facility.province_id if facility else (None if user.sees_everything else user.province_id)
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
