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
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
from django.db.models import Field, Model
from django.utils import timezone

BATCH = 1000


def _batch_size(columns: int) -> int:
    limit = connection.features.max_query_params or 65535
    return max(1, min(BATCH, limit // max(columns, 1)))


class Written:
    """A count of the records a bulk write has written, told to a job's progress (`progress(done, total)`) as each
    batch goes in; without a progress it only counts."""

    def __init__(self, progress: Callable[[int, int], None] | None, total: int):
        self.progress, self.total, self.done = progress, total, 0
        if progress is not None and hasattr(progress, "phase"):
            progress.phase("writing")

    def __call__(self, n: int) -> None:
        self.done += n
        if self.progress is not None:
            self.progress(min(self.done, self.total), self.total)


def insert_rows(
    model: type[Model],
    fields: Sequence[Field],
    rows: Sequence[Sequence],
    *,
    returning: bool = False,
    progress: Callable[[int], None] | None = None,
) -> list[int]:
    """INSERT `rows` (each the values of `fields`, in order, as Python values) into `model`'s table. With
    `returning`, the new primary keys in the order of `rows`. On PostgreSQL one single-row statement sent for
    every row in a pipeline (`executemany`: the statement is parsed once; a multi-row statement's 20,000
    placeholders would be parsed by the driver, in Python, for every batch); elsewhere multi-row statements. Both
    go in batches of `BATCH` rows at most, each told to `progress(rows written)`."""
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
            raw = cursor.cursor  # the driver's cursor: Django's wrapper does not pass `returning`
            for start in range(0, len(rows), BATCH):
                chunk = rows[start : start + BATCH]
                params = [[p(value, conn) for p, value in zip(prep, row, strict=True)] for row in chunk]
                if not returning:
                    cursor.executemany(sql, params)
                else:
                    raw.executemany(sql, params, returning=True)
                    while True:
                        ids.append(raw.fetchone()[0])
                        if not raw.nextset():
                            break
                if progress is not None:
                    progress(len(chunk))
            return ids
        size = _batch_size(len(fields))
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            params = [p(value, conn) for row in chunk for p, value in zip(prep, row, strict=True)]
            sql = f"INSERT INTO {table} ({columns}) VALUES {', '.join([placeholder] * len(chunk))}{tail}"  # noqa: S608 - names from the model, values as parameters
            cursor.execute(sql, params)
            if returning:
                ids.extend(r[0] for r in cursor.fetchall())
            if progress is not None:
                progress(len(chunk))
    return ids


def insert_objects(
    objs: Sequence[Model], *, fields: Sequence[str] | None = None, progress: Callable[[int], None] | None = None
) -> None:
    """INSERT model instances (all of one model, without primary keys) and set their new primary keys: the rows
    `bulk_create` would write, for the concrete fields (or `fields`, by name) other than the primary key."""
    if not objs:
        return
    model = type(objs[0])
    meta = model._meta
    chosen = [f for f in meta.concrete_fields if not f.primary_key and (fields is None or f.name in fields)]
    rows = [[getattr(obj, f.attname) for f in chosen] for obj in objs]
    ids = insert_rows(model, chosen, rows, returning=True, progress=progress)
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
    given = sorted(set().union(*rows))
    now = timezone.now()
    spec = [(name, _default(model._meta.get_field(name), now)) for name in given]
    load_rows(model, given, ([r.get(name, d) for name, d in spec] for r in rows))
    return [r[pk] for r in rows]


def load_rows(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence], batch_size: int = COPY_BATCH
) -> list[int]:
    """Store `rows` (each the values of `fields`, attnames, in order) as new `model` rows; the other fields take
    their model defaults. On PostgreSQL the rows may be a generator: they are streamed to one COPY as they are made
    (the database stores them while the next are built) and must carry their ids (`reserve_ids`); nothing is
    returned. Elsewhere `bulk_create`; the new ids, in order."""
    if not copy_path():
        objs = [model(**dict(zip(fields, row, strict=True))) for row in rows]
        return [obj.pk for obj in model.objects.bulk_create(objs, batch_size=batch_size)]
    meta = model._meta
    unknown = set(fields) - {f.attname for f in meta.concrete_fields}
    if unknown:
        raise ValueError(f"{model.__name__} has no fields {sorted(unknown)}")
    if meta.pk.attname not in fields:
        raise ValueError(f"{model.__name__} rows need their ids on PostgreSQL (bulk.reserve_ids)")
    now = timezone.now()
    # Columns left NULL for every row (nullable, no default, not given) stay out of the COPY; the others not
    # given are constants appended to every row.
    extra, constants = [], []
    for f in meta.concrete_fields:
        if f.attname in fields:
            continue
        default = _default(f, now)
        if default is not None or not f.null or f.db_default is not models.NOT_PROVIDED:
            extra.append(f)
            constants.append(default)
    qn = connection.ops.quote_name
    columns = [meta.get_field(name).column for name in fields] + [f.column for f in extra]
    tail = tuple(constants)
    with connection.cursor() as cursor:
        sql = f"COPY {qn(meta.db_table)} ({', '.join(qn(c) for c in columns)}) FROM STDIN"
        with cursor.cursor.copy(sql) as copy:
            write = copy.write_row
            for row in rows:
                write((*row, *tail))
    return []


# --- loading: indexes and foreign keys set aside ------------------------------------------------------------

_SET_ASIDE = """
SELECT CASE contype WHEN 'f' THEN 'fk' ELSE 'unique' END, conname, pg_get_constraintdef(oid)
FROM pg_constraint WHERE conrelid = %(t)s::regclass AND contype IN ('f', 'u')
UNION ALL
SELECT 'index', c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
WHERE i.indrelid = %(t)s::regclass AND NOT EXISTS (
    SELECT 1 FROM pg_constraint k
    WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u')
)"""


@contextmanager
def loading(*tables: type[models.Model]):
    """One transaction for a bulk load into `tables` (models). On PostgreSQL their secondary indexes, unique
    constraints and foreign keys are dropped at the start and built again at the end, once over all the rows
    (instead of an index entry and a deferred foreign-key check per row, which grow faster than the rows once the
    indexes outgrow memory); primary keys and check constraints stay. The drops are part of the transaction: a
    failure rolls them back with the rows, so the tables are never left without them. Elsewhere only the
    transaction."""
    with transaction.atomic():
        if not copy_path():
            yield
            return
        qn = connection.ops.quote_name
        set_aside = []
        with connection.cursor() as cursor:
            # ALTER TABLE refuses tables with deferred checks still pending: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for model in tables:
                table = qn(model._meta.db_table)
                cursor.execute(_SET_ASIDE, {"t": model._meta.db_table})
                set_aside += [(table, kind, name, definition) for kind, name, definition in cursor.fetchall()]
            for table, kind, name, _ in set_aside:
                if kind == "index":
                    cursor.execute(f"DROP INDEX {qn(name)}")
                else:
                    cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {qn(name)}")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        yield
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            order = {"index": 0, "unique": 1, "fk": 2}  # foreign keys last: their targets' unique indexes first
            for table, kind, name, definition in sorted(set_aside, key=lambda s: order[s[1]]):
                if kind == "index":
                    cursor.execute(definition)
                else:
                    cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {qn(name)} {definition}")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
