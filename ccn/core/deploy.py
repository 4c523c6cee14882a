"""Production refuses to run unsafe: no real secret key (or the repository's development keys) with DEBUG off
stops the app at start-up, and `check --deploy` reports it as an error (docs/production.md, docs/security.md)."""

from __future__ import annotations

import os

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

# Keys written in this repository: anyone can read them, so they sign nothing in production.
DEVELOPMENT_KEY = "dev-insecure-key-for-local-use-only"
PLACEHOLDER_KEY = "ccn-" + "unset-secret-key-" * 3
REPOSITORY_KEYS = frozenset({DEVELOPMENT_KEY, PLACEHOLDER_KEY})
MIN_KEY_LENGTH = 50


def secret_key_problem(key: str) -> str | None:
    """Why `key` cannot sign sessions and tokens in production, or None."""
    if not key:
        return "SECRET_KEY is not set."
    if key in REPOSITORY_KEYS:
        return "SECRET_KEY is a development key written in the repository."
    if len(key) < MIN_KEY_LENGTH or len(set(key)) < 5:
        return f"SECRET_KEY must be at least {MIN_KEY_LENGTH} random characters."
    return None


def _relaxed() -> bool:
    """Development (DEBUG on) and the test suite may run on the development key."""
    return settings.DEBUG or os.environ.get("CCN_TESTING", "").strip().lower() in {"1", "true", "yes", "on"}


def refuse_unsafe_start() -> None:
    """Called by the WSGI and ASGI entry points (so by gunicorn and runserver): stop before serving anything."""
    problem = secret_key_problem(settings.SECRET_KEY)
    if problem and not _relaxed():
        raise ImproperlyConfigured(
            f"{problem} Set SECRET_KEY to a long random value (see docs/production.md) or DEBUG=1 for development."
        )


@checks.register(checks.Tags.security, deploy=True)
def check_secret_key(app_configs=None, **kwargs):
    problem = secret_key_problem(settings.SECRET_KEY)
    if problem:
        return [checks.Error(problem, hint="Set SECRET_KEY to a long random value.", id="ccn.E001")]
    return []
