"""Tenant projects (dự án đầu tư sản xuất kinh doanh; secondary investors) in a cluster and their leases."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce, TruncDate
from django.utils.translation import gettext_lazy as _

from ccn.core.models import TimeStampedModel

from .choices import PROJECT_STATUS_COLOURS, Currency, ImportKind, ProjectStatus


def began_on_expression():
    """The date a tenant project begins to exist in its cluster: its investment registration, else its lease
    start, else its operation start, else the day it was entered in the register."""
    return Coalesce(
        "capital_date",
        "lease_start",
        "operation_started_on",
        TruncDate("created_at"),
        output_field=models.DateField(),
    )


def existing_q(day) -> Q:
    """Projects that exist on `day` (needs the `began_on` alias): begun by then and not stopped by then. A stopped
    project has handed its land back."""
    stopped = Q(status=ProjectStatus.STOPPED) & (Q(status_since__isnull=True) | Q(status_since__lte=day))
    return Q(began_on__lte=day) & ~stopped


def leasing_q(day) -> Q:
    """Projects whose lease counts as industrial land leased on `day` (Decree 32/2024, Art. 2(7): land leased or
    sub-leased): existing then, the lease begun (or of unknown start) and not ended."""
    return (
        existing_q(day)
        & (Q(lease_start__isnull=True) | Q(lease_start__lte=day))
        & (Q(lease_end__isnull=True) | Q(lease_end__gte=day))
    )


def operating_q(day) -> Q:
    """Projects operating on `day`: existing then, operation started by then (or, with no start date recorded,
    operating now) and not suspended by then. A project stopped or suspended after the day still operated on it."""
    suspended = Q(status=ProjectStatus.SUSPENDED) & (Q(status_since__isnull=True) | Q(status_since__lte=day))
    started = Q(operation_started_on__lte=day) | (
        Q(operation_started_on__isnull=True) & Q(status=ProjectStatus.OPERATING)
    )
    return existing_q(day) & started & ~suspended


# The project's own figures a user enters: one list for the page's form (forms.TenantProjectForm), the service
# (services.PROJECT_FIELDS), the import (io.PROJECT_DATA_KEYS, columns.TENANT_COLUMNS) and the API's edit
# (schemas.TenantProjectPatch); tests/test_fields.py in this app holds the last two to it.
PROJECT_DATA_FIELDS = (
    "name",
    "sector",
    "capital",
    "currency",
    "exchange_rate",
    "capital_date",
    "land_leased_ha",
    "plots",
    "lease_start",
    "lease_end",
    "workers",
    "operation_started_on",
    "wastewater_m3_day",
)


class TenantProjectQuerySet(models.QuerySet):
    """The dated reading of tenant projects that every figure uses (Forms 02–04, registry, dashboard, portal,
    map): which projects exist in their cluster on a date and which leases are in force then."""

    def with_began(self):
        return self.alias(began_on=began_on_expression())

    def existing_on(self, day):
        """Projects that exist on `day` (`existing_q`)."""
        return self.with_began().filter(existing_q(day))

    def operating_on(self, day):
        """Projects operating on `day` (`operating_q`)."""
        return self.with_began().filter(operating_q(day))

    def leasing_on(self, day):
        """Projects whose lease is in force on `day` (`leasing_q`)."""
        return self.with_began().filter(leasing_q(day))


class TenantProject(TimeStampedModel):
    """A tenant project (dự án của nhà đầu tư thứ cấp): an enterprise's project on leased land in a cluster."""

    cluster = models.ForeignKey(
        "clusters.Cluster",
        verbose_name=_("cluster"),
        on_delete=models.PROTECT,
        related_name="tenant_projects",
    )
    enterprise = models.ForeignKey(
        "clusters.Organisation",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="tenant_projects",
    )
    name = models.CharField(_("project name"), max_length=300)
    sector = models.ForeignKey(
        "clusters.Sector",
        verbose_name=_("sector (VSIC 2018)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tenant_projects",
    )
    sector_2025 = models.ForeignKey(
        "clusters.Sector2025",
        verbose_name=_("sector (VSIC 2025)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tenant_projects",
        editable=False,
    )
    capital = models.DecimalField(
        _("registered capital"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.VND)
    exchange_rate = models.DecimalField(
        _("exchange rate (VND per unit)"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("The rate on the date of the investment registration, so totals can be given in VND."),
    )
    capital_date = models.DateField(_("capital registered on"), null=True, blank=True)
    land_leased_ha = models.DecimalField(
        _("land leased (ha)"),
        max_digits=10,
        decimal_places=4,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    plots = models.CharField(_("plots"), max_length=200, blank=True)
    lease_start = models.DateField(_("lease start"), null=True, blank=True)
    lease_end = models.DateField(_("lease end"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ProjectStatus.choices,
        default=ProjectStatus.REGISTERED,
        db_index=True,
    )
    status_since = models.DateField(_("in this status since"), null=True, blank=True, editable=False)
    workers = models.PositiveIntegerField(_("workers"), null=True, blank=True)
    operation_started_on = models.DateField(_("operation started on"), null=True, blank=True)
    wastewater_m3_day = models.DecimalField(
        _("declared wastewater discharge (m³/day)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    is_sample = models.BooleanField(_("sample data"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = TenantProjectQuerySet.as_manager()

    class Meta:
        ordering = ["cluster", "name"]
        verbose_name = _("tenant project")
        verbose_name_plural = _("tenant projects")
        constraints = [
            models.CheckConstraint(
                condition=Q(lease_end__isnull=True) | Q(lease_start__isnull=True) | Q(lease_end__gte=F("lease_start")),
                name="lease_ends_after_start",
                violation_error_message=_("A lease cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(sector__isnull=True) | Q(sector_2025__isnull=True),
                name="one_vsic_edition",
                violation_error_message=_("A project has one sector, in one VSIC edition."),
            ),
            models.UniqueConstraint(
                fields=["cluster", "enterprise", "name"],
                name="unique_project_per_enterprise",
                violation_error_message=_("This enterprise already has a project of this name in this cluster."),
            ),
        ]
        indexes = [models.Index(fields=["cluster", "status"])]

    def __str__(self):
        return self.name

    @property
    def sector_ref(self):
        """The project's sector in the edition it was given in (VSIC 2018 or VSIC 2025), or None."""
        return self.sector_2025 if self.sector_2025_id else self.sector

    @property
    def sector_code(self) -> str | None:
        return self.sector_2025_id or self.sector_id

    @property
    def sector_edition(self) -> int | None:
        return 2025 if self.sector_2025_id else 2018 if self.sector_id else None

    @property
    def capital_vnd(self):
        return None if self.capital is None else self.capital * self.exchange_rate

    @property
    def is_foreign_invested(self) -> bool:
        """Foreign-invested (có vốn đầu tư nước ngoài): derived from the enterprise's investor country."""
        return self.enterprise.country != "VN"

    def get_status_color(self) -> str:
        return PROJECT_STATUS_COLOURS.get(self.status, "grey")


class ImportRun(models.Model):
    """One committed spreadsheet import: who, which file, what it did. Its change record (action "import") and
    the change records of every row it wrote share one request id."""

    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    filename = models.CharField(_("file"), max_length=255)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    request_id = models.CharField(max_length=32, blank=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.filename}"
