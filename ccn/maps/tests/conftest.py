"""Clusters of the geo tests: Khánh Hòa published (one with a boundary), Khánh Hòa unpublished with confidential
figures, Hà Nội published and unpublished, and one without coordinates."""

from decimal import Decimal

import pytest

from ccn.clusters.tests.factories import make_cluster

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[109.0, 12.2], [109.02, 12.2], [109.02, 12.22], [109.0, 12.22], [109.0, 12.2]]],
}


@pytest.fixture
def geo_clusters(users):
    admin = users["admin"]
    return {
        "kha_pub": make_cluster(
            code="KHA-A",
            name="Cụm công nghiệp Diên Phú",
            lat=12.25,
            lon=109.1,
            actor=admin,
            industrial_land_ha=Decimal("40"),
            status="operating",
        ),
        "kha_boundary": make_cluster(code="KHA-B", name="Cụm công nghiệp Ninh Ích", boundary=SQUARE, actor=admin),
        "kha_hidden": make_cluster(
            code="KHA-H",
            name="Cụm công nghiệp Bí Mật",
            lat=12.3,
            lon=109.05,
            actor=admin,
            is_published=False,
            internal_notes="ghi chú nội bộ",
            infra_capital_approved_bn=Decimal("123.5"),
        ),
        "hni_pub": make_cluster(
            province_code="01", code="HNI-A", name="Cụm công nghiệp Thanh Oai", lat=20.86, lon=105.77, actor=admin
        ),
        "hni_hidden": make_cluster(
            province_code="01",
            code="HNI-H",
            name="Cụm công nghiệp Ẩn",
            lat=21.0,
            lon=105.8,
            actor=admin,
            is_published=False,
        ),
        "kha_nowhere": make_cluster(code="KHA-N", name="Cụm công nghiệp Chưa Định Vị", actor=admin),
    }
