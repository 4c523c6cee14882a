"""Choices of infrastructure components and wastewater plants."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ComponentKind(models.TextChoices):
    ROADS = "roads", _("Internal roads")
    WATER_SUPPLY = "water_supply", _("Water supply")
    DRAINAGE = "drainage", _("Rainwater drainage")
    WASTEWATER_COLLECTION = "wastewater_collection", _("Wastewater collection")
    WASTEWATER_PLANT = "wastewater_plant", _("Central wastewater plant")
    POWER = "power", _("Power supply")
    LIGHTING = "lighting", _("Public lighting")
    FIRE_FIGHTING = "fire_fighting", _("Fire fighting")
    COMMUNICATIONS = "communications", _("Communications")
    GREEN_SPACE = "green_space", _("Green space")


class ComponentStatus(models.TextChoices):
    NOT_STARTED = "not_started", pgettext_lazy("infrastructure work", "Not started")
    IN_PROGRESS = "in_progress", pgettext_lazy("infrastructure work", "In progress")
    COMPLETED = "completed", _("Completed")


class PlantStatus(models.TextChoices):
    NONE = "none", _("None")
    PLANNED = "planned", pgettext_lazy("wastewater plant", "Planned")
    UNDER_CONSTRUCTION = "under_construction", _("Under construction")
    OPERATING = "operating", _("Operating")


class WastewaterStandard(models.TextChoices):
    QCVN_40_2025 = "QCVN 40:2025/BTNMT", "QCVN 40:2025/BTNMT"
    QCVN_40_2011 = "QCVN 40:2011/BTNMT", "QCVN 40:2011/BTNMT"


class AlertKind:
    NO_PLANT = "no_plant"
    CAPACITY = "capacity_below_discharge"
    STALE_RESULT = "stale_result"
    STANDARD = "standard_not_met"


# The annotation (with_alerts) that says a cluster has an alert of each kind.
ALERT_FIELDS = {
    AlertKind.NO_PLANT: "alert_no_plant",
    AlertKind.CAPACITY: "alert_capacity",
    AlertKind.STALE_RESULT: "alert_stale_result",
    AlertKind.STANDARD: "alert_standard",
}
