"""The land and tenants panel of a cluster's page: land as a bar and as numbers, and the tenant list."""

from ccn.core.views_helpers import with_urls

from .selectors import can_edit_tenants, cluster_land, cluster_tenants

# The models whose scope rules decide what the panel shows (the cached cluster page is keyed by them).
SCOPE_MODELS = ("tenants.TenantProject",)


def cluster_panels(request, cluster) -> list[tuple[str, dict]]:
    user = request.user
    context = {"cluster": cluster, "land": cluster_land(cluster), "public_view": not user.is_authenticated}
    if user.is_authenticated:
        projects, totals = cluster_tenants(user=user, cluster=cluster)
        context.update(
            {
                "projects": with_urls("tenants:detail", projects),
                "totals": totals,
                "can_edit": can_edit_tenants(user, cluster),
            }
        )
    return [("tenants/_panel.html", context)]
