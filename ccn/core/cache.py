"""The shared cache with a way down: Redis when configured, and the database cache whenever Redis does not answer
(docs/production.md, "When Redis is down"). Pages, rate limits and the map data then keep working on the database,
slower, never with a 5xx; the outage is logged once, and Redis is tried again after a pause."""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.base import BaseCache
from django.utils.module_loading import import_string
from redis.exceptions import RedisError

logger = logging.getLogger("ccn.cache")
RETRY_AFTER = 30.0  # seconds during which a failed Redis is not asked again
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
