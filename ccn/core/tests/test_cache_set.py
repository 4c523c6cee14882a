"""The database cache's set (ccn/core/cache.py): one statement that inserts or replaces the key's row, Django's
count-and-cull every CULL_EVERY-th set, and a set that fails (a missing table) neither raises nor aborts the
transaction it runs in."""

import pytest
from django.core.cache import caches
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from ccn.clusters.models import Cluster
from ccn.core.cache import CULL_EVERY, DatabaseCache

pytestmark = pytest.mark.django_db


def test_a_set_is_one_statement_and_replaces_the_keys_value():
    cache = caches["pages"]
    assert isinstance(cache, DatabaseCache)
    cache._sets = 1
    with CaptureQueriesContext(connection) as queries:
        cache.set("set-test", {"n": 1}, 60)
    # one statement (the test runs in a transaction, where a savepoint guards it)
    statements = [q["sql"] for q in queries if "SAVEPOINT" not in q["sql"]]
    assert len(statements) == 1 and statements[0].startswith("INSERT"), statements
    cache.set("set-test", {"n": 2}, 60)
    cache.set("set-test-forever", "kept", None)
    assert cache.get("set-test") == {"n": 2} and cache.get("set-test-forever") == "kept"
    cache.set("set-test-gone", "x", -1)
    assert cache.get("set-test-gone") is None  # expired at once, as Django's


def test_every_so_often_a_set_counts_and_culls_the_table(settings):
    settings.CACHES = {**settings.CACHES, "pages": {**settings.CACHES["pages"], "OPTIONS": {"MAX_ENTRIES": 10}}}
    cache = caches["pages"]
    for i in range(CULL_EVERY * 2):
        cache.set(f"cull-test-{i:04d}", i, 60)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM ccn_page_cache")
        (rows,) = cursor.fetchone()
    assert rows < CULL_EVERY * 2  # culled on the way, not left to grow


def test_a_set_that_fails_leaves_the_transaction_usable():
    broken = DatabaseCache("no_such_cache_table", {})
    with transaction.atomic():
        broken.set("k", "v", 60)  # the table is missing: a miss later, never an error
        assert Cluster.objects.count() >= 0  # the transaction was not aborted
    broken.set("k", "v", 60)  # outside a transaction too
