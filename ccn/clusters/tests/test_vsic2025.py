"""VSIC 2025 (Decision 36/2025/QĐ-TTg) beside VSIC 2018: the file converted from the published listing, its counts
per level and parents checked, its loading idempotent, and which edition a code is read in by the record's date
(docs/decisions/0010-vsic-editions.md)."""

import datetime
import io
import json
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import translation

from ccn.clusters.models import Sector, Sector2025
from ccn.clusters.vsic import DATA, check_rows, find_sector, load_2025, read_rows, rows_from_listing
from ccn.core.errors import ValidationFailed

COUNTS = {1: 22, 2: 87, 3: 259, 4: 495, 5: 743}


def test_the_file_holds_the_counts_per_level_of_the_decision_and_every_parent():
    rows = read_rows()
    assert Counter(int(r["level"]) for r in rows) == COUNTS
    assert sum(COUNTS.values()) == len(rows) == len({r["code"] for r in rows}) == 1606
    codes = {r["code"] for r in rows}
    assert all(r["parent"] in codes for r in rows if r["level"] != "1")
    assert [r["code"] for r in rows if r["level"] == "1"] == list("ABCDEFGHIJKLMNOPQRSTUV")
    by_code = {r["code"]: r for r in rows}
    assert (by_code["1079"]["parent"], by_code["1079"]["name"]) == (
        "107",
        "Sản xuất thực phẩm khác chưa được phân vào đâu",
    )
    assert (by_code["4661"]["name"], by_code["46"]["parent"], by_code["86"]["parent"]) == (
        "Bán buôn ô tô và xe có động cơ khác",  # the car trade, 4511 in VSIC 2018
        "G",
        "R",  # health: section Q in VSIC 2018, R in VSIC 2025
    )
    assert "45" not in codes and all(r["name_en"] == "" for r in rows)  # no English names were published


def test_the_file_is_what_the_converter_makes_of_the_listing(tmp_path):
    """The listing rebuilt from the file, converted again, gives the file byte for byte: nothing was typed."""
    rows = read_rows()
    listing = [{"code": r["code"], "level": int(r["level"]), "name": r["name"]} for r in rows]
    source = tmp_path / "vsic2025.json"
    source.write_text(json.dumps(listing, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "vsic2025.csv"
    call_command("vsic2025_csv", str(source), out=out, stdout=io.StringIO())
    assert out.read_bytes() == DATA.read_bytes()


def test_a_listing_whose_counts_or_parents_differ_is_refused_saying_what_differs():
    rows = rows_from_listing(
        [
            {"code": "A", "level": 1, "name": "X"},
            {"code": "01", "level": 2, "name": "Y  Z"},
            {"code": "0111", "level": 4, "name": "W"},
        ]
    )
    assert rows[1] == {"code": "01", "level": 2, "parent": "A", "name": "Y Z", "name_en": ""}
    with pytest.raises(ValueError) as caught:
        check_rows(rows)
    message = str(caught.value)
    assert "level 1: 1 codes, the Decision counts 22" in message
    assert "level 3: 0 codes, the Decision counts 259" in message
    assert "codes without their parent: 0111" in message


@pytest.mark.django_db
def test_the_migration_loads_vsic_2025_beside_the_2018_rows_and_loading_again_changes_nothing():
    assert Counter(len(c) if c.isdigit() else 1 for c in Sector2025.objects.values_list("code", flat=True)) == {
        1: 22,
        2: 87,
        3: 259,
        4: 495,
        5: 743,
    }
    assert Sector.objects.count() == 21 + 88  # VSIC 2018 kept as it was
    assert not Sector2025.objects.exclude(parent__isnull=False).exclude(code__regex=r"^[A-Z]$").exists()

    def table():
        return list(Sector2025.objects.order_by("code").values_list("code", "name", "name_en", "parent_id"))

    before = table()
    assert load_2025(Sector2025) == 0
    Sector2025.objects.filter(code="1079").update(name="sửa tay", parent=None)
    assert load_2025(Sector2025) == 1
    assert load_2025(Sector2025) == 0
    assert table() == before


@pytest.mark.django_db
def test_the_edition_follows_the_records_date():
    assert (find_sector("1079").code, find_sector("1079").edition) == ("1079", 2025)  # only VSIC 2025 holds it
    assert find_sector("10790", on=datetime.date(2026, 1, 5)).name == "Sản xuất thực phẩm khác chưa được phân vào đâu"
    assert find_sector("45", on=datetime.date(2020, 3, 1)).edition == 2018  # a 2018-only division, 2020
    assert find_sector("Q", on=datetime.date(2025, 11, 14)).name == Sector.objects.get(code="Q").name
    assert find_sector("Q", on=datetime.date(2025, 11, 15)).name == "GIÁO DỤC VÀ ĐÀO TẠO"
    assert find_sector("86").label == "86 – Hoạt động y tế (VSIC 2018)"  # no date: VSIC 2018 first
    with translation.override("vi"), pytest.raises(ValidationFailed) as caught:
        find_sector("45", on=datetime.date(2026, 2, 1))
    assert caught.value.message == (
        "Mã ngành 45 không có trong VSIC 2025, hệ thống ngành kinh tế áp dụng vào ngày 01/02/2026; đây là mã VSIC 2018."
    )
    with pytest.raises(ValidationFailed):
        find_sector("1079", on=datetime.date(2020, 3, 1))  # VSIC 2018's classes are not held: not accepted then
