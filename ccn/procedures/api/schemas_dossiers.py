"""Request and response schemas of dossiers."""

from __future__ import annotations

import datetime
from decimal import Decimal

from ninja import Field, Schema

from ccn.core.filters import page_fields, query_schema

from ..choices import (
    Conclusion,
    DossierKind,
    DossierStatus,
)
from ..filters import DossierFilterSet


class ApplicationIn(Schema):
    applicant_id: int
    received_on: datetime.date
    project: str = Field(..., min_length=1, max_length=5000)
    proposed_area_ha: Decimal | None = Field(None, ge=0, le=100000)
    estimated_capital_bn: Decimal = Field(..., ge=0, le=10**9)
    capital_sources: str = ""
    schedule: str = ""
    attachments: list[str] = Field(default_factory=list, description="Attached documents, one per item")


class ApplicationOut(Schema):
    id: int
    applicant_id: int
    applicant: str
    received_on: datetime.date
    project: str
    proposed_area_ha: Decimal | None
    estimated_capital_bn: Decimal
    capital_sources: str
    schedule: str
    attachments: list[str]


class DossierIn(Schema):
    kind: DossierKind
    cluster: str = Field(..., description="Cluster code")
    commune: str = Field(..., description="Code of the receiving commune (one of the cluster's)")
    proposed_area_ha: Decimal | None = Field(None, ge=0, le=100000)
    application: ApplicationIn


class ClockOut(Schema):
    step: str
    label: str
    started_on: datetime.date
    limit: int
    unit: str
    due_on: datetime.date | None
    completed_on: datetime.date | None
    used: int
    left: int
    state: str
    legal_source: str
    late_reason: str


class DossierOut(Schema):
    code: str
    kind: DossierKind
    status: DossierStatus
    version: int
    cluster: str
    cluster_name: str
    province: str
    commune: str
    proposed_area_ha: Decimal | None
    first_received_on: datetime.date
    announced_on: datetime.date | None
    window_closes_on: datetime.date | None
    sent_on: datetime.date | None
    department_received_on: datetime.date | None
    appraised_on: datetime.date | None
    conclusion: str
    decided_on: datetime.date | None
    selected_applicant: str | None


class DossierDetailOut(DossierOut):
    applications: list[ApplicationOut]
    clocks: list[ClockOut]
    checks: dict | None
    checks_passed: bool | None
    decision: dict | None
    refusal_reason: str


class DossierPage(Schema):
    items: list[DossierOut]
    count: int
    limit: int
    offset: int


# The register's filters (ccn/procedures/filters.py), then paging.
DossierFilters = query_schema(DossierFilterSet, "DossierFilters", **page_fields())


class VersionedIn(Schema):
    """A step of a dossier names the version of the dossier it is based on."""

    version: int | None = Field(
        None, description="The version you read (or send it as If-Match): missing 428, stale 409 naming who and when"
    )


class AnnounceIn(VersionedIn):
    announced_on: datetime.date
    announcement_ref: str = ""
    late_reason: str = ""


class SendIn(VersionedIn):
    sent_on: datetime.date
    department_received_on: datetime.date | None = None
    late_reason: str = ""


class CorrectionsRequestIn(VersionedIn):
    requested_on: datetime.date
    reason: str
    request_ref: str = ""


class CorrectionsReceivedIn(VersionedIn):
    received_on: datetime.date


class ChecksIn(Schema):
    on: datetime.date


class AppraiseIn(VersionedIn):
    appraised_on: datetime.date
    conclusion: Conclusion
    appraisal_ref: str = ""
    notes: str = ""
    late_reason: str = ""


class DecisionIn(VersionedIn):
    """Form 02 of Circular 14/2024: the content of the decision to establish or expand."""

    decided_on: datetime.date
    number: str
    issuer: str
    name: str
    area_ha: Decimal = Field(..., gt=0, le=100000)
    location: str
    sectors: list[str] = Field(default_factory=list, description="VSIC 2018 codes")
    scale: str = ""
    capital_bn: Decimal | None = Field(None, ge=0)
    capital_sources: str = ""
    schedule: str = ""
    incentives: str = ""
    late_reason: str = ""


class RefuseIn(VersionedIn):
    refused_on: datetime.date
    reason: str
    late_reason: str = ""


class WithdrawIn(VersionedIn):
    on: datetime.date
    reason: str


class OverdueOut(Schema):
    dossier: str
    cluster: str
    step: str
    due_on: datetime.date
