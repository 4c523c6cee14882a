"""The procedures router, its error responses and the caller checks shared by the four parts."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Router

from ccn.accounts import policy
from ccn.core.api import ErrorOut, api_user
from ccn.core.errors import NotFoundError, PermissionDeniedError

from .. import selectors
from ..models import Dossier
from ..policy import DECIDE, WITHDRAW

router = Router(tags=["procedures"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _require_procedures(user):
    if not selectors.can_see_procedures(user):
        raise PermissionDeniedError(_("Your role does not take part in these procedures."))


def _user(request):
    user = api_user(request, required=True)
    _require_procedures(user)
    return user


def _writer(request):
    """The caller of a write: refused before any lookup when the role writes nothing here (the ministry)."""
    user = _user(request)
    if not (policy.may(user, WITHDRAW, Dossier) or policy.may(user, DECIDE, Dossier)):
        raise PermissionDeniedError(_("Your role may only read these procedures."))
    return user


def _key(value: str) -> str:
    """A code or number from the path, refused as not found when it could not be one (too long, control
    characters) rather than sent to the database."""
    if len(value) > 60 or any(ord(ch) < 32 for ch in value):
        raise NotFoundError(_("Not found."))
    return value


def _pk(value: int) -> int:
    if not 0 < value < 2**31:
        raise NotFoundError(_("Not found."))
    return value
