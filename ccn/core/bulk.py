"""Multi-row INSERTs for the bulk writers (the tenant import): the rows' values are prepared by each field's own
`get_db_prep_save` (the conversion `bulk_create` applies) and sent in statements of up to `BATCH` rows, with the
new primary keys returned in the rows' order. It skips what makes `bulk_create` slow on 10,000 rows (an expression
check, `pre_save` and a compiled placeholder per value, PostgreSQL's UNNEST arrays dumped in Python) and what a
bulk writer does not need: model instances for rows that are only written (change records) and signals, which
`bulk_create` does not send either. Callers set `auto_now` fields themselves.

`load` is for loading millions of rows at once (the synthetic dataset): COPY on PostgreSQL, `bulk_create`
elsewhere. Both paths store the same rows. Rows are given as dicts of field attnames (`cluster_id`, not
`cluster`); a field left out takes its model default. On PostgreSQL the ids are reserved from the table's sequence
before the COPY (one statement for the whole batch), so the caller has them at once and can point other rows at
them (a report at its current revision) without reading anything back; no model instance is built."""

from __future__ import annotations

import json
from collections.abc import Sequence

from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.db.models import Field, Model
from django.utils import timezone

BATCH = 1000


def _batch_size(columns: int) -> int:
    limit = connection.features.max_query_params or 65535
    return max(1, min(BATCH, limit // max(columns, 1)))


def insert_rows(
    model: type[Model], fields: Sequence[Field], rows: Sequence[Sequence], *, returning: bool = False
) -> list[int]:
    """INSERT `rows` (each the values of `fields`, in order, as Python values) into `model`'s table. With
    `returning`, the new primary keys in the order of `rows`. On PostgreSQL one single-row statement sent for
    every row in a pipeline (`executemany`: the statement is parsed once; a multi-row statement's 20,000
    placeholders would be parsed by the driver, in Python, for every batch); elsewhere multi-row statements."""
    if not rows:
        return []
    conn = connections[DEFAULT_DB_ALIAS]  # the connection itself: the `connection` proxy costs a lookup per value
    qn = conn.ops.quote_name
    table = qn(model._meta.db_table)
    columns = ", ".join(qn(f.column) for f in fields)
    placeholder = "(" + ", ".join(["%s"] * len(fields)) + ")"
    tail = f" RETURNING {qn(model._meta.pk.column)}" if returning else ""
    prep = [f.get_db_prep_save for f in fields]
    ids: list[int] = []
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            sql = f"INSERT INTO {table} ({columns}) VALUES {placeholder}{tail}"  # noqa: S608 - names from the model
            params = [[p(value, conn) for p, value in zip(prep, row, strict=True)] for row in rows]
            if not returning:
                cursor.executemany(sql, params)
                return ids
            raw = cursor.cursor  # the driver's cursor: Django's wrapper does not pass `returning`
            raw.executemany(sql, params, returning=True)
            while True:
                ids.append(raw.fetchone()[0])
                if not raw.nextset():
                    break
            return ids
        size = _batch_size(len(fields))
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            params = [p(value, conn) for row in chunk for p, value in zip(prep, row, strict=True)]
            sql = f"INSERT INTO {table} ({columns}) VALUES {', '.join([placeholder] * len(chunk))}{tail}"  # noqa: S608 - names from the model, values as parameters
            cursor.execute(sql, params)
            if returning:
                ids.extend(r[0] for r in cursor.fetchall())
    return ids


def insert_objects(objs: Sequence[Model], *, fields: Sequence[str] | None = None) -> None:
    """INSERT model instances (all of one model, without primary keys) and set their new primary keys: the rows
    `bulk_create` would write, for the concrete fields (or `fields`, by name) other than the primary key."""
    if not objs:
        return
    model = type(objs[0])
    meta = model._meta
    chosen = [f for f in meta.concrete_fields if not f.primary_key and (fields is None or f.name in fields)]
    rows = [[getattr(obj, f.attname) for f in chosen] for obj in objs]
    ids = insert_rows(model, chosen, rows, returning=True)
    for obj, pk in zip(objs, ids, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = connection.alias


# --- loading: COPY on PostgreSQL ---------------------------------------------------------------------------

COPY_BATCH = 5000


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


def load(model: type[models.Model], rows: list[dict], batch_size: int = COPY_BATCH) -> list[int]:
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
