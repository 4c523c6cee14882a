"""Writes change records. Services call these inside their transaction, never signals."""

from __future__ import annotations

import datetime
import decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.fields.files import FieldFile

from .middleware import current_request_id
from .models import ChangeAction, ChangeRecord


def _jsonable(value):
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, decimal.Decimal):
        return str(value.normalize()) if value == value.to_integral() else str(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


def snapshot(obj: models.Model, *, exclude: tuple[str, ...] = ("created_at", "updated_at")) -> dict:
    """The concrete fields of a record (and its many-to-many ids) as JSON-safe values."""
    data = {}
    for field in obj._meta.concrete_fields:
        if field.name in exclude:
            continue
        data[field.name] = _jsonable(getattr(obj, field.attname))
    if obj.pk:
        for field in obj._meta.many_to_many:
            data[field.name] = sorted(getattr(obj, field.name).values_list("pk", flat=True))
    return data


def record_change(
    *,
    actor,
    obj: models.Model,
    action: str,
    before: dict | None = None,
    after: dict | None = None,
    message: str = "",
) -> ChangeRecord:
    record = change_record(actor=actor, obj=obj, action=action, before=before, after=after, message=message)
    record.save()
    return record


def change_record(
    *,
    actor,
    obj: models.Model,
    action: str,
    before: dict | None = None,
    after: dict | None = None,
    message: str = "",
) -> ChangeRecord:
    """The change record `record_change` writes, unsaved: bulk writers collect them and save them in one batch."""
    return ChangeRecord(
        content_type=ContentType.objects.get_for_model(obj.__class__),
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        action=action,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
        message=message[:500],
        request_id=current_request_id.get() or "",
    )


def history_for(obj: models.Model):
    ct = ContentType.objects.get_for_model(obj.__class__)
    return ChangeRecord.objects.filter(content_type=ct, object_id=str(obj.pk)).select_related("actor")


def last_change(obj: models.Model) -> ChangeRecord | None:
    return history_for(obj).exclude(action=ChangeAction.CREATE).first() or history_for(obj).first()
