"""The shared cache when Redis is down: every operation answered by the database cache, logged once, Redis asked
again after the pause; with Redis up, Redis answers. Real Redis at 127.0.0.1:6379 and a closed port."""

import logging

import pytest
import redis

from ccn.core import cache as fallback_cache
from ccn.core.cache import FallbackCache
from ccn.core.throttle import claim

pytestmark = pytest.mark.django_db(transaction=True)
DATABASE = {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "ccn_cache"}


def _cache(url: str) -> FallbackCache:
    primary = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": "ccn-test-fallback",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
    return FallbackCache("", {"OPTIONS": {"PRIMARY": primary, "FALLBACK": DATABASE}})


def test_a_redis_that_does_not_answer_falls_back_to_the_database(caplog, monkeypatch):
    cache = _cache("redis://127.0.0.1:1/0")  # nothing listens there
    with caplog.at_level(logging.ERROR, logger="ccn.cache"):
        assert cache.add("k", 1, timeout=60) is True
        assert cache.get("k") == 1 and cache.get_many(["k", "x"]) == {"k": 1}
        cache.set("n", 5)
        assert cache.incr("n") == 6
    assert cache.using_fallback()
    assert sum("Redis cache unavailable" in r.message for r in caplog.records) == 1  # logged once
    # The rows are in the database cache itself.
    assert fallback_cache._build(DATABASE).get("k") == 1
    # After the pause Redis is asked again (and, still down, the database answers again).
    monkeypatch.setattr(fallback_cache, "RETRY_AFTER", 0)
    cache._down_until = 0.1
    assert cache.get("k") == 1


def test_a_redis_that_answers_holds_the_values():
    try:
        redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.fail("Redis is expected at 127.0.0.1:6379 (CI starts it)")
    cache = _cache("redis://127.0.0.1:6379/0")
    cache.delete("only-in-redis")
    cache.set("only-in-redis", "redis", timeout=30)
    assert cache.get("only-in-redis") == "redis" and not cache.using_fallback()
    assert fallback_cache._build(DATABASE).get("only-in-redis") is None  # not written to the database
    cache.delete("only-in-redis")


def test_sign_in_limits_keep_counting_while_redis_is_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "ccn.core.cache.FallbackCache",
            "OPTIONS": {
                "PRIMARY": {
                    "BACKEND": "django.core.cache.backends.redis.RedisCache",
                    "LOCATION": "redis://127.0.0.1:1/0",
                },
                "FALLBACK": DATABASE,
            },
        }
    }
    assert [claim("test-down", "someone", limit=2, window=60) for _ in range(3)] == [True, True, False]
