"""Request and response schemas of investor selection."""

from __future__ import annotations

import datetime
from decimal import Decimal

from ninja import Schema

from ..choices import (
    CouncilRole,
)


class SelectionOpenIn(Schema):
    council_ref: str = ""


class ProcedureMemberIn(Schema):
    username: str
    role: CouncilRole
    title: str = ""


class ScoreIn(Schema):
    application_id: int
    infrastructure_plan: Decimal
    management_environment: Decimal
    capacity: Decimal
    finance: Decimal
    comment: str = ""


class SelectionCloseIn(Schema):
    meeting_on: datetime.date
    minutes: str
    chair_proposal_application_id: int | None = None


class ResultRow(Schema):
    application_id: int
    applicant: str
    sheets: int
    average: Decimal
    criteria: dict[str, Decimal]
    qualifies: bool


class ProcedureMemberOut(Schema):
    username: str
    role: str
    title: str


class SelectionOut(Schema):
    status: str
    council_ref: str
    meeting_on: datetime.date | None
    minutes: str
    members: list[ProcedureMemberOut]
    results: list[ResultRow]
    selected_application_id: int | None
    selected_applicant: str | None
