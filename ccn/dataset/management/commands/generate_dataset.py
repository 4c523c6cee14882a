"""Generates the synthetic national dataset (labelled synthetic) over the real administrative units."""

import importlib
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from ccn.clusters.models import Cluster, ClusterEvent
from ccn.core import bulk
from ccn.dataset import PARTS, SYNTHETIC_PREFIX, Context, Sizes
from ccn.reports.models import Report, Revision
from ccn.tenants.models import TenantProject


def scaled(scale: float, given: dict) -> Sizes:
    """The default sizes times `scale` (years are not scaled), each one given explicitly instead."""
    default = Sizes()
    sizes = {
        name: round(getattr(default, name) * scale) if name != "years" else default.years
        for name in ("clusters", "tenant_projects", "years", "obstacles")
    }
    sizes.update({name: value for name, value in given.items() if name in sizes and value is not None})
    return Sizes(**sizes)


class Command(BaseCommand):
    help = "Generate the synthetic national dataset: ~2,000 clusters, 40,000 tenant projects, ten years of reports."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--scale",
            type=float,
            default=1,
            help="multiply the default clusters, tenant projects and obstacles (10: ten times the nation); "
            "sizes given explicitly win",
        )
        parser.add_argument("--clusters", type=int, help=f"default {Sizes.clusters:,} × scale")
        parser.add_argument("--tenant-projects", type=int, help=f"default {Sizes.tenant_projects:,} × scale")
        parser.add_argument("--years", type=int, default=Sizes.years, help="years of reports (not scaled)")
        parser.add_argument("--obstacles", type=int, help=f"default {Sizes.obstacles:,} × scale")
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing when a synthetic dataset is loaded (make run)"
        )

    def handle(self, *args, **o):
        if Cluster.objects.filter(code__startswith=SYNTHETIC_PREFIX).exists():
            if o["if_empty"]:
                self.stdout.write("The synthetic dataset is already loaded.")
                return
            raise CommandError("The synthetic dataset is already loaded (clusters coded SYN-…); use a fresh database.")
        if o["scale"] <= 0:
            raise CommandError("--scale must be a positive number.")
        ctx = Context(seed=o["seed"], sizes=scaled(o["scale"], o))
        self.stdout.write(
            f"{ctx.sizes.clusters:,} clusters, {ctx.sizes.tenant_projects:,} tenant projects, "
            f"{ctx.sizes.years} years, {ctx.sizes.obstacles:,} obstacles"
        )
        started = time.monotonic()
        # The big tables' indexes and foreign keys are built once after the load (PostgreSQL), in its transaction.
        with bulk.loading(ClusterEvent, TenantProject, Report, Revision):
            for part in PARTS:
                t0 = time.monotonic()
                importlib.import_module(part).generate(ctx)
                self.stdout.write(f"{part.rsplit('.', 1)[-1]}: {time.monotonic() - t0:.1f} s")
            t0 = time.monotonic()
        self.stdout.write(f"indexes and foreign keys: {time.monotonic() - t0:.1f} s")
        t0 = time.monotonic()
        # Fresh planner statistics: without them SQLite picks poor plans on the new tables.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(f"ANALYZE: {time.monotonic() - t0:.1f} s")
        self.stdout.write(f"dataset generated in {time.monotonic() - started:.1f} s (seed {o['seed']})")
