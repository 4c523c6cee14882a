"""VSIC 2018 (Decision 27/2018/QĐ-TTg) as reference data: the file's levels and names, its idempotent loading, a code
that does not exist in either edition refused in Vietnamese, the name and edition shown beside the code."""

import csv
import importlib
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.utils import translation

from ccn.clusters.models import Sector
from ccn.clusters.vsic import find_sector
from ccn.core.errors import ValidationFailed
from ccn.portal.models import Lead
from ccn.procedures.forms import DecideForm

DATA = Path(__file__).resolve().parent.parent / "data" / "vsic2018.csv"


def _rows():
    with DATA.open(encoding="utf-8") as fh:
        return list(csv.DictReader(line for line in fh if not line.startswith("#")))


def test_the_file_holds_every_section_and_division_of_vsic_2018_with_both_names():
    rows = _rows()
    by_level = {n: [r for r in rows if len(r["code"]) == n] for n in (1, 2)}
    # Decision 27/2018/QĐ-TTg, Art. 3(1): 21 sections (A–U) and 88 divisions.
    assert [r["code"] for r in by_level[1]] == list("ABCDEFGHIJKLMNOPQRSTU")
    assert len(by_level[2]) == 88 and len({r["code"] for r in by_level[2]}) == 88
    assert len(rows) == 21 + 88
    sections = {r["code"] for r in by_level[1]}
    assert all(r["parent"] in sections for r in by_level[2])
    assert all(r["name"].strip() and r["name_en"].strip() for r in rows)
    known = {r["code"]: (r["parent"], r["name"], r["name_en"]) for r in rows}
    assert known["10"] == ("C", "Sản xuất, chế biến thực phẩm", "Manufacture of food products")
    assert known["66"] == (
        "K",
        "Hoạt động tài chính khác",
        "Activities auxiliary to financial service and insurance activities",
    )
    assert known["99"] == (
        "U",
        "Hoạt động của các tổ chức và cơ quan quốc tế",
        "Activities of extraterritorial organisations and bodies",
    )
    assert known["C"][1:] == ("Công nghiệp chế biến, chế tạo", "Manufacturing")


@pytest.mark.django_db
def test_the_migrations_load_the_table_and_loading_again_changes_nothing():
    assert Sector.objects.filter(code__regex=r"^[A-U]$").count() == 21
    assert Sector.objects.filter(code__regex=r"^[0-9]{2}$").count() == 88
    assert Sector.objects.get(code="86").parent_id == "Q"
    Sector.objects.filter(code="86").update(name="sửa tay", parent=None)
    loader = importlib.import_module("ccn.clusters.migrations.0010_vsic_divisions").load
    loader(apps, None)
    loader(apps, None)
    assert Sector.objects.filter(code__regex=r"^([A-U]|[0-9]{2})$").count() == 21 + 88
    assert (Sector.objects.get(code="86").name, Sector.objects.get(code="86").parent_id) == ("Hoạt động y tế", "Q")


@pytest.mark.django_db
def test_a_code_that_does_not_exist_is_refused_with_a_clear_vietnamese_message():
    with translation.override("vi"), pytest.raises(ValidationFailed) as caught:
        find_sector("9999")
    assert caught.value.message == (
        "Mã ngành 9999 không có trong Hệ thống ngành kinh tế Việt Nam (VSIC 2018 hoặc VSIC 2025)."
    )
    assert caught.value.field_errors == {"sector": [caught.value.message]}
    assert (find_sector(" 99 ").code, find_sector(" 99 ").edition) == ("99", 2018)
    assert find_sector("C").code == "C"


@pytest.mark.django_db
def test_the_name_is_shown_beside_the_code_with_its_edition_and_a_decision_takes_any_level():
    lead = Lead(sector_code="86", company="Công ty Y tế", land_needed_ha=Decimal("1"))
    assert lead.sector_label == "86 – Hoạt động y tế (VSIC 2018)"  # no date: the edition stored codes are in
    assert Lead(sector_code="1079").sector_label == "1079 – Sản xuất thực phẩm khác chưa được phân vào đâu (VSIC 2025)"
    assert Lead(sector_code="9999").sector_label == "9999"  # a code no table holds: the code alone
    choices = {s.code for s in DecideForm.base_fields["sectors"].queryset}
    assert {"C", "10", "99"} <= choices
