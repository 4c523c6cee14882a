"""Choices of the portal: lease price units, investor timelines and the states of an inquiry (lead)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Currency(models.TextChoices):
    VND = "VND", "VND"
    USD = "USD", "USD"


class PriceUnit(models.TextChoices):
    """How a sub-lease price is quoted: per m² per year, or per m² paid once for the whole lease term."""

    M2_YEAR = "m2_year", _("per m² per year")
    M2_TERM = "m2_term", _("per m² for the whole term")


class Timeline(models.TextChoices):
    WITHIN_3_MONTHS = "3m", _("Within 3 months")
    WITHIN_6_MONTHS = "6m", _("Within 6 months")
    WITHIN_12_MONTHS = "12m", _("Within 12 months")
    LATER = "later", _("More than 12 months")
    EXPLORING = "exploring", _("Only exploring")


class LeadStatus(models.TextChoices):
    NEW = "new", _("New")
    CONTACTED = "contacted", _("Contacted")
    SITE_VISIT = "site_visit", _("Site visit")
    SIGNED = "signed", _("Signed")
    LOST = "lost", _("Lost")


LEAD_STATUS_COLOURS = {
    LeadStatus.NEW: "blue",
    LeadStatus.CONTACTED: "indigo",
    LeadStatus.SITE_VISIT: "amber",
    LeadStatus.SIGNED: "green",
    LeadStatus.LOST: "grey",
}
OPEN_LEAD_STATUSES = (LeadStatus.NEW, LeadStatus.CONTACTED, LeadStatus.SITE_VISIT)
