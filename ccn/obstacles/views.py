"""Pages of the obstacles app: the register, one obstacle with its actions, notes and files, the overview of
overdue and ageing items, a user's queue, agencies, review meetings with their pack (page, XLSX, PDF) and
dialogue conferences. Views parse input, call a service or selector and render."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ccn.accounts import policy
from ccn.accounts.models import User
from ccn.accounts.scope import role_of
from ccn.attachments.models import Attachment
from ccn.clusters.models import Cluster
from ccn.core import activity
from ccn.core.errors import DomainError, ValidationFailed
from ccn.core.files import safe_file_response
from ccn.core.lists import SignedInListView
from ccn.core.spreadsheets import xlsx_response
from ccn.core.throttle import limit_exports
from ccn.core.views_helpers import apply_error, form_action, get_or_404, or_http
from ccn.geo.models import Province

from . import access, selectors, services
from .choices import ObstacleStatus
from .filters import ObstacleFilterSet, page_data
from .forms import (
    ActionForm,
    ActionStepForm,
    AgencyForm,
    AnswerForm,
    AttachmentForm,
    ConferenceForm,
    MeetingForm,
    MemberForm,
    NoteForm,
    ObstacleEditForm,
    ObstacleForm,
    RecommendationForm,
    ToObstacleForm,
    TransitionForm,
)
from .models import Agency, AgencyMember, ObstacleAction, ReviewMeeting
from .workflow import ACTION_WORKFLOW, OBSTACLE_WORKFLOW

PAGE_SIZE = 50


def _require_reader(request):
    if not access.can_see_obstacles(request.user):
        raise PermissionDenied(_("Your role does not follow obstacles."))


def _province_for(request) -> Province | None:
    """The province a page is about: the user's own, or the one chosen (?province=) by those who see all."""
    code = request.GET.get("province") or request.POST.get("province")
    if request.user.province_id and not request.user.sees_everything:
        return request.user.province
    if code:
        return Province.objects.filter(code=code).first()
    return request.user.province if request.user.province_id else None


# Obstacles ----------------------------------------------------------------------------------------------------------


def _detail_url(obstacle) -> str:
    return reverse("obstacles:detail", kwargs={"pk": obstacle.pk})


class ObstacleList(SignedInListView):
    """Unresolved obstacles unless a state is chosen, most urgent deadline first."""

    selector = staticmethod(selectors.obstacle_list)
    filterset_class = ObstacleFilterSet
    template_name = "obstacles/list.html"
    partial_name = None
    page_size = PAGE_SIZE

    def check_access(self):
        _require_reader(self.request)

    def filter_data(self):
        return page_data(self.request.GET)

    def get_context_data(self, qs):
        return {
            "can_raise": Cluster.objects.filter(access.raisable_clusters_q(self.request.user)).exists(),
            "today": timezone.localdate(),
        }


obstacle_list = ObstacleList.as_view()


@login_required
@require_http_methods(["GET", "POST"])
def obstacle_create(request):
    _require_reader(request)
    clusters = Cluster.objects.filter(access.raisable_clusters_q(request.user)).select_related("province")
    if not clusters.exists():
        raise PermissionDenied(_("You may not raise obstacles."))
    chosen = request.POST.get("cluster") or None
    initial = {}
    if request.method == "GET" and request.GET.get("cluster"):
        found = clusters.filter(code=request.GET["cluster"]).first()
        if found:
            initial["cluster"] = found.pk
            chosen = found.pk
    province_ids = set(clusters.values_list("province_id", flat=True).distinct()[:2])
    if chosen:
        c = clusters.filter(pk=chosen).first() if str(chosen).isdigit() else None
        province_ids = {c.province_id} if c else province_ids
    agencies = Agency.objects.filter(province_id__in=province_ids, is_active=True).select_related("province")
    form = ObstacleForm(
        (request.POST if request.method == "POST" else None), initial=initial, clusters=clusters, agencies=agencies
    )
    done = form_action(
        request,
        form,
        lambda: services.obstacle_create(
            actor=request.user,
            cluster=form.cleaned_data["cluster"],
            category=form.cleaned_data["category"],
            description=form.cleaned_data["description"],
            agency=form.cleaned_data["agency"],
            deadline=form.cleaned_data["deadline"],
        ),
        success=lambda obstacle: _("Obstacle #%(id)s recorded and assigned.") % {"id": obstacle.pk},
        then=_detail_url,
    )
    return done or render(request, "obstacles/form.html", {"form": form, "creating": True})


def _owners(obstacle):
    return User.objects.filter(agency_memberships__agency=obstacle.agency, is_active=True).order_by("username")


@login_required
def obstacle_detail(request, pk):
    _require_reader(request)
    obstacle = get_or_404(selectors.obstacle_get, user=request.user, pk=pk)
    return render(request, "obstacles/detail.html", _detail_context(request, obstacle))


def _detail_context(request, obstacle, **forms):
    user = request.user
    can_manage = access.can_manage(user, obstacle)
    can_act = can_manage or access.can_act(user, obstacle)
    role = role_of(user)
    transitions = OBSTACLE_WORKFLOW.allowed_actions(obstacle.status, role) if can_act else []
    actions = list(selectors.obstacle_actions(obstacle))
    for a in actions:
        if a.owner_id == user.pk:
            a.steps = [
                t for t in ACTION_WORKFLOW.transitions.values() if a.status in t.sources and t.action != "reopen"
            ]
        elif can_act:
            a.steps = ACTION_WORKFLOW.allowed_actions(a.status, role)
        else:
            a.steps = []
    open_state = obstacle.status != "closed"
    return {
        "obstacle": obstacle,
        "actions": actions,
        "notes": obstacle.notes.select_related("author"),
        "attachments": obstacle.attachments,
        "timeline": selectors.obstacle_timeline(obstacle),
        "history": activity.history_feed(obstacle),
        "can_manage": can_manage,
        "can_act": can_act and open_state,
        "transitions": transitions,
        "action_form": forms.get("action_form") or ActionForm(owners=_owners(obstacle), prefix="action"),
        "note_form": forms.get("note_form") or NoteForm(prefix="note"),
        "attachment_form": forms.get("attachment_form") or AttachmentForm(prefix="file"),
        "today": timezone.localdate(),
    }


@login_required
@require_http_methods(["GET", "POST"])
def obstacle_edit(request, pk):
    obstacle = get_or_404(selectors.obstacle_get, user=request.user, pk=pk)
    if not access.can_manage(request.user, obstacle):
        raise PermissionDenied(_("You may not edit this obstacle."))
    agencies = selectors.agency_choices(province_id=obstacle.cluster.province_id)
    initial = {
        "category": obstacle.category,
        "description": obstacle.description,
        "agency": obstacle.agency_id,
        "deadline": obstacle.deadline,
        "version": obstacle.version,
    }
    form = ObstacleEditForm((request.POST if request.method == "POST" else None), initial=initial, agencies=agencies)
    done = form_action(
        request,
        form,
        lambda: services.obstacle_update(
            actor=request.user,
            obstacle=obstacle,
            data={k: form.cleaned_data[k] for k in ("category", "description", "agency", "deadline")},
            expected_version=form.cleaned_data.get("version"),
        ),
        success=_("Changes saved."),
        then=_detail_url(obstacle),
    )
    return done or render(request, "obstacles/form.html", {"form": form, "obstacle": obstacle, "creating": False})


@login_required
@require_http_methods(["GET", "POST"])
def obstacle_transition(request, pk, action):
    obstacle = get_or_404(selectors.obstacle_get, user=request.user, pk=pk)
    if action not in OBSTACLE_WORKFLOW.transitions:
        raise Http404(_("Unknown action."))
    if not access.can_act(request.user, obstacle):
        raise PermissionDenied(_("You may not change the state of this obstacle."))
    transition = OBSTACLE_WORKFLOW.get(action)
    form = TransitionForm(
        (request.POST if request.method == "POST" else None), initial={"resolution_note": obstacle.resolution_note}
    )
    done = form_action(
        request,
        form,
        lambda: services.obstacle_transition(
            actor=request.user,
            obstacle=obstacle,
            action=action,
            comment=form.cleaned_data["comment"],
            resolution_note=form.cleaned_data["resolution_note"],
        ),
        success=_("State changed: %(action)s.") % {"action": transition.label},
        then=_detail_url(obstacle),
    )
    return done or render(
        request, "obstacles/transition.html", {"form": form, "obstacle": obstacle, "transition": transition}
    )


@login_required
@require_POST
def action_add(request, pk):
    obstacle = get_or_404(selectors.obstacle_get, user=request.user, pk=pk)
    form = ActionForm(request.POST, owners=_owners(obstacle), prefix="action")
    done = form_action(
        request,
        form,
        lambda: services.action_add(
            actor=request.user,
            obstacle=obstacle,
            description=form.cleaned_data["description"],
            owner=form.cleaned_data["owner"],
            due_on=form.cleaned_data["due_on"],
        ),
        success=_("Action recorded."),
        then=_detail_url(obstacle),
    )
    if done:
        return done
    context = _detail_context(request, obstacle, action_form=form)
    return render(request, "obstacles/detail.html", context, status=422)


@login_required
@require_POST
def action_step(request, action_id, step):
    action = get_object_or_404(ObstacleAction, pk=action_id)
    obstacle = get_or_404(selectors.obstacle_get, user=request.user, pk=action.obstacle_id)
    if step not in ACTION_WORKFLOW.transitions:
        raise Http404(_("Unknown action."))
    form = ActionStepForm(request.POST)
    form.is_valid()
    try:
        services.action_transition(
            actor=request.user, action=action, step=step, outcome=form.cleaned_data.get("outcome", "")
        )
    except DomainError as exc:
        apply_error(request, None, exc)
    else:
        messages.success(request, _("Action updated."))
    return redirect("obstacles:detail", pk=obstacle.pk)


@login_required
@require_POST
def note_add(request, pk):
    obstacle = get_or_404(selectors.obstacle_get, user=request.user, pk=pk)
    form = NoteForm(request.POST, prefix="note")
    done = form_action(
        request,
        form,
        lambda: services.note_add(actor=request.user, obstacle=obstacle, text=form.cleaned_data["text"]),
        success=_("Note added."),
        then=_detail_url(obstacle),
    )
    return done or render(
        request, "obstacles/detail.html", _detail_context(request, obstacle, note_form=form), status=422
    )


@login_required
@require_POST
def attachment_add(request, pk):
    obstacle = get_or_404(selectors.obstacle_get, user=request.user, pk=pk)
    form = AttachmentForm(request.POST, request.FILES, prefix="file")
    done = form_action(
        request,
        form,
        lambda: services.attachment_add(
            actor=request.user,
            obstacle=obstacle,
            file=form.cleaned_data["file"],
            description=form.cleaned_data["description"],
        ),
        success=_("File attached."),
        then=_detail_url(obstacle),
    )
    if done:
        return done
    context = _detail_context(request, obstacle, attachment_form=form)
    return render(request, "obstacles/detail.html", context, status=422)


@login_required
def attachment_file(request, pk, attachment_id):
    """An obstacle's file (kept at its address since the files moved to the attachment store, same id)."""
    obstacle = get_or_404(selectors.obstacle_get, user=request.user, pk=pk)
    att = obstacle.attachments.filter(pk=attachment_id).first()
    if att is None:
        raise Http404(policy.not_found(Attachment))
    return safe_file_response(att.file, filename=att.name)


# Overview and queue ---------------------------------------------------------------------------------------------


@login_required
def overview(request):
    _require_reader(request)
    by = request.GET.get("by", "agency")
    if by not in selectors.GROUPINGS:
        by = "agency"
    province = request.GET.get("province", "")
    today = timezone.localdate()
    context = {
        "by": by,
        "rows": selectors.ageing(user=request.user, by=by, on=today, province=province),
        "totals": selectors.ageing_totals(user=request.user, on=today, province=province),
        "blocked": selectors.clusters_blocked_by_category(user=request.user, province=province),
        "today": today,
        "groupings": [("agency", _("By agency")), ("category", _("By category")), ("cluster", _("By cluster"))],
    }
    return render(request, "obstacles/overview.html", context)


@login_required
def queue(request):
    data = selectors.my_queue(user=request.user)
    return render(request, "obstacles/queue.html", {**data, "today": timezone.localdate()})


# Agencies -------------------------------------------------------------------------------------------------------


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
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied(_("You may not change the members of this agency."))
        if form.is_valid():
            user = User.objects.filter(username=form.cleaned_data["username"].strip()).first()
            try:
                if user is None:
                    msg = _("No user with this user name.")
                    raise ValidationFailed(msg, field_errors={"username": [msg]})
                if request.POST.get("remove"):
                    services.agency_member_remove(actor=request.user, agency=agency, user=user)
                    messages.success(request, _("Member removed."))
                else:
                    services.agency_member_add(actor=request.user, agency=agency, user=user)
                    messages.success(request, _("Member added."))
            except DomainError as exc:
                apply_error(request, form, exc)
            else:
                return redirect("obstacles:agency_detail", pk=agency.pk)
    members = AgencyMember.objects.filter(agency=agency).select_related("user").order_by("user__username")
    return render(
        request,
        "obstacles/agency_detail.html",
        {"agency": agency, "members": members, "form": form, "can_manage": can_manage},
    )


# Review meetings ------------------------------------------------------------------------------------------------


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
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied(_("You may not plan review meetings."))
        if form.is_valid():
            try:
                meeting = services.meeting_create(actor=request.user, province=province, **form.cleaned_data)
            except DomainError as exc:
                apply_error(request, form, exc)
            else:
                messages.success(request, _("Review meeting recorded."))
                return redirect("obstacles:meeting", pk=meeting.pk)
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
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied(_("You may not record dialogue conferences."))
        if form.is_valid():
            try:
                conf = services.conference_create(actor=request.user, province=province, **form.cleaned_data)
            except DomainError as exc:
                apply_error(request, form, exc)
            else:
                messages.success(request, _("Dialogue conference recorded."))
                return redirect("obstacles:conference", pk=conf.pk)
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
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied(_("You may not record recommendations of this conference."))
        if form.is_valid():
            try:
                services.recommendation_add(actor=request.user, conference=conf, **form.cleaned_data)
            except DomainError as exc:
                apply_error(request, form, exc)
            else:
                messages.success(request, _("Recommendation recorded."))
                return redirect("obstacles:conference", pk=conf.pk)
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
    if request.method == "POST" and form.is_valid():
        try:
            if step == "answer":
                services.recommendation_answer(actor=request.user, recommendation=rec, **form.cleaned_data)
                messages.success(request, _("Answer recorded."))
            else:
                obstacle = services.recommendation_to_obstacle(
                    actor=request.user, recommendation=rec, **form.cleaned_data
                )
                messages.success(request, _("Obstacle #%(id)s created from the recommendation.") % {"id": obstacle.pk})
        except DomainError as exc:
            apply_error(request, form, exc)
        else:
            return redirect("obstacles:conference", pk=rec.conference_id)
    return render(request, "obstacles/recommendation_form.html", {"form": form, "rec": rec, "step": step})
