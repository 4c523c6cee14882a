"""Plans and targets: the provincial cluster development plan (phương án phát triển cụm công nghiệp) with its
amendments as dated versions and its planned clusters, annual and thematic plans (kế hoạch), and the targets
they set on indicators computed from the registry."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ccn.clusters.models import HA
from ccn.core.models import TimeStampedModel

from .choices import PlanKind, ScopeKind

# What a user enters of a plan and of a target: one list each for the page's form (forms.PlanForm, forms.TargetForm)
# and the service (services.PLAN_FIELDS, services.TARGET_FIELDS). A target's clusters are set apart (`clusters=`).
PLAN_DATA_FIELDS = ("kind", "number", "title", "issued_on", "issuer", "year", "horizon_year", "source")
TARGET_DATA_FIELDS = (
    "title",
    "indicator",
    "scope_kind",
    "commune",
    "value_min",
    "value_max",
    "counts_from",
    "deadline",
    "note",
)


class Plan(TimeStampedModel):
    """A plan document of a province: its development plan for clusters, or an annual or thematic plan."""

    province = models.ForeignKey("geo.Province", verbose_name=_("province"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=PlanKind.choices)
    number = models.CharField(_("document number"), max_length=60)
    title = models.CharField(_("title"), max_length=300)
    issued_on = models.DateField(_("date"))
    issuer = models.CharField(_("issuer"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True, help_text=_("For an annual plan."))
    horizon_year = models.PositiveSmallIntegerField(
        _("horizon year"), null=True, blank=True, help_text=_("The year the plan runs to, e.g. 2030.")
    )
    source = models.CharField(_("source"), max_length=400, blank=True)
    is_sample = models.BooleanField(_("sample data"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    class Meta:
        ordering = ["province__code", "-issued_on", "number"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        constraints = [
            models.UniqueConstraint(
                fields=["province", "number", "issued_on"],
                name="unique_plan_document",
                violation_error_message=_("This province already has a plan with this number and date."),
            ),
            models.CheckConstraint(
                condition=Q(year__isnull=True) | Q(year__gte=1990, year__lte=2100), name="plan_year_range"
            ),
        ]

    def __str__(self):
        return f"{self.number} – {self.title}"


class PlanVersion(models.Model):
    """The original development plan (seq 1) or one amendment of it, in force from `issued_on`."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    seq = models.PositiveSmallIntegerField(_("version"))
    number = models.CharField(_("document number"), max_length=60)
    issued_on = models.DateField(_("in force from"))
    issuer = models.CharField(_("issuer"), max_length=200)
    summary = models.CharField(_("what changed"), max_length=500, blank=True)
    declared_clusters = models.PositiveIntegerField(
        _("clusters in the plan (as the document states)"), null=True, blank=True
    )
    declared_area_ha = models.DecimalField(
        _("area in the plan (ha, as the document states)"), null=True, blank=True, **HA
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "seq"]
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        constraints = [models.UniqueConstraint(fields=["plan", "seq"], name="unique_plan_version_seq")]

    def __str__(self):
        return f"{self.plan.number} v{self.seq} ({self.issued_on:%d/%m/%Y})"


class PlanItem(models.Model):
    """A cluster in the development plan: in it from the version that added it until the one that removed it.
    A change of area is recorded as a removal and an addition in the same amendment."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="items")
    cluster = models.ForeignKey(
        "clusters.Cluster", verbose_name=_("cluster"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    commune = models.ForeignKey(
        "geo.Commune", verbose_name=_("commune"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    area_ha = models.DecimalField(_("area in the plan (ha)"), null=True, blank=True, **HA)
    added_in = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="added_items")
    removed_in = models.ForeignKey(
        PlanVersion, null=True, blank=True, on_delete=models.CASCADE, related_name="removed_items"
    )

    class Meta:
        ordering = ["plan", "name"]
        verbose_name = _("planned cluster")
        verbose_name_plural = _("planned clusters")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "cluster"],
                condition=Q(removed_in__isnull=True, cluster__isnull=False),
                name="one_live_plan_item_per_cluster",
                violation_error_message=_("This cluster is already in the plan."),
            ),
        ]

    def __str__(self):
        return self.name


class Target(TimeStampedModel):
    """A target of a plan: an indicator of the catalogue (ccn/plans/indicators.py) on a scope, a value or a range,
    and a deadline. Its actual value is always computed from the registry, never typed."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="targets")
    title = models.CharField(_("wording in the plan"), max_length=400)
    indicator = models.CharField(_("indicator"), max_length=60)
    scope_kind = models.CharField(_("scope"), max_length=20, choices=ScopeKind.choices, default=ScopeKind.PROVINCE)
    commune = models.ForeignKey(
        "geo.Commune", verbose_name=_("commune"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    clusters = models.ManyToManyField("clusters.Cluster", verbose_name=_("clusters"), blank=True, related_name="+")
    value_min = models.DecimalField(
        _("target value (or lower bound)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    value_max = models.DecimalField(
        _("upper bound of a range"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Leave empty for a single value; 20 for a target of 15–20."),
    )
    counts_from = models.DateField(
        _("counted from"),
        null=True,
        blank=True,
        help_text=_("For counts of events (clusters opened, construction started): the start of the period."),
    )
    deadline = models.DateField(_("deadline"))
    note = models.TextField(_("note"), blank=True)
    is_sample = models.BooleanField(_("sample data"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    class Meta:
        ordering = ["deadline", "plan", "id"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        indexes = [models.Index(fields=["deadline"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(value_max__isnull=True) | Q(value_max__gte=F("value_min")),
                name="target_range_ordered",
                violation_error_message=_("The lower bound of the range is above its upper bound."),
            ),
            models.CheckConstraint(
                condition=Q(counts_from__isnull=True) | Q(counts_from__lte=F("deadline")),
                name="target_period_ordered",
                violation_error_message=_("The period cannot start after the deadline."),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_range(self) -> bool:
        return self.value_max is not None and self.value_max != self.value_min
