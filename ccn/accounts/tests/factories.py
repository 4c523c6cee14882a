"""Test factories of accounts: users of a role made through the real model manager."""

import uuid

from ccn.accounts.models import User

PASSWORD = "test-password-123"


def make_user(username=None, *, role, province=None, communes=(), organisation=None, superuser=False):
    user = User.objects.create_user(
        username=username or f"{role}-{uuid.uuid4().hex[:6]}",
        password=PASSWORD,
        role=role,
        province=province,
        organisation=organisation,
        is_superuser=superuser,
        is_staff=superuser,
    )
    if communes:
        user.communes.set(communes)
    return user
