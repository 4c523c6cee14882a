"""Sign-in throttling, API token issue and the user's own settings (language)."""

import unicodedata

from django.conf import settings
from django.utils.translation import gettext as _

from ccn.core import throttle
from ccn.core.errors import ValidationFailed

from .models import ApiToken

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


def token_issue(*, actor, name: str) -> tuple[ApiToken, str]:
    return ApiToken.issue(user=actor, name=name or "API")


def user_set_language(*, actor, language: str) -> None:
    """The language the user picked, kept for their pages on any computer and for their e-mails; "" lets the
    site choose (Vietnamese)."""
    if language not in ("", *dict(settings.LANGUAGES)):
        message = _("Choose Vietnamese or English.")
        raise ValidationFailed(message, field_errors={"language": [message]})
    if actor.language != language:
        actor.language = language
        actor.save(update_fields=["language"])
