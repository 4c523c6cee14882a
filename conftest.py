"""Test set-up shared by every app: administrative units loaded once per test database, fixtures in
ccn/core/testing.py."""

import os

import pytest
from django.core.management import call_command

pytest_plugins = ["ccn.core.testing", "ccn.clusters.tests.factories"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_admin_units", verbosity=0)
        call_command("createcachetable", verbosity=0)


@pytest.fixture(autouse=True)
def _reference_data(request):
    """A transactional test ends by emptying every table (Django's flush), the administrative units loaded for the
    test database too: a transactional test that runs after another in the same process gets them back first."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    request.getfixturevalue("transactional_db")
    from ccn.geo.models import Province

    if not Province.objects.exists():
        call_command("load_admin_units", verbosity=0)


@pytest.fixture(autouse=True)
def _default_language(settings):
    """Each test starts in the site's default language: a request of an earlier test that switched to English
    leaves the thread's language active, and messages built outside a request would follow it."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """The tests of a module that starts an app server run on one xdist worker, one after the other (`make test`
    runs `--dist loadgroup`, which schedules the largest groups first): split over both workers, or with other
    tests between them, the module's server would be started more than once.

    The two-instance exchange test puts its national instance on PostgreSQL: it runs in the suite's PostgreSQL
    pass (always in CI) and is left out of the SQLite pass, which would only repeat it."""
    for item in items:
        if "app_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group(item.module.__name__))
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return
    kept = [item for item in items if "two_instances" not in item.keywords]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[item for item in items if "two_instances" in item.keywords])
        items[:] = kept


@pytest.fixture(autouse=True)
def _queries_compiled_afresh():
    """Each test compiles the queries kept per process afresh (ccn/core/compiled.py): a kept query has constants of
    the database written in (a content type's id), and a transactional test's flush recreates those rows."""
    from ccn.core import compiled

    compiled.clear()
