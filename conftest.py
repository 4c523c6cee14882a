"""Test set-up shared by every app: administrative units loaded once per test database, fixtures in
ccn/core/testing.py."""

import os

os.environ.setdefault("CCN_TESTING", "1")
os.environ.setdefault("CCN_FAST_HASHER", "1")

import pytest  # noqa: E402
from django.core.management import call_command  # noqa: E402

pytest_plugins = ["ccn.core.testing"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_admin_units", verbosity=0)
        call_command("createcachetable", verbosity=0)
