"""Background jobs of official papers: the PDF (LibreOffice takes seconds) is converted by the task worker from the
.docx filled in the request, so a refusal (a missing field, a broken template) is still shown on the form at once."""

from django.utils.translation import gettext as _

from ccn.jobs.registry import handler
from ccn.jobs.services import job_finish, job_store_result

from .render import docx_to_pdf


@handler("papers.pdf")
def paper_pdf(job, progress) -> None:
    progress.phase("converting")
    with job.input.open("rb") as handle:
        content = handle.read()
    job_store_result(job, name=job.params["filename"], content=docx_to_pdf(content))
    job_finish(job, message=_("The paper was produced; after signing, attach the signed scan to the record."))
