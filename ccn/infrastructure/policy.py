"""Scope rules of a cluster's infrastructure (ccn.accounts.policy): read like the cluster (the public sees those
of published clusters, on the portal's profile); kept by the province's officers and the cluster's own
infrastructure investor."""

from django.db.models import Q

from ccn.accounts.choices import Role
from ccn.accounts.policy import PROVINCE_OFFICERS
from ccn.clusters.policy import of_cluster

from .models import InfrastructureComponent, WastewaterPlant

KEEPERS = (*PROVINCE_OFFICERS, Role.INVESTOR)

RULES = [
    of_cluster(model, public=Q(cluster__is_published=True), writers=KEEPERS)
    for model in (InfrastructureComponent, WastewaterPlant)
]
