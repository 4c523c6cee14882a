"""Pages: prepare an official paper (number, date, signer, recipients) and download it as DOCX or PDF."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

from ccn.core.errors import DomainError, NotFoundError, PermissionDeniedError

from .forms import SigningForm
from .kinds import load_for_issue
from .render import docx_to_pdf, render_docx

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
def prepare(request, kind, key):
    try:
        paper_kind, record = load_for_issue(request.user, kind, key)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
        return render(request, "papers/refused.html", {"message": exc.message}, status=exc.http_status)
    with translation.override("vi"):
        defaults = paper_kind.build(request.user, record, None).defaults
    form = SigningForm.for_defaults(defaults, data=request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                return _download(request, paper_kind, record, form)
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = exc.http_status
        else:
            status = 422
    context = {"form": form, "kind": paper_kind, "record": record, "back": paper_kind.back(record)}
    return render(request, "papers/prepare.html", context, status=status)


def _download(request, paper_kind, record, form) -> HttpResponse:
    with translation.override("vi"):
        paper = paper_kind.build(request.user, record, form.signing())
        content = render_docx(paper.template, paper.context)
    if request.POST.get("format") == "pdf":
        content, content_type, ext = docx_to_pdf(content), "application/pdf", "pdf"
    else:
        content_type, ext = DOCX, "docx"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{paper.filename}.{ext}"'
    response["X-Content-Type-Options"] = "nosniff"
    messages.success(request, _("The paper was produced; after signing, attach the signed scan to the record."))
    return response
