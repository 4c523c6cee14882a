"""Infrastructure components of a cluster and its central wastewater plant (trạm xử lý nước thải tập trung)."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from ccn.core.models import TimeStampedModel

from .choices import ComponentKind, ComponentStatus, PlantStatus, WastewaterStandard


class InfrastructureComponent(TimeStampedModel):
    cluster = models.ForeignKey("clusters.Cluster", on_delete=models.CASCADE, related_name="infrastructure")
    kind = models.CharField(_("component"), max_length=30, choices=ComponentKind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=ComponentStatus.choices, default=ComponentStatus.NOT_STARTED
    )
    percent_complete = models.PositiveSmallIntegerField(
        _("percent complete"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    updated_on = models.DateField(_("as of"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["cluster", "kind"]
        verbose_name = _("infrastructure component")
        verbose_name_plural = _("infrastructure components")
        constraints = [
            models.UniqueConstraint(fields=["cluster", "kind"], name="unique_component_per_cluster"),
            models.CheckConstraint(condition=Q(percent_complete__lte=100), name="percent_at_most_100"),
        ]

    def __str__(self):
        return self.get_kind_display()


class WastewaterPlant(TimeStampedModel):
    cluster = models.OneToOneField("clusters.Cluster", on_delete=models.CASCADE, related_name="wastewater_plant")
    status = models.CharField(_("status"), max_length=20, choices=PlantStatus.choices, default=PlantStatus.NONE)
    design_capacity_m3_day = models.DecimalField(
        _("design capacity (m³/day)"),
        max_digits=10,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    auto_monitoring = models.BooleanField(_("automatic continuous monitoring installed"), default=False)
    environmental_permit = models.CharField(_("environmental permit"), max_length=200, blank=True)
    permit_issued_on = models.DateField(_("permit issued on"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("central wastewater plant")
        verbose_name_plural = _("central wastewater plants")

    def __str__(self):
        return f"{self.cluster}: {self.get_status_display()}"

    @cached_property
    def latest_result(self) -> WastewaterResult | None:
        """The plant's last compliance result: the latest of its dated results, read, never stored (results are
        entered only as results: `services.result_add`)."""
        return self.results.order_by(*WastewaterResult.NEWEST_FIRST).first()

    def results_oldest_first(self) -> list[WastewaterResult]:
        """Its results in the one order of `WastewaterResult.NEWEST_FIRST`, oldest first, sorted in Python so a
        prefetch of `results` serves it (the exchange bundle)."""
        return sorted(self.results.all(), key=WastewaterResult.order_key)


class WastewaterResult(TimeStampedModel):
    """One dated compliance result of a central plant (the monitoring report or inspection behind it). Every result
    is kept; the plant's last result is the latest of them (`WastewaterPlant.latest_result`, not stored), and the
    figures read the result in force on a day (`selectors.meets_standard_on`)."""

    plant = models.ForeignKey(WastewaterPlant, on_delete=models.CASCADE, related_name="results")
    sampled_on = models.DateField(_("sample date"))
    compliant = models.BooleanField(_("meets the standard"), null=True, blank=True)
    standard = models.CharField(_("standard"), max_length=30, choices=WastewaterStandard.choices, blank=True)
    document = models.CharField(_("document of the result"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    # The one order of a plant's results, newest first; the last result is the first of it. The sample date, then
    # the latest entered: the database holds one result per plant and day, so the id only makes the order total.
    # `latest_result`, the plant's panel, the exchange bundle and the result in force of the figures
    # (`selectors.meets_standard_on`) all read it (`order_key` for results already read).
    NEWEST_FIRST = ("-sampled_on", "-id")

    class Meta:
        ordering = ["plant", "-sampled_on"]
        verbose_name = _("wastewater compliance result")
        verbose_name_plural = _("wastewater compliance results")
        constraints = [models.UniqueConstraint(fields=["plant", "sampled_on"], name="one_result_per_plant_and_day")]

    def __str__(self):
        return f"{self.plant.cluster}: {self.sampled_on:%d/%m/%Y}"

    def order_key(self) -> tuple:
        """`NEWEST_FIRST` as an ascending sort key, for results already read."""
        return (self.sampled_on, self.pk)
