"""Fixtures of the report tests: periods, a Khánh Hòa cluster of the test investor in the test commune officer's
commune, and tenant projects of the test tenant."""

import datetime
from decimal import Decimal

import pytest

from ccn.clusters.tests.factories import make_cluster, make_org

from .helpers import make_project


@pytest.fixture
def periods(db):
    from ccn.reports.services import periods_create_year

    half, annual = periods_create_year(actor=None, year=2026)
    prev_half, prev_annual = periods_create_year(actor=None, year=2025)
    return {"half": half, "annual": annual, "prev_half": prev_half, "prev_annual": prev_annual}


@pytest.fixture
def setup(users, kha, periods):
    """An operating cluster (established 2024) of `investor` in `commune`'s commune, with one operating tenant
    project of `tenant` (2 ha leased) and another cluster of `other_investor`."""
    commune = users["commune"].communes.first()
    cluster = make_cluster(
        code="KHA-TEST-1",
        name="Cụm công nghiệp Thử Một",
        commune_codes=[commune.code],
        status="operating",
        status_since=datetime.date(2024, 3, 1),
        area_planned_ha=Decimal("50"),
        area_established_ha=Decimal("48"),
        industrial_land_ha=Decimal("30"),
        ready_land_ha=Decimal("20"),
        investor=users["investor"].organisation,
        infra_capital_approved_bn=Decimal("300"),
        infra_capital_disbursed_bn=Decimal("120"),
    )
    other = make_cluster(
        code="KHA-TEST-2",
        name="Cụm công nghiệp Thử Hai",
        commune_codes=[commune.code],
        status="established",
        status_since=datetime.date(2024, 3, 1),
        area_planned_ha=Decimal("40"),
        investor=users["other_investor"].organisation,
    )
    project = make_project(cluster, users["tenant"].organisation)
    other_project = make_project(cluster, make_org("Công ty Khác D"), name="Nhà máy D", leased="3")
    return {
        "cluster": cluster,
        "other_cluster": other,
        "project": project,
        "other_project": other_project,
        "commune": commune,
        **periods,
    }
