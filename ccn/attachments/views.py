"""The attachment store's pages: a record's attachments (list, upload) and the scoped download."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ccn.accounts import policy
from ccn.core.files import safe_file_response
from ccn.core.views_helpers import run_service

from . import registry, selectors, services
from .forms import AttachmentForm
from .models import Attachment


def record_url(record) -> str:
    content_type = ContentType.objects.get_for_model(type(record))
    return reverse("attachments:record", args=[content_type.app_label, content_type.model, record.pk])


def _record(request, app_label: str, model_name: str, record_id: int):
    try:
        model = ContentType.objects.get_by_natural_key(app_label, model_name).model_class()
    except ContentType.DoesNotExist:
        model = None
    if model is None or registry.upload_actions(model) is None:
        raise Http404(_("Files cannot be attached to this kind of record."))
    record = policy.visible(request.user, model).filter(pk=record_id).first()
    if record is None:
        raise Http404(policy.not_found(model))
    return record


def _next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


@login_required
@require_http_methods(["GET", "POST"])
def record_attachments(request, app_label, model_name, record_id):
    """The attachments of one record: used on its own for records without a page (a legal document) and as the
    target of the panel's upload form on every record's page."""
    record = _record(request, app_label, model_name, record_id)
    here = record_url(record)
    form = AttachmentForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            done = run_service(
                request,
                form,
                lambda: services.attach(
                    actor=request.user,
                    record=record,
                    file=form.cleaned_data["file"],
                    kind=form.cleaned_data["kind"],
                    description=form.cleaned_data["description"],
                ),
                _("File attached."),
            )
            if done is not None:
                return redirect(_next(request, here))
        status = 422
    context = {
        "record": record,
        "record_page": getattr(record, "get_absolute_url", lambda: "")(),
        "form": form,
        "next": _next(request, ""),
    }
    return render(request, "attachments/record.html", context, status=status)


@login_required
def download(request, pk):
    """The file, for a user who may see its record (404 otherwise: the answer never tells that it exists)."""
    attachment = selectors.downloadable(request.user, pk)
    if attachment is None:
        raise Http404(policy.not_found(Attachment))
    return safe_file_response(attachment.file, filename=attachment.name)
