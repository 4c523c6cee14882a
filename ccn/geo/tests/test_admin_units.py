"""Administrative units: the 2025 units, the legacy units and the old → new mapping."""

import pytest
from django.core.management import call_command
from django.test import Client

from ccn.geo.models import Commune, LegacyDistrict, LegacyProvince, Province, WardSuccession

pytestmark = pytest.mark.django_db


def test_counts_and_dates():
    assert Province.objects.count() == 34
    assert Commune.objects.count() == 3321
    assert LegacyProvince.objects.count() == 63
    assert LegacyDistrict.objects.count() == 696
    import datetime

    assert Province.objects.in_force_on(datetime.date(2025, 6, 30)).count() == 0
    assert Province.objects.in_force_on(datetime.date(2025, 7, 1)).count() == 34
    assert LegacyProvince.objects.filter(effective_to=datetime.date(2025, 6, 30)).count() == 63


def test_loader_is_idempotent():
    before = (Province.objects.count(), Commune.objects.count(), WardSuccession.objects.count())
    call_command("load_admin_units", verbosity=0)
    assert (Province.objects.count(), Commune.objects.count(), WardSuccession.objects.count()) == before


def test_merged_provinces_map_to_their_successor():
    khanh_hoa = Province.objects.get(code="56")
    assert set(LegacyProvince.objects.filter(successor=khanh_hoa).values_list("short_name", flat=True)) == {
        "Khánh Hòa",
        "Ninh Thuận",
    }


def test_gia_lam_resolves_to_its_new_wards():
    gia_lam = LegacyDistrict.objects.get(short_name="Gia Lâm", province__code="01")
    names = set(gia_lam.successor_communes().values_list("name", flat=True))
    assert {"Xã Gia Lâm", "Xã Thuận An", "Xã Bát Tràng", "Xã Phù Đổng"} <= names
    assert all(c.province.code == "01" for c in gia_lam.successor_communes())


def test_split_ward_has_one_default_successor():
    splits = WardSuccession.objects.values("ward").order_by().annotate(n=__import__("django").db.models.Count("pk"))
    split_ids = [s["ward"] for s in splits if s["n"] > 1]
    assert split_ids
    for ward_id in split_ids[:50]:
        assert WardSuccession.objects.filter(ward_id=ward_id, is_default=True).count() == 1


def test_api_resolves_a_former_district():
    data = Client().get("/api/v1/admin-units/legacy-districts", {"q": "gia lam", "province": "01"}).json()
    assert data[0]["name"] == "Huyện Gia Lâm"
    assert "Xã Bát Tràng" in [c["name"] for c in data[0]["successor_communes"]]
    communes = Client().get("/api/v1/admin-units/provinces/56/communes", {"q": "dien tho"}).json()
    assert [c["name"] for c in communes] == ["Xã Diên Thọ"]
    assert Client().get("/api/v1/admin-units/provinces/99/communes").status_code == 404
