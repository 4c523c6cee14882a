"""Reading the attachment store: the files of one record, a user's view of them, the orphans."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Subquery

from ccn.accounts import policy
from ccn.accounts.choices import Role
from ccn.accounts.scope import role_of

from .models import Attachment, Kind


def for_record(record):
    """The attachments of `record`, oldest first (the caller has checked that the user may see the record)."""
    return Attachment.objects.filter(
        record_type=ContentType.objects.get_for_model(type(record)), record_id=record.pk
    ).select_related("uploaded_by")


def is_administrator(user) -> bool:
    return bool(getattr(user, "is_superuser", False)) or role_of(user) == Role.ADMIN


def downloadable(user, pk: int) -> Attachment | None:
    """The attachment `pk` when `user` may see its record; a deleted record's file only for an administrator."""
    attachment = Attachment.objects.select_related("record_type").filter(pk=pk).first()
    if attachment is None or user is None or not user.is_authenticated:
        return None
    model = attachment.record_type.model_class()
    record = model._default_manager.filter(pk=attachment.record_id).first() if model else None
    if record is None:
        return attachment if is_administrator(user) else None
    return attachment if policy.can(user, policy.VIEW, record) else None


def orphans():
    """Files whose record was deleted: kept, for an administrator to file or remove (decision 0009)."""
    return Attachment.objects.filter(orphaned_at__isnull=False).select_related("record_type", "uploaded_by")


def latest_scan_id(model, ref: str = "pk"):
    """A subquery: the id of the latest signed scan attached to each `model` row (`ref`), None when it has none."""
    return Subquery(
        Attachment.objects.filter(
            record_type=ContentType.objects.get_for_model(model),
            record_id=OuterRef(ref),
            kind=Kind.SIGNED_SCAN,
            orphaned_at__isnull=True,
        )
        .order_by("-uploaded_at", "-pk")
        .values("pk")[:1]
    )
