"""The change history of a record as an activity feed people read: one entry per save (the records one request
wrote are grouped), each change with the field's label and display values in the user's language
("Diện tích theo phương án: — → 50,5 ha", "Xã/phường: Xã Diên Thọ"), internal fields hidden, and the act's
comment. The raw before/after stays in the CSV export."""

from __future__ import annotations

import datetime
import decimal
from collections import defaultdict

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from .compiled import compiled_list
from .history import history_of, transitions_of

# Bookkeeping fields nobody needs to read in a history.
HIDDEN = {"id", "search_key", "version", "created_at", "updated_at", "created_by", "updated_by", "password"}
EMPTY = "—"


def _unit(name: str) -> str:
    if name.endswith("_ha"):
        return " ha"
    if name.endswith("_pct"):
        return " %"
    if name.endswith("_m3_day") or name.endswith("_m3d"):
        return " m³/ngày" if formats.get_language() == "vi" else " m³/day"
    return ""


def _number(value, field_name: str, with_unit: bool = True) -> str:
    try:
        number = decimal.Decimal(str(value))
    except (decimal.InvalidOperation, ValueError):
        return str(value)
    if "year" in field_name:  # a year is never printed with a thousands separator
        return str(value)
    if number == number.to_integral():
        text = formats.number_format(int(number), use_l10n=True, force_grouping=True)
    else:
        text = formats.number_format(number.normalize(), use_l10n=True, force_grouping=True)
    return text + (_unit(field_name) if with_unit else "")


class Labeller:
    """Turns the stored values of one model's fields into labels and display values, fetching the names of
    related records in one query per related model."""

    def __init__(self, model: type[models.Model], records):
        self.model = model
        wanted: dict[type[models.Model], set] = defaultdict(set)
        for record in records:
            for name, before, after in record.changed_fields():
                field = self._field(name)
                if field is None or field.related_model is None:
                    continue
                for value in (before, after):
                    for pk in value if isinstance(value, list) else [value]:
                        if pk not in (None, ""):
                            wanted[field.related_model].add(pk)
        self.names: dict[type[models.Model], dict] = {}
        for related, pks in wanted.items():
            try:
                self.names[related] = {obj.pk: str(obj) for obj in related._default_manager.filter(pk__in=pks)}
            except (ValueError, TypeError):
                self.names[related] = {}

    def _field(self, name: str):
        try:
            return self.model._meta.get_field(name)
        except FieldDoesNotExist:
            return None

    def visible(self, name: str) -> bool:
        field = self._field(name)
        return name not in HIDDEN and not name.endswith("_search") and (field is None or field.editable)

    def label(self, name: str) -> str:
        field = self._field(name)
        label = str(getattr(field, "verbose_name", "") or name.replace("_", " "))
        label = label[:1].upper() + label[1:]
        # "Diện tích theo phương án: — → 50,5 ha": the unit goes with the values, not in the label.
        unit = _unit(name).strip()
        if unit and label.endswith(f" ({unit})"):
            label = label[: -len(unit) - 3]
        return label

    def display(self, name: str, value) -> str:
        if value is None or value == "" or value == []:
            return EMPTY
        field = self._field(name)
        if field is not None and field.related_model is not None:
            names = self.names.get(field.related_model, {})
            values = value if isinstance(value, list) else [value]
            return ", ".join(names.get(v, f"#{v}") for v in values)
        if field is not None and field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(value, bool) or isinstance(field, models.BooleanField):
            return _("yes") if value else _("no")
        if isinstance(field, models.DateTimeField):
            moment = parse_datetime(str(value))
            return formats.date_format(moment, "SHORT_DATETIME_FORMAT") if moment else str(value)
        if isinstance(field, models.DateField):
            day = parse_date(str(value)[:10])
            return formats.date_format(day, "SHORT_DATE_FORMAT") if day else str(value)
        if isinstance(field, models.DecimalField | models.FloatField | models.IntegerField) or isinstance(
            value, int | float
        ):
            return _number(value, name)
        if isinstance(field, models.JSONField) or isinstance(value, dict | list):
            return _("changed")
        text = str(value)
        return text if len(text) <= 200 else text[:199] + "…"


# A transition record and the change record the engine writes beside it are made in one transaction, seconds apart
# at most.
_SAME_STEP = datetime.timedelta(seconds=5)


def _step(record) -> dict:
    return {
        "from": record.get_from_status_display(),
        "to": record.get_to_status_display(),
        "effective_on": record.effective_on,
        "note": record.note,
    }


def feed(records, model: type[models.Model], transitions=()) -> list[dict]:
    """Entries newest first: `{at, actor, action, messages, changes: [{label, old, new}], created, step}`, where
    `step` (from, to, effective date, note) comes from the TransitionRecord of a state change (`transitions`)."""
    records = list(records)
    steps = sorted(transitions, key=lambda t: t.at, reverse=True)
    labeller = Labeller(model, records)
    entries: list[dict] = []
    by_request: dict[str, dict] = {}
    for record in records:
        changes = []
        created = record.before is None and record.after is not None
        for name, before, after in record.changed_fields():
            if not labeller.visible(name):
                continue
            if created and after in (None, "", []):
                continue  # a new record: only the values given
            changes.append(
                {
                    "label": labeller.label(name),
                    "old": labeller.display(name, before),
                    "new": labeller.display(name, after),
                }
            )
        key = f"{record.request_id}:{record.actor_id}" if record.request_id else f"record:{record.pk}"
        entry = by_request.get(key)
        if entry is None:
            entry = {
                "at": record.at,
                "actor": record.actor,
                "action": record.get_action_display(),
                "created": created,
                "messages": [],
                "changes": [],
            }
            by_request[key] = entry
            entries.append(entry)
        if record.message and record.message not in entry["messages"]:
            entry["messages"].append(record.message)
        seen = {c["label"] for c in entry["changes"]}
        entry["changes"].extend(c for c in changes if c["label"] not in seen)
        if "step" not in entry:
            match = next(
                (t for t in steps if t.actor_id == record.actor_id and abs(t.at - record.at) <= _SAME_STEP), None
            )
            if match is not None:
                steps.remove(match)
                entry["step"] = _step(match)
    return entries


def history_feed(obj: models.Model, limit: int = 50) -> list[dict]:
    """The shared history of one record (includes/activity_feed.html): its change records with the workflow steps
    (TransitionRecord) written beside them."""
    model, object_id = type(obj), str(obj.pk)
    # compiled once per model and process, run with each record's id (ccn/core/compiled.py)
    records = compiled_list(("history", model._meta.label, limit), object_id, lambda i: history_of(model, i)[:limit])
    steps = compiled_list(("transitions", model._meta.label), object_id, lambda i: transitions_of(model, i))
    return feed(records, model, steps)


def when(moment: datetime.datetime) -> str:
    return formats.date_format(moment, "SHORT_DATETIME_FORMAT")
