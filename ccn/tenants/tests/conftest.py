"""Fixtures of the tenants tests: Khánh Hòa clusters with land figures (one of `users["investor"]`, one of
`users["other_investor"]`) and a Hà Nội cluster."""

from decimal import Decimal

import pytest

from ccn.clusters.tests.factories import make_cluster


@pytest.fixture
def cluster(users):
    return make_cluster(
        code="KHA-TEST",
        name="Cụm công nghiệp Thử Khánh Hòa",
        status="operating",
        industrial_land_ha=Decimal("40"),
        ready_land_ha=Decimal("30"),
        investor=users["investor"].organisation,
    )


@pytest.fixture
def other_cluster(users):
    """A Khánh Hòa cluster of another investor."""
    return make_cluster(
        code="KHA-OTHER",
        name="Cụm công nghiệp Khác",
        status="operating",
        industrial_land_ha=Decimal("30"),
        ready_land_ha=Decimal("20"),
        investor=users["other_investor"].organisation,
    )


@pytest.fixture
def hni_cluster(users):
    return make_cluster(
        province_code="01",
        code="HNI-TEST",
        name="Cụm công nghiệp Thử Hà Nội",
        status="operating",
        industrial_land_ha=Decimal("30"),
        ready_land_ha=Decimal("30"),
    )


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English; one test checks the Vietnamese catalogue on purpose."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def client(client):
    client.cookies["django_language"] = "en"  # the language switch; pages ignore the browser's language
    return client
