"""Scope rules of a cluster's infrastructure (ccn.accounts.policy): read like the cluster (the public sees those
of published clusters, on the portal's profile); kept by the province's officers and the cluster's own
infrastructure investor."""

from django.db.models import Q

from ccn.accounts.choices import Role
from ccn.accounts.policy import ADD, CHANGE, PROVINCE_OFFICERS, SIGNED_IN, VIEW, Rule
from ccn.clusters.policy import of_cluster

from .models import InfrastructureComponent, WastewaterPlant, WastewaterResult

KEEPERS = (*PROVINCE_OFFICERS, Role.INVESTOR)

RULES = [
    of_cluster(model, public=Q(cluster__is_published=True), writers=KEEPERS)
    for model in (InfrastructureComponent, WastewaterPlant)
]
RULES.append(  # a plant's dated results: read and kept like the plant (reached through it)
    Rule(
        WastewaterResult,
        actions={VIEW: SIGNED_IN, ADD: KEEPERS, CHANGE: KEEPERS},
        province=("plant__cluster__province",),
        commune=("plant__cluster__communes",),
        investor=("plant__cluster__investor",),
        tenant=("plant__cluster__tenant_projects__enterprise",),
        public=Q(plant__cluster__is_published=True),
    )
)
