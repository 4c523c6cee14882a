"""What a user may see and write: the single place where roles meet scope."""

from __future__ import annotations

from .choices import PROVINCE_ROLES, Role


def role_of(user) -> str | None:
    """The user's effective role; None for the public (anonymous)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return Role.ADMIN if user.is_superuser else user.role


def can_edit_province(user, province_id) -> bool:
    role = role_of(user)
    if role == Role.ADMIN:
        return True
    return role in PROVINCE_ROLES and user.province_id == province_id


def can_create_cluster(user) -> bool:
    return role_of(user) in (Role.ADMIN, *PROVINCE_ROLES)


def editable_province_ids(user):
    """None means every province."""
    role = role_of(user)
    if role == Role.ADMIN:
        return None
    if role in PROVINCE_ROLES:
        return [user.province_id]
    return []
