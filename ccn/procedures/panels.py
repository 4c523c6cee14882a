"""Sections the procedures app adds to a cluster's page: its dossiers and the facilities to relocate into it."""

from ccn.clusters.choices import OPERATING_STATES

from .selectors import can_see_procedures, cluster_dossiers, cluster_relocation_counts

# The models whose scope rules decide what the panel shows (the cached cluster page is keyed by them).
SCOPE_MODELS = ("procedures.Dossier",)


def cluster_panels(request, cluster) -> list[tuple[str, dict]]:
    user = request.user
    if not user.is_authenticated or not can_see_procedures(user):
        return []  # procedures are internal: the public and investors see nothing of them
    dossiers = cluster_dossiers(user=user, cluster=cluster)
    return [
        (
            "procedures/panel_cluster.html",
            {
                "cluster": cluster,
                "dossiers": dossiers,
                "relocation": cluster_relocation_counts(cluster),
                "operating": cluster.status in OPERATING_STATES,
            },
        )
    ]
