"""Numbers in messages and pages use the user's decimal separator; years are never grouped."""

from decimal import Decimal

import pytest
from django.utils import translation

from ccn.clusters.services import cluster_update
from ccn.core.errors import ValidationFailed
from ccn.core.testing import make_cluster
from ccn.core.text import number


def test_number_follows_the_language():
    with translation.override("vi"):
        assert number(Decimal("1686.50")) == "1.686,5"
        assert number(Decimal("7.45")) == "7,45"
        assert number(None) == "—"
    with translation.override("en"):
        assert number(Decimal("1686.5")) == "1,686.5"


def test_a_refused_area_is_told_with_a_decimal_comma(users):
    cluster = make_cluster(province_code="56", actor=users["admin"])
    with translation.override("vi"), pytest.raises(ValidationFailed) as refused:
        cluster_update(actor=users["editor"], cluster=cluster, data={"area_planned_ha": Decimal("75.5")})
    message = str(refused.value.field_errors["area_planned_ha"][0])
    assert "75,5 ha" in message and "75.5" not in message
