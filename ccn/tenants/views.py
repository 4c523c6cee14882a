"""Pages of tenant projects: list and export, create, edit, status, and the spreadsheet import (dry run, then
commit) with its templates; the cluster list's export."""

from __future__ import annotations

import hashlib
import secrets
import time
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ccn.accounts.scope import role_of
from ccn.clusters import selectors as cluster_selectors
from ccn.clusters.models import Cluster
from ccn.core import activity
from ccn.core.errors import DomainError
from ccn.core.import_files import rows_about
from ccn.core.importing import ImportResult, run_import
from ccn.core.lists import SignedInListView
from ccn.core.spreadsheets import csv_response, xlsx_response
from ccn.core.throttle import limit_exports
from ccn.core.views_helpers import apply_error, form_action, get_or_404
from ccn.jobs.models import Job, JobStatus
from ccn.jobs.services import job_submit

from . import io, selectors, services
from . import jobs as tenant_jobs
from .choices import ImportKind
from .filters import TenantFilterSet
from .forms import ImportForm, ProjectTransitionForm, TenantProjectForm
from .jobs import BACKGROUND_ROWS

PAGE_SIZE = 50

PENDING_MAX_AGE = 24 * 3600


def _detail_url(project) -> str:
    return reverse("tenants:detail", kwargs={"pk": project.pk})


class ProjectList(SignedInListView):
    selector = staticmethod(selectors.tenant_project_list)
    filterset_class = TenantFilterSet
    template_name = "tenants/list.html"
    default_sort = "cluster"

    def get_context_data(self, qs):
        return {
            "totals": selectors.tenant_totals(qs),
            "can_add": selectors.editable_clusters(self.request.user).exists(),
            "can_import": selectors.may_import(self.request.user),
        }


project_list = ProjectList.as_view()


@login_required
@limit_exports
def project_export(request, fmt):
    if fmt not in ("xlsx", "csv"):
        raise Http404()
    qs = tenant_jobs.export_query(request.user, request.GET)
    if qs.count() > tenant_jobs.EXPORT_BACKGROUND_ROWS:
        return _export_in_background(request, fmt)
    headers = io.tenant_export_headers()
    rows = io.tenant_export(qs)
    if fmt == "xlsx":
        return xlsx_response("tenant-projects.xlsx", headers, rows, sheet_name=_("tenant projects"))
    if fmt == "csv":
        return csv_response("tenant-projects.csv", headers, rows)
    raise Http404()


def _export_in_background(request, fmt: str):
    """A large export is made by the worker. Asked again (the same filters, the same format) while it runs or
    within EXPORT_REUSE_S of its end, it is the same job; every request still counts in the export limit."""
    query = request.GET.urlencode()
    job, _reused = job_submit(
        actor=request.user,
        kind="tenants.export",
        label=_("Export of tenant projects (%(fmt)s)") % {"fmt": fmt.upper()},
        params={"query": query, "fmt": fmt},
        dedupe_key=f"export:tenants:{request.user.pk}:{fmt}:{hashlib.sha256(query.encode()).hexdigest()}",
        reuse_within=tenant_jobs.EXPORT_REUSE_S,
    )
    return redirect("jobs:detail", pk=job.pk)


@login_required
@limit_exports
def cluster_export(request, fmt):
    """The cluster list with the list page's filters, in the import columns (so it can be edited and imported)."""
    qs = cluster_selectors.cluster_list(
        user=request.user, filters=request.GET, order=request.GET.get("sort", "name")
    ).prefetch_related("communes")
    headers = io.cluster_export_headers()
    rows = io.cluster_export(qs)
    if fmt == "xlsx":
        return xlsx_response("clusters.xlsx", headers, rows, sheet_name=_("clusters"))
    if fmt == "csv":
        return csv_response("clusters.csv", headers, rows)
    raise Http404()


@login_required
def project_detail(request, pk):
    project = get_or_404(selectors.tenant_project_get, user=request.user, pk=pk)
    can_edit = selectors.can_edit_tenants(request.user, project.cluster)
    context = {
        "project": project,
        "can_edit": can_edit,
        "transition_form": ProjectTransitionForm(project=project, role=role_of(request.user)) if can_edit else None,
        "history": activity.history_feed(project),
    }
    return render(request, "tenants/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request):
    clusters = selectors.editable_clusters(request.user)
    if not clusters.exists():
        raise PermissionDenied(_("You may not add tenant projects."))
    initial = {"cluster": request.GET.get("cluster", "")}
    form = TenantProjectForm(request.POST or None, clusters=clusters, initial=initial)

    def create():
        data = form.cleaned_data
        enterprise = services.enterprise_for(
            actor=request.user,
            tax_code=data["tax_code"],
            name=data.get("enterprise_name") or "",
            country=data.get("country") or "VN",
        )
        return services.tenant_project_create(
            actor=request.user,
            cluster=data["cluster"],
            enterprise=enterprise,
            data=form.service_data(),
            initial_status=data["status"],
            status_since=data.get("status_since") or data.get("operation_started_on"),
        )

    done = form_action(
        request,
        form,
        create,
        success=lambda project: _("Tenant project “%(name)s” added.") % {"name": project.name},
        then=_detail_url,
    )
    return done or render(request, "tenants/form.html", {"form": form, "creating": True})


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request, pk):
    project = get_or_404(selectors.tenant_project_get, user=request.user, pk=pk)
    if not selectors.can_edit_tenants(request.user, project.cluster):
        raise PermissionDenied(_("You may not edit this tenant project."))
    form = TenantProjectForm(
        request.POST or None, clusters=Cluster.objects.filter(pk=project.cluster_id), project=project
    )
    done = form_action(
        request,
        form,
        lambda: services.tenant_project_update(
            actor=request.user,
            project=project,
            data=form.service_data(),
            expected_version=form.cleaned_data.get("version"),
        ),
        success=_("Changes saved."),
        then=_detail_url(project),
    )
    return done or render(request, "tenants/form.html", {"form": form, "project": project, "creating": False})


@login_required
@require_POST
def project_transition(request, pk):
    project = get_or_404(selectors.tenant_project_get, user=request.user, pk=pk)
    if not selectors.can_edit_tenants(request.user, project.cluster):
        raise PermissionDenied(_("You may not change the status of this tenant project."))
    form = ProjectTransitionForm(request.POST, project=project, role=role_of(request.user))
    if form.is_valid():
        try:
            services.tenant_project_transition(
                actor=request.user,
                project=project,
                action=form.cleaned_data["action"],
                effective_on=form.cleaned_data["effective_on"],
                comment=form.cleaned_data.get("comment", ""),
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Status changed."))
    else:
        messages.error(request, _("Choose a change and a date."))
    return redirect("tenants:detail", pk=project.pk)


# ------------------------------------------------------------------------------------------------------ import


def _pending_dir() -> Path:
    path = Path(settings.VAR_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _clean_pending() -> None:
    limit = time.time() - PENDING_MAX_AGE
    for path in _pending_dir().glob("*.upload"):
        if path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)


def _check_import_role(user):
    if not selectors.may_import(user):
        raise PermissionDenied(_("Your role may not import."))


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request):
    """Upload → dry run (every bad row listed) → commit of the same stored file, all or nothing."""
    _check_import_role(request.user)
    committing = request.method == "POST" and bool(request.POST.get("token"))
    bound = request.method == "POST" and not committing
    form = ImportForm(
        request.POST if bound else None, request.FILES if bound else None, initial={"kind": request.GET.get("kind")}
    )
    context: dict = {"form": form, "runs": selectors.import_runs(user=request.user)}
    if committing:
        context.update(_commit(request))
    elif request.method == "GET" and request.GET.get("check"):
        context.update(_checked(request, request.GET["check"]))
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        kind = form.cleaned_data["kind"]
        if rows_about(upload, filename=upload.name) > BACKGROUND_ROWS:
            context.update(_check_in_background(request, upload, kind))
        else:
            importer = io.importer_for(kind, actor=request.user, filename=upload.name)
            try:
                result = run_import(importer, upload, filename=upload.name, commit=False)
            except DomainError as exc:
                apply_error(request, form, exc)
                context["file_error"] = exc.message
            else:
                context.update({"result": result, "kind": kind})
                if result.ok:
                    upload.seek(0)
                    context["token"] = _keep_pending(request, kind, upload.name, upload.read(), rows=result.total)
    template = "tenants/_import_result.html" if request.htmx else "tenants/import.html"
    return render(request, template, context)


def _keep_pending(request, kind: str, filename: str, content: bytes, *, token: str = "", rows: int = 0) -> str:
    """Keep a checked file until its commit (or `PENDING_MAX_AGE`), under a token of this session."""
    _clean_pending()
    token = token or secrets.token_urlsafe(16)
    (_pending_dir() / f"{token}.upload").write_bytes(content)
    request.session.setdefault("ccn_imports", {})[token] = {"kind": kind, "filename": filename, "rows": rows}
    request.session.modified = True
    return token


def _drop_pending(request, token: str) -> None:
    """Forget a kept file: committed, handed to the worker, or refused."""
    (_pending_dir() / f"{token}.upload").unlink(missing_ok=True)
    request.session.get("ccn_imports", {}).pop(token, None)
    request.session.modified = True


def _check_in_background(request, upload, kind: str) -> dict:
    """A large file is checked by the task worker while the page shows the job's progress; once done, the page is
    sent to the check's result (`?check=<job>`), where the same stored file can be committed. The same user checking
    the same file again gets the running check back."""
    content = upload.read()
    digest = hashlib.sha256(content).hexdigest()
    token = secrets.token_urlsafe(16)
    try:
        job, reused = job_submit(
            actor=request.user,
            kind="tenants.check",
            label=_("Check of %(file)s") % {"file": upload.name},
            params={"kind": kind, "filename": upload.name, "token": token, "follow": True, "trial": True},
            dedupe_key=f"check:{kind}:{request.user.pk}:{digest}",
            input_name=upload.name,
            input_bytes=content,
        )
    except DomainError as exc:
        return {"file_error": exc.message}
    if not reused:
        _keep_pending(request, kind, upload.name, content, token=token)
    return {"job": job, "checking": True, "kind": kind}


def _checked(request, pk: str) -> dict:
    """The import page at a check the task worker made: the job's progress while it runs, then its result and, when
    every row is valid, the button that commits the same stored file."""
    try:
        job = Job.objects.get(pk=pk, user=request.user, kind="tenants.check")
    except (Job.DoesNotExist, ValueError, ValidationError):
        raise Http404(_("No such check.")) from None
    if job.status != JobStatus.DONE:
        return {"job": job, "checking": True}
    result = ImportResult.from_dict(job.outcome["check"])
    context = {"result": result, "kind": job.params["kind"]}
    token = job.params["token"]
    pending = request.session.get("ccn_imports", {}).get(token)
    if not result.ok:
        _drop_pending(request, token)  # nothing of it can be committed: the file is uploaded again once corrected
    elif pending is None or not (_pending_dir() / f"{token}.upload").exists():
        context["file_error"] = _("This import has expired. Upload the file again.")
    else:
        pending["rows"] = result.total
        request.session.modified = True
        context["token"] = token
    return context


def _commit(request) -> dict:
    token = request.POST["token"]
    pending = request.session.get("ccn_imports", {}).get(token)
    path = _pending_dir() / f"{token}.upload"
    if not pending or not token.replace("-", "").replace("_", "").isalnum() or not path.exists():
        return {"file_error": _("This import has expired. Upload the file again.")}
    content = path.read_bytes()
    if pending.get("rows", 0) > BACKGROUND_ROWS:
        return _commit_in_background(request, token, pending, content)
    upload = SimpleUploadedFile(pending["filename"], content)
    importer = io.importer_for(pending["kind"], actor=request.user, filename=pending["filename"])
    try:
        result = run_import(importer, upload, filename=pending["filename"], commit=True)
    except DomainError as exc:
        return {"file_error": exc.message}
    _drop_pending(request, token)
    return {"result": result, "kind": pending["kind"]}


def _commit_in_background(request, token: str, pending: dict, content: bytes) -> dict:
    """A large file is written by the task worker; the page polls the job. The same file cannot be imported twice
    at once: the same user gets the running job back, another user is refused."""
    digest = hashlib.sha256(content).hexdigest()
    try:
        job, _reused = job_submit(
            actor=request.user,
            kind="tenants.import",
            label=_("Import of %(file)s (%(rows)s rows)")
            % {"file": pending["filename"], "rows": number_format(pending["rows"], force_grouping=True)},
            params={"kind": pending["kind"], "filename": pending["filename"]},
            dedupe_key=f"import:{pending['kind']}:{digest}",
            input_name=pending["filename"],
            input_bytes=content,
        )
    except DomainError as exc:
        return {"file_error": exc.message}
    _drop_pending(request, token)
    return {"job": job, "kind": pending["kind"]}


@login_required
def import_template(request, kind, fmt):
    if kind not in ImportKind.values:
        raise Http404()
    columns = io.columns_for(kind)
    title = _("Import template: %(kind)s") % {"kind": ImportKind(kind).label}
    if fmt == "xlsx":
        response = HttpResponse(
            io.template_for(kind, user=request.user, title=title),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="template-{kind}.xlsx"'
        return response
    if fmt == "csv":
        return csv_response(f"template-{kind}.csv", [c.header() + (" *" if c.required else "") for c in columns], [])
    raise Http404()
