"""Background jobs of the exchange: the push ("Send now" on the exchange page runs it in the task worker with a
progress bar, one step per batch, as `manage.py exchange_push` does from a schedule; docs/exchange.md) and the
commit of a large history workbook (docs/import.md, "A province's history")."""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.translation import gettext as _

from ccn.core.errors import ConflictError, ValidationFailed
from ccn.geo.models import Province
from ccn.jobs.registry import Retry, handler
from ccn.jobs.services import job_finish

from . import outbox
from .history import history_import
from .models import OutgoingBatch


@handler("exchange.push")
def push(job, progress) -> None:
    province = Province.objects.get(code=job.params["province"])
    progress.phase("building")
    outbox.build_batches(actor=job.user, province=province)
    pending = OutgoingBatch.objects.filter(acknowledged_at__isnull=True).count()
    progress(0, pending)
    progress.phase("sending")
    report = outbox.send_pending(url=settings.CCN_EXCHANGE_URL, token=settings.CCN_EXCHANGE_TOKEN)
    progress(len(report.sent), pending)
    if report.failed is not None:
        if job.attempts < 3:
            raise Retry(reason=report.error, delay=60 * job.attempts)
        raise ConflictError(
            _("Batch %(sequence)s was not acknowledged: %(error)s. The next push sends it again.")
            % {"sequence": report.failed, "error": report.error},
            code="exchange_push_failed",
        )
    job_finish(
        job,
        message=_("Sent %(n)s batch(es) to the national instance.") % {"n": len(report.sent)},
        outcome={"sent": report.sent},
        result_url=reverse("exchange:index"),
    )


@handler("exchange.history_import")
def history_import_commit(job, progress) -> None:
    """The commit of a large history workbook: all records or none, checked again against the data as it is now."""
    province = Province.objects.get(code=job.params["province"])
    with job.input.open("rb") as handle:
        upload = SimpleUploadedFile(job.params["filename"], handle.read())
    progress.phase("applying")
    result = history_import(
        actor=job.user,
        province=province,
        upload=upload,
        filename=job.params["filename"],
        commit=True,
        progress=progress,
    )
    if not result.committed:
        first = result.problems[0] if result.problems else {"sheet": "", "row": "", "message": ""}
        raise ValidationFailed(
            _("%(n)s problems (first: %(sheet)s, row %(row)s: %(problem)s); nothing was written.")
            % {"n": len(result.problems), "sheet": first["sheet"], "row": first["row"], "problem": first["message"]}
        )
    job_finish(
        job,
        message=_("History imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
        % result.counts,
        outcome=result.counts,
        result_url=reverse("clusters:list"),
    )
