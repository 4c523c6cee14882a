"""Pages of the exchange: each province's last exchange, batches and their per-record results, held conflicts,
the national table from exchanged Forms 04 beside the live compilation, and import/export by file."""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ccn.accounts.scope import role_of
from ccn.core.errors import DomainError, NotFoundError, PermissionDeniedError
from ccn.core.files import safe_file_response
from ccn.core.importing import display
from ccn.core.throttle import limit_exports
from ccn.geo.models import Province
from ccn.jobs.services import job_submit
from ccn.reports.models import Indicator, Period
from ccn.reports.selectors import period_list

from . import bundle as fmt
from . import history, outbox, selectors, services, sheets, workbook
from .forms import HistoryImportForm, ImportForm
from .schema import json_schema

MAX_FILE = 50 * 1024 * 1024


def _reader(request):
    if not selectors.may_see_exchange(request.user):
        raise PermissionDenied(_("The exchange is for the Ministry and the provinces' officers."))


@login_required
def index(request):
    _reader(request)
    national = role_of(request.user) in selectors.NATIONAL_ROLES
    provinces = selectors.province_status(request.user)
    context = {
        "national": national,
        "provinces": provinces,
        "states": {state: sum(1 for r in provinces if r["state"] == state) for state in ("current", "late", "never")},
        "incoming": selectors.incoming_batches(request.user)[:20],
        "outgoing": selectors.outgoing_batches(request.user)[:20],
        "conflicts": selectors.held_conflicts(request.user)[:50],
        "late_days": selectors.late_after().days,
        "can_push": _can_push(request.user),
    }
    return render(request, "exchange/index.html", context)


@login_required
def batch_detail(request, batch_id):
    _reader(request)
    try:
        batch = selectors.incoming_batch_get(request.user, batch_id)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    problems = [r for r in batch.results if r["result"] in ("held", "refused")]
    return render(request, "exchange/batch.html", {"batch": batch, "problems": problems})


@login_required
def conflict_detail(request, pk):
    _reader(request)
    try:
        conflict = selectors.conflict_get(request.user, pk)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    status = 200
    if request.method == "POST":
        try:
            services.conflict_resolve(
                actor=request.user, conflict=conflict, take_incoming=request.POST.get("choice") == "incoming"
            )
        except PermissionDeniedError as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            messages.error(request, exc.message)
            status = exc.http_status
        else:
            messages.success(request, _("The conflict is resolved."))
            return redirect("exchange:index")
    incoming = json.dumps(conflict.record.get("data", {}), ensure_ascii=False, indent=2, sort_keys=True)
    return render(request, "exchange/conflict.html", {"conflict": conflict, "incoming": incoming}, status=status)


@login_required
def national(request):
    if role_of(request.user) not in selectors.NATIONAL_ROLES:
        raise PermissionDenied(_("The national comparison is for the Ministry."))
    periods = list(period_list())
    period = (
        Period.objects.filter(pk=request.GET.get("period")).first() if request.GET.get("period", "").isdigit() else None
    )
    period = period or next((p for p in periods if selectors.exchanged_form04(p)), periods[0] if periods else None)
    rows = selectors.national_comparison(request.user, period) if period else []
    labels = {i.code: i for i in Indicator.objects.filter(form_key="04")}
    for row in rows:
        for d in row["differences"]:
            d["indicator"] = labels.get(d["code"])
    context = {"periods": periods, "period": period, "rows": rows}
    return render(request, "exchange/national.html", context)


@login_required
def import_file(request):
    _reader(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    results = []
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > MAX_FILE:
                raise DomainError(_("The file is larger than 50 MB: export it in smaller batches."))
            try:
                content = json.loads(upload.read().decode("utf-8-sig"))
            except (UnicodeDecodeError, ValueError) as exc:
                raise DomainError(_("The file is not valid JSON: it may be truncated.")) from exc
            with transaction.atomic():
                for batch, replayed in services.receive_file_content(actor=request.user, content=content):
                    results.append({"batch": batch, "replayed": replayed})
        except DomainError as exc:
            form.add_error(None, exc.message)
            status = getattr(exc, "http_status", 422)
        else:
            messages.success(request, _("%(n)s batch(es) read from the file.") % {"n": len(results)})
    elif request.method == "POST":
        status = 422
    return render(request, "exchange/import.html", {"form": form, "results": results}, status=status)


@login_required
@limit_exports
def export_file(request):
    """The province's changes not yet sent, as a file (JSON, or XLSX for people to read)."""
    _reader(request)
    province = Province.objects.filter(pk=request.user.province_id).first() if request.user.province_id else None
    if province is None:
        raise PermissionDenied(_("Only a province's officers export its data."))
    try:
        if request.GET.get("format") == "xlsx":
            records = fmt.changed_records(province, since=None, until=timezone.now())
            return fmt.xlsx_response(province, records)
        bundles = outbox.export_pending(actor=request.user, province=province)
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from exc
    response = HttpResponse(json.dumps(bundles, ensure_ascii=False), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="ccn-exchange-{province.code}.json"'
    return response


def schema(request):
    return JsonResponse(json_schema(), json_dumps_params={"ensure_ascii": False, "indent": 1})


@login_required
def file_download(request, sha256):
    """A signed scan received with the exchange, for the Ministry and the province it came from."""
    _reader(request)
    row = selectors.exchanged_file(request.user, sha256)
    if row is None:
        raise Http404(_("No such file in your scope."))
    return safe_file_response(row.file, filename=f"{sha256[:16]}.{row.file.name.rsplit('.', 1)[-1]}")


def _can_push(user) -> bool:
    """A province's officer, on an instance that has a national instance to send to."""
    configured = bool(settings.CCN_EXCHANGE_URL and settings.CCN_EXCHANGE_TOKEN)
    return configured and bool(user.province_id) and role_of(user) not in selectors.NATIONAL_ROLES


@require_POST
@login_required
def push_now(request):
    """Send the province's changes now, in the background (the schedule runs `manage.py exchange_push`)."""
    _reader(request)
    if not _can_push(request.user):
        raise PermissionDenied(
            _("This instance has no national instance to send to, or you are not a province's officer.")
        )
    province = Province.objects.get(pk=request.user.province_id)
    try:
        job, _reused = job_submit(
            actor=request.user,
            kind="exchange.push",
            label=_("Exchange with the Ministry: %(province)s") % {"province": province.name},
            params={"province": province.code},
            dedupe_key=f"exchange-push:{province.code}",
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("exchange:index")
    return redirect("jobs:detail", job.pk)


# ------------------------------------------------------------------------------------------ a province's history

HISTORY_PENDING_MAX_AGE = 24 * 3600


def _history_dir() -> Path:
    path = Path(settings.VAR_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _history_province(request, form) -> Province | None:
    if request.user.province_id:
        return Province.objects.get(pk=request.user.province_id)
    return form.cleaned_data.get("province") if form.is_bound and form.is_valid() else None


@login_required
def history_template(request):
    """The history workbook with its sheets and headers, in the user's language (or the province's registry as it is
    here, with `?filled=1`, which imports back)."""
    _reader(request)
    records = []
    if request.GET.get("filled") and request.user.province_id:
        province = Province.objects.get(pk=request.user.province_id)
        records = fmt.changed_records(province, since=None, until=timezone.now())
    response = HttpResponse(
        workbook.write(records), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="ccn-history.xlsx"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def history_page(request):
    """Upload → dry run (every problem of every sheet listed, the rows as read) → commit of the same stored file,
    all records or none; a large workbook commits in the background."""
    _reader(request)
    if role_of(request.user) not in history.IMPORT_ROLES:
        raise PermissionDenied(_("Only the province's officers import its history."))
    committing = request.method == "POST" and bool(request.POST.get("token"))
    bound = request.method == "POST" and not committing
    form = HistoryImportForm(request.POST if bound else None, request.FILES if bound else None, user=request.user)
    context: dict = {"form": form}
    status = 200
    if committing:
        token = request.POST["token"]
        pending = request.session.get("ccn_history_imports", {}).get(token)
        path = _history_dir() / f"{token}.history"
        if not pending or not token.replace("-", "").replace("_", "").isalnum() or not path.exists():
            context["file_error"] = _("The checked file is no longer available: upload it again.")
            return render(request, "exchange/history.html", context, status=410)
        province = Province.objects.get(code=pending["province"])
        content = path.read_bytes()
        if pending["rows"] > history.BACKGROUND_ROWS:
            try:
                job, _reused = job_submit(
                    actor=request.user,
                    kind="exchange.history_import",
                    label=_("History import of %(file)s") % {"file": pending["filename"]},
                    params={"province": province.code, "filename": pending["filename"]},
                    dedupe_key=f"history-import:{province.code}:{hashlib.sha256(content).hexdigest()}",
                    input_name=pending["filename"],
                    input_bytes=content,
                )
            except DomainError as exc:
                context["file_error"] = exc.message
                return render(request, "exchange/history.html", context, status=exc.http_status)
            path.unlink(missing_ok=True)
            return redirect("jobs:detail", pk=job.pk)
        try:
            result = history.history_import(
                actor=request.user,
                province=province,
                upload=SimpleUploadedFile(pending["filename"], content),
                filename=pending["filename"],
                commit=True,
            )
        except DomainError as exc:
            context["file_error"] = exc.message
            status = exc.http_status
        else:
            context["result"] = result
            if result.committed:
                path.unlink(missing_ok=True)
                messages.success(request, _("The history is imported."))
            else:
                status = 422
    elif bound and form.is_valid():
        upload = form.cleaned_data["file"]
        province = _history_province(request, form)
        try:
            result = history.history_import(
                actor=request.user, province=province, upload=upload, filename=upload.name, commit=False
            )
        except DomainError as exc:
            context["file_error"] = exc.message
            status = exc.http_status
        else:
            context["result"] = result
            if result.ok:
                limit = time.time() - HISTORY_PENDING_MAX_AGE
                for old in _history_dir().glob("*.history"):
                    if old.stat().st_mtime < limit:
                        old.unlink(missing_ok=True)
                token = secrets.token_urlsafe(16)
                upload.seek(0)
                (_history_dir() / f"{token}.history").write_bytes(upload.read())
                request.session.setdefault("ccn_history_imports", {})[token] = {
                    "province": province.code,
                    "filename": upload.name,
                    "rows": result.rows,
                }
                request.session.modified = True
                context["token"] = token
            else:
                status = 422
    elif bound:
        status = 422
    if "result" in context:
        context["preview"] = [
            (
                sheet,
                [c.header() for c in sheets.COLUMNS[key]],
                [(n, [display(c) for c in cells], bad) for n, cells, bad in rows],
            )
            for key in sheets.READ_ORDER
            for sheet, rows in context["result"].preview.items()
            if sheet == sheets.sheet_title(key) and rows
        ]
    return render(request, "exchange/history.html", context, status=status)
