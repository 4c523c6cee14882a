"""Bulk loading of the dataset's big tables: COPY on PostgreSQL, `bulk_create` elsewhere (SQLite).

Both paths store the same rows. On PostgreSQL the ids are reserved from the table's sequence before the COPY (one
statement for the whole batch), so the caller has them at once, as `bulk_create` gives them, and can point other
rows at them (a report at its current revision) without reading anything back."""

from __future__ import annotations

import json

from django.db import connection, models

BATCH = 5000
# Fields whose Python value PostgreSQL's COPY takes as it is (psycopg writes it in the column's text form).
_AS_IS = (
    models.AutoField,
    models.BigAutoField,
    models.IntegerField,
    models.CharField,
    models.TextField,
    models.BooleanField,
    models.DecimalField,
    models.DateField,
    models.ForeignKey,
)


def copy_path() -> bool:
    """True where the big tables are loaded with COPY (PostgreSQL)."""
    return connection.vendor == "postgresql"


def reserve_ids(model: type[models.Model], n: int) -> list[int] | None:
    """`n` fresh ids of `model` taken from its sequence on PostgreSQL; None elsewhere (the insert gives them)."""
    if not copy_path() or n <= 0:
        return None if not copy_path() else []
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, %s), nextval(pg_get_serial_sequence(%s, %s)) + %s - 1)",
            [table, column, table, column, n],
        )
        last = cursor.fetchone()[0]
    return list(range(last - n + 1, last + 1))


def _writer(field: models.Field):
    """How one field's value goes into the COPY stream."""
    attname = field.attname
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return lambda obj: field.pre_save(obj, True)
    if isinstance(field, models.JSONField):
        encoder = field.encoder

        def dump(obj):
            value = getattr(obj, attname)
            return None if value is None else json.dumps(value, cls=encoder)

        return dump
    if isinstance(field, _AS_IS):
        return lambda obj: getattr(obj, attname)
    return lambda obj: field.get_db_prep_save(getattr(obj, attname), connection)


def insert(model: type[models.Model], objs: list[models.Model], batch_size: int = BATCH) -> list[models.Model]:
    """Store new `objs` of `model` and give each its id: COPY on PostgreSQL, `bulk_create` elsewhere."""
    if not copy_path():
        return model.objects.bulk_create(objs, batch_size=batch_size)
    missing = [obj for obj in objs if obj.pk is None]
    for obj, pk in zip(missing, reserve_ids(model, len(missing)) or [], strict=True):
        obj.pk = pk
    fields = model._meta.concrete_fields
    writers = [_writer(f) for f in fields]
    qn = connection.ops.quote_name
    columns = ", ".join(qn(f.column) for f in fields)
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {qn(model._meta.db_table)} ({columns}) FROM STDIN") as copy:
            for obj in objs:
                copy.write_row([w(obj) for w in writers])
                obj._state.adding = False
                obj._state.db = connection.alias
    return objs
