"""The sample agencies of Khánh Hòa: idempotent, the commune's agency linked to Diên Thọ and to xa.dientho."""

import pytest
from django.core.management import call_command

from ccn.accounts.choices import Role
from ccn.accounts.tests.factories import make_user
from ccn.obstacles.models import Agency, Obstacle

pytestmark = pytest.mark.django_db


def test_load_sample_obstacles_idempotent(kha):
    from ccn.geo.models import Commune

    dientho = Commune.objects.get(province=kha, short_name="Diên Thọ")
    officer = make_user("xa.dientho", role=Role.COMMUNE_OFFICER, province=kha, communes=[dientho])
    call_command("load_sample_obstacles", verbosity=0)
    call_command("load_sample_obstacles", verbosity=0)
    assert Agency.objects.filter(province=kha).count() == 6
    commune_agency = Agency.objects.get(name="Ủy ban nhân dân xã Diên Thọ")
    assert commune_agency.commune == dientho and commune_agency.kind == "commune"
    assert list(commune_agency.members.all()) == [officer]
    assert Agency.objects.filter(kind="peoples_committee", province=kha).count() == 1
    assert Obstacle.objects.count() == 0  # nothing invented
