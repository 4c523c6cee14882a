"""Response schemas of the legal calendar and settings."""

from __future__ import annotations

import datetime

from ninja import Schema

from ..choices import (
    AreaScope,
)


class CalendarDayOut(Schema):
    date: datetime.date
    kind: str
    name: str
    legal_source: str
    confirmed: bool


class TimeLimitOut(Schema):
    step: str
    value: int
    unit: str
    effective_from: datetime.date
    effective_to: datetime.date | None
    legal_source: str


class ScopeIn(Schema):
    scope: AreaScope
    effective_from: datetime.date
    document: str = ""


class ScopeOut(Schema):
    province: str
    scope: AreaScope
    effective_from: datetime.date
    document: str
