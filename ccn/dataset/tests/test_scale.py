"""`generate_dataset --scale` and the bulk paths: the same seed stores the same rows on SQLite (bulk inserts) and on
PostgreSQL (COPY), down to the figures of every report."""

import datetime
import hashlib
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.db.models import F

from ccn.clusters.models import Cluster, ClusterEvent, Organisation
from ccn.core import bulk
from ccn.dataset import Sizes
from ccn.dataset.management.commands.generate_dataset import scaled
from ccn.obstacles.models import Obstacle
from ccn.plans.models import PlanItem, Target
from ccn.reports.models import Report, Revision
from ccn.tenants.models import TenantProject

pytestmark = pytest.mark.django_db

# The digest of the small dataset below; the same on both databases. It changes only when the generator does
# (then the new value is the one both databases print).
DIGEST = "5108f003976c3e0a4c272a50e7e930183437a749ac53e6d4f2789e449c3aa833"


def _norm(v):
    if isinstance(v, Decimal):
        return str(v.normalize())
    if hasattr(v, "timestamp"):
        return int(v.timestamp())
    return v


def _digest() -> tuple[dict, str]:
    tables = {
        "clusters": Cluster.objects.filter(code__startswith="SYN-").values_list(
            "code", "province__code", "status", "area_planned_ha", "industrial_land_ha", "ready_land_ha"
        ),
        "events": ClusterEvent.objects.values_list("cluster__code", "effective_on", "to_status", "action").order_by(
            "cluster__code", "effective_on", "to_status"
        ),
        "projects": TenantProject.objects.values_list(
            "name", "cluster__code", "enterprise__name", "capital", "land_leased_ha", "lease_start", "status", "workers"
        ).order_by("name"),
        "reports": Report.objects.values_list(
            "form", "period__year", "period__kind", "cluster__code", "project__name", "status", "current__number"
        ).order_by("form", "period__year", "period__kind", "cluster__code", "project__name"),
        "revisions": Revision.objects.values_list(
            "form", "period__year", "period__kind", "cluster__code", "report__project__name", "is_final",
            "submitted_at", "accepted_at", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v12", "v13", "v14",
        ).order_by("form", "period__year", "period__kind", "cluster__code", "report__project__name"),
    }  # fmt: skip
    h = hashlib.sha256()
    counts = {}
    for name, qs in tables.items():
        rows = [tuple(_norm(v) for v in row) for row in qs]
        counts[name] = len(rows)
        h.update(repr((name, rows)).encode())
    counts.update(
        enterprises=Organisation.objects.filter(name__startswith="Công ty TNHH Sản xuất SYN-").count(),
        obstacles=Obstacle.objects.count(),
        plan_items=PlanItem.objects.count(),
        targets=Target.objects.count(),
    )
    return counts, h.hexdigest()


def test_same_seed_same_rows_on_either_database():
    out = StringIO()
    call_command("generate_dataset", clusters=20, tenant_projects=100, years=1, obstacles=10, seed=11, stdout=out)
    assert "20 clusters, 100 tenant projects, 1 years, 10 obstacles" in out.getvalue()
    counts, digest = _digest()
    projects = counts["projects"]
    assert counts["clusters"] == 20 and 0 < projects <= 100
    assert counts["reports"] == counts["revisions"] == 2 * (projects + 20)
    # Every report points at its own revision, whichever path stored them.
    assert not Report.objects.filter(current__isnull=True).exists()
    assert Report.objects.filter(current__report_id=F("pk")).count() == counts["reports"]
    assert digest == DIGEST


def test_scale_multiplies_the_default_sizes_and_explicit_sizes_win():
    none = {"clusters": None, "tenant_projects": None, "years": 10, "obstacles": None}
    assert scaled(1, none) == Sizes()
    assert scaled(10, none) == Sizes(clusters=20000, tenant_projects=400000, years=10, obstacles=50000)
    assert scaled(0.5, {**none, "clusters": 30, "years": 2}) == Sizes(
        clusters=30, tenant_projects=20000, years=2, obstacles=2500
    )
    with pytest.raises(CommandError, match="--scale"):
        call_command("generate_dataset", scale=0, stdout=StringIO())
    assert not Cluster.objects.filter(code__startswith="SYN-").exists()


def _schema(*models):
    """Every index and constraint of the models' tables with what it covers (names and definitions)."""
    with connection.cursor() as cursor:
        return {
            (m._meta.db_table, name, tuple(c["columns"]), c["unique"], c["foreign_key"], c["index"])
            for m in models
            for name, c in connection.introspection.get_constraints(cursor, m._meta.db_table).items()
        }


def test_loading_sets_indexes_and_foreign_keys_aside_and_restores_them_even_on_failure():
    tables = (ClusterEvent, TenantProject, Report, Revision)
    before = _schema(*tables)
    assert any(fk for *_, fk, _index in before)
    with bulk.loading(*tables):
        during = _schema(*tables)
        if bulk.copy_path():
            # only the primary keys and check constraints are left while the rows are loaded
            assert not any(fk or (index and not name.endswith("_pkey")) for _t, name, _c, _u, fk, index in during)
    assert _schema(*tables) == before
    with pytest.raises(RuntimeError), bulk.loading(*tables):
        raise RuntimeError("the load failed")
    assert _schema(*tables) == before
    # A row pointing nowhere is refused once the load is over: the foreign keys are back and checked (on
    # PostgreSQL when they are added again, on SQLite by its foreign-key check).
    with pytest.raises(IntegrityError), transaction.atomic():
        with bulk.loading(ClusterEvent):
            ClusterEvent.objects.bulk_create(
                [ClusterEvent(cluster_id=987654, to_status="planned", effective_on=datetime.date(2026, 1, 1))]
            )
        connection.check_constraints(table_names=[ClusterEvent._meta.db_table])


def test_postgresql_connections_run_without_jit():
    # On PostgreSQL JIT compiling cost more than running the national aggregates once their estimated cost grew
    # (docs/benchmarks.md, "Ten times the nation"); SQLite has no JIT and its driver takes no such option.
    if connection.vendor != "postgresql":
        assert "options" not in connection.settings_dict["OPTIONS"]
        return
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
