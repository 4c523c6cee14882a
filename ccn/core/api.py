"""Shared API helpers: authentication (bearer token or session with CSRF; anonymous may read) and paging."""

from __future__ import annotations

import re

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import AuthenticationError
from ninja.security.http import HttpAuthBase
from ninja.utils import check_csrf

from .errors import NotAuthenticated, PermissionDeniedError
from .history import MISSING_VERSION, MissingVersion

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
MAX_OFFSET = 10_000_000  # declared on list endpoints: larger offsets are refused (422), never sent to the database


class ApiAuth(HttpAuthBase):
    """`Authorization: Bearer <token>`, else the signed-in session (CSRF checked on writes), else anonymous
    for reads. The resolved user is `request.auth` (AnonymousUser for the public)."""

    openapi_scheme = "bearer"

    def __call__(self, request: HttpRequest):
        from ccn.accounts.models import ApiToken

        header = request.headers.get("Authorization", "")
        if header:
            scheme, _sep, key = header.partition(" ")
            if scheme.lower() != "bearer" or not key.strip():
                raise AuthenticationError()
            token = ApiToken.resolve(key.strip())
            if token is None:
                raise AuthenticationError()
            if token.read_only and request.method not in SAFE_METHODS:
                raise PermissionDeniedError(
                    _(
                        "This API token is read-only: it may read but not change anything. Use a token without the"
                        " read-only option to write."
                    ),
                    code="read_only_token",
                )
            request.user = token.user
            request.api_token = token
            return token.user
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if request.method not in SAFE_METHODS and check_csrf(request):
                raise AuthenticationError()
            return user
        if request.method in SAFE_METHODS:
            return AnonymousUser()
        raise AuthenticationError()


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
