"""Choices of the procedures app: dossier states and steps, time-limit units, selection criteria, inspection areas
of law and relocation states. Each state carries its translated label and a badge colour."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DossierKind(models.TextChoices):
    ESTABLISHMENT = "establishment", _("Establishment")
    EXPANSION = "expansion", _("Expansion")


class DossierStatus(models.TextChoices):
    RECEIVED = "received", _("Received by the commune")
    ANNOUNCED = "announced", _("Announced, collecting applications")
    IN_APPRAISAL = "in_appraisal", _("In appraisal at the Department")
    AWAITING_CORRECTIONS = "awaiting_corrections", _("Waiting for corrections")
    APPRAISED = "appraised", _("Appraised, awaiting the decision")
    DECIDED = "decided", _("Decided")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


DOSSIER_STATUS_COLOURS = {
    DossierStatus.RECEIVED: "grey",
    DossierStatus.ANNOUNCED: "blue",
    DossierStatus.IN_APPRAISAL: "indigo",
    DossierStatus.AWAITING_CORRECTIONS: "amber",
    DossierStatus.APPRAISED: "purple",
    DossierStatus.DECIDED: "green",
    DossierStatus.REFUSED: "red",
    DossierStatus.WITHDRAWN: "dark",
}
OPEN_DOSSIER_STATES = (
    DossierStatus.RECEIVED,
    DossierStatus.ANNOUNCED,
    DossierStatus.IN_APPRAISAL,
    DossierStatus.AWAITING_CORRECTIONS,
    DossierStatus.APPRAISED,
)


class Step(models.TextChoices):
    """The legal steps of Decree 32/2024, Article 10, each with its own time limit."""

    ANNOUNCE = "announce", _("Commune announces receipt")
    WINDOW = "window", _("Window for competing applications")
    SEND = "send", _("Commune sends the dossier to the Department")
    APPRAISE = "appraise", _("Department appraises")
    DECIDE = "decide", _("Province decides")


STEP_ORDER = [Step.ANNOUNCE, Step.WINDOW, Step.SEND, Step.APPRAISE, Step.DECIDE]


class LimitUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("working days")
    CALENDAR_DAYS = "calendar_days", _("days")


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Public holiday (Labour Code 2019, Art. 112)")
    DAY_OFF = "day_off", _("Compensatory or swapped day off")
    WORKING_DAY = "working_day", _("Weekend day worked in exchange")


class Conclusion(models.TextChoices):
    FAVOURABLE = "favourable", _("Favourable: propose to establish/expand")
    UNFAVOURABLE = "unfavourable", _("Unfavourable: propose to refuse")


class AreaScope(models.TextChoices):
    """Which area the 50 % / 100 ha occupancy test of Decree 32, Art. 8(1)(c) looks at since Decree 139/2025."""

    PROVINCE = "province", _("The whole province")
    COMMUNES = "communes", _("The communes concerned")


class Criterion(models.TextChoices):
    INFRASTRUCTURE_PLAN = "infrastructure_plan", _("Infrastructure investment plan")
    MANAGEMENT_ENVIRONMENT = "management_environment", _("Management and environmental protection plan")
    CAPACITY = "capacity", _("Capacity and experience")
    FINANCE = "finance", _("Financial plan")


# Decree 32/2024/NĐ-CP, Art. 13(2): the council scores out of 100 on four criteria.
CRITERION_MAX = {
    Criterion.INFRASTRUCTURE_PLAN: Decimal("15"),
    Criterion.MANAGEMENT_ENVIRONMENT: Decimal("15"),
    Criterion.CAPACITY: Decimal("30"),
    Criterion.FINANCE: Decimal("40"),
}
QUALIFYING_SCORE = Decimal("50")
SELECTION_SOURCE = "Nghị định 32/2024/NĐ-CP, Điều 13 khoản 2"


class CouncilRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    VICE_CHAIR = "vice_chair", _("Vice-chair")
    MEMBER = "member", _("Member")


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Scoring open")
    CLOSED = "closed", _("Closed")


class LawArea(models.TextChoices):
    PLANNING = "planning", _("Planning")
    INVESTMENT = "investment", _("Investment")
    CONSTRUCTION = "construction", _("Construction")
    LAND_USE = "land_use", _("Land use")
    ENVIRONMENT = "environment", _("Environment")


class InspectionStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("inspection", "Planned")
    CONDUCTED = "conducted", _("Conducted")
    CLOSED = "closed", _("Closed")


INSPECTION_STATUS_COLOURS = {
    InspectionStatus.PLANNED: "grey",
    InspectionStatus.CONDUCTED: "blue",
    InspectionStatus.CLOSED: "green",
}


class CorrectionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


class FacilityKind(models.TextChoices):
    PRODUCTION = "production", _("Production facility")
    CRAFT_WORKSHOP = "craft_workshop", _("Craft-village workshop")


class RelocationStatus(models.TextChoices):
    IDENTIFIED = "identified", _("Identified")
    AGREED = "agreed", _("Agreed")
    LAND_ALLOCATED = "land_allocated", _("Land allocated")
    MOVED = "moved", _("Moved")


RELOCATION_STATUS_COLOURS = {
    RelocationStatus.IDENTIFIED: "grey",
    RelocationStatus.AGREED: "blue",
    RelocationStatus.LAND_ALLOCATED: "amber",
    RelocationStatus.MOVED: "green",
}
