"""Choices of plans and targets: plan kinds, target scopes and the progress verdicts with their badge colours."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanKind(models.TextChoices):
    DEVELOPMENT = "development", _("Cluster development plan")
    ANNUAL = "annual", _("Annual plan")
    THEMATIC = "thematic", _("Thematic plan")


class ScopeKind(models.TextChoices):
    PROVINCE = "province", _("Whole province")
    COMMUNE = "commune", _("One commune")
    CLUSTERS = "clusters", _("A list of clusters")
    CLUSTER = "cluster", _("One cluster")


class Verdict(models.TextChoices):
    MET = "met", _("Met")
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    MISSED = "missed", _("Missed")
    NO_DATA = "no_data", _("No data")


VERDICT_COLOURS = {
    Verdict.MET: "green",
    Verdict.ON_TRACK: "teal",
    Verdict.AT_RISK: "orange",
    Verdict.MISSED: "red",
    Verdict.NO_DATA: "grey",
}
# Verdicts a leader must look at.
WARNING_VERDICTS = (Verdict.AT_RISK, Verdict.MISSED, Verdict.NO_DATA)


class Unit(models.TextChoices):
    COUNT = "count", _("clusters")
    HECTARE = "ha", _("ha")
    PERCENT = "pct", _("%")
    PROJECTS = "projects", _("projects")
    PEOPLE = "people", _("workers")
    ITEMS = "items", _("items")
