"""Background jobs of the tenants app: the check and the commit of a large spreadsheet import (docs/import.md, "In
the background"). A file of more than `BACKGROUND_ROWS` rows is checked (the dry run) and committed by the task
worker, each with its progress bar; the commit is all or nothing, and its job is marked done in the import's own
transaction."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from ccn.core.errors import ValidationFailed
from ccn.core.importing import Cancelled, run_import
from ccn.core.spreadsheets import csv_response, xlsx_response
from ccn.jobs.registry import handler
from ccn.jobs.services import job_finish, job_store_result

from . import io, selectors
from .choices import ImportKind

BACKGROUND_ROWS = 1000  # a check or a commit of more rows than this runs in the background
EXPORT_BACKGROUND_ROWS = 5000  # an export of more rows than this is made in the background
EXPORT_REUSE_S = 300  # the same export asked again within 5 minutes of the last gets that one back


def export_query(user, query: QueryDict):
    return selectors.tenant_project_list(user=user, filters=query, order=query.get("sort", "cluster"))


@handler("tenants.export")
def export_list(job, progress) -> None:
    """The tenant list with the list page's filters, as the page's export makes it, read in the worker."""
    qs = export_query(job.user, QueryDict(job.params["query"]))
    total = qs.count()

    def rows():
        for done, values in enumerate(io.tenant_export(qs), start=1):
            if done % 500 == 0:
                progress(done, total)
            yield values

    headers = io.tenant_export_headers()
    if job.params["fmt"] == "xlsx":
        made = xlsx_response("tenant-projects.xlsx", headers, rows(), sheet_name=_("tenant projects"))
    else:
        made = csv_response("tenant-projects.csv", headers, rows())
    job_store_result(job, name=f"tenant-projects.{job.params['fmt']}", content=made.content)
    message = _("The export is ready: %(n)s rows.") % {"n": number_format(total, force_grouping=True)}
    job_finish(job, message=message, outcome={"rows": total})


def checked_url(job) -> str:
    """The import page showing the check a job made (its own user only)."""
    return f"{reverse('tenants:import')}?check={job.pk}"


@handler("tenants.check")
def import_check(job, progress) -> None:
    """The dry run of a large file: every row checked and tried against the database, nothing kept (the job's
    `trial` parameter names its steps so). The result (counts, every problem, the preview) is kept on the job; the
    page that polls it is sent to it when done."""
    kind, filename = job.params["kind"], job.params["filename"]
    with job.input.open("rb") as handle:
        upload = SimpleUploadedFile(filename, handle.read())
    importer = io.importer_for(kind, actor=job.user, filename=filename)
    progress.phase("reading")
    result = run_import(importer, upload, filename=filename, commit=False, progress=progress)
    if result.cancelled:
        raise Cancelled()
    counts = {"total": result.total, "bad": result.bad_rows}
    message = (
        _("Checked %(total)s rows: all valid, nothing written yet.")
        if result.ok
        else _("Checked %(total)s rows: %(bad)s cannot be imported; nothing was written.")
    ) % {k: number_format(v, force_grouping=True) for k, v in counts.items()}
    job_finish(job, message=message, outcome={"check": result.as_dict()}, result_url=checked_url(job))


@handler("tenants.import")
def import_commit(job, progress) -> None:
    kind, filename = job.params["kind"], job.params["filename"]
    with job.input.open("rb") as handle:
        upload = SimpleUploadedFile(filename, handle.read())
    importer = io.importer_for(kind, actor=job.user, filename=filename)
    record_run = importer.finish

    def finish(result) -> None:
        if record_run is not None:
            record_run(result)
        counts = {"total": result.total, "created": result.created, "updated": result.updated}
        job_finish(
            job,
            message=_("Imported: %(total)s rows — %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
            % {k: number_format(v, force_grouping=True) for k, v in {**counts, "unchanged": result.unchanged}.items()},
            outcome=counts,
            result_url=reverse("clusters:list" if kind == ImportKind.CLUSTERS else "tenants:list"),
        )

    importer.finish = finish
    progress.phase("reading")
    result = run_import(importer, upload, filename=filename, commit=True, progress=progress)
    if result.cancelled:
        raise Cancelled()
    if not result.ok:
        first = result.problems[0]
        raise ValidationFailed(
            _("%(n)s rows cannot be imported (first: row %(row)s, %(column)s: %(problem)s); nothing was written.")
            % {"n": result.bad_rows, "row": first.row, "column": first.column or "—", "problem": first.message}
        )
