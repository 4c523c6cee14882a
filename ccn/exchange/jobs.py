"""The exchange push as a background job: "Send now" on the exchange page runs it in the task worker with a progress
bar (one step per batch), as `manage.py exchange_push` does from a schedule (docs/exchange.md)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from ccn.core.errors import ConflictError
from ccn.geo.models import Province
from ccn.jobs.registry import Retry, handler
from ccn.jobs.services import job_finish

from . import outbox
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
