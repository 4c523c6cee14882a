"""Counting attempts atomically in the shared cache (sign-in, inquiries, exports; docs/security.md).

A counter read and then written back lets parallel requests through together (21 sign-ins before the first
refusal were measured that way), and the database cache's `incr` is such a read-then-write. Instead each attempt
claims one of `limit` slots with `cache.add`, which only one request can win for a given key on every backend
(an INSERT on the primary key in the database cache, SET NX in Redis). Several app processes sharing the cache
therefore count together, and when all slots are taken the attempt is refused. Each slot expires `window`
seconds after it was claimed, so the limit is over a sliding window. Only a hash of the identity is stored.
"""

from __future__ import annotations

import functools
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def _base(scope: str, identity: str) -> str:
    return f"throttle:{scope}:{hashlib.sha256(identity.encode('utf-8', 'surrogatepass')).hexdigest()[:40]}"


def _slots(scope: str, identity: str, limit: int) -> list[str]:
    base = _base(scope, identity)
    return [f"{base}:{n}" for n in range(limit)]


def claim(scope: str, identity: str, *, limit: int, window: int) -> bool:
    """Count one attempt; False (nothing counted) when `limit` attempts were already counted in the window."""
    slots = _slots(scope, identity, limit)
    try:
        taken = cache.get_many(slots)
        for key in slots:
            if key not in taken and cache.add(key, 1, timeout=window):
                return True
    except DatabaseError:
        # The database cache is busy (SQLite under a burst of parallel requests): refuse this attempt rather than
        # let it through uncounted or answer with an error.
        return False
    return False


def exhausted(scope: str, identity: str, *, limit: int) -> bool:
    return len(cache.get_many(_slots(scope, identity, limit))) >= limit


def release(scope: str, identity: str, *, limit: int) -> None:
    """Forget the attempts (after a successful sign-in)."""
    cache.delete_many(_slots(scope, identity, limit))


def export_identity(request) -> str:
    """Exports are counted per signed-in user, else per client address."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"addr:{request.META.get('REMOTE_ADDR', '')}"


def export_allowed(request) -> bool:
    return claim("export", export_identity(request), limit=settings.EXPORT_MAX, window=settings.EXPORT_WINDOW_SECONDS)


def limit_exports(view):
    """Decorate a view that builds a file (spreadsheet, CSV, PDF, open-data download): once the user (or the
    address) has made EXPORT_MAX exports in EXPORT_WINDOW_SECONDS, answer 429 before any work is done."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not export_allowed(request):
            message = _("Too many downloads in a short time. Wait a few minutes and try again.")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message, "code": "too_many_requests"}, status=429)
            response = render(request, "429.html", {"message": message}, status=429)
            response["Retry-After"] = str(settings.EXPORT_WINDOW_SECONDS)
            return response
        return view(request, *args, **kwargs)

    return wrapped
