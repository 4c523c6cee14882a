"""Choices of the registry: each status carries its translated label and a badge colour."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ClusterStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ESTABLISHED = "established", _("Established")
    DETAILED_PLAN_APPROVED = "detailed_plan_approved", _("Detailed plan approved")
    INFRASTRUCTURE_APPROVED = "infrastructure_approved", _("Infrastructure project approved")
    LAND_CLEARANCE = "land_clearance", _("Land clearance")
    UNDER_CONSTRUCTION = "under_construction", _("Under construction")
    OPERATING = "operating", _("Operating")
    EXPANDING = "expanding", _("Expanding")
    OPERATING_UNESTABLISHED = "operating_unestablished", _("Operating, not established")
    REVOKED = "revoked", _("Establishment revoked")
    REMOVED_FROM_PLAN = "removed_from_plan", _("Removed from plan")


STATUS_COLOURS = {
    ClusterStatus.PLANNED: "grey",
    ClusterStatus.ESTABLISHED: "blue",
    ClusterStatus.DETAILED_PLAN_APPROVED: "indigo",
    ClusterStatus.INFRASTRUCTURE_APPROVED: "purple",
    ClusterStatus.LAND_CLEARANCE: "orange",
    ClusterStatus.UNDER_CONSTRUCTION: "amber",
    ClusterStatus.OPERATING: "green",
    ClusterStatus.EXPANDING: "teal",
    ClusterStatus.OPERATING_UNESTABLISHED: "olive",
    ClusterStatus.REVOKED: "red",
    ClusterStatus.REMOVED_FROM_PLAN: "dark",
}

# The order of the main line of the lifecycle, used for "reached at least this stage" questions.
LIFECYCLE_ORDER = [
    ClusterStatus.PLANNED,
    ClusterStatus.ESTABLISHED,
    ClusterStatus.DETAILED_PLAN_APPROVED,
    ClusterStatus.INFRASTRUCTURE_APPROVED,
    ClusterStatus.LAND_CLEARANCE,
    ClusterStatus.UNDER_CONSTRUCTION,
    ClusterStatus.OPERATING,
]

# Established: every stage of the main line from the establishment decision on, and expanding.
ESTABLISHED_STATES = (*LIFECYCLE_ORDER[LIFECYCLE_ORDER.index(ClusterStatus.ESTABLISHED) :], ClusterStatus.EXPANDING)
OPERATING_STATES = (ClusterStatus.OPERATING, ClusterStatus.EXPANDING, ClusterStatus.OPERATING_UNESTABLISHED)
IN_PLAN_STATES = tuple(s for s in ClusterStatus if s not in (ClusterStatus.REMOVED_FROM_PLAN, ClusterStatus.REVOKED))


class FigureField(models.TextChoices):
    """The cluster figures that change over time and are kept as dated values (ClusterFigure)."""

    AREA_PLANNED = "area_planned_ha", _("area in the plan (ha)")
    AREA_ESTABLISHED = "area_established_ha", _("established area (ha)")
    INDUSTRIAL_LAND = "industrial_land_ha", _("industrial land per the 1/500 plan (ha)")
    READY_LAND = "ready_land_ha", _("industrial land ready to lease (ha)")
    INVESTOR = "investor", _("infrastructure investor")
    FUNDING_SOURCE = "funding_source", _("funding source")


DECIMAL_FIGURES = (
    FigureField.AREA_PLANNED,
    FigureField.AREA_ESTABLISHED,
    FigureField.INDUSTRIAL_LAND,
    FigureField.READY_LAND,
)


class ClusterKind(models.TextChoices):
    ORDINARY = "ordinary", _("Industrial cluster")
    CRAFT_VILLAGE = "craft_village", _("Craft-village cluster")
    SPECIALISED = "specialised", _("Specialised cluster")
    INDUSTRIAL_PARK = "industrial_park", _("Industrial park (KCN)")


class FundingSource(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    STATE_BUDGET = "state_budget", _("State budget")
    MIXED = "mixed", _("Mixed")


class OrganisationKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    COOPERATIVE = "cooperative", _("Cooperative")
    PUBLIC_UNIT = "public_unit", _("Public unit")


class DocumentKind(models.TextChoices):
    INCLUDED_IN_PLAN = "included_in_plan", _("Included in the plan")
    ESTABLISHED = "established", _("Establishment decision")
    EXPANDED = "expanded", _("Expansion decision")
    ADJUSTED = "adjusted", _("Adjustment decision")
    REVOKED = "revoked", _("Revocation decision")
    REMOVED_FROM_PLAN = "removed_from_plan", _("Removal from the plan")
    DETAILED_PLAN_APPROVED = "detailed_plan_approved", _("Detailed plan (1/500) approval")
    INFRASTRUCTURE_APPROVED = "infrastructure_approved", _("Infrastructure project approval")
    LAND_CLEARANCE = "land_clearance", _("Land recovery / clearance decision")
    CONSTRUCTION_STARTED = "construction_started", _("Construction start notice")
    OPERATION_STARTED = "operation_started", _("Operation start notice")
    OTHER = "other", _("Other document")


class RuleKey(models.TextChoices):
    AREA_MIN_HA = "area_min_ha", _("Minimum cluster area (ha)")
    AREA_MAX_HA = "area_max_ha", _("Maximum cluster area (ha)")
    EXPANSION_MIN_OCCUPANCY = "expansion_min_occupancy_pct", _("Minimum occupancy to expand (%)")
    ESTABLISH_AREA_AVG_OCCUPANCY = (
        "establish_area_avg_occupancy_pct",
        _("Average occupancy of the area's clusters above which a new cluster may be established (%)"),
    )
    ESTABLISH_AREA_MAX_UNLEASED = (
        "establish_area_max_unleased_ha",
        _("Unleased industrial land of the area at or below which a new cluster may be established (ha)"),
    )


class LocationMatch(models.TextChoices):
    """How a former address (before 1 July 2025) was turned into today's commune (ccn.geo.resolve)."""

    EXACT = "exact", _("one successor in the official mapping")
    CHOSEN = "chosen", _("chosen among the successors")
    DEFAULT = "default", _("default successor of a split commune")
    FUZZY = "fuzzy", _("found by a close spelling")
    CONFIRMED = "confirmed", _("confirmed by an officer")
