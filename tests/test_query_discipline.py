"""Query discipline: every list page, API list and export of the merged apps makes a fixed number of queries, the
same with N rows as with 3N (no N+1), under a ceiling. The rows come from the synthetic dataset generator (clusters
in every state, investors, tenant projects, infrastructure, plants, plans and targets) plus portal inquiries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ccn.accounts.choices import Role
from ccn.accounts.tests.factories import make_user
from ccn.clusters.models import Cluster
from ccn.dataset import Context, Sizes, obstacles, plans, registry, reports

pytestmark = pytest.mark.django_db

# Exports are counted against the export limit (ccn/core/throttle.py) in the shared cache: the database cache here
# (read, write and its expiry sweep), none with Redis. A fixed cost per request, never per row.
EXPORT_LIMIT = 4

# (url, ceiling): the ceiling is the count measured on this code plus a small margin for session/user look-ups.
ENDPOINTS = [
    ("/clusters/", 10),
    ("/clusters/?status=operating&sort=-area", 10),
    ("/clusters/organisations/", 8),
    ("/api/v1/clusters?limit=50", 6),
    ("/api/v1/clusters?status=operating&min_occupancy=10", 6),
    ("/api/v1/organisations?limit=50", 6),
    ("/geo/map/clusters.geojson", 5),
    ("/geo/clusters.csv", 6 + EXPORT_LIMIT),
    ("/geo/clusters.xlsx", 6 + EXPORT_LIMIT),
    ("/geo/clusters.geojson", 6 + EXPORT_LIMIT),
    ("/ogc/collections/clusters/items?f=json&limit=10", 6),
    ("/ogc/collections/clusters/items?f=html&limit=10", 8),
    ("/ogc/collections/clusters/items?f=json&bbox=102,8,110,24", 6),
    ("/tenants/", 10),
    ("/tenants/export.csv", 6 + EXPORT_LIMIT),
    ("/tenants/clusters-export.csv", 6 + EXPORT_LIMIT),
    ("/api/v1/tenants/projects?limit=50", 6),
    ("/infrastructure/alerts/", 10),
    ("/api/v1/infrastructure/alerts?limit=50", 6),
    ("/plans/", 8),
    ("/api/v1/plans/?limit=50", 6),
    ("/plans/dashboard/", 30),
    ("/portal/", 8),
    ("/portal/clusters.csv", 5 + EXPORT_LIMIT),
    ("/portal/sitemap.xml", 5),
    ("/api/v1/portal/clusters?limit=50", 5),
    ("/portal/leads/", 8),
    ("/api/v1/portal/leads?limit=50", 6),
    ("/obstacles/", 10),
    ("/obstacles/agencies/", 8),
    ("/obstacles/overview/", 12),
    ("/api/v1/obstacles?limit=50", 6),
    ("/api/v1/obstacles/agencies", 5),
    ("/reports/", 12),
    ("/api/v1/reports/reports?limit=50", 6),
    ("/api/v1/reports/reports?form=01&limit=50", 6),
    ("/reports/completeness/?period={period}", 12),
    ("/api/v1/reports/completeness?period_id={period}", 8),
    ("/api/v1/reports/national?period_id={period}", 8),
    ("/reports/national/?period={period}", 10),
]


# Target progress reads the built-in indicators of every target at once (ccn/plans/facts.py): these pages cost a
# fixed number of queries whatever the targets, and must not grow with clusters or tenants
# (tests/test_aggregate_queries.py grows the provinces and targets).
TARGET_ENDPOINTS = [("/plans/dashboard/?province=01", 30, 0), ("/plans/dashboard/targets/", 20, 0)]


def _grow(batch: str, clusters: int, seed: int, with_plans: bool = True) -> None:
    """Adds a batch of synthetic rows: clusters with their tenants, infrastructure, plans, targets and leads."""
    from ccn.portal.models import Lead

    ctx = Context(
        seed=seed,
        sizes=Sizes(clusters=clusters, tenant_projects=clusters * 8, years=1, obstacles=clusters * 3),
        batch=batch,
    )
    registry.generate(ctx)
    if with_plans:
        plans.generate(ctx)
        obstacles.generate(ctx)
        reports.generate(ctx)
    made = ctx.made["clusters"]
    Lead.objects.bulk_create(
        Lead(
            reference=f"L{batch}{i:05d}",
            cluster_id=c.pk,
            investor_id=c.investor_id,
            province_id=c.province_id,
            company=f"Công ty {i}",
            contact_name="Người liên hệ",
            email=f"lead{i}@example.com",
        )
        for i, c in enumerate(made)
    )


def _url(url: str) -> str:
    from ccn.reports.models import Period

    if "{period}" in url:
        url = url.replace("{period}", str(Period.objects.get(kind="annual", year=2016).pk))
    return url


def _get(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    return response


def _queries(client, url: str) -> int:
    """The queries of one request, as every later request makes them: asked once before, so that what a process
    does once (a query compiled once per day, ccn/core/compiled.py) is not counted in one run and not in another."""
    _get(client, url)
    with CaptureQueriesContext(connection) as queries:
        _get(client, url)
    return len(queries)


def _counts(client) -> dict[str, int]:
    return {url: _queries(client, _url(url)) for url, _ceiling in ENDPOINTS}


def test_no_list_grows_with_its_rows(client):
    admin = make_user("qd.admin", role=Role.ADMIN, superuser=True)
    client.force_login(admin)
    _grow("A", 20, 1)
    small = _counts(client)
    # Three times the rows: 40 more clusters (so pages of 50 are full), their tenants, plans, targets and leads.
    _grow("B", 40, 2)
    assert Cluster.objects.count() >= 60
    large = _counts(client)
    grown = {url: (small[url], large[url]) for url in small if large[url] != small[url]}
    assert not grown, f"query counts grew with the rows (N, 3N): {grown}"
    over = {url: (large[url], ceiling) for url, ceiling in ENDPOINTS if large[url] > ceiling}
    assert not over, f"over the ceiling (count, ceiling): {over}"


def test_target_progress_costs_per_target_not_per_cluster(client):
    from ccn.geo.models import Province
    from ccn.plans.models import Target

    client.force_login(make_user("qd.admin", role=Role.ADMIN, superuser=True))
    _grow("A", 20, 5)
    hni = Province.objects.get(code="01")
    targets = {
        "/plans/dashboard/?province=01": Target.objects.filter(plan__province=hni).count(),
        "/plans/dashboard/targets/": Target.objects.count(),
    }
    before = {}
    for url, base, per_target in TARGET_ENDPOINTS:
        before[url] = _queries(client, url)
        assert targets[url] > 0
        assert before[url] <= base + per_target * targets[url], (url, before[url], targets[url])
    # Twice as many clusters and tenants more, no new targets: the same queries.
    _grow("B", 40, 6, with_plans=False)
    for url, _base, _per in TARGET_ENDPOINTS:
        assert _queries(client, url) == before[url], (url, before[url])


def test_public_lists_also_flat(client):
    """Anonymous visitors see the published subset through other code paths (public fields, no session)."""
    _grow("A", 20, 3)
    public = [
        "/clusters/",
        "/api/v1/clusters?limit=50",
        "/geo/map/clusters.geojson",
        "/ogc/collections/clusters/items?f=json",
        "/portal/",
    ]
    before = {}
    for url in public:
        with CaptureQueriesContext(connection) as q:
            assert client.get(url).status_code == 200
        before[url] = len(q)
    _grow("B", 40, 4)
    for url in public:
        with CaptureQueriesContext(connection) as q:
            assert client.get(url).status_code == 200
        assert len(q) == before[url], url
        assert len(q) <= 6, (url, len(q))
