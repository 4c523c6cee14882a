"""The registry: organisations, clusters (cụm công nghiệp), their legal documents, lifecycle events,
sectors (VSIC 2018 and VSIC 2025, docs/decisions/0010-vsic-editions.md) and the legal rules held as dated data."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ccn.accounts import policy
from ccn.core.models import TimeStampedModel

from .choices import (
    STATUS_COLOURS,
    ClusterKind,
    ClusterStatus,
    DocumentKind,
    FigureField,
    FundingSource,
    LocationMatch,
    OrganisationKind,
    RuleKey,
)
from .occupancy import occupancy_pct
from .validators import validate_cluster_code, validate_tax_code

# The options of a field in hectares and of one in billions of VND (the registry's, the plans' and the dossiers').
HA = {"max_digits": 10, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}
BN = {"max_digits": 14, "decimal_places": 3, "validators": [MinValueValidator(Decimal("0"))]}

# A cluster's names and figures a user enters: one list for the page's form (forms.ClusterForm), the service
# (services.CLUSTER_FIELDS) and the import (tenants.io.CLUSTER_DATA_KEYS), each adding what it takes besides.
CLUSTER_DATA_FIELDS = (
    "name",
    "name_en",
    "kind",
    "mountainous_area",
    "area_planned_ha",
    "area_established_ha",
    "industrial_land_ha",
    "ready_land_ha",
    "land_confirmed_on",
    "infra_capital_approved_bn",
    "infra_capital_disbursed_bn",
)


class VsicCode(models.Model):
    """A code of one edition of the Vietnam Standard Industrial Classification (Hệ thống ngành kinh tế Việt Nam):
    a section letter or a 2–5 digit code, its names and its parent."""

    code = models.CharField(_("code"), max_length=5, primary_key=True)
    name = models.CharField(_("name"), max_length=250)
    name_en = models.CharField(_("English name"), max_length=250, blank=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")

    edition: int

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} – {self.name}"

    @property
    def label(self) -> str:
        """The code, its name and its edition, as pages show a sector ("86 – Hoạt động y tế (VSIC 2018)")."""
        return f"{self} (VSIC {self.edition})"


class Sector(VsicCode):
    """A VSIC 2018 code (Decision 27/2018/QĐ-TTg): sections and divisions (docs/import.md)."""

    edition = 2018

    class Meta(VsicCode.Meta):
        verbose_name = _("sector (VSIC 2018)")
        verbose_name_plural = _("sectors (VSIC 2018)")


class Sector2025(VsicCode):
    """A VSIC 2025 code (Decision 36/2025/QĐ-TTg, in force from 15/11/2025), every level. A table of its own beside
    VSIC 2018: the two editions reuse codes with other meanings (section Q is health in 2018, education in 2025),
    so a code alone does not name a sector (docs/decisions/0010-vsic-editions.md)."""

    edition = 2025

    class Meta(VsicCode.Meta):
        verbose_name = _("sector (VSIC 2025)")
        verbose_name_plural = _("sectors (VSIC 2025)")


class Organisation(TimeStampedModel):
    """An enterprise, cooperative or public unit: infrastructure investor or tenant (nhà đầu tư thứ cấp)."""

    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(
        _("kind"), max_length=20, choices=OrganisationKind.choices, default=OrganisationKind.ENTERPRISE
    )
    tax_code = models.CharField(
        _("tax code"),
        max_length=14,
        blank=True,
        validators=[validate_tax_code],
        help_text=_("10 digits with a check digit; a branch adds -NNN. May be empty for a foreign investor."),
    )
    country = models.CharField(
        _("country of the investor"),
        max_length=2,
        default="VN",
        help_text=_("ISO 3166 code: VN for a domestic investor."),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    search_key = models.CharField(max_length=300, db_index=True, editable=False, default="")
    is_sample = models.BooleanField(_("sample data"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_in = models.ForeignKey(
        "geo.Province",
        verbose_name=_("entered by the province"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The province whose officer entered the organisation; it belongs to that province's scope."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["tax_code"],
                condition=~Q(tax_code=""),
                name="unique_org_tax_code",
                violation_error_message=_("An organisation with this tax code already exists."),
            ),
            models.CheckConstraint(condition=Q(country__regex=r"^[A-Z]{2}$"), name="org_country_iso2"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_foreign(self) -> bool:
        return self.country != "VN"


class ClusterQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(policy.scope_q(user, self.model))  # as selectors.cluster_scope_q


class Cluster(TimeStampedModel):
    """Cụm công nghiệp: a bounded area of 10–75 ha (5–75 ha in mountainous districts and for craft villages) for
    industry and handicrafts, planned and established by the province and filled with tenant projects."""

    code = models.CharField(
        _("code"),
        max_length=30,
        unique=True,
        validators=[validate_cluster_code],
        error_messages={"unique": _("A cluster with this code already exists.")},
    )
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=ClusterKind.choices, default=ClusterKind.ORDINARY)
    mountainous_area = models.BooleanField(
        _("mountainous area"),
        default=False,
        help_text=_(
            "The cluster lies in a mountainous district (huyện miền núi): its area may be 5–75 ha instead of "
            "10–75 ha (Decree 32/2024/NĐ-CP, Art. 2(1); Decree 68/2017/NĐ-CP, Art. 2(1) from 15/07/2017)."
        ),
    )
    province = models.ForeignKey(
        "geo.Province", verbose_name=_("province"), on_delete=models.PROTECT, related_name="clusters"
    )
    communes = models.ManyToManyField("geo.Commune", verbose_name=_("communes"), related_name="clusters")
    legacy_district = models.ForeignKey(
        "geo.LegacyDistrict",
        verbose_name=_("former district (as entered)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clusters",
    )
    # The address as written before 1 July 2025 (imports, forms, API) and how it was resolved (ccn.geo.resolve).
    former_province_name = models.CharField(_("former province (as written)"), max_length=120, blank=True)
    former_district_name = models.CharField(_("former district (as written)"), max_length=120, blank=True)
    former_commune_name = models.CharField(_("former commune (as written)"), max_length=120, blank=True)
    legacy_ward = models.ForeignKey(
        "geo.LegacyWard",
        verbose_name=_("former commune"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clusters",
    )
    location_match = models.CharField(
        _("how the former address was resolved"), max_length=10, choices=LocationMatch.choices, blank=True
    )
    location_to_confirm = models.BooleanField(
        _("location to confirm"),
        default=False,
        db_index=True,
        help_text=_("The commune was chosen among several or found by a close spelling: an officer confirms it."),
    )
    area_planned_ha = models.DecimalField(_("area in the plan (ha)"), null=True, blank=True, **HA)
    area_established_ha = models.DecimalField(_("established area (ha)"), null=True, blank=True, **HA)
    industrial_land_ha = models.DecimalField(_("industrial land per the 1/500 plan (ha)"), null=True, blank=True, **HA)
    ready_land_ha = models.DecimalField(
        _("industrial land ready to lease (ha)"),
        null=True,
        blank=True,
        **HA,
        help_text=_("Land with infrastructure built, available to lease (đủ điều kiện cho thuê)."),
    )
    land_confirmed_on = models.DateField(_("land figures confirmed on"), null=True, blank=True)
    infra_capital_approved_bn = models.DecimalField(
        _("approved infrastructure investment (VND bn)"), null=True, blank=True, **BN
    )
    infra_capital_disbursed_bn = models.DecimalField(
        _("infrastructure capital paid (VND bn)"), null=True, blank=True, **BN
    )
    sectors = models.ManyToManyField(
        Sector, verbose_name=_("main sectors (VSIC 2018)"), blank=True, related_name="clusters"
    )
    investor = models.ForeignKey(
        Organisation,
        verbose_name=_("infrastructure investor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invested_clusters",
    )
    funding_source = models.CharField(_("funding source"), max_length=20, choices=FundingSource.choices, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    boundary = models.JSONField(_("boundary (GeoJSON, WGS84)"), null=True, blank=True)
    min_lon = models.FloatField(null=True, blank=True, editable=False)
    min_lat = models.FloatField(null=True, blank=True, editable=False)
    max_lon = models.FloatField(null=True, blank=True, editable=False)
    max_lat = models.FloatField(null=True, blank=True, editable=False)
    coordinate_source = models.CharField(_("coordinates entered in"), max_length=60, blank=True, default="WGS84")
    status = models.CharField(
        _("state"),
        max_length=30,
        choices=ClusterStatus.choices,
        default=ClusterStatus.PLANNED,
        editable=False,
        db_index=True,
    )
    status_since = models.DateField(_("in this state since"), null=True, blank=True, editable=False)
    is_published = models.BooleanField(
        _("published"),
        default=True,
        help_text=_("Published clusters appear on the public portal and open data."),
    )
    is_sample = models.BooleanField(_("sample data"), default=False)
    internal_notes = models.TextField(_("internal notes"), blank=True)
    search_key = models.CharField(max_length=400, db_index=True, editable=False, default="")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = ClusterQuerySet.as_manager()

    class Meta:
        ordering = ["province__code", "name"]
        verbose_name = _("industrial cluster")
        verbose_name_plural = _("industrial clusters")
        indexes = [
            models.Index(fields=["province", "status"]),
            models.Index(fields=["min_lon", "max_lon", "min_lat", "max_lat"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ready_land_ha__isnull=True)
                | Q(industrial_land_ha__isnull=True)
                | Q(ready_land_ha__lte=F("industrial_land_ha")),
                name="ready_land_within_industrial_land",
                violation_error_message=_("Land ready to lease cannot exceed the industrial land of the 1/500 plan."),
            ),
            models.CheckConstraint(
                condition=Q(lat__isnull=True) | Q(lat__gte=-90, lat__lte=90), name="cluster_lat_range"
            ),
            models.CheckConstraint(
                condition=Q(lon__isnull=True) | Q(lon__gte=-180, lon__lte=180), name="cluster_lon_range"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def area_ha(self):
        """The area that counts for legal limits: the established area once established, else the planned one."""
        return self.area_established_ha if self.area_established_ha is not None else self.area_planned_ha

    @property
    def occupancy_pct(self) -> Decimal | None:
        """Occupancy today (`occupancy.occupancy_pct`) from the leases summed by `selectors.with_land_figures`
        (None on a cluster read without them)."""
        leased = self.__dict__.get("leased_land_ha")
        if leased is None:
            return None
        return occupancy_pct(leased, self.industrial_land_ha)

    def get_status_color(self) -> str:
        return STATUS_COLOURS.get(self.status, "grey")


class LegalDocument(TimeStampedModel):
    """A decision or notice behind a cluster's state: number, date, issuer, kind. Its signed scan and other files
    are in the attachment store (ccn/attachments)."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=30, choices=DocumentKind.choices)
    number = models.CharField(_("number"), max_length=60)
    issued_on = models.DateField(_("date"))
    issuer = models.CharField(_("issuer"), max_length=200)
    title = models.CharField(_("title"), max_length=300, blank=True)
    is_public = models.BooleanField(_("public"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("legal document")
        verbose_name_plural = _("legal documents")

    def __str__(self):
        return f"{self.number} ({self.issued_on:%d/%m/%Y})"


class ClusterEvent(models.Model):
    """One dated change of a cluster's lifecycle state: the history that "as of" questions read."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=40)
    from_status = models.CharField(_("from"), max_length=30, choices=ClusterStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=30, choices=ClusterStatus.choices)
    effective_on = models.DateField(_("effective on"), db_index=True)
    document = models.ForeignKey(LegalDocument, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["effective_on", "id"]
        indexes = [models.Index(fields=["cluster", "effective_on"])]
        verbose_name = _("lifecycle event")
        verbose_name_plural = _("lifecycle events")

    def __str__(self):
        return f"{self.cluster_id}: {self.from_status} → {self.to_status} ({self.effective_on})"


class ClusterFigure(models.Model):
    """One dated value of a cluster figure (area, industrial land, ready land, investor, funding source): the
    value in force from `valid_from` until the next value of the same field. The cluster's own columns hold the
    value in force today; reports of a past period read the value in force on the period's end
    (`ccn.clusters.figures`). An empty value records that the figure became unknown from that date."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="figures")
    field = models.CharField(_("figure"), max_length=30, choices=FigureField.choices)
    value = models.DecimalField(_("value (ha)"), null=True, blank=True, **HA)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("infrastructure investor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.CharField(_("value"), max_length=30, blank=True)
    valid_from = models.DateField(_("valid from"))
    document = models.ForeignKey(
        LegalDocument,
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cluster", "field", "valid_from", "id"]
        verbose_name = _("dated cluster figure")
        verbose_name_plural = _("dated cluster figures")
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "field", "valid_from"],
                name="unique_cluster_figure_date",
                violation_error_message=_("This figure already has a value from that date."),
            ),
        ]
        indexes = [models.Index(fields=["cluster", "field", "-valid_from"])]

    def __str__(self):
        return f"{self.cluster_id} {self.field} = {self.current} ({self.valid_from})"

    @property
    def current(self):
        if self.field == FigureField.INVESTOR:
            return self.organisation_id
        if self.field == FigureField.FUNDING_SOURCE:
            return self.text
        return self.value


class LegalRule(models.Model):
    """A legal threshold or limit in force between two dates, with its legal source; editable by administrators."""

    key = models.CharField(_("rule"), max_length=60, choices=RuleKey.choices)
    cluster_kind = models.CharField(
        _("applies to type"),
        max_length=20,
        choices=ClusterKind.choices,
        blank=True,
        help_text=_("Empty: every type."),
    )
    mountainous_only = models.BooleanField(
        _("mountainous areas only"),
        default=False,
        help_text=_("Applies only to clusters in mountainous areas (the 5 ha floor of Decree 32/2024, Art. 2(1))."),
    )
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=3)
    effective_from = models.DateField(_("in force from"))
    effective_to = models.DateField(_("in force until"), null=True, blank=True)
    legal_source = models.CharField(_("legal source"), max_length=200)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["key", "cluster_kind", "mountainous_only", "-effective_from"]
        verbose_name = _("legal rule")
        verbose_name_plural = _("legal rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
                name="rule_dates_ordered",
                violation_error_message=_("A rule cannot end before it starts."),
            ),
            models.UniqueConstraint(
                fields=["key", "cluster_kind", "mountainous_only", "effective_from"], name="unique_rule_start"
            ),
        ]

    def __str__(self):
        return f"{self.get_key_display()} = {self.value} ({self.legal_source})"
