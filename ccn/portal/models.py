"""The portal's own records: a cluster's public offer (lease prices, fees, utilities, contact) kept by its
infrastructure investor or the province, and the inquiries (leads) investors send from the portal."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ccn.clusters.vsic import sector_label
from ccn.core.history import transitions_for
from ccn.core.models import TimeStampedModel

from .choices import LEAD_STATUS_COLOURS, Currency, LeadStatus, PriceUnit, Timeline

MONEY = {"max_digits": 14, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}

# What an offer's keeper enters: one list for the page's form (forms.OfferForm) and the service
# (services.offer_save refuses any other key).
OFFER_FIELDS = (
    "price_min",
    "price_max",
    "currency",
    "price_unit",
    "term_years",
    "exchange_rate",
    "management_fee",
    "fees_note",
    "utilities",
    "contact_name",
    "contact_email",
    "contact_phone",
    "is_published",
)


class ClusterOffer(TimeStampedModel):
    """What a cluster offers to a secondary investor (giá cho thuê lại đất, phí quản lý, tiện ích): prices are
    set by the infrastructure investor by contract (Decree 32/2024, Arts. 17–18), so they live here, not in
    the registry. Prices are also kept in VND per m² per year so the search can compare and sort them."""

    cluster = models.OneToOneField(
        "clusters.Cluster", verbose_name=_("cluster"), on_delete=models.CASCADE, related_name="portal_offer"
    )
    price_min = models.DecimalField(_("lease price from"), null=True, blank=True, **MONEY)
    price_max = models.DecimalField(_("lease price up to"), null=True, blank=True, **MONEY)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.VND)
    price_unit = models.CharField(_("price unit"), max_length=10, choices=PriceUnit.choices, default=PriceUnit.M2_YEAR)
    term_years = models.PositiveSmallIntegerField(
        _("lease term (years)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(70)],
        help_text=_("Needed when the price is for the whole term: it turns the price into a yearly one."),
    )
    exchange_rate = models.DecimalField(
        _("exchange rate (VND per USD)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("1"))],
        help_text=_("Needed for prices in USD, so they can be compared with prices in VND."),
    )
    price_min_vnd_m2_year = models.DecimalField(null=True, blank=True, editable=False, max_digits=16, decimal_places=2)
    price_max_vnd_m2_year = models.DecimalField(null=True, blank=True, editable=False, max_digits=16, decimal_places=2)
    management_fee = models.DecimalField(
        _("management fee (per m² per year)"), null=True, blank=True, **MONEY, help_text=_("In the offer's currency.")
    )
    fees_note = models.TextField(_("other fees"), blank=True, max_length=2000)
    utilities = models.TextField(
        _("utilities and services"),
        blank=True,
        max_length=3000,
        help_text=_("Power, water, wastewater treatment, telecommunications, and their prices if known."),
    )
    contact_name = models.CharField(_("contact person"), max_length=120, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    is_published = models.BooleanField(_("published on the portal"), default=False)
    is_sample = models.BooleanField(_("sample data"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    class Meta:
        verbose_name = _("cluster offer")
        verbose_name_plural = _("cluster offers")
        constraints = [
            models.CheckConstraint(
                condition=Q(price_min__isnull=True) | Q(price_max__isnull=True) | Q(price_max__gte=F("price_min")),
                name="offer_price_range_ordered",
                violation_error_message=_("The highest price cannot be lower than the lowest price."),
            ),
        ]
        indexes = [models.Index(fields=["price_min_vnd_m2_year"])]

    def __str__(self):
        return str(self.cluster)


class Lead(TimeStampedModel):
    """An inquiry (yêu cầu thông tin thuê đất) sent from the portal about one cluster: routed to the cluster's
    infrastructure investor and to the province's Department of Industry and Trade."""

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    cluster = models.ForeignKey(
        "clusters.Cluster", verbose_name=_("cluster"), on_delete=models.PROTECT, related_name="portal_leads"
    )
    investor = models.ForeignKey(
        "clusters.Organisation",
        verbose_name=_("routed to investor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="portal_leads",
        editable=False,
    )
    province = models.ForeignKey(
        "geo.Province", verbose_name=_("province"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    company = models.CharField(_("company"), max_length=200)
    contact_name = models.CharField(_("contact name"), max_length=120)
    email = models.EmailField(_("e-mail"), max_length=254)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    sector_code = models.CharField(_("sector (VSIC)"), max_length=5, blank=True)
    land_needed_ha = models.DecimalField(
        _("land needed (ha)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1000"))],
    )
    timeline = models.CharField(_("timeline"), max_length=10, choices=Timeline.choices, blank=True)
    message = models.TextField(_("message"), max_length=5000, blank=True)
    language = models.CharField(_("language"), max_length=8, default="vi", editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=LeadStatus.choices, default=LeadStatus.NEW, editable=False, db_index=True
    )
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        indexes = [models.Index(fields=["province", "status"]), models.Index(fields=["investor", "status"])]

    @property
    def sector_label(self) -> str:
        """The sector as pages show it: the code, its name and edition ("1079 – Sản xuất thực phẩm khác… (VSIC
        2025)"), read in the edition in force when the inquiry was sent; the code alone when no table holds it."""
        if not self.sector_code:
            return ""
        return sector_label(self.sector_code, on=timezone.localdate(self.created_at) if self.created_at else None)

    def __str__(self):
        return f"{self.reference} – {self.company}"

    def get_status_color(self) -> str:
        return LEAD_STATUS_COLOURS.get(self.status, "grey")

    @property
    def events(self):
        """The inquiry's steps (who moved it, from which state to which, their note), oldest first: its
        TransitionRecords (docs/decisions/0007-transition-engine.md)."""
        return transitions_for(self)
