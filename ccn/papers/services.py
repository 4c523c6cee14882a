"""Attaching the signed scan of a paper (docs/papers.md, "The signed record")."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ccn.attachments import services as attachments
from ccn.attachments.models import Kind
from ccn.core.errors import field_error
from ccn.core.files import check_upload
from ccn.core.history import record_change, snapshot
from ccn.core.models import ChangeAction

from .kinds import load_for_issue
from .models import SignedPaper

SCAN_TYPES = ("application/pdf", "image/jpeg", "image/png", "image/tiff")


def _required(field: str, value) -> None:
    if value in (None, ""):
        message = _("Required.")
        raise field_error(field, message)


@transaction.atomic
def signed_paper_attach(
    *, actor, kind: str, key: str, upload, number: str, signed_on: datetime.date, signer: str
) -> SignedPaper:
    """Attach (or replace) the signed scan of a paper. Who may issue the paper may attach its scan; a replaced
    scan stays in the change history with its number and date."""
    paper_kind, record = load_for_issue(actor, kind, key)
    number, signer = (number or "").strip(), (signer or "").strip()
    _required("number", number)
    _required("signer", signer)
    _required("signed_on", signed_on)
    if signed_on > timezone.localdate():
        message = _("A paper cannot be signed in the future.")
        raise field_error("signed_on", message)
    content_type, _extension = check_upload(upload, field="file")
    if content_type not in SCAN_TYPES:
        message = _("The signed scan must be a PDF or an image (JPEG, PNG, TIFF).")
        raise field_error("file", message)
    existing = SignedPaper.objects.select_for_update().filter(kind=kind, key=str(key)).first()
    before = snapshot(existing) if existing else None
    paper = existing or SignedPaper(kind=kind, key=str(key))
    paper.province_id = paper_kind.province(record)
    paper.number, paper.signed_on, paper.signer, paper.attached_by = number, signed_on, signer, actor
    paper.save()
    # The scan in the attachment store, attached to the paper (who may issue the paper may attach its scan).
    paper.scan = attachments.attach(actor=actor, record=paper, file=upload, kind=Kind.SIGNED_SCAN, checked=True)
    paper.save(update_fields=["scan"])
    record_change(
        actor=actor,
        obj=paper,
        action=ChangeAction.UPDATE if existing else ChangeAction.CREATE,
        before=before,
        after=snapshot(paper),
        message=_("Signed scan of %(paper)s: %(number)s of %(day)s")
        % {"paper": paper_kind.title, "number": number, "day": signed_on.strftime("%d/%m/%Y")},
    )
    return paper
