"""Pages of the agencies that remove obstacles and of their members."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ccn.accounts import policy
from ccn.accounts.models import User
from ccn.core.errors import field_error
from ccn.core.views_helpers import form_action, or_http

from .. import access, selectors, services
from ..forms import AgencyForm, MemberForm
from ..models import Agency, AgencyMember
from .common import _province_for, _require_reader


@login_required
def agency_list(request):
    _require_reader(request)
    agencies = selectors.agency_list(user=request.user)
    province = _province_for(request)
    can_add = province is not None and access.can_manage_province(request.user, province.pk)
    return render(request, "obstacles/agencies.html", {"agencies": agencies, "can_add": can_add, "province": province})


@login_required
@require_http_methods(["GET", "POST"])
def agency_edit(request, pk=None):
    agency = or_http(policy.get_or_404, request.user, Agency, policy.CHANGE, pk=pk) if pk else None
    province = agency.province if agency else _province_for(request)
    if province is None or not access.can_manage_province(request.user, province.pk):
        raise PermissionDenied(_("You may not keep the agencies of this province."))
    form = AgencyForm((request.POST if request.method == "POST" else None), instance=agency, province=province)

    def save():
        data = {k: form.cleaned_data[k] for k in form.Meta.fields}
        if agency:
            return services.agency_update(actor=request.user, agency=agency, data=data)
        return services.agency_create(actor=request.user, province=province, **data)

    done = form_action(
        request,
        form,
        save,
        success=_("Agency saved."),
        then=lambda saved: reverse("obstacles:agency_detail", kwargs={"pk": saved.pk}),
    )
    return done or render(request, "obstacles/agency_form.html", {"form": form, "agency": agency, "province": province})


@login_required
@require_http_methods(["GET", "POST"])
def agency_detail(request, pk):
    _require_reader(request)
    agency = selectors.agency_list(user=request.user).filter(pk=pk).first()
    if agency is None:
        raise Http404(_("No such agency, or you may not see it."))
    can_manage = access.can_manage_province(request.user, agency.province_id)
    form = MemberForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not can_manage:
        raise PermissionDenied(_("You may not change the members of this agency."))
    removing = bool(request.POST.get("remove"))

    def change():
        user = User.objects.filter(username=form.cleaned_data["username"].strip()).first()
        if user is None:
            raise field_error("username", _("No user with this user name."))
        change_member = services.agency_member_remove if removing else services.agency_member_add
        return change_member(actor=request.user, agency=agency, user=user)

    done = form_action(
        request,
        form,
        change,
        success=_("Member removed.") if removing else _("Member added."),
        then=reverse("obstacles:agency_detail", kwargs={"pk": agency.pk}),
    )
    if done:
        return done
    members = AgencyMember.objects.filter(agency=agency).select_related("user").order_by("user__username")
    return render(
        request,
        "obstacles/agency_detail.html",
        {"agency": agency, "members": members, "form": form, "can_manage": can_manage},
    )
