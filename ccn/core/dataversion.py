"""The data version: a token in the shared cache that every write replaces (docs/production.md, "Caching").

Pages and page bodies that are the same for everyone in a scope (the map's data, the portal search, the cluster list
and page) are kept in the shared cache under a key that includes the version (ccn/core/pagecache.py), and the map's
data carries an ETag made from it: after any write — through any app process or the task worker — the version is
new, so no cached copy and no ETag from before the write is ever served again. Writes bump it through three doors:
model signals (saves and deletes, once per transaction, after it commits), every successful unsafe request
(POST/PUT/PATCH/DELETE: covers bulk writes made in a request) and every finished background job. A cache that
cannot be read gives an empty version: nothing is cached and no ETag is sent, so pages are slower but never wrong.
"""

from __future__ import annotations

import logging
import uuid

from django.core.cache import cache
from django.db import connection, transaction

logger = logging.getLogger("ccn.cache")

KEY = "ccn:data-version"
# Writes to these do not change what cached pages show (sessions, the job queue, the admin's log).
QUIET_APPS = {"sessions", "jobs", "django_tasks_db", "admin", "contenttypes", "auth"}
_warned: set[str] = set()


def _warn_once(message: str) -> None:
    """An outage is logged once per process, not once per write (a migration runs before the cache table exists)."""
    if message not in _warned:
        _warned.add(message)
        logger.warning(message)


def current() -> str:
    try:
        value = cache.get(KEY)
        if value is None:
            cache.add(KEY, uuid.uuid4().hex, timeout=None)
            value = cache.get(KEY)
    except Exception:  # noqa: BLE001 - a cache outage degrades to no caching, never to an error
        _warn_once("shared cache unavailable: the data version is unknown, nothing is cached")
        return ""
    return value or ""


def bump() -> None:
    try:
        cache.set(KEY, uuid.uuid4().hex, timeout=None)
        _warned.discard("shared cache unavailable: the data version was not bumped")
    except Exception:  # noqa: BLE001
        _warn_once("shared cache unavailable: the data version was not bumped")


def bump_on_commit() -> None:
    """Bump once the current transaction commits (at once outside one); once per transaction."""
    if any(entry[1] is bump for entry in connection.run_on_commit):
        return
    transaction.on_commit(bump)


def on_model_change(sender, **kwargs) -> None:
    if sender._meta.app_label in QUIET_APPS or kwargs.get("raw"):
        return
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    bump_on_commit()


class DataVersionMiddleware:
    """A successful unsafe request is a write: bump the version once it has committed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD", "OPTIONS") and response.status_code < 400:
            bump_on_commit()
        return response
