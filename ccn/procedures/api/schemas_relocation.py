"""Request and response schemas of relocation."""

from __future__ import annotations

import datetime
from decimal import Decimal

from ninja import Field, Schema

from ..choices import (
    FacilityKind,
    RelocationStatus,
)


class FacilityIn(Schema):
    commune: str
    name: str = Field(..., min_length=1, max_length=300)
    kind: FacilityKind
    current_location: str
    sector: str | None = None
    pollution_concern: str = Field(..., min_length=1)
    land_needed_ha: Decimal | None = Field(None, ge=0, le=10000)
    target_cluster: str | None = None
    deadline: datetime.date | None = None
    notes: str = ""
    version: int | None = Field(
        None, description="The version you read (or send it as If-Match): missing 428, stale 409 naming who and when"
    )


class FacilityOut(Schema):
    id: int
    province: str
    commune: str
    commune_name: str
    name: str
    kind: FacilityKind
    current_location: str
    sector: str | None
    pollution_concern: str
    land_needed_ha: Decimal | None
    target_cluster: str | None
    status: RelocationStatus
    status_since: datetime.date | None
    deadline: datetime.date | None
    version: int


class RelocationStepIn(Schema):
    action: str = Field(..., description="agree, allocate_land or move")
    on: datetime.date
    target_cluster: str | None = None
    version: int | None = Field(
        None, description="The version you read (or send it as If-Match): missing 428, stale 409 naming who and when"
    )


class CountRow(Schema):
    code: str
    name: str
    total: int
    identified: int
    agreed: int
    land_allocated: int
    moved: int
    overdue: int


class CountsOut(Schema):
    by_commune: list[CountRow]
    by_cluster: list[CountRow]
    totals: dict[str, int]
