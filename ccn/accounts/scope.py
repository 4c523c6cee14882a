"""The effective role of a user. What a user may see and do comes from the scope policy (ccn/accounts/policy.py)."""

from __future__ import annotations

from .choices import Role


def role_of(user) -> str | None:
    """The user's effective role; None for the public (anonymous)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return Role.ADMIN if user.is_superuser else user.role
