"""Sign-in throttling, password reset limits, API tokens (issue, who manages whose, revoke) and the user's own
settings (language)."""

import datetime
import unicodedata

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ccn.core import throttle
from ccn.core.errors import NotFoundError, field_error
from ccn.core.history import ChangeAction, record_change

from . import policy
from .choices import Role
from .models import ApiToken

# Lifetimes a user may choose for a new token (days); no token is issued without an expiry.
TOKEN_LIFETIMES = (30, 90, 180, 365)
DEFAULT_TOKEN_DAYS = ApiToken.DEFAULT_LIFETIME_DAYS
# Who manages other users' tokens: the administrator everywhere, the province approver (head of the provincial
# Department's users in CCN) for the users of their province.
TOKEN_MANAGERS = (Role.ADMIN, Role.PROVINCE_APPROVER)

# Attempts from one address over all user names: enough for an office behind one NAT, not for spraying.
ADDRESS_FACTOR = 4


def signin_identity(username: str) -> str:
    """The user name as authentication reads it (Django's UsernameField strips and applies NFKC, so "ｔenant" is
    "tenant"), case-folded so that case variants are counted together too."""
    return unicodedata.normalize("NFKC", (username or "").strip()).casefold()[:150]


def signin_attempt(*, username: str, address: str) -> bool:
    """Count a sign-in attempt before the password is checked; False when the user name (from this address) or
    the address has used up its attempts. Atomic, so parallel attempts and several processes count together."""
    limit, window = settings.LOGIN_MAX_ATTEMPTS, settings.LOGIN_WINDOW_SECONDS
    if throttle.exhausted("signin-addr", address, limit=limit * ADDRESS_FACTOR):
        return False
    return throttle.claim("signin", f"{signin_identity(username)}\n{address}", limit=limit, window=window)


def signin_failed(*, address: str) -> None:
    """A wrong password also counts against the address, whatever user name was tried."""
    limit = settings.LOGIN_MAX_ATTEMPTS * ADDRESS_FACTOR
    throttle.claim("signin-addr", address, limit=limit, window=settings.LOGIN_WINDOW_SECONDS)


def signin_succeeded(*, username: str, address: str) -> None:
    throttle.release("signin", f"{signin_identity(username)}\n{address}", limit=settings.LOGIN_MAX_ATTEMPTS)


def password_reset_attempt(*, email: str, address: str) -> bool:
    """Count a password-reset request per address and per e-mail (atomic): a reset mail cannot be used to flood an
    inbox or to probe addresses at speed."""
    window = settings.PASSWORD_RESET_WINDOW_SECONDS
    limit = settings.PASSWORD_RESET_MAX
    if not throttle.claim("reset-addr", address, limit=limit * ADDRESS_FACTOR, window=window):
        return False
    return throttle.claim("reset-email", signin_identity(email), limit=limit, window=window)


@transaction.atomic
def token_issue(*, actor, name: str, days: int = DEFAULT_TOKEN_DAYS, read_only: bool = False) -> tuple[ApiToken, str]:
    """A new token for the actor, expiring after `days` (one of TOKEN_LIFETIMES); the key is returned once."""
    if days not in TOKEN_LIFETIMES:
        message = _("Choose a lifetime of %(choices)s days.") % {"choices": ", ".join(map(str, TOKEN_LIFETIMES))}
        raise field_error("days", message)
    expires_at = timezone.now() + datetime.timedelta(days=days)
    token, key = ApiToken.issue(
        user=actor, name=(name or "API").strip()[:100], expires_at=expires_at, read_only=read_only
    )
    record_change(actor=actor, obj=token, action=ChangeAction.CREATE, after=_token_snapshot(token))
    return token, key


def _token_snapshot(token: ApiToken) -> dict:
    return {
        "user": token.user.username,
        "name": token.name,
        "prefix": token.prefix,
        "read_only": token.read_only,
        "expires_at": token.expires_at.isoformat() if token.expires_at else None,
    }


def manages_tokens(actor) -> bool:
    return actor.is_authenticated and (actor.is_superuser or actor.role in TOKEN_MANAGERS)


def managed_tokens_q(actor) -> Q:
    """The tokens the actor may list and revoke: their own; every token for an administrator; the tokens of the
    users of their province for a province approver (the ApiToken rule in accounts/policy.py)."""
    return policy.scope_q(actor, ApiToken, policy.CHANGE)


@transaction.atomic
def token_revoke(*, actor, pk: int) -> None:
    """Delete a token of the actor's own, or one they manage; any other is not found (its existence is not told)."""
    token = ApiToken.objects.select_related("user").filter(managed_tokens_q(actor), pk=pk).first()
    if token is None:
        raise NotFoundError(_("No such token."))
    record_change(actor=actor, obj=token, action=ChangeAction.DELETE, before=_token_snapshot(token))
    token.delete()


def user_set_language(*, actor, language: str) -> None:
    """The language the user picked, kept for their pages on any computer and for their e-mails; "" lets the
    site choose (Vietnamese)."""
    if language not in ("", *dict(settings.LANGUAGES)):
        message = _("Choose Vietnamese or English.")
        raise field_error("language", message)
    if actor.language != language:
        actor.language = language
        actor.save(update_fields=["language"])
