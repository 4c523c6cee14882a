"""Pages of the registry: list, detail, create, edit, lifecycle actions, documents, organisations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ccn.accounts import policy
from ccn.accounts.scope import role_of
from ccn.attachments.models import Attachment
from ccn.attachments.selectors import latest_scan_id
from ccn.core import activity, pagecache
from ccn.core.errors import DomainError
from ccn.core.files import safe_file_response
from ccn.core.history import history_for
from ccn.core.lists import ListView, SignedInListView
from ccn.core.panels import cluster_panels, scope_models
from ccn.core.spreadsheets import csv_response
from ccn.core.throttle import limit_exports
from ccn.core.views_helpers import form_action, get_or_404, or_http
from ccn.geo.models import Province

from . import addresses, selectors, services
from .choices import ClusterStatus
from .filters import ClusterFilterSet, OrganisationFilterSet
from .forms import ClusterForm, DocumentForm, OrganisationForm, TransitionForm
from .leases import cluster_occupancy
from .models import Cluster, LegalDocument, Organisation
from .policy import TRANSITION
from .rules import area_basis
from .workflow import CLUSTER_WORKFLOW


def _detail_url(cluster) -> str:
    return reverse("clusters:detail", kwargs={"code": cluster.code})


class ClusterList(ListView):
    """The registry: public (public fields) to everyone, with the list's filters and sorting."""

    selector = staticmethod(selectors.cluster_list)
    filterset_class = ClusterFilterSet
    template_name = "clusters/list.html"
    default_sort = "name"

    def fragment_scope(self):
        return policy.scope_key(self.request.user, Cluster)

    def get_context_data(self, qs):
        return {
            "can_create": policy.may(self.request.user, policy.ADD, Cluster),
            "public_view": not self.request.user.is_authenticated,
        }


cluster_list = ClusterList.as_view()


def cluster_detail(request, code):
    # The page's body is kept per scope (the cluster's rule and those of the panels): everyone who would see the
    # same rows and buttons gets the same body (ccn/core/pagecache.py); the header, messages and tokens are the
    # request's own. A body is only kept after the scope's lookup found the cluster, so a hit needs no lookup.
    panel_models = scope_models()
    scope = policy.scope_key(request.user, Cluster, *panel_models) if panel_models is not None else None
    if scope is None:
        scope = f"user:{request.user.pk}"
    fragment = pagecache.Fragment(request, "cluster-detail", scope=scope, parts=(code,))
    if fragment.hit:
        return render(request, "clusters/detail.html", {"cluster": fragment.extra["head"], "fragment": fragment})
    cluster = get_or_404(selectors.cluster_get, user=request.user, code=code)
    public_view = not request.user.is_authenticated
    fragment.extra = {  # what the page's head shows beside the kept body
        "head": {
            "name": cluster.name,
            "get_kind_display": cluster.get_kind_display(),
            "province": {"name": cluster.province.name},
        }
    }
    can_edit = policy.can(request.user, policy.CHANGE, cluster)
    may_move = policy.can(request.user, TRANSITION, cluster)
    actions = CLUSTER_WORKFLOW.allowed_actions(cluster.status, role_of(request.user)) if may_move else []
    context = {
        "cluster": cluster,
        "fragment": fragment,
        **selectors.cluster_page_lists(cluster, public=public_view),
        "former_address": addresses.former_label(cluster),
        "history": [] if public_view else activity.history_feed(cluster),
        "history_export_url": reverse("clusters:history_export", args=[cluster.code]),
        "occupancy": cluster_occupancy(cluster),
        "area_basis": area_basis(cluster),
        "can_edit": can_edit,
        "actions": actions,
        "public_view": public_view,
        "panels": cluster_panels(request, cluster),
    }
    return render(request, "clusters/detail.html", context)


def _editable_provinces(user):
    """The provinces where the user may add a cluster (the policy's rule, asked of each province's reach)."""
    ids = [
        pk
        for pk in Province.objects.values_list("pk", flat=True)
        if policy.can(user, policy.ADD, Cluster(province_id=pk))
    ]
    return Province.objects.filter(pk__in=ids)


@login_required
@require_http_methods(["GET", "POST"])
def cluster_create(request):
    if not policy.may(request.user, policy.ADD, Cluster):
        raise PermissionDenied(policy.refusal(request.user, policy.ADD, Cluster))
    provinces = _editable_provinces(request.user)
    form = ClusterForm(request.POST or None, provinces=provinces)
    done = form_action(
        request,
        form,
        lambda: services.cluster_create(
            actor=request.user,
            province=form.cleaned_data["province"],
            communes=list(form.cleaned_data["communes"]),
            sectors=list(form.cleaned_data["sectors"]),
            data=form.service_data(),
            initial_status=form.cleaned_data["initial_status"] or ClusterStatus.PLANNED,
            status_since=form.cleaned_data["status_since"],
            document=form.state_document(),
        ),
        success=lambda cluster: _("Cluster “%(name)s” created.") % {"name": cluster.name},
        then=_detail_url,
    )
    return done or render(request, "clusters/form.html", {"form": form, "creating": True})


@login_required
@require_http_methods(["GET", "POST"])
def cluster_edit(request, code):
    cluster = get_or_404(selectors.cluster_get, user=request.user, code=code)
    or_http(policy.require, request.user, policy.CHANGE, cluster)
    form = ClusterForm(
        request.POST or None, instance=cluster, provinces=Province.objects.filter(pk=cluster.province_id)
    )
    done = form_action(
        request,
        form,
        lambda: services.cluster_update(
            actor=request.user,
            cluster=cluster,
            data=form.service_data(),
            communes=list(form.cleaned_data["communes"]),
            sectors=list(form.cleaned_data["sectors"]),
            expected_version=form.cleaned_data.get("version"),
        ),
        success=_("Changes saved."),
        then=_detail_url(cluster),
    )
    return done or render(request, "clusters/form.html", {"form": form, "cluster": cluster, "creating": False})


@login_required
@require_http_methods(["GET", "POST"])
def cluster_transition(request, code, action):
    cluster = get_or_404(selectors.cluster_get, user=request.user, code=code)
    or_http(policy.require, request.user, TRANSITION, cluster)
    if action not in CLUSTER_WORKFLOW.transitions:
        raise Http404(_("Unknown action."))
    form = TransitionForm(request.POST or None, request.FILES or None, cluster=cluster, action=action)

    def transition():
        with transaction.atomic():  # the new document and the act are written together or not at all
            return services.cluster_transition(
                actor=request.user,
                cluster=cluster,
                action=action,
                effective_on=form.cleaned_data["effective_on"],
                document=form.cleaned_data.get("document"),
                new_document=form.new_document(),
                comment=form.cleaned_data.get("comment", ""),
                expected_version=form.cleaned_data.get("version"),
            )

    done = form_action(
        request,
        form,
        transition,
        success=_("State changed: %(action)s.") % {"action": form.transition.label},
        then=reverse("clusters:detail", kwargs={"code": cluster.code}),
    )
    if done:
        return done
    return render(
        request, "clusters/transition.html", {"form": form, "cluster": cluster, "transition": form.transition}
    )


@login_required
@require_http_methods(["GET", "POST"])
def document_add(request, code):
    cluster = get_or_404(selectors.cluster_get, user=request.user, code=code)
    or_http(policy.require, request.user, policy.ADD, LegalDocument(cluster=cluster))
    form = DocumentForm(request.POST or None, request.FILES or None)
    done = form_action(
        request,
        form,
        lambda: services.document_add(actor=request.user, cluster=cluster, **form.cleaned_data),
        success=_("Document added."),
        then=_detail_url(cluster),
    )
    if done:
        return done
    status = 422 if request.method == "POST" else 200
    return render(request, "clusters/document_form.html", {"form": form, "cluster": cluster}, status=status)


def document_file(request, code, pk):
    cluster = get_or_404(selectors.cluster_get, user=request.user, code=code)
    doc = (
        policy.visible(request.user, LegalDocument)
        .filter(pk=pk, cluster=cluster)
        .annotate(scan_id=latest_scan_id(LegalDocument))
        .first()
    )
    # A document's signed scan, from the attachment store, to whoever may see the document (the public: a public
    # document of a published cluster); its other attachments are on its attachments page, signed in.
    scan = Attachment.objects.filter(pk=doc.scan_id).first() if doc is not None and doc.scan_id else None
    if scan is None:
        raise Http404(_("No such document."))
    return safe_file_response(scan.file, filename=scan.name)


@login_required
@limit_exports
def cluster_history_export(request, code):
    cluster = get_or_404(selectors.cluster_get, user=request.user, code=code)
    rows = (
        (
            r.at.isoformat(timespec="seconds"),
            r.get_action_display(),
            r.actor.username if r.actor else "",
            ", ".join(f"{k}: {b!r} → {a!r}" for k, b, a in r.changed_fields()),
            r.message,
        )
        for r in history_for(cluster)
    )
    return csv_response(
        f"history-{cluster.code}.csv", [_("At"), _("Action"), _("User"), _("Changes"), _("Message")], rows
    )


class OrganisationList(SignedInListView):
    selector = staticmethod(selectors.organisation_list)
    filterset_class = OrganisationFilterSet
    template_name = "clusters/organisations.html"
    partial_name = None

    def get_context_data(self, qs):
        return {"can_add": policy.may(self.request.user, policy.ADD, Organisation), "q": self.request.GET.get("q", "")}


organisation_list = OrganisationList.as_view()


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request, pk=None):
    """Add an organisation, or edit one in the user's scope (out of scope: not found, as in the API)."""
    if pk:
        organisation = or_http(policy.get_or_404, request.user, Organisation, policy.CHANGE, pk=pk)
    else:
        organisation = None
        if not policy.may(request.user, policy.ADD, Organisation):
            raise PermissionDenied(policy.refusal(request.user, policy.ADD, Organisation))
    form = OrganisationForm(request.POST or None, instance=organisation)

    def save():
        data = {k: form.cleaned_data[k] for k in form.Meta.fields}
        if organisation:
            return services.organisation_update(
                actor=request.user,
                organisation=organisation,
                data=data,
                expected_version=form.cleaned_data.get("version"),
            )
        return services.organisation_create(actor=request.user, data=data)

    done = form_action(request, form, save, success=_("Organisation saved."), then=reverse("clusters:organisations"))
    return done or render(request, "clusters/organisation_form.html", {"form": form, "organisation": organisation})


@login_required
def locations_to_confirm(request):
    """“Địa chỉ cần xác nhận”: the clusters in the user's scope whose commune came from a former address by a
    choice or a close spelling, still to confirm."""
    province = request.GET.get("province", "")
    q = request.GET.get("q", "")
    clusters = list(addresses.clusters_to_confirm(request.user, province=province, q=q)[:500])
    provinces = Province.objects.filter(pk__in=Cluster.objects.visible_to(request.user).values("province")).order_by(
        "code"
    )
    return render(
        request,
        "clusters/locations_to_confirm.html",
        {"clusters": clusters, "provinces": provinces, "province": province, "q": q},
    )


@login_required
@require_http_methods(["POST"])
def confirm_location(request, code):
    """One click on the cluster's page: the commune resolved from the former address is confirmed."""
    cluster = get_or_404(selectors.cluster_get, user=request.user, code=code)
    try:
        addresses.confirm_location(actor=request.user, cluster=cluster)
    except DomainError as exc:
        if exc.http_status == 403:
            raise PermissionDenied(exc.message) from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Location confirmed."))
    if request.POST.get("back") == "list":
        return redirect("clusters:locations_to_confirm")
    return redirect(_detail_url(cluster))
