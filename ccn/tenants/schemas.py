"""API schemas of tenant projects, land accounts and imports."""

import datetime
from decimal import Decimal

from ninja import Field, Schema

from .choices import Currency, ImportKind, ProjectStatus


class EnterpriseOut(Schema):
    id: int
    name: str
    tax_code: str
    country: str


class TenantProjectOut(Schema):
    id: int
    cluster_code: str
    cluster_name: str
    enterprise: EnterpriseOut
    foreign_invested: bool
    name: str
    sector: str | None
    sector_edition: int | None = Field(None, description="2018 or 2025: the VSIC edition the code belongs to")
    sector_name: str | None = Field(None, description="The code's Vietnamese name in that edition")
    capital: Decimal | None
    currency: Currency
    exchange_rate: Decimal
    capital_vnd: Decimal | None
    capital_date: datetime.date | None
    land_leased_ha: Decimal
    plots: str
    lease_start: datetime.date | None
    lease_end: datetime.date | None
    status: ProjectStatus
    status_since: datetime.date | None
    workers: int | None
    operation_started_on: datetime.date | None
    wastewater_m3_day: Decimal | None
    is_sample: bool
    version: int
    can_edit: bool


class TenantTotalsOut(Schema):
    projects: int
    foreign: int
    operating: int
    land_ha: Decimal
    workers: int
    capital_vnd: Decimal | None


class TenantProjectPage(Schema):
    items: list[TenantProjectOut]
    count: int
    limit: int
    offset: int
    totals: TenantTotalsOut


SECTOR_HELP = (
    "A VSIC section letter or a 2–5 digit code: read in VSIC 2018 when capital_date is before 15/11/2025, in "
    "VSIC 2025 from then on, in either (VSIC 2018 first) without a date"
)


class TenantProjectIn(Schema):
    cluster: str = Field(..., description="Cluster code")
    tax_code: str = Field(..., description="The enterprise's tax code (10 digits, optional -NNN)")
    enterprise_name: str = Field("", description="Needed when the enterprise is new to the system")
    country: str = Field("VN", min_length=2, max_length=2, description="ISO code of the investor's country")
    name: str = Field(..., min_length=1, max_length=300)
    status: ProjectStatus = ProjectStatus.REGISTERED
    status_since: datetime.date | None = Field(
        None, description="The day the status began, for a project entered with its past (default today)"
    )
    sector: str | None = Field(None, description=SECTOR_HELP)
    capital: Decimal | None = Field(None, ge=0)
    currency: Currency = Currency.VND
    exchange_rate: Decimal | None = Field(None, gt=0)
    capital_date: datetime.date | None = None
    land_leased_ha: Decimal = Field(Decimal("0"), ge=0, le=100000)
    plots: str = ""
    lease_start: datetime.date | None = None
    lease_end: datetime.date | None = None
    workers: int | None = Field(None, ge=0)
    operation_started_on: datetime.date | None = None
    wastewater_m3_day: Decimal | None = Field(None, ge=0)


class TenantProjectPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=300)
    sector: str | None = Field(None, description=SECTOR_HELP)
    capital: Decimal | None = Field(None, ge=0)
    currency: Currency | None = None
    exchange_rate: Decimal | None = Field(None, gt=0)
    capital_date: datetime.date | None = None
    land_leased_ha: Decimal | None = Field(None, ge=0, le=100000)
    plots: str | None = None
    lease_start: datetime.date | None = None
    lease_end: datetime.date | None = None
    workers: int | None = Field(None, ge=0)
    operation_started_on: datetime.date | None = None
    wastewater_m3_day: Decimal | None = Field(None, ge=0)
    version: int | None = None


class ProjectTransitionIn(Schema):
    action: str = Field(..., description="start_construction, start_operation, suspend, stop or reopen")
    effective_on: datetime.date | None = None
    comment: str = ""
    version: int | None = Field(
        None, description="The version you read (or send it as If-Match): missing 428, stale 409 naming who and when"
    )


class LandOut(Schema):
    cluster_code: str
    industrial_ha: Decimal | None
    ready_ha: Decimal | None
    leased_ha: Decimal
    vacant_ha: Decimal | None
    occupancy_pct: Decimal | None
    confirmed_on: datetime.date | None
    stale: bool


class RowProblemOut(Schema):
    row: int
    column: str
    message: str


class ImportOut(Schema):
    kind: ImportKind
    filename: str
    total: int
    created: int
    updated: int
    unchanged: int
    dry_run: bool
    committed: bool
    request_id: str
    problems: list[RowProblemOut]
    warnings: list[RowProblemOut] = []  # plausibility and sheet layout; never block the import
    notes: list[RowProblemOut] = []  # how ambiguous numbers were read (“25.400” read as 25,400)
