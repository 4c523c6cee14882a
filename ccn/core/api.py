"""Shared API helpers: the signed-in user, errors, versions (ETag, If-Match) and paging. The authentication itself
(bearer token or session) is ccn.accounts.auth.ApiAuth, since tokens are accounts' records."""

from __future__ import annotations

import re

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Schema

from .errors import NotAuthenticated
from .history import MISSING_VERSION, MissingVersion

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
MAX_OFFSET = 10_000_000  # declared on list endpoints: larger offsets are refused (422), never sent to the database


def api_user(request: HttpRequest, *, required: bool = False):
    user = getattr(request, "auth", None) or AnonymousUser()
    if required and not user.is_authenticated:
        raise NotAuthenticated(_("Sign in or send a valid API token."))
    return user


class ErrorOut(Schema):
    detail: str
    code: str
    errors: dict[str, list[str]] | None = None
    request_id: str | None = None  # quote it when reporting a problem (also in the X-Request-Id header)


# Responses of every write based on a version (PATCH, PUT and transitions): 428 when no version is named.
VERSIONED = {428: ErrorOut}
_ETAG = re.compile(r'^\s*(?:W/)?"?v?(\d{1,9})"?\s*$')


def etag(version: int) -> str:
    """The ETag of a record at `version` (sent on every GET and write of a versioned record)."""
    return f'"{version}"'


def based_on(request: HttpRequest, version: int | None) -> int | MissingVersion:
    """The version a write is based on: the body's `version`, else the `If-Match` header (the ETag of the GET).
    Without either it is MISSING_VERSION, which the service's `refuse_stale` refuses with 428 once it has checked
    that the user may write at all (so that a refusal for scope or role comes first)."""
    if version is not None:
        return version
    match = _ETAG.match(request.headers.get("If-Match", ""))
    if match:
        return int(match.group(1))
    return MISSING_VERSION


class PageMeta(Schema):
    count: int
    limit: int
    offset: int


def paginate(qs, *, limit: int, offset: int, max_limit: int = 500):
    limit = max(1, min(limit, max_limit))
    offset = max(0, min(offset, MAX_OFFSET))
    return qs[offset : offset + limit], {"count": qs.count(), "limit": limit, "offset": offset}
