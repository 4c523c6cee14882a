"""The infrastructure and wastewater panel of a cluster's page (signed-in users only: capital and compliance
are not published)."""

from .selectors import cluster_infrastructure
from .services import can_edit_infrastructure

# The models whose scope rules decide what the panel shows (the cached cluster page is keyed by them).
SCOPE_MODELS = ("infrastructure.InfrastructureComponent", "infrastructure.WastewaterPlant")


def cluster_panels(request, cluster) -> list[tuple[str, dict]]:
    if not request.user.is_authenticated:
        return []
    info = cluster_infrastructure(cluster)
    info["cluster"] = cluster
    info["can_edit"] = can_edit_infrastructure(request.user, cluster)
    return [("infrastructure/_panel.html", info)]
