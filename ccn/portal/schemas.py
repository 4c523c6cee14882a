"""API schemas of the portal. The public schemas list every field they carry: nothing else can reach the public."""

import datetime
from decimal import Decimal

from ninja import Field, Schema

from .choices import Currency, LeadStatus, PriceUnit, Timeline


class PortalClusterOut(Schema):
    code: str
    name: str
    name_en: str
    status: str
    status_label: str
    province_code: str
    province_name: str
    industrial_land_ha: Decimal | None
    ready_land_ha: Decimal | None
    leased_land_ha: Decimal | None
    vacant_land_ha: Decimal | None
    occupancy_pct: Decimal | None
    land_confirmed_on: datetime.date | None
    land_figures_stale: bool
    price_from_vnd_m2_year: Decimal | None
    price_to_vnd_m2_year: Decimal | None
    distance_km: float | None
    lat: float | None
    lon: float | None
    is_sample: bool
    url: str


class PortalClusterPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[PortalClusterOut]


class OfferPublicOut(Schema):
    price_min: Decimal | None
    price_max: Decimal | None
    currency: Currency
    price_unit: PriceUnit
    term_years: int | None
    price_min_vnd_m2_year: Decimal | None
    price_max_vnd_m2_year: Decimal | None
    management_fee: Decimal | None
    fees_note: str
    utilities: str
    contact_name: str
    contact_email: str
    contact_phone: str
    is_sample: bool
    updated_at: datetime.datetime


class ContactOut(Schema):
    organisation: str | None
    name: str
    email: str
    phone: str
    website: str


class SectorOut(Schema):
    code: str
    name: str
    name_en: str


class DocumentPublicOut(Schema):
    id: int
    kind: str
    number: str
    issued_on: datetime.date
    issuer: str
    title: str
    download_url: str | None


class PortalComponentOut(Schema):
    kind: str
    label: str
    status: str
    percent_complete: int


class WastewaterOut(Schema):
    status: str
    design_capacity_m3_day: Decimal | None
    auto_monitoring: bool
    compliant: bool = Field(
        description="Meets a standard today: operating, and its result in force meets a standard that applies to it "
        "on the day (Circular 14/2024/TT-BCT, Forms 03/04, item 27)"
    )
    standard: str = Field(description='The standard it meets today; "" when it does not')
    compliance: str = Field(description="The same in words, in the request's language, as the profile page says it")


class PortalClusterDetailOut(PortalClusterOut):
    kind: str
    communes: list[str]
    sectors: list[SectorOut]
    offer: OfferPublicOut | None
    contact: ContactOut
    documents: list[DocumentPublicOut]
    infrastructure: list[PortalComponentOut]
    wastewater_plant: WastewaterOut | None


class SectorAnswerOut(Schema):
    code: str
    label: str = Field(..., description="The code, its Vietnamese name and its VSIC edition (2018 or 2025)")
    fits: bool | None
    reason: str
    matched: list[str]


class InquiryIn(Schema):
    company: str = Field(..., min_length=1, max_length=200)
    contact_name: str = Field(..., min_length=1, max_length=120)
    email: str = Field(..., max_length=254)
    phone: str = Field("", max_length=40)
    sector_code: str = Field("", max_length=5)
    land_needed_ha: Decimal | None = Field(None, gt=0, le=1000)
    timeline: Timeline | None = None
    message: str = Field("", max_length=5000)
    leave_empty: str = Field("", description="Honeypot: must stay empty", max_length=200)


class InquiryAckOut(Schema):
    reference: str
    status: LeadStatus
    detail: str


class OfferIn(Schema):
    price_min: Decimal | None = Field(None, ge=0, le=10**11)
    price_max: Decimal | None = Field(None, ge=0, le=10**11)
    currency: Currency = Currency.VND
    price_unit: PriceUnit = PriceUnit.M2_YEAR
    term_years: int | None = Field(None, ge=1, le=70)
    exchange_rate: Decimal | None = Field(None, ge=1, le=10**8)
    management_fee: Decimal | None = Field(None, ge=0, le=10**11)
    fees_note: str = Field("", max_length=2000)
    utilities: str = Field("", max_length=3000)
    contact_name: str = Field("", max_length=120)
    contact_email: str = Field("", max_length=254)
    contact_phone: str = Field("", max_length=40)
    is_published: bool = False
    version: int | None = Field(None, description="The version you read; a save over a newer one is refused (409)")


class OfferOut(OfferPublicOut):
    cluster_code: str
    is_published: bool
    exchange_rate: Decimal | None
    version: int


class LeadEventOut(Schema):
    action: str
    from_status: str
    to_status: str
    actor: str | None
    note: str
    at: datetime.datetime


class LeadOut(Schema):
    id: int
    reference: str
    cluster_code: str
    cluster_name: str
    province_code: str
    company: str
    contact_name: str
    email: str
    phone: str
    sector_code: str
    land_needed_ha: Decimal | None
    timeline: str
    message: str
    language: str
    status: LeadStatus
    status_changed_at: datetime.datetime | None
    created_at: datetime.datetime
    version: int


class LeadDetailOut(LeadOut):
    events: list[LeadEventOut]
    allowed_actions: list[str]


class LeadPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[LeadOut]


class LeadTransitionIn(Schema):
    action: str
    note: str = Field("", max_length=2000)
    version: int | None = None
