"""`createcachetable`, also for the database tables behind the shared caches' way down (ccn/core/cache.py): with
REDIS_URL set each cache is a FallbackCache, which Django's command does not look into, so the tables the caches
fall back to while Redis is down were never made and the first read of a page then failed on a missing table."""

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import BaseDatabaseCache
from django.core.management.commands.createcachetable import Command as DjangoCommand

from ccn.core.cache import FallbackCache


class Command(DjangoCommand):
    def handle(self, *tablenames, **options):
        super().handle(*tablenames, **options)
        if tablenames:
            return
        for alias in settings.CACHES:
            cache = caches[alias]
            if isinstance(cache, FallbackCache) and isinstance(cache.fallback, BaseDatabaseCache):
                self.create_table(options["database"], cache.fallback._table, options["dry_run"])
