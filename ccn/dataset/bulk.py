"""Bulk loading of the dataset's big tables: COPY on PostgreSQL, `bulk_create` elsewhere (SQLite).

Both paths store the same rows. Rows are given as dicts of field attnames (`cluster_id`, not `cluster`); a field
left out takes its model default. On PostgreSQL the ids are reserved from the table's sequence before the COPY (one
statement for the whole batch), so the caller has them at once and can point other rows at them (a report at its
current revision) without reading anything back; no model instance is built, which is most of the time saved."""

from __future__ import annotations

import json

from django.db import connection, models
from django.utils import timezone

BATCH = 5000


def copy_path() -> bool:
    """True where the big tables are loaded with COPY (PostgreSQL)."""
    return connection.vendor == "postgresql"


def reserve_ids(model: type[models.Model], n: int) -> list[int] | None:
    """`n` fresh ids of `model` taken from its sequence on PostgreSQL; None elsewhere (the insert gives them)."""
    if not copy_path():
        return None
    if n <= 0:
        return []
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, %s), nextval(pg_get_serial_sequence(%s, %s)) + %s - 1)",
            [table, column, table, column, n],
        )
        last = cursor.fetchone()[0]
    return list(range(last - n + 1, last + 1))


def _default(field: models.Field, now):
    """The value COPY writes for `field` when a row leaves it out: its model default, in the column's text form."""
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    value = field.get_default()
    if isinstance(field, models.JSONField) and value is not None:
        return json.dumps(value, cls=field.encoder)
    return value


def insert(model: type[models.Model], rows: list[dict], batch_size: int = BATCH) -> list[int]:
    """Store `rows` (dicts of attnames) as new `model` rows; their ids, in order. COPY on PostgreSQL (an `id` in
    a row is kept, the others are reserved), `bulk_create` elsewhere."""
    if not rows:
        return []
    if not copy_path():
        return [obj.pk for obj in model.objects.bulk_create([model(**r) for r in rows], batch_size=batch_size)]
    pk = model._meta.pk.attname
    missing = [r for r in rows if r.get(pk) is None]
    for r, new in zip(missing, reserve_ids(model, len(missing)), strict=True):
        r[pk] = new
    given = set().union(*rows)
    unknown = given - {f.attname for f in model._meta.concrete_fields}
    if unknown:
        raise ValueError(f"{model.__name__} has no fields {sorted(unknown)}")
    now = timezone.now()
    # Columns left NULL for every row (nullable, no default, never given) stay out of the COPY.
    columns = []
    for f in model._meta.concrete_fields:
        default = _default(f, now)
        if f.attname in given or default is not None or not f.null or f.db_default is not models.NOT_PROVIDED:
            columns.append((f, default))
    qn = connection.ops.quote_name
    spec = [(f.attname, d) for f, d in columns]
    with connection.cursor() as cursor:
        sql = f"COPY {qn(model._meta.db_table)} ({', '.join(qn(f.column) for f, _ in columns)}) FROM STDIN"
        with cursor.cursor.copy(sql) as copy:
            write = copy.write_row
            for r in rows:
                write([r.get(name, d) for name, d in spec])
    return [r[pk] for r in rows]
