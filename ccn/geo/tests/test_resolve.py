"""The resolver of addresses as written, before and after the arrangement of 1 July 2025."""

import datetime

import pytest

from ccn.geo.models import LegacyWard, WardSuccession
from ccn.geo.resolve import CHOSEN, CURRENT, DEFAULT, EXACT, FUZZY, LocationError, require_one, resolve_location

pytestmark = pytest.mark.django_db


def test_every_former_ward_has_a_successor():
    """The commune-level mapping is complete: each of the 10,035 former wards becomes at least one commune."""
    assert LegacyWard.objects.count() == 10035
    assert not LegacyWard.objects.filter(successions__isnull=True).exists()


def test_todays_commune_as_written_without_accents_or_unit_word():
    r = resolve_location(province="khanh hoa", commune="DIEN THO")
    assert (r.commune.name, r.how, r.to_confirm, r.is_former) == ("Xã Diên Thọ", CURRENT, False, False)


def test_former_ward_of_a_merged_province_resolves_to_its_one_successor():
    for written in (
        {"province": "Tỉnh Ninh Thuận", "district": "Huyện Ninh Phước", "commune": "Thị trấn Phước Dân"},
        {"province": "ninh thuan", "district": "ninh phuoc", "commune": "phuoc dan"},
        {"province": "56", "district": "Ninh Phước", "commune": "TT. Phước Dân"},
    ):
        r = resolve_location(**written)
        assert r.commune.name == "Xã Ninh Phước", written
        assert r.province.code == "56"
        assert r.how == EXACT and not r.to_confirm
        assert (r.legacy_ward.name, r.legacy_district.name) == ("Thị trấn Phước Dân", "Huyện Ninh Phước")


def test_split_ward_gives_its_candidates_then_the_choice():
    written = {"province": "Khánh Hòa", "district": "Huyện Cam Lâm", "commune": "Xã Cam Tân"}
    r = resolve_location(**written)
    assert r.commune is None
    assert sorted(c.name for c in r.candidates) == ["Xã Cam Hiệp", "Xã Cam Lâm", "Xã Suối Dầu"]
    with pytest.raises(LocationError) as exc:
        require_one(r)
    assert "Xã Suối Dầu (22708)" in exc.value.message
    assert [c["code"] for c in exc.value.as_dict()["candidates"]] == ["22435", "22453", "22708"]

    chosen = resolve_location(**written, choice="22708")
    assert (chosen.commune.name, chosen.how, chosen.to_confirm) == ("Xã Suối Dầu", CHOSEN, True)
    assert chosen.legacy_ward.code == "22435"
    by_name = resolve_location(**written, choice="xa cam lam")
    assert by_name.commune.code == "22453"
    default = resolve_location(**written, use_default=True)
    assert (default.commune.name, default.how, default.to_confirm) == ("Xã Suối Dầu", DEFAULT, True)
    assert WardSuccession.objects.get(ward__code="22435", commune__code="22708").is_default


def test_a_choice_outside_the_candidates_is_refused():
    with pytest.raises(LocationError) as exc:
        resolve_location(province="Khánh Hòa", district="Cam Lâm", commune="Cam Tân", choice="Xã Diên Thọ")
    assert "không phải" in exc.value.message or "not one of" in exc.value.message
    assert len(exc.value.candidates) == 3


def test_former_name_matching_two_new_communes_is_ambiguous_until_the_district_is_given():
    r = resolve_location(province="Khánh Hòa", commune="Vạn Thạnh")
    assert r.commune is None
    assert sorted(c.name for c in r.candidates) == ["Phường Nha Trang", "Xã Đại Lãnh"]
    with pytest.raises(LocationError) as exc:
        require_one(r)
    assert exc.value.code == "location_choice_needed"
    one = resolve_location(province="Khánh Hòa", district="Vạn Ninh", commune="Vạn Thạnh")
    assert (one.commune.name, one.how) == ("Xã Đại Lãnh", EXACT)


def test_close_spelling_is_found_but_left_to_confirm():
    r = resolve_location(province="Ninh Thuận", district="Ninh Phước", commune="Phuoc Dann")
    assert (r.commune.name, r.how, r.to_confirm) == ("Xã Ninh Phước", FUZZY, True)
    today = resolve_location(province="Khánh Hòa", commune="Dien Thoo")
    assert (today.commune.name, today.how, today.to_confirm) == ("Xã Diên Thọ", FUZZY, True)


def test_unknown_names_are_refused_with_the_place_searched():
    with pytest.raises(LocationError) as exc:
        resolve_location(province="Khánh Hòa", district="Cam Lâm", commune="Xã Không Có Thật")
    assert "Không Có Thật" in exc.value.message
    assert exc.value.field_errors == {"former_commune": [exc.value.message]}
    with pytest.raises(LocationError) as exc:
        resolve_location(province="Hà Tây", commune="Phường 1")
    assert "former_province" in exc.value.field_errors
    with pytest.raises(LocationError) as exc:
        resolve_location(province="Khánh Hòa", district="Huyện Không Có", commune="Cam Tân")
    assert "former_district" in exc.value.field_errors
    with pytest.raises(LocationError):  # control characters (NUL, which a database refuses) are dropped
        resolve_location(province="Khánh Hòa\x00", commune="\x00\x01" + "x" * 5000)
    assert resolve_location(province="Khánh\x00 Hòa", commune="Diên\x00 Thọ").commune.name == "Xã Diên Thọ"


def test_a_date_before_the_reform_reads_the_commune_as_a_former_ward():
    r = resolve_location(province="Hà Nội", commune="Bát Tràng", on=datetime.date(2024, 5, 1))
    assert r.legacy_ward.name == "Xã Bát Tràng" and r.legacy_district.name == "Huyện Gia Lâm"
    assert r.commune is None and "Xã Bát Tràng" in {c.name for c in r.candidates}  # the former ward was split
    assert resolve_location(province="Hà Nội", commune="Bát Tràng").how == CURRENT


def test_a_former_district_alone_lists_its_communes():
    r = resolve_location(province="Hà Nội", district="Gia Lâm")
    assert r.commune is None
    assert {"Xã Bát Tràng", "Xã Gia Lâm", "Xã Phù Đổng", "Xã Thuận An"} <= {c.name for c in r.candidates}


def test_resolve_api_for_the_search_box():
    from django.test import Client

    client = Client()
    split = client.get("/api/v1/admin-units/resolve", {"province": "56", "district": "cam lam", "commune": "cam tan"})
    assert split.status_code == 200
    data = split.json()
    assert data["commune"] is None and data["match"] == "exact"
    assert sorted(c["name"] for c in data["candidates"]) == ["Xã Cam Hiệp", "Xã Cam Lâm", "Xã Suối Dầu"]
    assert data["legacy_ward_code"] == "22435"
    assert data["former_label"] == "trước 1/7/2025: Xã Cam Tân, Huyện Cam Lâm, Khánh Hòa"
    one = client.get("/api/v1/admin-units/resolve", {"province": "Ninh Thuận", "commune": "Phước Dân"}).json()
    assert one["commune"]["name"] == "Xã Ninh Phước" and one["to_confirm"] is False
    unknown = client.get("/api/v1/admin-units/resolve", {"province": "56", "commune": "Không Có Thật"})
    assert unknown.status_code == 422 and "Không Có Thật" in unknown.json()["detail"]
