"""Scope rules of the investor portal (ccn.accounts.policy). A cluster's offer (prices, contact) is public for a
published cluster and kept by the province's officers and the cluster's investor. Leads (inquiries from would-be
tenants) go to the cluster's province and its investor only: neither the ministry nor commune officers read them."""

from django.db.models import Q

from ccn.accounts.choices import Role
from ccn.accounts.policy import CHANGE, PROVINCE_OFFICERS, VIEW, Rule
from ccn.clusters.policy import of_cluster

from .models import ClusterOffer, Lead

HANDLERS = (*PROVINCE_OFFICERS, Role.INVESTOR)


def _lead_rule(model, prefix: str = "") -> Rule:
    return Rule(
        model,
        actions={VIEW: HANDLERS, CHANGE: HANDLERS},
        province=(f"{prefix}province",),
        investor=(f"{prefix}cluster__investor",),
        nationwide=(),
    )


RULES = [
    of_cluster(ClusterOffer, public=Q(cluster__is_published=True), writers=HANDLERS),
    _lead_rule(Lead),
]
