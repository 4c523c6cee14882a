"""Writes change records. Services call these inside their transaction, never signals."""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Callable, Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext as _

from .bulk import insert_rows
from .errors import ConflictError, PreconditionRequired
from .middleware import current_request_id
from .models import ChangeAction, ChangeRecord, TransitionRecord

_PLAIN = (str, int, bool, float)


def _jsonable(value):
    if value is None or type(value) in _PLAIN:  # most values: returned as they are, without the checks below
        return value
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


def insert_change_records(
    *, actor, entries: list[tuple[models.Model, str, dict | None, dict | None, str]], progress=None
) -> int:
    """Writes the change records `change_record` would make for `entries` — (object, action, before, after,
    message) each, the objects saved — with multi-row INSERTs and no ChangeRecord instances: the bulk writers'
    one history batch (10,000 imported rows, one record each), each batch told to `progress(rows written)`.
    Returns how many were written."""

    meta = ChangeRecord._meta
    names = ("content_type", "object_id", "object_repr", "action", "actor", "at", "before", "after", "message")
    fields = [meta.get_field(n) for n in names] + [meta.get_field("request_id")]
    actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    at = timezone.now()
    request_id = current_request_id.get() or ""
    types: dict[type, int] = {}
    rows = []
    for obj, action, before, after, message in entries:
        model = obj.__class__
        if model not in types:
            types[model] = ContentType.objects.get_for_model(model).pk
        rows.append(
            (
                types[model],
                str(obj.pk),
                str(obj)[:300],
                action,
                actor_id,
                at,
                _jsonable(before) if before is not None else None,
                _jsonable(after) if after is not None else None,
                message[:500],
                request_id,
            )
        )
    insert_rows(ChangeRecord, fields, rows, progress=progress)
    return len(rows)


def history_for(obj: models.Model):
    return history_of(obj.__class__, str(obj.pk))


def history_of(model: type[models.Model], object_id: str):
    ct = ContentType.objects.get_for_model(model)
    return ChangeRecord.objects.filter(content_type=ct, object_id=object_id).select_related("actor")


def transitions_for(obj: models.Model):
    """The steps of one record along its workflow (ccn/core/transitions.py), oldest first."""
    return transitions_of(obj.__class__, str(obj.pk))


def transitions_of(model: type[models.Model], object_id: str):
    ct = ContentType.objects.get_for_model(model)
    records = TransitionRecord.objects.filter(content_type=ct, object_id=object_id)
    return records.select_related("actor").order_by("at", "id")


def last_change(obj: models.Model) -> ChangeRecord | None:
    return history_for(obj).exclude(action=ChangeAction.CREATE).first() or history_for(obj).first()


class MissingVersion:
    """An API write that named no version (neither `version` nor If-Match): refused with 428 by `refuse_stale`."""

    def __repr__(self):
        return "MISSING_VERSION"


MISSING_VERSION = MissingVersion()


def refuse_stale(obj: models.Model, expected_version: int | MissingVersion | None) -> None:
    """Refuse a write based on an older version of `obj` (locked by the caller) with 409 naming who changed it last
    and when, so that the user knows whose change they would have overwritten; an API write that named no version
    at all with 428. None (a caller inside the system: imports, services calling services) checks nothing."""
    if isinstance(expected_version, MissingVersion):
        raise PreconditionRequired(
            _(
                "Say which version of the record this change is based on: send the `version` you read, or its ETag"
                " in an If-Match header. Read the record again if you do not have it."
            )
        )
    if expected_version is None or obj.version == expected_version:
        return
    change = last_change(obj)
    actor = change.actor if change else None
    who = (actor.get_full_name() or actor.username) if actor else _("someone")
    when = timezone.localtime(change.at).strftime("%d/%m/%Y %H:%M") if change else ""
    raise ConflictError(
        _(
            "%(who)s changed this record at %(when)s after you read it (you sent version %(sent)s, it is now at"
            " version %(current)s). Read it again and make your change again."
        )
        % {"who": who, "when": when, "sent": expected_version, "current": obj.version},
        code="edit_conflict",
    )


def has_field(obj: models.Model, name: str) -> bool:
    return any(f.name == name for f in obj._meta.concrete_fields)


def versioned_update[M: models.Model](
    obj: M,
    *,
    actor,
    apply: Callable[[M], object],
    expected_version: int | MissingVersion | None = None,
    check: Callable[[M], object] | None = None,
    lock: bool = True,
    queryset: models.QuerySet | None = None,
    state: Callable[[M], dict | None] = snapshot,
    skip_unchanged: bool = False,
    update_fields: Iterable[str] | None = None,
    save: Callable[[M], object] | None = None,
    after_save: Callable[[M], object] | None = None,
    action: str = ChangeAction.UPDATE,
    message: str | Callable[[M], str] = "",
) -> M:
    """Change a versioned record (not its status: that is `ccn.core.transitions.run_transition`), in the caller's
    transaction; return the locked, saved record.

    In order: lock the row again (`queryset` narrows or joins the lock; `lock=False` when the caller has locked
    it); `check(locked)` refuses an actor out of scope or input that cannot apply (it raises); refuse a stale
    `expected_version` (409; MISSING_VERSION: 428; `refuse_stale`); take the record's `state` (its snapshot
    unless said); `apply(locked)` makes and validates the change (it raises, and the caller's transaction writes
    nothing); with `skip_unchanged`, stop there if the state is as it was (no new version, no history); add one
    to the version, stamp `updated_by` where the model has it, save (only `update_fields` with the version when
    given, or through `save(locked)`), run `after_save(locked)` (related rows, many-to-many) and write one change
    record with the state before and after."""
    if lock:
        rows = queryset if queryset is not None else type(obj)._default_manager
        locked = rows.select_for_update().get(pk=obj.pk)
    else:
        locked = obj
    if check is not None:
        check(locked)
    refuse_stale(locked, expected_version)
    before = state(locked)
    apply(locked)
    if skip_unchanged and state(locked) == before:
        return locked  # nothing changed: no new version, no history
    locked.version += 1
    stamped = has_field(locked, "updated_by")
    if stamped:
        locked.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    if update_fields is not None:
        fields = {"version", *update_fields}
        fields.update(f for f in ("updated_at", "updated_by") if has_field(locked, f))
        locked.save(update_fields=sorted(fields))
    elif save is not None:
        save(locked)
    else:
        locked.save()
    if after_save is not None:
        after_save(locked)
    record_change(
        actor=actor,
        obj=locked,
        action=action,
        before=before,
        after=state(locked),
        message=message(locked) if callable(message) else message,
    )
    return locked
