"""Each list endpoint documents the query parameters of its FilterSet (one filter declaration per list,
docs/decisions/0008-filters.md): a filter added to a FilterSet reaches the OpenAPI document without a second edit."""

import pytest

from ccn.clusters.filters import ClusterFilterSet, OrganisationFilterSet
from ccn.infrastructure.filters import AlertFilterSet
from ccn.obstacles.filters import ObstacleFilterSet
from ccn.plans.filters import PlanFilterSet
from ccn.portal.filters import LeadFilterSet, PortalSearchFilterSet
from ccn.procedures.filters import DossierFilterSet, FacilityFilterSet
from ccn.reports.filters import ReportFilterSet
from ccn.tenants.filters import TenantFilterSet
from config.api import api

LISTS = [
    ("/api/v1/clusters", ClusterFilterSet, ["sort", "limit", "offset"]),
    ("/api/v1/organisations", OrganisationFilterSet, ["limit", "offset"]),
    ("/api/v1/tenants/projects", TenantFilterSet, ["sort", "limit", "offset"]),
    ("/api/v1/obstacles", ObstacleFilterSet, ["limit", "offset"]),
    ("/api/v1/procedures/dossiers", DossierFilterSet, ["limit", "offset"]),
    ("/api/v1/procedures/relocations", FacilityFilterSet, []),
    ("/api/v1/infrastructure/alerts", AlertFilterSet, ["limit", "offset"]),
    ("/api/v1/plans/", PlanFilterSet, ["limit", "offset"]),
    ("/api/v1/portal/leads", LeadFilterSet, ["limit", "offset"]),
    ("/api/v1/portal/clusters", PortalSearchFilterSet, ["limit", "offset"]),
    ("/api/v1/reports/reports", ReportFilterSet, ["limit", "offset"]),
]


@pytest.mark.parametrize("path,filterset,extra", LISTS, ids=[p for p, _f, _e in LISTS])
def test_list_endpoint_documents_its_filterset(path, filterset, extra):
    document = api.get_openapi_schema()
    parameters = [p["name"] for p in document["paths"][path]["get"]["parameters"] if p["in"] == "query"]
    assert parameters == [*filterset.base_filters, *extra]
