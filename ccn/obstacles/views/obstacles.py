"""Pages of the register and of one obstacle with its actions, notes and files; the overview of overdue and
ageing items and a user's queue."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ccn.accounts import policy
from ccn.accounts.models import User
from ccn.accounts.scope import role_of
from ccn.attachments.models import Attachment
from ccn.clusters.models import Cluster
from ccn.core import activity
from ccn.core.files import safe_file_response
from ccn.core.lists import SignedInListView
from ccn.core.views_helpers import form_action, get_or_404

from .. import access, selectors, services
from ..filters import ObstacleFilterSet, page_data
from ..forms import ActionForm, ActionStepForm, AttachmentForm, NoteForm, ObstacleEditForm, ObstacleForm, TransitionForm
from ..models import Agency, ObstacleAction
from ..workflow import ACTION_WORKFLOW, OBSTACLE_WORKFLOW
from .common import PAGE_SIZE, _detail_url, _require_reader


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
    then = _detail_url(obstacle)
    done = form_action(
        request,
        form,
        lambda: services.action_transition(
            actor=request.user,
            action=action,
            step=step,
            outcome=form.cleaned_data["outcome"],
            expected_version=form.cleaned_data["version"],
        ),
        success=_("Action updated."),
        then=then,
    )
    if done:
        return done
    for error in form.errors.values():  # input the form refused (a service's refusal is flashed already)
        messages.error(request, error[0])
    return redirect(then)


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
