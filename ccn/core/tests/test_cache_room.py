"""The database cache (the shared cache without Redis, and Redis's fallback) has room for what the pages keep: when
full, Django culls a third of it in key order, and the data version's key sorts among the first: it was dropped,
and with it every kept page of every scope (a new version, so nothing stale, but everything built again)."""

import pytest

from ccn.core import dataversion, pagecache

pytestmark = pytest.mark.django_db


def test_many_kept_pages_leave_the_data_version_and_each_other_in_place(settings):
    settings.PAGE_CACHE = True
    version = dataversion.current()
    for i in range(400):  # page bodies of one data version: many scopes, clusters and queries
        pagecache.put(f"fragment:{i:040d}", ("<p>kept</p>", {}))
    assert dataversion.current() == version
    assert pagecache.get(f"fragment:{0:040d}") == ("<p>kept</p>", {})
