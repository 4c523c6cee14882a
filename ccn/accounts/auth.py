"""API authentication: `Authorization: Bearer <token>` (an accounts `ApiToken`), else the signed-in session with
CSRF checked on writes, else anonymous for reads. Used by the API object (config/api.py) and the OGC API."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError
from ninja.security.http import HttpAuthBase
from ninja.utils import check_csrf

from ccn.core.api import SAFE_METHODS
from ccn.core.errors import PermissionDeniedError

from .models import ApiToken


class ApiAuth(HttpAuthBase):
    """`Authorization: Bearer <token>`, else the signed-in session (CSRF checked on writes), else anonymous
    for reads. The resolved user is `request.auth` (AnonymousUser for the public)."""

    openapi_scheme = "bearer"

    def __call__(self, request: HttpRequest):
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
