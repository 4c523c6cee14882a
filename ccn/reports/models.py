"""Periodic reports of Circular 14/2024/TT-BCT: the indicator catalogue, reporting periods, deadlines and
validation rules held as dated data, and the reports (Forms 01–04) with their revisions.

Storage (docs/decisions/0004-report-storage.md): one wide row per revision, one column per indicator, with the
keys a compilation filters on (form, period, province, cluster, commune) copied onto the row and `is_final`
marking the revision that counts; Form 04 for a province sums one index range of one table."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ccn.accounts.choices import Role

from .choices import STATUS_COLOURS, Form, Operator, PeriodKind, ReportStatus, RuleScope, Severity, ValueType

# Every indicator code of the circular, Forms 01–04; Form 01 uses 1–4, Form 02 uses 1–14.
INDICATOR_CODES = [str(n) for n in range(1, 15)] + ["15", "15.1", "15.2", "15.3", "15.4"]
INDICATOR_CODES += ["16", "16.1", "16.2", "16.3", "16.4"] + [str(n) for n in range(17, 28)]


def column_of(code: str) -> str:
    """The value column of an indicator code: "15.1" → "v15_1"."""
    return "v" + code.replace(".", "_")


VALUE_COLUMNS = [column_of(c) for c in INDICATOR_CODES]


class Indicator(models.Model):
    """One indicator (chỉ tiêu) of Appendix I, loaded from data/circular-14-2024-forms.csv by a migration."""

    form_key = models.CharField(_("form"), max_length=5)
    code = models.CharField(pgettext_lazy("indicator", "number"), max_length=5)
    position = models.PositiveSmallIntegerField(_("position"))
    section = models.CharField(_("section"), max_length=4, blank=True)
    label_vi = models.CharField(_("indicator (Vietnamese)"), max_length=300)
    label_en = models.CharField(_("indicator (English)"), max_length=300)
    unit = models.CharField(_("unit"), max_length=60)
    value_type = models.CharField(_("value type"), max_length=10, choices=ValueType.choices)

    class Meta:
        ordering = ["form_key", "position"]
        constraints = [models.UniqueConstraint(fields=["form_key", "code"], name="unique_indicator_code")]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self):
        return f"{self.form_key}.{self.code} {self.label_vi}"

    @property
    def column(self) -> str:
        return column_of(self.code)

    def label(self, language: str) -> str:
        return self.label_en if language == "en" else self.label_vi


class Period(models.Model):
    """A reporting period (kỳ báo cáo): data from 15 December of the previous year to 14 June (six months)
    or to 14 December (annual)."""

    kind = models.CharField(_("kind"), max_length=10, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    starts_on = models.DateField(_("data from"))
    ends_on = models.DateField(_("data until"))
    closed_at = models.DateTimeField(_("closed for entry at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-ends_on", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "year"], name="unique_period"),
            models.CheckConstraint(condition=Q(ends_on__gt=F("starts_on")), name="period_ends_after_start"),
        ]
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")

    def __str__(self):
        return str(self.label)

    @property
    def label(self):
        if self.kind == PeriodKind.HALF_YEAR:
            return _("First six months of %(year)s") % {"year": self.year}
        return _("Year %(year)s") % {"year": self.year}

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class FormDeadline(models.Model):
    """When a form is due for a period kind (day and month of the period's year), in force between two dates,
    with its legal source: a change of the circular is a new row, not a change of code. For Form 03 it also
    names the role that compiles it (the district level until 30 June 2025, the commune level since)."""

    form = models.CharField(_("form"), max_length=2, choices=Form.choices)
    period_kind = models.CharField(_("period kind"), max_length=10, choices=PeriodKind.choices)
    month = models.PositiveSmallIntegerField(_("month"))
    day = models.PositiveSmallIntegerField(_("day"))
    compiler_role = models.CharField(_("compiled by"), max_length=32, choices=Role.choices, blank=True)
    effective_from = models.DateField(_("in force from"))
    effective_to = models.DateField(_("in force until"), null=True, blank=True)
    legal_source = models.CharField(_("legal source"), max_length=200)

    class Meta:
        ordering = ["form", "period_kind", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["form", "period_kind", "effective_from"], name="unique_deadline_start"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="deadline_month_range"),
            models.CheckConstraint(condition=Q(day__gte=1, day__lte=31), name="deadline_day_range"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
                name="deadline_dates_ordered",
            ),
        ]
        verbose_name = _("form deadline")
        verbose_name_plural = _("form deadlines")

    def __str__(self):
        return f"{self.form} {self.period_kind}: {self.day:02d}/{self.month:02d} ({self.legal_source})"

    def due_on(self, period: Period) -> datetime.date:
        return datetime.date(period.year, self.month, self.day)


class ValidationRule(models.Model):
    """A validation rule (left side, operator, right side) held as data, like DHIS2's. Sides are arithmetic
    expressions over indicator variables (`i5`, `i15_1`), the previous period's value (`prev_i5`), the sum of a
    province's Form 03 (`communes_i5`) and registry figures (`registry_ready_land`, `tenant_leased` …; see
    docs/reports.md). `i*` on both sides makes one rule per indicator. A value left empty skips the rule."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    form = models.CharField(_("form"), max_length=2, choices=Form.choices)
    scope = models.CharField(_("scope"), max_length=10, choices=RuleScope.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    left = models.CharField(_("left side"), max_length=200)
    operator = models.CharField(_("operator"), max_length=20, choices=Operator.choices)
    right = models.CharField(_("right side"), max_length=200)
    tolerance = models.DecimalField(_("tolerance"), max_digits=10, decimal_places=4, default=Decimal("0"))
    message_vi = models.CharField(_("message (Vietnamese)"), max_length=300)
    message_en = models.CharField(_("message (English)"), max_length=300)
    effective_from = models.DateField(_("in force from"), default=datetime.date(2024, 10, 1))
    effective_to = models.DateField(_("in force until"), null=True, blank=True)
    legal_source = models.CharField(_("legal source"), max_length=200, blank=True)
    is_active = models.BooleanField(pgettext_lazy("rule", "active"), default=True)

    class Meta:
        ordering = ["form", "code"]
        verbose_name = _("validation rule")
        verbose_name_plural = _("validation rules")

    def __str__(self):
        return f"{self.code}: {self.left} {self.get_operator_display()} {self.right}"

    def message(self, language: str) -> str:
        return self.message_en if language == "en" else self.message_vi


class Report(models.Model):
    """One form for one reporting unit and period: a tenant project (01), a cluster (02), a commune (03) or a
    province (04). Its figures live in numbered revisions; `status` is written only by the transition service."""

    form = models.CharField(_("form"), max_length=2, choices=Form.choices)
    period = models.ForeignKey(Period, verbose_name=_("period"), on_delete=models.PROTECT, related_name="reports")
    project = models.ForeignKey(
        "tenants.TenantProject", null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )
    cluster = models.ForeignKey(
        "clusters.Cluster", null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )
    commune = models.ForeignKey("geo.Commune", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    province = models.ForeignKey("geo.Province", on_delete=models.PROTECT, related_name="+")
    reporter_org = models.ForeignKey(
        "clusters.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )
    status = models.CharField(
        _("state"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.DRAFT, editable=False
    )
    current = models.ForeignKey("Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-period__ends_on", "form", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["form", "period", "project"], condition=Q(form="01"), name="one_form01_per_project"
            ),
            models.UniqueConstraint(
                fields=["form", "period", "cluster"], condition=Q(form="02"), name="one_form02_per_cluster"
            ),
            models.UniqueConstraint(
                fields=["form", "period", "commune"], condition=Q(form="03"), name="one_form03_per_commune"
            ),
            models.UniqueConstraint(
                fields=["form", "period", "province"], condition=Q(form="04"), name="one_form04_per_province"
            ),
            models.CheckConstraint(
                condition=(Q(form="01", project__isnull=False, cluster__isnull=False))
                | Q(form="02", cluster__isnull=False, project__isnull=True)
                | Q(form="03", commune__isnull=False, cluster__isnull=True)
                | Q(form="04", commune__isnull=True, cluster__isnull=True),
                name="report_subject_matches_form",
            ),
        ]
        indexes = [models.Index(fields=["period", "form", "province", "status"])]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self):
        return f"{self.get_form_display()} · {self.subject_name} · {self.period}"

    @property
    def subject_name(self) -> str:
        if self.form == Form.F01:
            return self.project.name
        if self.form == Form.F02:
            return self.cluster.name
        if self.form == Form.F03:
            return self.commune.name
        return self.province.name

    def get_status_color(self) -> str:
        return STATUS_COLOURS.get(self.status, "grey")


class Revision(models.Model):
    """One numbered version of a report's figures. A correction after acceptance starts a new revision with a
    reason; older revisions stay as they were. `is_final` marks the revision that compilations read: the
    latest accepted one (Forms 01, 02, 04) or the latest submitted one (Form 03)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveSmallIntegerField(_("revision"))
    reason = models.TextField(_("reason for the correction"), blank=True)
    # Copies of the report's keys, so that a compilation reads this table alone through one index.
    form = models.CharField(max_length=2, choices=Form.choices, editable=False)
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+", editable=False)
    province = models.ForeignKey("geo.Province", on_delete=models.PROTECT, related_name="+", editable=False)
    cluster = models.ForeignKey(
        "clusters.Cluster",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="report_revisions",
        editable=False,
    )
    is_final = models.BooleanField(default=False, editable=False)
    notes = models.JSONField(_("notes per indicator"), default=dict, blank=True)
    warning_comments = models.JSONField(_("comments on warnings"), default=dict, blank=True)
    return_comments = models.JSONField(_("comments when returned"), default=dict, blank=True)
    general_note = models.TextField(_("notes"), blank=True)
    sources = models.JSONField(_("where prefilled figures came from"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    compiled_at = models.DateTimeField(_("compiled at"), null=True, blank=True)
    # Forms 03/04: the date the figures are as of, per indicator [clusters without data, clusters expected], and
    # the recorded confirmations of submitting / approving with data missing ({"submit": {...}, "accept": {...}}).
    compilation = models.JSONField(_("compilation"), default=dict, blank=True)

    for _column in VALUE_COLUMNS:
        # One nullable column per indicator: empty (not reported) is not zero.
        locals()[_column] = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    del _column

    class Meta:
        ordering = ["report", "-number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="unique_revision_number")]
        indexes = [
            models.Index(fields=["form", "period", "province"], condition=Q(is_final=True), name="rev_final_prov"),
            models.Index(fields=["form", "period", "cluster"], condition=Q(is_final=True), name="rev_final_cluster"),
        ]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")

    def __str__(self):
        return f"{self.report_id} r{self.number}"

    def values(self) -> dict[str, Decimal | None]:
        """Indicator code → value."""
        return {code: getattr(self, column_of(code)) for code in INDICATOR_CODES}
