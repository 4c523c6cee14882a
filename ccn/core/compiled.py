"""Querysets compiled once and run with each province's id: Django can take ten to a hundred times longer to build
and compile an aggregate query of many filtered expressions and dated subqueries (Form 04's facts, the dashboard's
two queries) than the database takes to run it on one province.

`compiled_rows(key, province_id, build)` compiles `build(province_id)` once per `key` (per process and thread) and
keeps it only when a compilation for another province differs in the province's parameter alone; it then runs the
kept SQL with each province's id. Anything else (a province-dependent shape, a parameter equal to the id by chance)
falls back to running the queryset as built. The key must hold everything else the query depends on (the period,
the days, today's date). The id may be any row's that the query is built for alone (a cluster's page runs its
alerts' query this way with the cluster's id).

The kept SQL has every other parameter written in as the database's own literal of it (SQLite's `QUOTE(?)`, the
same value and type as bound; on PostgreSQL the driver's client-side literal, which is what it sent before), and
the id is written in on each run, so the statement goes to the database as it is: binding the few hundred
constants of Form 04's statement cost SQLite more than running it for one province (2.7 ms against 1.4 ms), and
the PostgreSQL driver parses a statement of more than 4 KB for its parameters on every run (~1.5 ms).

`compiled_list(key, value, build)` does the same for a page's small queries (a cluster's page runs about twenty,
each taking longer to compile than to run): `build(value)` may be any queryset (model instances with their
select_related, annotations and prefetches, or values), `value` any one value the query is built for (a cluster's
id or code); it returns the rows, read with the kept SQL and `value` bound in its places (a list, so that nothing
chains another query onto SQL kept for this one). With
`settings.COMPILED_QUERIES_CHECK` (the test suite and its app servers) every run also compiles the queryset as built
and fails loudly if the kept SQL differs: a key that leaves out something the query depends on is found by the
tests, not by a user reading another scope's rows."""

from __future__ import annotations

import copy
import re
import threading
from collections.abc import Callable, Hashable

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet, prefetch_related_objects

OTHER_PROVINCE = -1
PROBES = {int: -1, str: "\x1fccn-probe\x1f"}  # a value of the same type no query is built for
# queries × scopes × periods × days in use at once (a cluster page's twenty queries for the officers of dozens of
# provinces), about 30 KB each (a compiled query with its query tree): at most ~30 MB a process; past it the oldest
# kept query gives way
MAX_ENTRIES = 1000
UNCOMPILED = object()  # kept for a key whose query cannot be kept, so it is not tried again
PLACEHOLDER = re.compile(r"(?<!%)%s")  # as Django's SQLite backend reads them
QUOTE_BATCH = 500

_local = threading.local()


def entries() -> dict:
    """This thread's compiled queries by key (read by tests; `clear()` empties it)."""
    cache = getattr(_local, "entries", None)
    if cache is None:
        cache = _local.entries = {}
    return cache


def clear() -> None:
    entries().clear()


def compiled_rows(key: Hashable, province_id: int | None, build: Callable[[int | None], QuerySet]) -> list[dict]:
    """The rows (dicts) of the values() queryset `build(province_id)`, its SQL compiled once per `key`."""
    cache = entries()
    entry = cache.get(key)
    if entry is None:
        compiler = build(province_id).query.get_compiler(using=DEFAULT_DB_ALIAS)
        sql, params = compiler.as_sql()
        params = list(params)
        roles = [None] * len(params)
        if province_id is not None:
            other_sql, other = build(OTHER_PROVINCE).query.get_compiler(using=DEFAULT_DB_ALIAS).as_sql()
            if other_sql != sql or len(other) != len(params):
                return list(build(province_id))
            for i, (mine, theirs) in enumerate(zip(params, other, strict=True)):
                if mine != theirs:
                    if (mine, theirs) != (province_id, OTHER_PROVINCE):
                        return list(build(province_id))
                    roles[i] = "province"
        sql, params, roles = _constants_written_in(sql, params, roles)
        names = [alias for _expr, _sql, alias in compiler.select]
        converters = compiler.get_converters([expr for expr, _sql, _alias in compiler.select])
        if len(cache) >= MAX_ENTRIES:
            del cache[next(iter(cache))]
        # the text around each place of the id, as the database reads it (no parameter left: `%%` is `%`)
        pieces = [piece.replace("%%", "%") for piece in PLACEHOLDER.split(sql)]
        entry = cache[key] = (compiler, sql, params, roles, names, converters, pieces)
    compiler, sql, params, roles, names, converters, pieces = entry
    text = pieces[0] + "".join(str(int(province_id)) + piece for piece in pieces[1:])
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(text)
        rows = cursor.fetchall()
    if converters:
        rows = compiler.apply_converters(rows, converters)
    return [dict(zip(names, row, strict=True)) for row in rows]


def compiled_list(key: Hashable, value: int | str, build: Callable[[int | str], QuerySet]) -> list:
    """The rows of `build(value)` as listing it gives them (model instances, dicts or tuples), its SQL compiled
    once per `key`: the key holds everything but `value` that the query depends on (the caller's scope key,
    today's date)."""
    cache = entries()
    entry = cache.get(key)
    if entry is None:
        entry = _compile(build, value) or UNCOMPILED
        if len(cache) >= MAX_ENTRIES:
            del cache[next(iter(cache))]
        cache[key] = entry
    if entry is UNCOMPILED:  # its shape depends on the value: built and compiled as Django does, each time
        return list(build(value))
    queryset, compiler, sql, slots, shape = entry
    if settings.COMPILED_QUERIES_CHECK and not _same_shape(shape, build(value), value):
        raise AssertionError(f"the query kept under {key!r} is not the one built for {value!r}: its key is short")
    run = copy.copy(compiler)
    params = (value,) * slots
    run.as_sql = lambda *args, **kwargs: (sql, params)  # what execute_sql reads
    kept = queryset.__class__(
        model=queryset.model, query=_KeptQuery(queryset.query, run), using=queryset._db, hints=queryset._hints
    )
    for name in ("_fetch_mode", "_known_related_objects"):
        if hasattr(queryset, name):
            setattr(kept, name, getattr(queryset, name))
    rows = list(queryset._iterable_class(kept))
    if queryset._prefetch_related_lookups:
        prefetch_related_objects(rows, *queryset._prefetch_related_lookups)
    return rows


def compiled_aggregate(key: Hashable, value: int | str, rows: Callable[[int | str], QuerySet], by: str, **aggregates):
    """`rows(value).aggregate(**aggregates)` where `rows(value)` are the rows of one `by` (a cluster's): as one
    group of a grouped query, compiled once per `key` (`compiled_list`); the aggregates of no rows when there are
    none."""
    found = compiled_list(key, value, lambda v: rows(v).order_by().values(by).annotate(**aggregates))
    if not found:
        return rows(value).none().aggregate(**aggregates)
    return {name: found[0][name] for name in aggregates}


class _KeptQuery:
    """A query as the iterables read it, whose compiler is the kept one."""

    def __init__(self, query, compiler):
        self._query, self._compiler = query, compiler

    def get_compiler(self, *args, **kwargs):
        return self._compiler

    def __getattr__(self, name):
        return getattr(self._query, name)


def _compile(build, value) -> tuple | None:
    """(queryset, its compiler once compiled, the SQL with its constants written in and `%s` in the places of
    `value`, how many places, its shape), or None when the query's shape depends on the value."""
    queryset = build(value)
    compiler = queryset.query.get_compiler(using=DEFAULT_DB_ALIAS)
    try:
        sql, params = compiler.as_sql()
        other_sql, other = build(PROBES[type(value)]).query.get_compiler(using=DEFAULT_DB_ALIAS).as_sql()
    except EmptyResultSet:
        return None
    if other_sql != sql or len(other) != len(params):
        return None
    roles = [None] * len(params)
    for i, (mine, theirs) in enumerate(zip(params, other, strict=True)):
        if mine != theirs:
            if (mine, theirs) != (value, PROBES[type(value)]):
                return None
            roles[i] = "value"
    shape = (sql, params, roles)
    sql, kept, _roles = _constants_written_in(sql, list(params), roles)
    return queryset, compiler, sql, len(kept), shape


def _same_shape(shape: tuple, queryset, value) -> bool:
    """Whether `queryset` compiles to the kept SQL (`shape`: its SQL, parameters and the places of the value it
    was compiled for) with `value` in those places and the same constants elsewhere."""
    sql, params, roles = shape
    fresh_sql, fresh = queryset.query.get_compiler(using=DEFAULT_DB_ALIAS).as_sql()
    return (
        fresh_sql == sql
        and len(fresh) == len(params)
        and all(f == (value if role else p) for f, p, role in zip(fresh, params, roles, strict=True))
    )


def _constants_written_in(sql: str, params: list, roles: list) -> tuple[str, list, list]:
    """`sql` with each parameter that is no province's id written in as the database's literal of it."""
    connection = connections[DEFAULT_DB_ALIAS]
    fixed = [p for p, role in zip(params, roles, strict=True) if role is None]
    if not fixed:
        return sql, params, roles
    if connection.vendor == "sqlite":
        literals = []
        with connection.cursor() as cursor:
            for start in range(0, len(fixed), QUOTE_BATCH):
                batch = fixed[start : start + QUOTE_BATCH]
                cursor.execute("SELECT " + ", ".join(["QUOTE(%s)"] * len(batch)), batch)
                literals += cursor.fetchone()
    else:
        literals = [connection.ops.compose_sql("%s", [p]) for p in fixed]
    pieces = PLACEHOLDER.split(sql)
    out, kept, next_literal = [pieces[0]], [], iter(literals)
    for piece, param, role in zip(pieces[1:], params, roles, strict=True):
        if role is None:
            out.append(next(next_literal).replace("%", "%%"))
        else:
            out.append("%s")
            kept.append(param)
        out.append(piece)
    return "".join(out), kept, [role for role in roles if role is not None]
