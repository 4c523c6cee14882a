"""Background jobs of the tenants app: the commit of a large spreadsheet import (docs/import.md, "In the
background"). The dry run stays in the request; the commit of a file over `BACKGROUND_ROWS` rows runs in the task
worker, all or nothing, and the job is marked done in the import's own transaction."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.translation import gettext as _

from ccn.core.errors import ValidationFailed
from ccn.core.importing import Cancelled, run_import
from ccn.jobs.registry import handler
from ccn.jobs.services import job_finish

from . import io
from .choices import ImportKind

BACKGROUND_ROWS = 1000  # a commit of more rows than this runs in the background


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
            % {**counts, "unchanged": result.unchanged},
            outcome=counts,
            result_url=reverse("clusters:list" if kind == ImportKind.CLUSTERS else "tenants:list"),
        )

    importer.finish = finish
    progress.phase("writing")
    result = run_import(importer, upload, filename=filename, commit=True, progress=progress)
    if result.cancelled:
        raise Cancelled()
    if not result.ok:
        first = result.problems[0]
        raise ValidationFailed(
            _("%(n)s rows cannot be imported (first: row %(row)s, %(column)s: %(problem)s); nothing was written.")
            % {"n": result.bad_rows, "row": first.row, "column": first.column or "—", "problem": first.message}
        )
