"""Pages of background jobs: the user's recent jobs, one job's progress (polled by htmx while it runs), its result
to download, and cancelling it before it commits."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import OperationalError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ccn.core.errors import DomainError

from . import selectors, services
from .models import Job, JobStatus

RECENT = 30


def _own(request, pk) -> Job:
    return get_object_or_404(Job, pk=pk, user=request.user)


@login_required
def job_list(request):
    jobs = selectors.recent_jobs(user=request.user)[:RECENT]
    return render(request, "jobs/list.html", {"jobs": jobs})


@login_required
def job_detail(request, pk):
    job = _own(request, pk)
    services.side_progress(job)
    selectors.notice_interrupted(job)
    template = "jobs/_status.html" if request.htmx else "jobs/detail.html"
    response = render(request, template, {"job": job})
    if request.htmx and not job.active:
        response["HX-Trigger"] = "ccn-job-ended"
        if job.status == JobStatus.DONE and job.params.get("follow") and job.result_url:
            response["HX-Redirect"] = job.result_url  # the page that polls is sent to the result (an import's check)
    return response


@login_required
def job_download(request, pk):
    job = _own(request, pk)
    if not job.result:
        raise Http404(_("This job has no file to download."))
    handle = job.result.open("rb")
    return FileResponse(handle, as_attachment=True, filename=job.result_name or "result")


@login_required
@require_POST
def job_cancel(request, pk):
    job = _own(request, pk)
    try:
        services.job_cancel(actor=request.user, job=job)
    except DomainError as exc:
        messages.error(request, exc.message)
    except OperationalError:
        # SQLite: the job holds the only write lock while it writes its rows; it can no longer be cancelled.
        messages.error(request, _("The job is writing its results now and can no longer be cancelled."))
    else:
        messages.success(request, _("The job is being cancelled; nothing it did will be kept."))
    return redirect("jobs:detail", pk=job.pk)
