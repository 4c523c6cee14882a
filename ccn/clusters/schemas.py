"""API schemas of the registry. The public schema carries only published, non-confidential fields."""

import datetime
from decimal import Decimal

from ninja import Field, Schema

from .choices import ClusterKind, ClusterStatus, DocumentKind, FundingSource, OrganisationKind


class CommuneRef(Schema):
    code: str
    name: str


class ClusterConfidentialOut(Schema):
    """Fields only signed-in users in scope see; null for the public."""

    funding_source: str
    infra_capital_approved_bn: Decimal | None
    infra_capital_disbursed_bn: Decimal | None
    investor_id: int | None
    is_published: bool
    internal_notes: str
    coordinate_source: str
    version: int
    updated_at: datetime.datetime


class ClusterOut(Schema):
    code: str
    name: str
    name_en: str
    kind: ClusterKind
    mountainous_area: bool
    status: ClusterStatus
    status_since: datetime.date | None
    province_code: str
    province_name: str
    area_planned_ha: Decimal | None
    area_established_ha: Decimal | None
    industrial_land_ha: Decimal | None
    ready_land_ha: Decimal | None
    leased_land_ha: Decimal | None
    land_confirmed_on: datetime.date | None
    investor_name: str | None
    lat: float | None
    lon: float | None
    is_sample: bool
    confidential: ClusterConfidentialOut | None


class FormerAddressOut(Schema):
    """The address as written before 1 July 2025 and how it was resolved to today's commune."""

    province: str
    district: str
    commune: str
    legacy_district_code: str | None
    legacy_ward_code: str | None
    match: str
    to_confirm: bool


class ClusterDetailOut(ClusterOut):
    communes: list[CommuneRef]
    former_address: FormerAddressOut | None = None
    sectors: list[str]
    boundary: dict | None


class VN2000In(Schema):
    """A point surveyed in VN-2000 on the province's 3° zone; converted to WGS 84 on input."""

    x: float | str = Field(..., description="X: the northing in metres, e.g. 1355000.25")
    y: float | str = Field(..., description="Y: the easting in metres (500 km false easting), e.g. 603000.5")
    meridian: float | None = Field(
        None, description="Central meridian in degrees (e.g. 108.25); only for a province spanning two zones"
    )


class DocumentIn(Schema):
    kind: DocumentKind
    number: str = Field(..., min_length=1, max_length=60)
    issued_on: datetime.date
    issuer: str = Field(..., min_length=1, max_length=200)
    title: str = Field("", max_length=300)
    is_public: bool = True


class FormerAddressIn(Schema):
    """A location as written before 1 July 2025: names or codes, accents and the unit word optional. It is
    resolved to today's commune with the official mapping; where the former commune was split, give the chosen
    new commune in `communes` (otherwise 422 with the `candidates`)."""

    province: str = Field("", max_length=120, description="Former (or today's) province; default the cluster's")
    district: str = Field("", max_length=120, description="Former district, e.g. Huyện Gia Lâm")
    commune: str = Field("", max_length=120, description="Former commune, e.g. Xã Bát Tràng")


class ClusterIn(Schema):
    code: str
    name: str = Field(..., min_length=2, max_length=200)
    name_en: str = ""
    kind: ClusterKind = ClusterKind.ORDINARY
    mountainous_area: bool = Field(
        False,
        description="In a mountainous district (huyện miền núi): the area may be 5–75 ha instead of 10–75 ha "
        "(Decree 32/2024/NĐ-CP, Art. 2(1))",
    )
    province: str = Field(..., description="Province code (2 digits)")
    communes: list[str] = Field(
        default_factory=list, description="Commune codes (5 digits) in that province; may be empty with former_address"
    )
    former_address: FormerAddressIn | None = Field(None, description="The location as written before 1 July 2025")
    sectors: list[str] = Field(default_factory=list, description="VSIC 2018 codes")
    area_planned_ha: Decimal | None = Field(None, ge=0, le=100000)
    area_established_ha: Decimal | None = Field(None, ge=0, le=100000)
    industrial_land_ha: Decimal | None = Field(None, ge=0, le=100000)
    ready_land_ha: Decimal | None = Field(None, ge=0, le=100000)
    land_confirmed_on: datetime.date | None = None
    infra_capital_approved_bn: Decimal | None = Field(None, ge=0, le=10**9)
    infra_capital_disbursed_bn: Decimal | None = Field(None, ge=0, le=10**9)
    investor_id: int | None = None
    funding_source: FundingSource | None = None
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)
    vn2000: VN2000In | None = Field(None, description="Instead of lat/lon: the point in VN-2000")
    boundary: dict | None = None
    is_published: bool = True
    internal_notes: str = ""
    status: ClusterStatus = Field(
        ClusterStatus.PLANNED, description="The state the cluster is in (an existing cluster entered with its past)"
    )
    status_since: datetime.date | None = Field(None, description="The day that state began (default today)")
    document: DocumentIn | None = Field(None, description="The act behind that state (its date is the state's)")


class ClusterPatch(Schema):
    name: str | None = Field(None, min_length=2, max_length=200)
    name_en: str | None = None
    kind: ClusterKind | None = None
    mountainous_area: bool | None = Field(None, description="In a mountainous district (Decree 32/2024, Art. 2(1))")
    communes: list[str] | None = None
    former_address: FormerAddressIn | None = Field(None, description="The location as written before 1 July 2025")
    sectors: list[str] | None = None
    area_planned_ha: Decimal | None = Field(None, ge=0, le=100000)
    area_established_ha: Decimal | None = Field(None, ge=0, le=100000)
    industrial_land_ha: Decimal | None = Field(None, ge=0, le=100000)
    ready_land_ha: Decimal | None = Field(None, ge=0, le=100000)
    land_confirmed_on: datetime.date | None = None
    infra_capital_approved_bn: Decimal | None = Field(None, ge=0, le=10**9)
    infra_capital_disbursed_bn: Decimal | None = Field(None, ge=0, le=10**9)
    investor_id: int | None = None
    funding_source: FundingSource | None = None
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)
    vn2000: VN2000In | None = Field(None, description="Instead of lat/lon: the point in VN-2000")
    boundary: dict | None = None
    is_published: bool | None = None
    internal_notes: str | None = None
    version: int | None = Field(None, description="The version you read; a save over a newer one is refused (409)")


class DocumentOut(Schema):
    id: int
    kind: DocumentKind
    number: str
    issued_on: datetime.date
    issuer: str
    title: str
    is_public: bool


class TransitionIn(Schema):
    action: str
    effective_on: datetime.date
    document_id: int | None = None
    document: DocumentIn | None = None
    comment: str = Field("", max_length=2000)
    version: int | None = None


class EventOut(Schema):
    action: str
    from_status: str
    to_status: str
    effective_on: datetime.date
    document_id: int | None
    actor: str | None = Field(None, alias="actor.username")
    comment: str


class ChangeOut(Schema):
    at: datetime.datetime
    action: str
    actor: str | None = Field(None, alias="actor.username")
    before: dict | None
    after: dict | None
    message: str


class OrganisationIn(Schema):
    name: str = Field(..., min_length=2, max_length=300)
    kind: OrganisationKind = OrganisationKind.ENTERPRISE
    tax_code: str = Field("", max_length=14)
    country: str = Field("VN", pattern=r"^[A-Za-z]{2}$")
    address: str = Field("", max_length=300)
    contact_email: str = Field("", max_length=254)
    contact_phone: str = Field("", max_length=40)
    website: str = Field("", max_length=200)


class OrganisationPatch(Schema):
    """The fields to change; those not sent keep their values."""

    name: str | None = Field(None, min_length=2, max_length=300)
    kind: OrganisationKind | None = None
    tax_code: str | None = Field(None, max_length=14)
    country: str | None = Field(None, pattern=r"^[A-Za-z]{2}$")
    address: str | None = Field(None, max_length=300)
    contact_email: str | None = Field(None, max_length=254)
    contact_phone: str | None = Field(None, max_length=40)
    website: str | None = Field(None, max_length=200)
    version: int | None = Field(
        None, description="The version you read (or send it as If-Match): missing 428, stale 409 naming who and when"
    )


class OrganisationOut(Schema):
    id: int
    name: str
    kind: OrganisationKind
    tax_code: str
    country: str
    is_foreign: bool
    version: int


class ClusterPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ClusterOut]


class OrganisationPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[OrganisationOut]
