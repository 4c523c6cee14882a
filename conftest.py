"""Test set-up shared by every app: administrative units loaded once per test database, fixtures in
ccn/core/testing.py."""

import pytest
from django.core.management import call_command

pytest_plugins = ["ccn.core.testing", "ccn.clusters.tests.factories"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_admin_units", verbosity=0)
        call_command("createcachetable", verbosity=0)
