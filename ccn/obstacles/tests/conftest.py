"""Fixtures of the obstacles tests: Khánh Hòa clusters in the commune officer's commune and in another commune,
a Hà Nội cluster, and agencies with members, all made through the real services."""

import datetime

import pytest
from django.utils import timezone

from ccn.clusters.tests.factories import make_cluster
from ccn.geo.models import Commune
from ccn.obstacles import services
from ccn.obstacles.choices import AgencyKind, Category


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def world(users, kha, hni):
    """Clusters and agencies: `own` is in the commune officer's commune, `other` in another Khánh Hòa commune."""
    for key, user in users.items():
        user.email = f"{key}@example.vn"
        user.save(update_fields=["email"])
    admin = users["admin"]
    own_commune = users["commune"].communes.get()
    other_commune = Commune.objects.filter(province=kha).exclude(pk=own_commune.pk).order_by("code").first()
    own = make_cluster(code="KHA-OWN", name="CCN Thử Một", commune_codes=[own_commune.code], actor=admin)
    own.investor = users["investor"].organisation
    own.save(update_fields=["investor"])
    other = make_cluster(code="KHA-OTHER", name="CCN Thử Hai", commune_codes=[other_commune.code], actor=admin)
    hanoi = make_cluster(province_code="01", code="HNI-X", name="CCN Hà Nội Thử", actor=admin)
    editor = users["editor"]
    commune_agency = services.agency_create(
        actor=editor, province=kha, name="UBND xã Một", kind=AgencyKind.COMMUNE, commune=own_commune
    )
    other_agency = services.agency_create(
        actor=editor, province=kha, name="UBND xã Hai", kind=AgencyKind.COMMUNE, commune=other_commune
    )
    department = services.agency_create(actor=editor, province=kha, name="Sở Công Thương", email="sct@example.vn")
    hanoi_agency = services.agency_create(actor=users["other_editor"], province=hni, name="Sở Công Thương Hà Nội")
    services.agency_member_add(actor=editor, agency=commune_agency, user=users["commune"])
    services.agency_member_add(actor=editor, agency=department, user=users["approver"])
    return {
        "own": own,
        "other": other,
        "hanoi": hanoi,
        "commune_agency": commune_agency,
        "other_agency": other_agency,
        "department": department,
        "hanoi_agency": hanoi_agency,
        "own_commune": own_commune,
        "other_commune": other_commune,
    }


@pytest.fixture
def raise_obstacle(users, world, today):
    def _raise(cluster=None, agency=None, *, actor=None, days=30, category=Category.SITE_CLEARANCE, **kw):
        return services.obstacle_create(
            actor=actor or users["editor"],
            cluster=cluster or world["own"],
            category=category,
            description=kw.pop("description", "Chưa hoàn thành bồi thường, giải phóng mặt bằng 5 ha."),
            agency=agency or world["commune_agency"],
            deadline=today + datetime.timedelta(days=days),
            **kw,
        )

    return _raise
