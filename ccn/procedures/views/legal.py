"""Pages of the legal calendar and settings."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ccn.accounts import policy

from .. import forms as f
from .. import selectors, services
from ..checks import occupancy_scope
from ..models import CalendarDay, OccupancyScopeSetting, TimeLimit
from .common import _run, procedures_user
from .inspections import _url, _year


@procedures_user
@require_http_methods(["GET", "POST"])
def legal_calendar(request):
    user = request.user
    year = _year(request)
    scope_form = day_form = limit_form = None
    may_set_scope = user.province_id and policy.can(user, policy.CHANGE, OccupancyScopeSetting(province=user.province))
    province = user.province if may_set_scope else None
    if province is not None:
        scope_form = f.ScopeSettingForm(request.POST if request.POST.get("form") == "scope" else None, prefix="scope")
    if policy.may(user, policy.CHANGE, CalendarDay):
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
