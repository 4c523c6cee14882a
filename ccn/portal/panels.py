"""The portal's section on a cluster's page: its published profile link and, for those who keep it, the offer
and the inquiries received."""

from ccn.core.compiled import compiled_list

from .models import ClusterOffer
from .selectors import can_manage_cluster, lead_list, public_clusters

# The models whose scope rules decide what the panel shows (the cached cluster page is keyed by them).
SCOPE_MODELS = ("portal.ClusterOffer", "portal.Lead")


def cluster_panels(request, cluster) -> list[tuple[str, dict]]:
    on_portal = bool(
        compiled_list(("on-portal",), cluster.pk, lambda pk: public_clusters().filter(pk=pk).values_list("pk")[:1])
    )
    manage = can_manage_cluster(request.user, cluster)
    context = {"cluster": cluster, "on_portal": on_portal, "manage": manage}
    if manage:
        context["offer"] = ClusterOffer.objects.filter(cluster=cluster).first()
        context["open_leads"] = lead_list(user=request.user, filters={"cluster": cluster.code}).count()
    if not on_portal and not manage:
        return []
    return [("portal/panel_cluster.html", context)]
