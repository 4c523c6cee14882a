"""API schemas of infrastructure progress, the wastewater plant and the alerts."""

import datetime
from decimal import Decimal

from ninja import Field, Schema

from .choices import ComponentKind, ComponentStatus, PlantStatus


class ComponentOut(Schema):
    kind: ComponentKind
    label: str
    status: ComponentStatus
    percent_complete: int
    note: str
    updated_on: datetime.date | None
    recorded: bool
    version: int | None


class ResultOut(Schema):
    sampled_on: datetime.date
    compliant: bool | None
    standard: str
    document: str
    note: str


class PlantOut(Schema):
    version: int
    status: PlantStatus
    design_capacity_m3_day: Decimal | None
    auto_monitoring: bool
    standard: str = Field(description="The last result's standard (read from `results`, not entered here)")
    compliant: bool | None = Field(description="Whether the last result meets its standard (read from `results`)")
    last_result_on: datetime.date | None = Field(description="The last result's sample date (read from `results`)")
    last_result_document: str = Field(description="The last result's document (read from `results`)")
    environmental_permit: str
    permit_issued_on: datetime.date | None
    results: list[ResultOut] = Field(
        [], description="Every dated compliance result, latest first; the last result above is the first of them"
    )


class AlertsOut(Schema):
    no_operating_plant: bool
    capacity_below_discharge: bool
    stale_compliance_result: bool
    standard_not_met: bool
    declared_discharge_m3_day: Decimal
    plant_capacity_m3_day: Decimal | None


class InfrastructureOut(Schema):
    cluster_code: str
    overall_progress_pct: Decimal
    capital_approved_bn: Decimal | None
    capital_disbursed_bn: Decimal | None
    disbursed_pct: Decimal | None
    components: list[ComponentOut]
    plant: PlantOut | None
    alerts: AlertsOut


class ComponentIn(Schema):
    status: ComponentStatus
    percent_complete: int = Field(..., ge=0, le=100)
    note: str = Field("", max_length=300)
    updated_on: datetime.date | None = None
    version: int | None = Field(
        None,
        description="The version you read of a component already recorded (or send it as If-Match): missing 428,"
        " stale 409 naming who and when; none for a component not recorded yet",
    )


class PlantIn(Schema):
    version: int | None = Field(
        None,
        description="The version you read of a plant already recorded (or send it as If-Match): missing 428,"
        " stale 409 naming who and when; none for a plant not recorded yet",
    )
    status: PlantStatus
    design_capacity_m3_day: Decimal | None = Field(None, ge=0)
    auto_monitoring: bool = False
    environmental_permit: str = Field("", max_length=200)
    permit_issued_on: datetime.date | None = Field(
        None,
        description="Decides the standard a result is judged against: QCVN 40:2025/BTNMT for plants permitted from "
        "1 Sep 2025, QCVN 40:2011/BTNMT for older ones until 31 Dec 2031. Compliance results are added with POST "
        "…/wastewater-plant/results, not here.",
    )


class ResultIn(Schema):
    sampled_on: datetime.date
    compliant: bool
    document: str = Field(..., max_length=200, description="The monitoring report or inspection record")
    standard: str = Field(
        "",
        max_length=30,
        description="The standard the result is judged against; empty: the one that applies to the plant on the "
        "sample date",
    )
    note: str = Field("", max_length=300)


class AlertRowOut(Schema):
    cluster_code: str
    cluster_name: str
    province_code: str
    alerts: AlertsOut


class AlertPage(Schema):
    items: list[AlertRowOut]
    count: int
    limit: int
    offset: int
