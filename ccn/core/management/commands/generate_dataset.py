"""Generates the synthetic national dataset (labelled synthetic) over the real administrative units."""

import importlib
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from ccn.clusters.models import Cluster
from ccn.core.dataset import PARTS, SYNTHETIC_PREFIX, Context, Sizes


class Command(BaseCommand):
    help = "Generate the synthetic national dataset: ~2,000 clusters, 40,000 tenant projects, ten years of reports."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--clusters", type=int, default=2000)
        parser.add_argument("--tenant-projects", type=int, default=40000)
        parser.add_argument("--years", type=int, default=10)
        parser.add_argument("--obstacles", type=int, default=5000)
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing when a synthetic dataset is loaded (make run)"
        )

    def handle(self, *args, **o):
        if Cluster.objects.filter(code__startswith=SYNTHETIC_PREFIX).exists():
            if o["if_empty"]:
                self.stdout.write("The synthetic dataset is already loaded.")
                return
            raise CommandError("The synthetic dataset is already loaded (clusters coded SYN-…); use a fresh database.")
        ctx = Context(
            seed=o["seed"],
            sizes=Sizes(
                clusters=o["clusters"], tenant_projects=o["tenant_projects"], years=o["years"], obstacles=o["obstacles"]
            ),
        )
        started = time.monotonic()
        for part in PARTS:
            t0 = time.monotonic()
            importlib.import_module(part).generate(ctx)
            self.stdout.write(f"{part.rsplit('.', 1)[-1]}: {time.monotonic() - t0:.1f} s")
        # Fresh planner statistics: without them SQLite picks poor plans on the new tables.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(f"dataset generated in {time.monotonic() - started:.1f} s (seed {o['seed']})")
