"""`createcachetable` makes the database table a Redis-backed cache falls back to (ccn/core/cache.py), as it makes
the database cache's own: with REDIS_URL set, Redis down must not meet a missing table."""

import pytest
from django.core.management import call_command
from django.db import connection

pytestmark = pytest.mark.django_db

TABLE = "ccn_cache_fallback_made"


def test_the_fallback_table_of_a_redis_cache_is_created(settings):
    settings.CACHES = {
        **settings.CACHES,
        "made": {
            "BACKEND": "ccn.core.cache.FallbackCache",
            "OPTIONS": {
                "PRIMARY": {
                    "BACKEND": "django.core.cache.backends.redis.RedisCache",
                    "LOCATION": "redis://127.0.0.1:1",
                },
                "FALLBACK": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": TABLE},
            },
        },
    }
    assert TABLE not in connection.introspection.table_names()
    call_command("createcachetable", verbosity=0)
    assert TABLE in connection.introspection.table_names()
