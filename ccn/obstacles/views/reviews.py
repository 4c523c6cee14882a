"""Pages of the review meetings with their pack (page, XLSX, PDF) and of the dialogue conferences."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ccn.accounts import policy
from ccn.core.spreadsheets import xlsx_response
from ccn.core.throttle import limit_exports
from ccn.core.views_helpers import form_action, get_or_404

from .. import access, selectors, services
from ..choices import ObstacleStatus
from ..forms import AnswerForm, ConferenceForm, MeetingForm, RecommendationForm, ToObstacleForm
from ..models import ReviewMeeting
from .common import _province_for


def _require_meetings(request):
    if not policy.may(request.user, policy.VIEW, ReviewMeeting):
        raise PermissionDenied(_("Review meetings are for the province and the ministry."))


@login_required
@require_http_methods(["GET", "POST"])
def meeting_list(request):
    _require_meetings(request)
    province = _province_for(request)
    can_add = province is not None and access.can_manage_province(request.user, province.pk)
    form = MeetingForm((request.POST if request.method == "POST" else None), initial={"held_on": timezone.localdate()})
    if request.method == "POST" and not can_add:
        raise PermissionDenied(_("You may not plan review meetings."))
    done = form_action(
        request,
        form,
        lambda: services.meeting_create(actor=request.user, province=province, **form.cleaned_data),
        success=_("Review meeting recorded."),
        then=lambda meeting: reverse("obstacles:meeting", kwargs={"pk": meeting.pk}),
    )
    if done:
        return done
    meetings = selectors.meeting_list(user=request.user)
    return render(
        request,
        "obstacles/meetings.html",
        {"meetings": meetings, "form": form, "can_add": can_add, "province": province},
    )


def _pack(request, pk):
    meeting = get_or_404(selectors.meeting_get, user=request.user, pk=pk)
    previous = selectors.previous_meeting(meeting)
    pack = selectors.meeting_pack(
        user=request.user,
        province=meeting.province,
        on=meeting.held_on,
        since=previous.held_on if previous else None,
    )
    return meeting, previous, pack


@login_required
def meeting_detail(request, pk):
    _require_meetings(request)
    meeting, previous, pack = _pack(request, pk)
    return render(request, "obstacles/meeting.html", {"meeting": meeting, "previous": previous, "pack": pack})


def _pack_rows(pack):
    for group in pack["groups"]:
        for o in group["items"]:
            yield (
                group["agency"].name,
                o.pk,
                o.cluster.name,
                o.get_category_display(),
                " ".join(o.description.split()),
                o.raised_on,
                o.deadline,
                o.overdue_days or "",
                str(ObstacleStatus(o.status_on).label),
                o.open_actions,
                "; ".join(f"{timezone.localtime(e.at):%d/%m} {e.summary}" for e in o.changes),
            )


@login_required
@limit_exports
def meeting_xlsx(request, pk):
    _require_meetings(request)
    meeting, previous, pack = _pack(request, pk)
    headers = [
        _("Responsible agency"),
        _("No."),
        _("Cluster"),
        _("Category"),
        _("Description"),
        _("Raised on"),
        _("Deadline"),
        _("Days overdue"),
        _("State"),
        _("Open actions"),
        _("Changes since the previous meeting"),
    ]
    since = previous.held_on.strftime("%d/%m/%Y") if previous else _("the start")
    notes = [
        _("Open and overdue obstacles on %(day)s, %(province)s")
        % {"day": meeting.held_on.strftime("%d/%m/%Y"), "province": meeting.province.name},
        _("Changes since %(since)s") % {"since": since},
    ]
    return xlsx_response(
        f"review-meeting-{meeting.held_on:%Y%m%d}.xlsx",
        headers,
        _pack_rows(pack),
        title=str(meeting),
        notes=notes,
        sheet_name=_("Meeting pack"),
    )


@login_required
def meeting_pdf(request, pk):
    _require_meetings(request)
    meeting, previous, pack = _pack(request, pk)
    from weasyprint import HTML

    html = render_to_string(
        "obstacles/meeting_pdf.html", {"meeting": meeting, "previous": previous, "pack": pack}, request=request
    )
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="review-meeting-{meeting.held_on:%Y%m%d}.pdf"'
    return response


# Dialogue conferences -------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def conference_list(request):
    _require_meetings(request)
    province = _province_for(request)
    can_add = province is not None and access.can_manage_province(request.user, province.pk)
    form = ConferenceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not can_add:
        raise PermissionDenied(_("You may not record dialogue conferences."))
    done = form_action(
        request,
        form,
        lambda: services.conference_create(actor=request.user, province=province, **form.cleaned_data),
        success=_("Dialogue conference recorded."),
        then=lambda conf: reverse("obstacles:conference", kwargs={"pk": conf.pk}),
    )
    if done:
        return done
    return render(
        request,
        "obstacles/conferences.html",
        {"conferences": selectors.conference_list(user=request.user), "form": form, "can_add": can_add},
    )


@login_required
@require_http_methods(["GET", "POST"])
def conference_detail(request, pk):
    _require_meetings(request)
    conf = get_or_404(selectors.conference_get, user=request.user, pk=pk)
    can_manage = access.can_manage_province(request.user, conf.province_id)
    form = RecommendationForm((request.POST if request.method == "POST" else None), province=conf.province)
    if request.method == "POST" and not can_manage:
        raise PermissionDenied(_("You may not record recommendations of this conference."))
    done = form_action(
        request,
        form,
        lambda: services.recommendation_add(actor=request.user, conference=conf, **form.cleaned_data),
        success=_("Recommendation recorded."),
        then=reverse("obstacles:conference", kwargs={"pk": conf.pk}),
    )
    if done:
        return done
    recs = conf.recommendations.select_related("cluster", "obstacle", "organisation", "answered_by")
    return render(
        request,
        "obstacles/conference.html",
        {"conference": conf, "recommendations": recs, "form": form, "can_manage": can_manage},
    )


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_act(request, pk, step):
    rec = get_or_404(selectors.recommendation_get, user=request.user, pk=pk)
    if not access.can_manage_province(request.user, rec.conference.province_id):
        raise PermissionDenied(_("You may not act on recommendations of this conference."))
    if step == "answer":
        form = AnswerForm((request.POST if request.method == "POST" else None), initial={"answer": rec.answer})
    elif step == "to_obstacle":
        form = ToObstacleForm(
            (request.POST if request.method == "POST" else None),
            province=rec.conference.province,
            initial={"cluster": rec.cluster_id, "deadline": timezone.localdate() + datetime.timedelta(days=30)},
        )
    else:
        raise Http404(_("Unknown action."))
    back = reverse("obstacles:conference", kwargs={"pk": rec.conference_id})
    if step == "answer":
        done = form_action(
            request,
            form,
            lambda: services.recommendation_answer(actor=request.user, recommendation=rec, **form.cleaned_data),
            success=_("Answer recorded."),
            then=back,
        )
    else:
        done = form_action(
            request,
            form,
            lambda: services.recommendation_to_obstacle(actor=request.user, recommendation=rec, **form.cleaned_data),
            success=lambda obstacle: _("Obstacle #%(id)s created from the recommendation.") % {"id": obstacle.pk},
            then=back,
        )
    if done:
        return done
    return render(request, "obstacles/recommendation_form.html", {"form": form, "rec": rec, "step": step})
