"""Pages: prepare an official paper (number, date, signer, recipients) and download it as DOCX, or as PDF made by
the task worker (the page of the job shows its progress and then the file)."""

import hashlib
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from ccn.core.errors import DomainError, NotFoundError, PermissionDeniedError
from ccn.core.files import download_name, safe_file_response
from ccn.jobs.services import job_submit

from .forms import SignedScanForm, SigningForm
from .kinds import load_for_issue, load_for_read
from .render import PaperError, office_binary, render_docx
from .selectors import signed_for
from .services import signed_paper_attach

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
    attaching = request.method == "POST" and request.POST.get("step") == "signed"
    form = SigningForm.for_defaults(defaults, data=request.POST if request.method == "POST" and not attaching else None)
    scan_form = SignedScanForm(
        request.POST if attaching else None, request.FILES if attaching else None, prefix="signed"
    )
    status = 200
    if attaching:
        if scan_form.is_valid():
            try:
                signed_paper_attach(
                    actor=request.user,
                    kind=kind,
                    key=key,
                    upload=scan_form.cleaned_data["file"],
                    number=scan_form.cleaned_data["number"],
                    signed_on=scan_form.cleaned_data["signed_on"],
                    signer=scan_form.cleaned_data["signer"],
                )
            except DomainError as exc:
                for field, errors in (exc.field_errors or {}).items():
                    for error in errors:
                        scan_form.add_error(field if field in scan_form.fields else None, error)
                if not exc.field_errors:
                    scan_form.add_error(None, exc.message)
                status = exc.http_status
            else:
                messages.success(request, _("The signed scan is attached: it is now the record of this paper."))
                return redirect(paper_kind.back(record))
        else:
            status = 422
    elif request.method == "POST":
        if form.is_valid():
            try:
                return _download(request, paper_kind, record, form)
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = exc.http_status
        else:
            status = 422
    context = {
        "form": form,
        "scan_form": scan_form,
        "signed": signed_for(kind, key),
        "kind": paper_kind,
        "slug": kind,
        "key": key,
        "record": record,
        "back": paper_kind.back(record),
    }
    return render(request, "papers/prepare.html", context, status=status)


def _download(request, paper_kind, record, form) -> HttpResponse:
    with translation.override("vi"):
        paper = paper_kind.build(request.user, record, form.signing())
        content = render_docx(paper.template, paper.context)
    if request.POST.get("format") == "pdf":
        if office_binary() is None:
            raise PaperError(_("PDF conversion is not available on this server; download the DOCX instead."))
        # The same paper asked again while it converts, or just after, gets the same job back. The key is what was
        # asked (the paper and the choices on the form), not the .docx bytes, which carry the second they were made.
        asked = json.dumps(
            [request.path, sorted((k, str(v)) for k, v in form.cleaned_data.items())], ensure_ascii=False
        )
        job, _reused = job_submit(
            actor=request.user,
            kind="papers.pdf",
            label=_("PDF of %(paper)s") % {"paper": paper.filename},
            params={"filename": f"{paper.filename}.pdf"},
            dedupe_key=f"paper:{request.user.pk}:{hashlib.sha256(asked.encode()).hexdigest()}",
            input_name=f"{paper.filename}.docx",
            input_bytes=content,
            reuse_within=300,
        )
        return redirect("jobs:detail", pk=job.pk)
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{paper.filename}.docx"'
    response["X-Content-Type-Options"] = "nosniff"
    messages.success(request, _("The paper was produced; after signing, attach the signed scan to the record."))
    return response


@login_required
def signed_scan(request, kind, key):
    """The signed scan of a paper, for whoever may see its record."""
    try:
        load_for_read(request.user, kind, key)
    except (NotFoundError, PermissionDeniedError) as exc:
        raise Http404(_("No such paper.")) from exc
    paper = signed_for(kind, key)
    if paper is None:
        raise Http404(_("No signed scan is attached yet."))
    extension = "." + paper.file.name.rsplit(".", 1)[-1] if "." in paper.file.name else ""
    return safe_file_response(paper.file, filename=download_name(paper.number.replace("/", "-"), extension))
