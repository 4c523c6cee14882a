"""The shared cache with a way down: Redis when configured, and the database cache whenever Redis does not answer
(docs/production.md, "When Redis is down"). Pages, rate limits and the map data then keep working on the database,
slower, never with a 5xx; the outage is logged once, and Redis is tried again after a pause.

`DatabaseCache` is Django's database cache with a `set` of one statement (an insert that replaces the row of the
same key): Django's counts the table, then reads the key and inserts or updates it in a transaction, five round
trips for each page kept. The table is counted and culled as Django does on every CULL_EVERY-th set of a process."""

from __future__ import annotations

import base64
import contextlib
import logging
import pickle
import time
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache.backends import db
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.db import DatabaseError, connections, router, transaction
from django.utils.module_loading import import_string
from redis.exceptions import RedisError

logger = logging.getLogger("ccn.cache")
RETRY_AFTER = 30.0  # seconds during which a failed Redis is not asked again
CULL_EVERY = 50  # sets of a process between two counts of the table (MAX_ENTRIES is passed by at most this many)
OPERATIONS = (
    "add", "get", "set", "touch", "delete", "get_many", "has_key", "incr", "decr", "set_many", "delete_many",
    "clear", "get_or_set",
)  # fmt: skip


def _build(spec: dict) -> BaseCache:
    params = {k: v for k, v in spec.items() if k not in ("BACKEND", "LOCATION")}
    return import_string(spec["BACKEND"])(spec.get("LOCATION", ""), params)


class FallbackCache(BaseCache):
    """OPTIONS = {"PRIMARY": {cache settings}, "FALLBACK": {cache settings}}: every operation goes to the primary
    (Redis) unless it failed less than RETRY_AFTER seconds ago; a failure goes to the fallback (database)."""

    def __init__(self, location, params):
        options = params.get("OPTIONS", {})
        super().__init__({k: v for k, v in params.items() if k != "OPTIONS"})
        self.primary = _build(options["PRIMARY"])
        self.fallback = _build(options["FALLBACK"])
        self._down_until = 0.0

    def _call(self, name: str, *args, **kwargs):
        if time.monotonic() >= self._down_until:
            try:
                return getattr(self.primary, name)(*args, **kwargs)
            except (RedisError, OSError) as exc:
                if not self._down_until:
                    logger.error("Redis cache unavailable (%s): using the database cache", exc)
                self._down_until = time.monotonic() + RETRY_AFTER
        return getattr(self.fallback, name)(*args, **kwargs)

    def using_fallback(self) -> bool:
        return time.monotonic() < self._down_until

    def close(self, **kwargs):
        for cache in (self.primary, self.fallback):
            cache.close(**kwargs)


for _name in OPERATIONS:
    setattr(FallbackCache, _name, lambda self, *a, _n=_name, **k: self._call(_n, *a, **k))


class DatabaseCache(db.DatabaseCache):
    _sets = 0

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        self._sets += 1
        if self._sets % CULL_EVERY == 0:
            self._base_set("set", key, value, timeout)  # Django's: counts the table and culls it when full
            return
        timeout = self.get_backend_timeout(timeout)
        tz = UTC if settings.USE_TZ else None
        expires = datetime.max.replace(tzinfo=tz) if timeout is None else datetime.fromtimestamp(timeout, tz=tz)
        connection = connections[router.db_for_write(self.cache_model_class)]
        quote = connection.ops.quote_name
        table, key_column, value_column, expires_column = (
            quote(name) for name in (self._table, "cache_key", "value", "expires")
        )
        encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
        # one statement is atomic on its own; inside a transaction a savepoint keeps a failed set from aborting it
        atomic = transaction.atomic(using=connection.alias) if connection.in_atomic_block else contextlib.nullcontext()
        try:
            with atomic, connection.cursor() as cursor:
                # the table's and the columns' names are the cache's own, quoted
                upsert = (
                    f"INSERT INTO {table} ({key_column}, {value_column}, {expires_column}) VALUES (%s, %s, %s) "  # noqa: S608
                    f"ON CONFLICT ({key_column}) DO UPDATE SET {value_column} = EXCLUDED.{value_column}, "
                    f"{expires_column} = EXCLUDED.{expires_column}"
                )
                cursor.execute(
                    upsert,
                    [key, encoded, connection.ops.adapt_datetimefield_value(expires.replace(microsecond=0))],
                )
        except DatabaseError:
            pass  # as Django's: a set that fails is a miss later, never an error
