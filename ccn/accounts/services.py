"""Sign-in throttling and API token issue."""

from django.conf import settings
from django.core.cache import cache

from ccn.core.text import fold

from .models import ApiToken


def _key(username: str, address: str) -> str:
    return f"signin:{fold(username)[:100]}:{address}"


def signin_blocked(*, username: str, address: str) -> bool:
    return cache.get(_key(username, address), 0) >= settings.LOGIN_MAX_ATTEMPTS


def signin_failed(*, username: str, address: str) -> None:
    key = _key(username, address)
    if cache.add(key, 1, settings.LOGIN_WINDOW_SECONDS):
        return
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, settings.LOGIN_WINDOW_SECONDS)


def signin_succeeded(*, username: str, address: str) -> None:
    cache.delete(_key(username, address))


def token_issue(*, actor, name: str) -> tuple[ApiToken, str]:
    return ApiToken.issue(user=actor, name=name or "API")
