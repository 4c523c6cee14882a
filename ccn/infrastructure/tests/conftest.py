"""Fixtures of the infrastructure tests: messages in English, a Khánh Hòa cluster in operation."""

from decimal import Decimal

import pytest

from ccn.clusters.tests.factories import make_cluster


@pytest.fixture(autouse=True)
def english():
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def cluster(users):
    return make_cluster(
        code="KHA-INFRA",
        status="operating",
        industrial_land_ha=Decimal("40"),
        ready_land_ha=Decimal("30"),
        investor=users["investor"].organisation,
        infra_capital_approved_bn=Decimal("200"),
        infra_capital_disbursed_bn=Decimal("50"),
    )
