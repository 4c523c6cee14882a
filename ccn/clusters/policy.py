"""Scope rules of the registry (ccn.accounts.policy): how clusters, their documents and organisations reach a
province, commune, investor and tenant, and who may do what there."""

from django.db.models import Q

from ccn.accounts.choices import Role
from ccn.accounts.policy import ADD, CHANGE, PROVINCE, PROVINCE_OFFICERS, SIGNED_IN, VIEW, Rule

from .models import Cluster, ClusterEvent, ClusterFigure, LegalDocument, LegalRule, Organisation, Sector, Sector2025

TRANSITION = "transition"

# What anyone may read of a published cluster: its own fields, and the figures and names derived from it. The one
# list every public surface uses — the cluster's page, the portal, the API, the map and open-data downloads, the
# OGC API and the sitemap — and that tests/test_public_fields.py compares each of them against.
PUBLIC_FIELDS = (
    "code",
    "name",
    "name_en",
    "kind",
    "mountainous_area",
    "status",
    "status_since",
    "area_planned_ha",
    "area_established_ha",
    "industrial_land_ha",
    "ready_land_ha",
    "land_confirmed_on",
    "lat",
    "lon",
    "is_sample",
)
PUBLIC_DERIVED = ("province_code", "province_name", "investor_name", "leased_land_ha", "occupancy_pct")
# Only for signed-in users within their scope: never on a public surface.
SCOPED_FIELDS = (
    "funding_source",
    "infra_capital_approved_bn",
    "infra_capital_disbursed_bn",
    "investor_id",
    "is_published",
    "internal_notes",
    "coordinate_source",
    "version",
    "updated_at",
)

CLUSTER = Rule(
    Cluster,
    actions={VIEW: SIGNED_IN, ADD: PROVINCE_OFFICERS, CHANGE: PROVINCE_OFFICERS, TRANSITION: PROVINCE_OFFICERS},
    province=("province",),
    commune=("communes",),
    investor=("investor",),
    tenant=("tenant_projects__enterprise",),
    public=Q(is_published=True),
)


def of_cluster(model, public=None, writers=PROVINCE_OFFICERS, **extra) -> Rule:
    """A row that belongs to one cluster: the cluster's reach; `writers` (the province's officers by default)
    add and change it within their reach."""
    return Rule(
        model,
        actions={VIEW: SIGNED_IN, ADD: writers, CHANGE: writers},
        province=("cluster__province",),
        commune=("cluster__communes",),
        investor=("cluster__investor",),
        tenant=("cluster__tenant_projects__enterprise",),
        public=public,
        **extra,
    )


# An organisation belongs to the provinces where it invests (clusters), operates (tenant projects) or that
# entered it; officers of those provinces read and edit it, commune officers included (by their province);
# an investor or tenant user reads and edits its own organisation only.
ORGANISATION_WRITERS = (*PROVINCE_OFFICERS, Role.COMMUNE_OFFICER, Role.INVESTOR, Role.TENANT)
ORGANISATION = Rule(
    Organisation,
    actions={VIEW: SIGNED_IN, ADD: ORGANISATION_WRITERS, CHANGE: ORGANISATION_WRITERS},
    province=("created_in", "invested_clusters__province", "tenant_projects__cluster__province"),
    investor=("pk",),
    tenant=("pk",),
    reach_of={Role.COMMUNE_OFFICER: PROVINCE},
)

RULES = [
    CLUSTER,
    ORGANISATION,
    of_cluster(LegalDocument, public=Q(is_public=True, cluster__is_published=True)),
    of_cluster(ClusterEvent),
    of_cluster(ClusterFigure),
]
REFERENCE = [Sector, Sector2025, LegalRule]

# A legal document's signed scan and its annexes go to the attachment store (ccn/attachments): whoever may edit the
# cluster's documents may attach them.
ATTACHABLE = {LegalDocument: (CHANGE,)}
