"""Pages of the portal: the public search, cluster profiles, the sector check, inquiries and the sitemap (no
sign-in), and the pages where investors and the Department keep offers and answer inquiries."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ccn.accounts.scope import role_of
from ccn.core import activity, pagecache
from ccn.core.errors import DomainError, ValidationFailed
from ccn.core.files import safe_file_response
from ccn.core.lists import SignedInListView
from ccn.core.spreadsheets import csv_response
from ccn.core.throttle import limit_exports
from ccn.core.views_helpers import form_action, get_or_404

from . import selectors, services, spam
from .choices import LeadStatus
from .filters import LeadFilterSet, PortalSearchFilterSet
from .forms import InquiryForm, LeadActionForm, OfferForm, SectorCheckForm
from .workflow import LEAD_WORKFLOW

PAGE_SIZE = 20


def _search(request):
    """The search's form (bound to the query: it shows what does not validate) and its results."""
    filterset = selectors.search_filterset(request.GET)
    return filterset.form, selectors.portal_search(filterset=filterset)


def search(request):
    """The public search. Its results are the same for everyone (public clusters only), so the page's body is
    kept in the shared cache by data version, language and the normalised query (ccn/core/pagecache.py)."""
    fragment = pagecache.Fragment(
        request, "portal-search", scope="public", parts=(pagecache.normalised_query(request),)
    )
    if fragment.hit:
        form = PortalSearchFilterSet(request.GET).form
        form.is_valid()  # the title names the province searched
        context = {"form": form, "fragment": fragment, "count": fragment.extra["count"]}
        return render(request, "portal/search.html", context)
    form, qs = _search(request)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    points = selectors.map_points(qs)
    fragment.extra = {"count": page.paginator.count}
    context = {
        "form": form,
        "page": page,
        "points": points,
        "search": form.cleaned_data if form.is_valid() else {},
        "count": page.paginator.count,
        "fragment": fragment,
    }
    return render(request, "portal/search.html", context)


@limit_exports
def search_csv(request):
    _form, qs = _search(request)
    rows = (
        (
            c.code,
            c.name,
            c.province.name,
            c.get_status_display(),
            c.industrial_land_ha,
            c.ready_land_ha,
            c.vacant_land_ha,
            c.land_confirmed_on,
            c.price_from,
            c.price_to,
            c.lat,
            c.lon,
            request.build_absolute_uri(f"/portal/clusters/{c.code}/"),
        )
        for c in qs[:5000]
    )
    headers = [
        _("Code"),
        _("Name"),
        _("Province"),
        _("State"),
        _("Industrial land (ha)"),
        _("Land ready to lease (ha)"),
        _("Vacant land (ha)"),
        _("Land figures confirmed on"),
        _("Price from (VND/m²/year)"),
        _("Price up to (VND/m²/year)"),
        _("Latitude"),
        _("Longitude"),
        _("Profile"),
    ]
    return csv_response("ccn-portal-clusters.csv", headers, rows)


def profile(request, code):
    cluster = get_or_404(selectors.portal_cluster, code=code)
    offer = selectors.public_offer(cluster)
    check_form = SectorCheckForm(request.GET if "sector" in request.GET else None)
    answer = None
    if check_form.is_bound and check_form.is_valid():
        try:
            answer = selectors.sector_check(cluster=cluster, code=check_form.cleaned_data["sector"])
        except ValidationFailed as exc:
            check_form.add_error("sector", exc.message)
    context = {
        "cluster": cluster,
        "offer": offer,
        "contact": selectors.public_contact(cluster, offer),
        "documents": cluster.public_documents,
        "sectors": cluster.sectors.all(),
        "communes": cluster.communes.all(),
        "components": selectors.infrastructure_of(cluster),
        "plant": selectors.wastewater_of(cluster),
        "land_stale": selectors.land_is_stale(cluster),
        "check_form": check_form,
        "answer": answer,
        "map_points": [
            {
                "code": cluster.code,
                "name": cluster.name,
                "lat": cluster.lat,
                "lon": cluster.lon,
                "vacant": float(cluster.vacant_land_ha) if cluster.vacant_land_ha is not None else None,
                "url": request.path,
                "boundary": cluster.boundary or None,
            }
        ]
        if cluster.lat is not None
        else [],
    }
    if request.htmx and request.htmx.target == "sector-check":
        return render(request, "portal/_sector_check.html", context)
    return render(request, "portal/profile.html", context)


def _show_on_form(form, exc: DomainError) -> None:
    """A refusal on the public form itself (the public pages show no message bar)."""
    placed = False
    for field, errors in exc.field_errors.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


def _client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


@require_http_methods(["GET", "POST"])
def inquire(request, code):
    cluster = get_or_404(selectors.portal_cluster, code=code)
    status = 200
    if request.method == "POST":
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > spam.MAX_BODY_BYTES:
            # Refused before the body is parsed: a legitimate inquiry is a few kilobytes.
            refusal = _("The inquiry is too large. Keep the message under 5,000 characters and send it again.")
            context = {"cluster": cluster, "form": InquiryForm(), "refusal": refusal}
            return render(request, "portal/inquire.html", context, status=413)
        form = InquiryForm(request.POST)
        if not form.is_valid():
            # Invalid attempts count too, so a program cannot probe the form without limit.
            if spam.over_limit("addr", _client_address(request), spam.PER_ADDRESS):
                form.add_error(None, services.RATE_LIMIT_MESSAGE())
                status = 429
            else:
                status = 422
        else:
            try:
                lead = services.inquiry_submit(
                    cluster_code=cluster.code,
                    data=form.service_data(),
                    client_address=_client_address(request),
                    honeypot=form.cleaned_data.get(spam.HONEYPOT_FIELD, ""),
                    language=get_language() or "vi",
                    base_url=request.build_absolute_uri("/"),
                )
            except DomainError as exc:
                _show_on_form(form, exc)
                status = exc.http_status
            else:
                request.session["portal_last_inquiry"] = lead.reference
                return redirect("portal:inquiry_sent", code=cluster.code)
    else:
        initial = {}
        if request.GET.get("sector"):
            initial["sector_code"] = request.GET["sector"][:5]
        form = InquiryForm(initial=initial)
    return render(request, "portal/inquire.html", {"cluster": cluster, "form": form}, status=status)


def inquiry_sent(request, code):
    cluster = get_or_404(selectors.portal_cluster, code=code)
    reference = request.session.get("portal_last_inquiry", "")
    return render(request, "portal/inquiry_sent.html", {"cluster": cluster, "reference": reference})


def document(request, code, pk):
    scan = get_or_404(selectors.public_document, code=code, pk=pk)
    return safe_file_response(scan.file, filename=scan.name)


# --- signed-in handlers ------------------------------------------------------------------------------------


def _deny(exc: DomainError):
    if exc.http_status == 403:
        raise PermissionDenied(exc.message)
    raise Http404(exc.message)


class LeadList(SignedInListView):
    selector = staticmethod(selectors.lead_list)
    filterset_class = LeadFilterSet
    template_name = "portal/leads.html"
    partial_name = None

    def get_queryset(self):
        try:
            return super().get_queryset()
        except DomainError as exc:
            _deny(exc)

    def get_context_data(self, qs):
        status = self.request.GET.get("status", "")
        return {
            "status": status if status in LeadStatus.values else "",
            "statuses": LeadStatus.choices,
            "counts": selectors.lead_counts(user=self.request.user),
        }


lead_list = LeadList.as_view()


@login_required
def lead_detail(request, pk):
    try:
        lead = selectors.lead_get(user=request.user, pk=pk)
    except DomainError as exc:
        _deny(exc)

    context = {
        "lead": lead,
        "actions": LEAD_WORKFLOW.allowed_actions(lead.status, role_of(request.user)),
        "form": LeadActionForm(initial={"version": lead.version}),
        "history": activity.history_feed(lead, limit=20),
    }
    return render(request, "portal/lead_detail.html", context)


@login_required
@require_POST
def lead_action(request, pk, action):
    try:
        lead = selectors.lead_get(user=request.user, pk=pk)
    except DomainError as exc:
        _deny(exc)
    form = LeadActionForm(request.POST)
    if form.is_valid():
        try:
            lead = services.lead_transition(
                actor=request.user,
                lead=lead,
                action=action,
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data.get("version"),
            )
        except DomainError as exc:
            if exc.http_status == 403:
                raise PermissionDenied(exc.message)
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Inquiry %(reference)s: %(status)s.")
                % {"reference": lead.reference, "status": lead.get_status_display()},
            )
    else:
        messages.error(request, _("The note is too long (at most 2,000 characters)."))
    return redirect("portal:lead_detail", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def offer_edit(request, code):
    try:
        cluster, offer = selectors.offer_for(user=request.user, code=code)
    except DomainError as exc:
        _deny(exc)
    initial = {"version": offer.version} if offer else {}
    if offer is None and cluster.investor_id:
        initial.update(contact_email=cluster.investor.contact_email, contact_phone=cluster.investor.contact_phone)
    form = OfferForm(request.POST or None, instance=offer, initial=initial)
    done = form_action(
        request,
        form,
        lambda: services.offer_save(
            actor=request.user,
            cluster=cluster,
            data=form.service_data(),
            expected_version=form.cleaned_data.get("version"),
        ),
        success=_("The offer was saved."),
        then=reverse("clusters:detail", kwargs={"code": cluster.code}),
    )
    if done:
        return done
    return render(request, "portal/offer_form.html", {"form": form, "cluster": cluster, "offer": offer})
