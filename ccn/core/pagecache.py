"""Answers and page fragments kept in the shared cache under the data version (docs/production.md, "Caching").

Four ways in, one key scheme — `data version | name | scope key | language | parts`:

- `cached_by_data_version(name, scope=...)` decorates a GET view whose whole answer is the same for everyone with
  the same scope key (the map's GeoJSON): the answer is kept gzipped once, sent gzipped to clients that accept it
  (decompressed for the others), with an ETag; a conditional GET whose ETag is current is a 304.
- `cached_api_read(name, scope=...)` does the same for a read of the API (the cluster list and a cluster), keyed on
  the path and the query; the API stores the answer it rendered (`keep`).
- `kept(name, scope=..., parts=..., compute=...)` keeps a value several pages and the API show (the dashboard's
  figures).
- `Fragment` keeps the rendered body of a page (the `{% datacache %}` tag of the `datacache` library marks it),
  for pages that also carry per-request parts around it (the signed-in user's name, messages, the CSRF token, the
  CSP nonce). The fragment is rendered with placeholders for the CSRF token and the nonce, which are filled with
  the request's own on every answer, so nothing of one request is ever sent to another. A body is kept once the
  answer has been sent (`after_response`), so the one who asked does not wait for the write.

The data version (ccn/core/dataversion.py) is replaced by every write through any process, so neither a cached
copy nor an ETag from before a write is ever served again. A cache that cannot be read gives no version: pages
are built afresh every time and carry no ETag — slower, never wrong.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import logging
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse, HttpResponseNotModified
from django.middleware.csp import get_nonce
from django.middleware.csrf import get_token
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from . import dataversion

logger = logging.getLogger("ccn.cache")
SECONDS = 600  # a cached copy also expires, for writes made outside the app (docs/production.md)
CSRF_PLACEHOLDER = "ccn-csrf-token-4f0c9a2e-placeholder"
NONCE_PLACEHOLDER = "ccn-csp-nonce-4f0c9a2e-placeholder"
ANSWER = "answer:"  # whole answers: (content type, gzipped body, ETag)


def version() -> str:
    return dataversion.current() if settings.PAGE_CACHE else ""


def make_key(version_: str, name: str, scope: str, *parts: str) -> str:
    digest = hashlib.sha256("|".join((version_, name, scope, get_language() or "", *parts)).encode()).hexdigest()
    return digest[:40]


def normalised_query(request) -> str:
    """The query string with its parameters sorted: `?q=x&page=2` and `?page=2&q=x` are one answer. Empty
    parameters are kept (a filter form bound to an empty value may show otherwise than an unbound one)."""
    return urlencode(sorted((k, v) for k, values in request.GET.lists() for v in values))


def _pages():
    """The cache the pages are kept in, apart from the data version and the rate limits (config/settings.py)."""
    return caches["pages"]


def get(key: str):
    try:
        return _pages().get(key)
    except Exception:  # noqa: BLE001 - a cache outage only makes the page slower
        return None


def put(key: str, value, seconds: int = SECONDS) -> None:
    try:
        _pages().set(key, value, seconds)
    except Exception:  # noqa: BLE001
        logger.warning("shared cache unavailable: an answer was not cached")


def kept(name: str, *, scope: str, parts: tuple[str, ...], compute: Callable[[], object], seconds: int = SECONDS):
    """`compute()`, kept in the pages' cache under the data version, `name`, the scope key, the language and
    `parts` (a value several pages and the API show, such as the dashboard's figures); computed every time when
    caching is off or down."""
    current = version()
    key = f"value:{make_key(current, name, scope, *parts)}" if current else ""
    stored = get(key) if key else None
    if stored is not None:
        return stored
    value = compute()
    if key:
        put(key, value, seconds)
    return value


def _accepts_gzip(request) -> bool:
    return "gzip" in request.headers.get("Accept-Encoding", "")


def _tag(key: str) -> str:
    return f'"{key[:32]}"'


def _lookup(request, name: str, scope: Callable[[object], str], *parts: str) -> tuple[str, HttpResponse | None]:
    """The key of a read's answer ("" when nothing is kept: caching off or down, or not a GET) and, when the request
    names the key's ETag as current, a 304, else the kept answer; None when nothing is kept yet."""
    current = version() if request.method in ("GET", "HEAD") else ""
    if not current:
        return "", None
    key = make_key(current, name, scope(request), *parts)
    tag = _tag(key)
    if tag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
        response["ETag"] = tag
        return key, response
    stored = get(ANSWER + key)
    return key, _send(request, stored) if stored is not None else None


def _packed(response, tag: str) -> tuple[str, bytes, str]:
    """What is kept of an answer: its type, its body gzipped once, its ETag (its own, else the key's)."""
    return (response["Content-Type"], gzip.compress(response.content, compresslevel=6), response.get("ETag", tag))


def _send(request, stored: tuple[str, bytes, str]) -> HttpResponse:
    content_type, packed, tag = stored
    if _accepts_gzip(request):
        response = HttpResponse(packed, content_type=content_type)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(gzip.decompress(packed), content_type=content_type)
    patch_vary_headers(response, ("Accept-Encoding",))
    response["ETag"] = tag
    response["Cache-Control"] = "private, no-cache"  # the browser keeps it and asks again with its ETag
    return response


def cached_api_read(name: str, *, scope: Callable[[object], str], seconds: int = SECONDS):
    """Keep an API read's 200 answers (the function of a GET operation, under its route decorator) as
    `cached_by_data_version` keeps a view's, keyed on the path and the normalised query. The function runs after the
    API's authentication, so `scope(request)` knows the caller. A miss runs it and the answer goes through the API's
    schema and renderer as ever; the API hands the rendered answer to `keep` (config/api.py), which stores it. A
    record's own ETag (its version, for If-Match) is kept with it and sent again; an answer without one gets the
    key's, and a conditional GET with that one current is a 304."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            key, kept = _lookup(request, name, scope, request.path, normalised_query(request))
            if kept is not None:
                return kept
            if key:
                request.pagecache_keep = (key, seconds)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def keep(request, response) -> None:
    """Store the rendered answer of a `cached_api_read` miss (a 200 only) and give it the ETag a hit will carry."""
    pending = getattr(request, "pagecache_keep", None)
    if pending is None or response.status_code != 200 or response.streaming:
        return
    del request.pagecache_keep
    key, seconds = pending
    stored = _packed(response, _tag(key))
    put(ANSWER + key, stored, seconds)
    response["ETag"] = stored[2]
    response["Cache-Control"] = "private, no-cache"


def cached_by_data_version(name: str, *, scope: Callable[[object], str], seconds: int = SECONDS):
    """Keep a GET view's 200 answers in the shared cache (gzipped once) under the data version, the scope key
    `scope(request)`, the language and the normalised query; send them with an ETag, 304 when it is current.
    Only for answers without anything of the request in them (no CSRF token, nonce or user name)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            parts = (normalised_query(request), *(str(a) for a in args), *(f"{k}={v}" for k, v in kwargs.items()))
            key, kept = _lookup(request, name, scope, *parts)
            if kept is not None:
                return kept
            response = view(request, *args, **kwargs)
            if not key or response.status_code != 200 or response.streaming:
                return response
            stored = _packed(response, _tag(key))
            put(ANSWER + key, stored, seconds)
            return _send(request, stored)

        return wrapper

    return decorator


class Fragment:
    """The cached body of one page for one scope: `html` is the filled fragment on a hit (None on a miss, or
    when caching is off); `extra` carries what the page needs beside it (a count in the title, say)."""

    def __init__(self, request, name: str, *, scope: str, parts: tuple[str, ...] = ()):
        self.request = request
        current = version()
        self.key = f"fragment:{make_key(current, name, scope, *parts)}" if current else None
        stored = get(self.key) if self.key else None
        self.html: str | None = None
        self.extra: dict = {}
        if stored is not None:
            html, self.extra = stored
            self.html = fill(request, html)

    @property
    def hit(self) -> bool:
        return self.html is not None

    def store(self, html: str) -> None:
        if self.key:
            after_response(self.request, put, self.key, (html, self.extra))


def after_response(request, write: Callable, *args) -> None:
    """Run `write(*args)` once the answer has been sent (`KeepAfterResponseMiddleware`: when the server closes the
    response), so the one who asked does not wait for a page to be kept; at once outside that middleware."""
    pending = getattr(request, "ccn_after_response", None)
    if pending is None:
        write(*args)
    else:
        pending.append((write, args))


class KeepAfterResponseMiddleware:
    """Runs the writes `after_response` put off when the server closes the response (after sending it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.ccn_after_response = pending = []
        response = self.get_response(request)

        def run() -> None:
            while pending:
                write, args = pending.pop(0)
                write(*args)

        # the closers Django's response runs on close(), as a file response closes its file
        response._resource_closers.append(run)
        return response


def placeholders() -> dict:
    """Context for rendering a fragment that is kept: the CSRF token and the nonce as placeholders."""
    return {"csrf_token": CSRF_PLACEHOLDER, "csp_nonce": NONCE_PLACEHOLDER}


def fill(request, html: str) -> str:
    """The kept fragment with this request's CSRF token and CSP nonce."""
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    if NONCE_PLACEHOLDER in html:
        nonce = get_nonce(request)
        html = html.replace(NONCE_PLACEHOLDER, str(nonce) if nonce is not None else "")
    return html
