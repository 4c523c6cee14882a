"""The kept pages have a cache of their own (config/settings.py): when the database cache is full, Django culls a
third of its table in key order, and in one shared table the data version's key sorted among the first (every
kept page of every scope dropped at once), beside the rate limits' counters and the idempotency answers. Culling
the pages now leaves all of those in place, and the pages' table has room for a deadline day."""

import pytest
from django.core.cache import caches

from ccn.core import dataversion, pagecache, throttle

pytestmark = pytest.mark.django_db


def test_many_kept_pages_leave_the_data_version_and_each_other_in_place(settings):
    settings.PAGE_CACHE = True
    version = dataversion.current()
    for i in range(400):  # page bodies of one data version: many scopes, clusters and queries
        pagecache.put(f"fragment:{i:040d}", ("<p>kept</p>", {}))
    assert dataversion.current() == version
    assert pagecache.get(f"fragment:{0:040d}") == ("<p>kept</p>", {})


def test_culling_the_pages_never_drops_the_version_or_a_rate_limit(settings):
    settings.PAGE_CACHE = True
    settings.CACHES = {
        **settings.CACHES,
        "pages": {**settings.CACHES["pages"], "OPTIONS": {"MAX_ENTRIES": 20, "CULL_FREQUENCY": 2}},
    }
    version = dataversion.current()
    assert throttle.claim("room-test", "someone", limit=2, window=60)
    for i in range(100):  # far past the pages' room: culled several times
        pagecache.put(f"answer:{i:040d}", ("text/html", b"", '"x"'))
    pages = caches["pages"]
    assert sum(pages.get(f"answer:{i:040d}") is not None for i in range(100)) < 100  # the pages were culled
    assert dataversion.current() == version
    assert [throttle.claim("room-test", "someone", limit=2, window=60) for _ in range(2)] == [True, False]
