"""API schemas of plans, targets, their progress and the dashboard."""

import datetime
from decimal import Decimal

from ninja import Field, Schema

from .choices import PlanKind, ScopeKind, Verdict


class IndicatorOut(Schema):
    key: str
    label: str
    unit: str
    description: str
    is_flow: bool
    scopes: list[str]


class PlanIn(Schema):
    province: str = Field(..., description="Province code (2 digits)")
    kind: PlanKind
    number: str = Field(..., min_length=1, max_length=60)
    title: str = Field(..., min_length=1, max_length=300)
    issued_on: datetime.date
    issuer: str = Field(..., min_length=1, max_length=200)
    year: int | None = Field(None, ge=1990, le=2100)
    horizon_year: int | None = Field(None, ge=1990, le=2100)
    source: str = Field("", max_length=400)
    declared_clusters: int | None = Field(None, ge=0)
    declared_area_ha: Decimal | None = Field(None, ge=0, le=10**7)
    clusters: list[str] = Field(default_factory=list, description="Codes of registry clusters listed in the plan")


class PlanPatch(Schema):
    number: str | None = Field(None, min_length=1, max_length=60)
    title: str | None = Field(None, min_length=1, max_length=300)
    issued_on: datetime.date | None = None
    issuer: str | None = Field(None, min_length=1, max_length=200)
    year: int | None = Field(None, ge=1990, le=2100)
    horizon_year: int | None = Field(None, ge=1990, le=2100)
    source: str | None = Field(None, max_length=400)
    version: int | None = None


class PlanOut(Schema):
    id: int
    province_code: str
    province_name: str
    kind: PlanKind
    number: str
    title: str
    issued_on: datetime.date
    issuer: str
    year: int | None
    horizon_year: int | None
    source: str
    is_sample: bool
    version: int


class PlanPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[PlanOut]


class VersionOut(Schema):
    seq: int
    number: str
    issued_on: datetime.date
    issuer: str
    summary: str
    declared_clusters: int | None
    declared_area_ha: Decimal | None


class PlanItemIn(Schema):
    cluster: str | None = Field(None, description="Code of a registry cluster")
    name: str = Field("", max_length=200)
    commune: str | None = Field(None, description="Commune code")
    area_ha: Decimal | None = Field(None, ge=0, le=100000)


class AmendmentIn(Schema):
    number: str = Field(..., min_length=1, max_length=60)
    issued_on: datetime.date
    issuer: str = Field(..., min_length=1, max_length=200)
    summary: str = Field("", max_length=500)
    declared_clusters: int | None = Field(None, ge=0)
    declared_area_ha: Decimal | None = Field(None, ge=0, le=10**7)
    add: list[PlanItemIn] = Field(default_factory=list)
    remove: list[int] = Field(default_factory=list, description="Ids of planned clusters to remove")


class PlanItemOut(Schema):
    id: int
    name: str
    cluster_code: str | None
    commune_code: str | None
    area_ha: Decimal | None
    added_in: int


class PlanAsOfOut(Schema):
    date: datetime.date
    in_force: bool
    version: VersionOut | None
    declared_clusters: int | None
    declared_area_ha: Decimal | None
    listed_count: int
    listed_area_ha: Decimal | None
    items: list[PlanItemOut]


class PlanDetailOut(PlanOut):
    versions: list[VersionOut]


class TargetIn(Schema):
    title: str = Field(..., min_length=1, max_length=400)
    indicator: str
    scope_kind: ScopeKind = ScopeKind.PROVINCE
    commune: str | None = Field(None, description="Commune code, for a target on a commune")
    clusters: list[str] = Field(default_factory=list, description="Cluster codes, for a target on clusters")
    value_min: Decimal = Field(..., ge=0, le=10**9, description="The target value, or the lower bound of a range")
    value_max: Decimal | None = Field(None, ge=0, le=10**9, description="The upper bound of a range (15–20)")
    counts_from: datetime.date | None = None
    deadline: datetime.date
    note: str = Field("", max_length=4000)


class TargetPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=400)
    indicator: str | None = None
    scope_kind: ScopeKind | None = None
    commune: str | None = None
    clusters: list[str] | None = None
    value_min: Decimal | None = Field(None, ge=0, le=10**9)
    value_max: Decimal | None = Field(None, ge=0, le=10**9)
    counts_from: datetime.date | None = None
    deadline: datetime.date | None = None
    note: str | None = Field(None, max_length=4000)
    version: int | None = None


class TrajectoryPoint(Schema):
    on: datetime.date
    value: Decimal | None


class ProgressOut(Schema):
    as_of: datetime.date
    actual: Decimal | None
    projected: Decimal | None
    rate_per_year: Decimal | None
    pipeline: int | None
    verdict: Verdict
    sentence: str
    past_deadline: bool
    trajectory: list[TrajectoryPoint]


class TargetOut(Schema):
    id: int
    plan_id: int
    province_code: str
    title: str
    indicator: str
    scope_kind: ScopeKind
    commune_code: str | None
    cluster_codes: list[str]
    value_min: Decimal
    value_max: Decimal | None
    counts_from: datetime.date | None
    deadline: datetime.date
    note: str
    is_sample: bool
    version: int
    progress: ProgressOut | None = None


class FigureOut(Schema):
    key: str
    label: str
    unit: str
    value: Decimal | None
    list_url: str


class StateCountOut(Schema):
    status: str
    label: str
    count: int
    list_url: str


class VerdictCountOut(Schema):
    key: str
    label: str
    count: int


class SeriesOut(Schema):
    key: str
    label: str
    values: list[Decimal | None]


class DashboardOut(Schema):
    as_of: datetime.date
    province_code: str | None
    commune_code: str | None
    figures: list[FigureOut]
    states: list[StateCountOut]
    days: list[datetime.date]
    series: list[SeriesOut]
    verdicts: list[VerdictCountOut]
    targets: list[TargetOut]
