"""Choices of the periodic reports of Circular 14/2024/TT-BCT: forms, period kinds, states, rule kinds."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Form(models.TextChoices):
    F01 = "01", _("Form 01 – tenant project")
    F02 = "02", _("Form 02 – cluster infrastructure")
    F03 = "03", _("Form 03 – commune summary")
    F04 = "04", _("Form 04 – province summary")


ENTRY_FORMS = (Form.F01, Form.F02)
COMPILED_FORMS = (Form.F03, Form.F04)

# The catalogue names the indicator list of Forms 03 and 04 "03/04": they share it.
CATALOGUE_KEY = {Form.F01: "01", Form.F02: "02", Form.F03: "03/04", Form.F04: "03/04"}


class PeriodKind(models.TextChoices):
    HALF_YEAR = "half", _("Six months")
    ANNUAL = "annual", _("Annual")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    ACCEPTED = "accepted", _("Accepted")


STATUS_COLOURS = {
    ReportStatus.DRAFT: "grey",
    ReportStatus.SUBMITTED: "blue",
    ReportStatus.RETURNED: "orange",
    ReportStatus.ACCEPTED: "green",
}


class ValueType(models.TextChoices):
    DECIMAL = "decimal", _("Decimal number")
    INTEGER = "integer", _("Whole number")
    FLAG = "flag", _("1 or 0")


class Severity(models.TextChoices):
    ERROR = "error", _("Error")
    WARNING = "warning", _("Warning")


class RuleScope(models.TextChoices):
    WITHIN = "within", _("Within the form")
    ACROSS = "across", _("Across reports")


class Operator(models.TextChoices):
    EQ = "eq", "="
    APPROX = "approx", "≈"
    LE = "le", "≤"
    GE = "ge", "≥"
    LT = "lt", "<"
    GT = "gt", ">"
    CHANGE_WITHIN = "change_within", _("changes at most by the tolerance (%)")


class Timeliness(models.TextChoices):
    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")
    MISSING = "missing", _("Missing")


TIMELINESS_COLOURS = {Timeliness.ON_TIME: "green", Timeliness.LATE: "amber", Timeliness.MISSING: "red"}
