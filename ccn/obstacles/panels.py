"""The panel the obstacles app adds to a cluster's page: what blocks the cluster. Obstacles are never public, so
the panel shows only to signed-in users who may see the cluster's obstacles."""

from django.utils import timezone

from . import access, selectors

# The models whose scope rules decide what the panel shows (the cached cluster page is keyed by them).
SCOPE_MODELS = ("obstacles.Obstacle",)


def cluster_panels(request, cluster) -> list[tuple[str, dict]]:
    user = request.user
    if not user.is_authenticated or not access.can_see_obstacles(user):
        return []
    blockers = selectors.cluster_blockers(user=user, cluster=cluster)
    can_raise = access.can_raise(user, cluster)
    if not blockers and not can_raise:
        return []
    return [
        (
            "obstacles/_cluster_panel.html",
            {"cluster": cluster, "blockers": blockers, "can_raise": can_raise, "today": timezone.localdate()},
        )
    ]
