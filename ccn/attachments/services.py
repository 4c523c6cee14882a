"""Writing to the attachment store: every upload of every app comes through `attach` (type judged by the bytes,
size limited by MAX_UPLOAD_BYTES, stored under a generated name, hashed, recorded in the change history)."""

from __future__ import annotations

import hashlib

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext as _

from ccn.accounts import policy
from ccn.core.errors import PermissionDeniedError, field_error
from ccn.core.files import check_upload, download_name, generated_name
from ccn.core.history import record_change, snapshot
from ccn.core.models import ChangeAction

from . import registry
from .models import Attachment, Kind


def may_attach(user, record) -> bool:
    """Whether `user` may add files to `record`: the record is attachable and the user may do one of the actions
    its app names for it, on this record (its scope)."""
    actions = registry.upload_actions(type(record))
    if not actions or user is None or not getattr(user, "is_authenticated", False):
        return False
    return any(policy.can(user, action, record) for action in actions)


def _sha256(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(65536), b""):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


@transaction.atomic
def attach(*, actor, record, file, kind: str = Kind.OTHER, description: str = "", checked: bool = False) -> Attachment:
    """Store `file` as an attachment of `record`. `checked`: the calling service has already decided that `actor`
    may attach to this record (under its own rule, e.g. an obstacle that must be open)."""
    if not checked and not may_attach(actor, record):
        if registry.upload_actions(type(record)) is None:
            raise PermissionDeniedError(_("Files cannot be attached to this kind of record."))
        raise PermissionDeniedError(policy.refusal(actor, registry.upload_actions(type(record))[0], type(record)))
    if file is None:
        raise field_error("file", _("Choose a file."))
    if kind not in Kind.values:
        message = _("Choose the kind of attachment.")
        raise field_error("kind", message)
    media_type, extension = check_upload(file)
    attachment = Attachment(
        record_type=ContentType.objects.get_for_model(type(record)),
        record_id=record.pk,
        record_label=str(record)[:300],
        kind=kind,
        name=download_name(getattr(file, "name", "") or "file", extension)[:200],
        size=file.size,
        sha256=_sha256(file),
        media_type=media_type,
        description=(description or "").strip()[:300],
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    attachment.file.save(generated_name(extension), file, save=False)
    try:
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)  # keep no file without its row
        raise
    after = {**snapshot(attachment, exclude=("file",)), "file": attachment.file.name}
    record_change(actor=actor, obj=attachment, action=ChangeAction.CREATE, after=after)
    return attachment
