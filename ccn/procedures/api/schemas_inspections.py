"""Request and response schemas of inspections."""

from __future__ import annotations

import datetime

from ninja import Field, Schema

from ..choices import (
    LawArea,
)


class InspectionIn(Schema):
    cluster: str
    planned_on: datetime.date
    agency: str
    tenant_project_id: int | None = None
    subject: str = ""
    suspicion: str = ""


class InspectionPlanIn(Schema):
    province: str
    year: int = Field(..., ge=2000, le=2100)
    title: str
    approved_ref: str = ""
    approved_on: datetime.date | None = None


class InspectionPlanOut(Schema):
    id: int
    province: str
    year: int
    title: str
    approved_ref: str
    approved_on: datetime.date | None


class CorrectionOut(Schema):
    id: int
    action: str
    deadline: datetime.date
    status: str
    done_on: datetime.date | None
    follow_up: str


class ProcedureFindingOut(Schema):
    id: int
    area: LawArea
    description: str
    is_violation: bool
    legal_basis: str
    obstacle_id: int | None
    corrections: list[CorrectionOut]


class InspectionOut(Schema):
    id: int
    version: int
    cluster: str
    province: str
    tenant_project_id: int | None
    enterprise: str | None
    planned_on: datetime.date
    conducted_on: datetime.date | None
    agency: str
    subject: str
    suspicion: str
    status: str
    planned: bool


class InspectionDetailOut(InspectionOut):
    summary: str
    findings: list[ProcedureFindingOut]


class InspectionRecordIn(Schema):
    conducted_on: datetime.date
    summary: str = ""
    version: int | None = Field(
        None, description="The version you read (or send it as If-Match): missing 428, stale 409 naming who and when"
    )


class InspectionCloseIn(Schema):
    version: int | None = Field(
        None, description="The version you read (or send it as If-Match): missing 428, stale 409 naming who and when"
    )


class FindingIn(Schema):
    area: LawArea
    description: str = Field(..., min_length=1)
    is_violation: bool = False
    legal_basis: str = ""


class CorrectionIn(Schema):
    action: str = Field(..., min_length=1)
    deadline: datetime.date


class FollowUpIn(Schema):
    follow_up: str = ""
    done_on: datetime.date | None = None


class ProcedureObstacleIn(Schema):
    agency_id: int = Field(..., ge=1, le=2**31 - 1, description="Agency of the obstacles register")
    deadline: datetime.date
    category: str = Field("", max_length=40, description="Obstacle category; empty: from the finding's area of law")
    description: str = ""


class ProcedureObstacleOut(Schema):
    finding_id: int
    obstacle_id: int
