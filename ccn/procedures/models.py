"""Procedures around clusters: establishment and expansion dossiers (hồ sơ thành lập, mở rộng CCN) with their legal
time limits, the working-day calendar, investor selection by a scoring council, inspections of tenants and the
relocation of polluting facilities into clusters."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ccn.clusters.models import BN, HA
from ccn.core.models import TimeStampedModel

from .choices import (
    CRITERION_MAX,
    DOSSIER_STATUS_COLOURS,
    INSPECTION_STATUS_COLOURS,
    RELOCATION_STATUS_COLOURS,
    AreaScope,
    Conclusion,
    CorrectionStatus,
    CouncilRole,
    Criterion,
    DayKind,
    DossierKind,
    DossierStatus,
    FacilityKind,
    InspectionStatus,
    LawArea,
    LimitUnit,
    RelocationStatus,
    RoundStatus,
    Step,
)

USER = settings.AUTH_USER_MODEL


class CalendarDay(models.Model):
    """A date that breaks the Monday–Friday pattern for public agencies: a public holiday, a compensatory or
    swapped day off, or a Saturday/Sunday worked in exchange. Held as data so each year's notice can be entered."""

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=DayKind.choices)
    name = models.CharField(_("name"), max_length=200)
    legal_source = models.CharField(_("legal source"), max_length=300)
    confirmed = models.BooleanField(
        _("confirmed"),
        default=True,
        help_text=_("Unticked while the year's official notice has not been issued (dates computed in advance)."),
    )

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.name}"


class TimeLimit(models.Model):
    """The time limit of one step of the procedure, in force between two dates, with its legal source."""

    step = models.CharField(_("step"), max_length=20, choices=Step.choices)
    value = models.PositiveSmallIntegerField(_("time limit"), validators=[MinValueValidator(1)])
    unit = models.CharField(_("unit"), max_length=20, choices=LimitUnit.choices)
    effective_from = models.DateField(_("in force from"))
    effective_to = models.DateField(_("in force until"), null=True, blank=True)
    legal_source = models.CharField(_("legal source"), max_length=300)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["step", "-effective_from"]
        verbose_name = _("time limit")
        verbose_name_plural = _("time limits")
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
                name="time_limit_dates_ordered",
                violation_error_message=_("A rule cannot end before it starts."),
            ),
            models.UniqueConstraint(fields=["step", "effective_from"], name="unique_time_limit_start"),
        ]

    def __str__(self):
        return f"{self.get_step_display()}: {self.value} {self.get_unit_display()} ({self.legal_source})"


class OccupancyScopeSetting(models.Model):
    """The province's choice of the area the establishment occupancy test looks at (Decree 139/2025 lets the
    province decide how to apply the former district test), from a date, with the document that set it."""

    province = models.ForeignKey("geo.Province", verbose_name=_("province"), on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(_("area of the occupancy test"), max_length=20, choices=AreaScope.choices)
    effective_from = models.DateField(_("in force from"))
    document = models.CharField(_("document"), max_length=300, blank=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["province", "-effective_from"]
        verbose_name = _("occupancy test setting")
        verbose_name_plural = _("occupancy test settings")
        constraints = [
            models.UniqueConstraint(fields=["province", "effective_from"], name="unique_scope_setting_start"),
        ]

    def __str__(self):
        return f"{self.province_id}: {self.scope} ({self.effective_from})"


class Dossier(TimeStampedModel):
    """Hồ sơ thành lập/mở rộng cụm công nghiệp: from the first application received by the commune to the
    province's decision (Decree 32/2024, Art. 10)."""

    code = models.CharField(_("dossier number"), max_length=30, unique=True)
    kind = models.CharField(_("procedure"), max_length=20, choices=DossierKind.choices)
    cluster = models.ForeignKey(
        "clusters.Cluster", verbose_name=_("cluster"), on_delete=models.PROTECT, related_name="dossiers"
    )
    province = models.ForeignKey("geo.Province", verbose_name=_("province"), on_delete=models.PROTECT, related_name="+")
    commune = models.ForeignKey(
        "geo.Commune", verbose_name=_("receiving commune"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("state"),
        max_length=30,
        choices=DossierStatus.choices,
        default=DossierStatus.RECEIVED,
        editable=False,
        db_index=True,
    )
    proposed_area_ha = models.DecimalField(
        _("proposed area (ha)"), null=True, blank=True, help_text=_("After expansion: the total area."), **HA
    )
    first_received_on = models.DateField(_("first application received on"))
    announced_on = models.DateField(_("announced on"), null=True, blank=True)
    announcement_ref = models.CharField(_("announcement"), max_length=200, blank=True)
    window_closes_on = models.DateField(_("applications accepted until"), null=True, blank=True)
    sent_on = models.DateField(_("sent to the Department on"), null=True, blank=True)
    department_received_on = models.DateField(
        _("complete dossier received by the Department on"), null=True, blank=True
    )
    appraised_on = models.DateField(_("appraised on"), null=True, blank=True)
    appraisal_ref = models.CharField(_("appraisal report"), max_length=200, blank=True)
    conclusion = models.CharField(_("conclusion"), max_length=20, choices=Conclusion.choices, blank=True)
    appraisal_notes = models.TextField(_("appraisal notes"), blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision = models.JSONField(_("decision (Form 02 content)"), null=True, blank=True)
    decision_document = models.ForeignKey(
        "clusters.LegalDocument", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    refusal_reason = models.TextField(_("reason for refusal or withdrawal"), blank=True)
    checks = models.JSONField(_("checks kept with the dossier"), null=True, blank=True)
    checks_on = models.DateField(_("checks computed for"), null=True, blank=True)
    checks_passed = models.BooleanField(_("checks passed"), null=True, blank=True)
    selected_application = models.ForeignKey(
        "Application", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_sample = models.BooleanField(_("sample data"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-first_received_on", "-id"]
        verbose_name = _("establishment or expansion dossier")
        verbose_name_plural = _("establishment and expansion dossiers")
        indexes = [models.Index(fields=["province", "status"])]

    def __str__(self):
        return f"{self.code} – {self.cluster}"

    def get_status_color(self) -> str:

        return DOSSIER_STATUS_COLOURS.get(self.status, "grey")


# What an application (Form 01) says: one list for the page's form (forms.ApplicationFields.application_data) and
# the service (services.dossiers refuses any other key).
APPLICATION_FIELDS = (
    "applicant",
    "received_on",
    "project",
    "proposed_area_ha",
    "estimated_capital_bn",
    "capital_sources",
    "schedule",
    "attachments",
)


class Application(TimeStampedModel):
    """Mẫu 01 of Circular 14/2024: an organisation's application to be the cluster's infrastructure investor."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="applications")
    applicant = models.ForeignKey(
        "clusters.Organisation", verbose_name=_("applicant"), on_delete=models.PROTECT, related_name="+"
    )
    received_on = models.DateField(_("received on"))
    project = models.TextField(_("proposed project"), help_text=_("Objectives, scale and infrastructure proposed."))
    proposed_area_ha = models.DecimalField(_("proposed area (ha)"), null=True, blank=True, **HA)
    estimated_capital_bn = models.DecimalField(_("estimated investment (VND bn)"), **BN)
    capital_sources = models.CharField(_("sources of capital"), max_length=300, blank=True)
    schedule = models.CharField(_("schedule"), max_length=300, blank=True)
    attachments = models.TextField(
        _("attached documents"),
        blank=True,
        help_text=_("One per line: investment report, location map, legal status, financial capacity, experience."),
    )
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["received_on", "id"]
        verbose_name = _("application (Form 01)")
        verbose_name_plural = _("applications (Form 01)")
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "applicant"],
                name="one_application_per_applicant",
                violation_error_message=_("This organisation has already applied in this dossier."),
            )
        ]

    def __str__(self):
        return str(self.applicant)

    def attachment_list(self) -> list[str]:
        return [line.strip() for line in self.attachments.splitlines() if line.strip()]


class DossierStep(models.Model):
    """One step's clock: when it started, the rule in force then, the due date (held so the overdue list is a
    query) and when it was done."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(_("step"), max_length=20, choices=Step.choices)
    started_on = models.DateField(_("counted from"))
    rule = models.ForeignKey(TimeLimit, on_delete=models.PROTECT, related_name="+")
    limit_value = models.PositiveSmallIntegerField(_("time limit"))
    limit_unit = models.CharField(_("unit"), max_length=20, choices=LimitUnit.choices)
    due_on = models.DateField(_("due on"), null=True, blank=True, db_index=True)
    completed_on = models.DateField(_("done on"), null=True, blank=True)
    late_reason = models.TextField(_("reason for the delay"), blank=True)

    class Meta:
        ordering = ["dossier", "started_on", "id"]
        constraints = [models.UniqueConstraint(fields=["dossier", "step"], name="unique_dossier_step")]
        verbose_name = _("dossier step")
        verbose_name_plural = _("dossier steps")

    def __str__(self):
        return f"{self.dossier_id} {self.step}"


class DossierPause(models.Model):
    """Time waiting for the applicant's corrections: not counted in the appraisal time limit (Art. 10(3))."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="pauses")
    step = models.CharField(_("step"), max_length=20, choices=Step.choices, default=Step.APPRAISE)
    started_on = models.DateField(_("corrections requested on"))
    ended_on = models.DateField(_("corrections received on"), null=True, blank=True)
    reason = models.TextField(_("what must be corrected"))
    request_ref = models.CharField(_("request letter"), max_length=200, blank=True)

    class Meta:
        ordering = ["started_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="pause_ends_after_start",
                violation_error_message=_("Corrections cannot be received before they were requested."),
            )
        ]

    def __str__(self):
        return f"{self.started_on} → {self.ended_on or '…'}"


class SelectionRound(TimeStampedModel):
    """The council's scoring of the applicants to be infrastructure investor (Decree 32/2024, Art. 13(2))."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="selection")
    council_ref = models.CharField(_("decision setting up the council"), max_length=200, blank=True)
    status = models.CharField(_("state"), max_length=20, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    meeting_on = models.DateField(_("meeting date"), null=True, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    chair_proposal = models.ForeignKey(
        Application,
        verbose_name=_("chair's proposal (tie)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    result = models.JSONField(_("result"), null=True, blank=True)
    closed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("investor selection")
        verbose_name_plural = _("investor selections")


class CouncilMember(models.Model):
    selection = models.ForeignKey(SelectionRound, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(USER, verbose_name=_("user"), on_delete=models.PROTECT, related_name="council_seats")
    role = models.CharField(_("role in the council"), max_length=20, choices=CouncilRole.choices)
    title = models.CharField(_("position and agency"), max_length=200, blank=True)

    class Meta:
        ordering = ["selection", "role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["selection", "user"],
                name="unique_council_member",
                violation_error_message=_("This person is already on the council."),
            )
        ]
        verbose_name = _("council member")
        verbose_name_plural = _("council members")

    def __str__(self):
        return self.user.get_full_name() or self.user.username


def _criterion_field(criterion):
    return models.DecimalField(
        Criterion(criterion).label,
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(CRITERION_MAX[criterion])],
    )


class ScoreSheet(models.Model):
    """One council member's scores for one applicant: each criterion up to its legal maximum."""

    selection = models.ForeignKey(SelectionRound, on_delete=models.CASCADE, related_name="sheets")
    member = models.ForeignKey(CouncilMember, on_delete=models.PROTECT, related_name="sheets")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="sheets")
    infrastructure_plan = _criterion_field(Criterion.INFRASTRUCTURE_PLAN)
    management_environment = _criterion_field(Criterion.MANAGEMENT_ENVIRONMENT)
    capacity = _criterion_field(Criterion.CAPACITY)
    finance = _criterion_field(Criterion.FINANCE)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application", "member"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "application"],
                name="one_sheet_per_member_and_applicant",
                violation_error_message=_("This member has already scored this applicant."),
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{c}__gte": 0, f"{c}__lte": CRITERION_MAX[c]}), name=f"score_{c}_within_max"
                )
                for c in Criterion.values
            ],
        ]
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")

    def __str__(self):
        return f"{self.member_id} → {self.application_id}"

    @property
    def total(self) -> Decimal:
        return sum((getattr(self, c) for c in Criterion.values), Decimal("0"))


class InspectionPlan(TimeStampedModel):
    """The province's yearly plan of inspections in clusters (Decree 32/2024, Art. 24(2))."""

    province = models.ForeignKey("geo.Province", verbose_name=_("province"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    title = models.CharField(_("title"), max_length=300)
    approved_ref = models.CharField(_("approving document"), max_length=200, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-year", "province"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "year"],
                name="one_inspection_plan_a_year",
                violation_error_message=_("This province already has an inspection plan for this year."),
            )
        ]
        verbose_name = _("inspection plan")
        verbose_name_plural = _("inspection plans")

    def __str__(self):
        return f"{self.title} ({self.year})"


class Inspection(TimeStampedModel):
    """An inspection in a cluster, of a tenant (secondary investor) or of the cluster as a whole."""

    province = models.ForeignKey("geo.Province", verbose_name=_("province"), on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(
        InspectionPlan,
        verbose_name=_("plan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    cluster = models.ForeignKey(
        "clusters.Cluster", verbose_name=_("cluster"), on_delete=models.PROTECT, related_name="inspections"
    )
    tenant_project = models.ForeignKey(
        "tenants.TenantProject",
        verbose_name=_("tenant project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    enterprise = models.ForeignKey(
        "clusters.Organisation",
        verbose_name=_("tenant enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    planned_on = models.DateField(_("planned for"))
    conducted_on = models.DateField(_("conducted on"), null=True, blank=True)
    agency = models.CharField(_("inspecting agency"), max_length=200)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    suspicion = models.TextField(
        _("suspected violation"),
        blank=True,
        help_text=_("Needed for a second inspection of the same tenant in a year (Decree 32/2024, Art. 24(2))."),
    )
    status = models.CharField(
        _("state"), max_length=20, choices=InspectionStatus.choices, default=InspectionStatus.PLANNED, editable=False
    )
    summary = models.TextField(_("summary of the record"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["planned_on", "id"]
        indexes = [models.Index(fields=["enterprise", "planned_on"]), models.Index(fields=["province", "planned_on"])]
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")

    def __str__(self):
        target = self.tenant_project or self.cluster
        return f"{target} ({self.planned_on:%d/%m/%Y})"

    def get_status_color(self) -> str:

        return INSPECTION_STATUS_COLOURS.get(self.status, "grey")


class Finding(TimeStampedModel):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    area = models.CharField(_("area of law"), max_length=20, choices=LawArea.choices)
    description = models.TextField(_("finding"))
    is_violation = models.BooleanField(_("violation"), default=False)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    obstacle = models.ForeignKey(
        "obstacles.Obstacle",
        verbose_name=_("obstacle opened"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["inspection", "id"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")

    def __str__(self):
        return f"{self.get_area_display()}: {self.description[:60]}"


class Correction(TimeStampedModel):
    """A correction the inspected party must make by a deadline, and its follow-up."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="corrections")
    action = models.TextField(_("required correction"))
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("state"), max_length=10, choices=CorrectionStatus.choices, default=CorrectionStatus.OPEN, editable=False
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True)

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("required correction")
        verbose_name_plural = _("required corrections")


class RelocationFacility(TimeStampedModel):
    """A production facility or craft-village workshop to move out of a residential area into a cluster."""

    province = models.ForeignKey("geo.Province", verbose_name=_("province"), on_delete=models.PROTECT, related_name="+")
    commune = models.ForeignKey(
        "geo.Commune", verbose_name=_("commune where it is now"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=FacilityKind.choices)
    current_location = models.CharField(_("current location"), max_length=300)
    sector = models.ForeignKey(
        "clusters.Sector",
        verbose_name=_("sector (VSIC 2018)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    pollution_concern = models.TextField(_("pollution concern"))
    land_needed_ha = models.DecimalField(_("land needed (ha)"), null=True, blank=True, **HA)
    target_cluster = models.ForeignKey(
        "clusters.Cluster",
        verbose_name=_("target cluster"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="relocations",
    )
    status = models.CharField(
        _("state"),
        max_length=20,
        choices=RelocationStatus.choices,
        default=RelocationStatus.IDENTIFIED,
        editable=False,
        db_index=True,
    )
    status_since = models.DateField(_("in this state since"), null=True, blank=True, editable=False)
    deadline = models.DateField(_("deadline to move"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_sample = models.BooleanField(_("sample data"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["province", "commune", "name"]
        indexes = [models.Index(fields=["province", "status"])]
        verbose_name = _("facility to relocate")
        verbose_name_plural = _("facilities to relocate")

    def __str__(self):
        return self.name

    def get_status_color(self) -> str:

        return RELOCATION_STATUS_COLOURS.get(self.status, "grey")
