"""The wording rules of Vietnamese administrative documents (Decree 30/2020/NĐ-CP, Appendix I), as small functions.

Papers are always in Vietnamese, whatever the user's interface language: they are the State's documents.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import translation

from ccn.core.templatetags.ccn import num


def long_date(day: datetime.date) -> str:
    """ "ngày 05 tháng 6 năm 2026": days below 10 and the months 1 and 2 take a leading zero (Appendix I, Part I,
    III.4.b)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def place_date(place: str, day: datetime.date) -> str:
    """ "Khánh Hòa, ngày 05 tháng 6 năm 2026"."""
    return f"{place}, {long_date(day)}"


def number_line(number: str, symbol: str) -> str:
    """ "15/SCT-QLCN"; with no number yet, the space the records office fills in by hand."""
    number = (number or "").strip()
    if not number:
        return f"         /{symbol}"
    if "/" in number:
        return number
    return f"{int(number):02d}/{symbol}" if number.isdigit() else f"{number}/{symbol}"


def province_people_committee(province) -> list[str]:
    """The provincial People's Committee as it heads its own documents: two lines, both in capitals."""
    return ["ỦY BAN NHÂN DÂN", f"{province.kind} {province.short_name}".upper()]


def commune_people_committee(commune) -> list[str]:
    return ["ỦY BAN NHÂN DÂN", f"{commune.kind} {commune.short_name}".upper()]


def province_words(province) -> str:
    """ "tỉnh Khánh Hòa", "thành phố Hà Nội": the province as it is named inside a sentence."""
    return f"{province.kind.lower()} {province.short_name}"


def commune_words(commune) -> str:
    return f"{commune.kind.lower()} {commune.short_name}"


def department_lines(province) -> tuple[list[str], list[str]]:
    """(parent body, issuing body) of the Department of Industry and Trade."""
    return [f"UBND {province.kind} {province.short_name}".upper()], ["SỞ CÔNG THƯƠNG"]


def figure(value, unit: str = "", digits: int = 2) -> str:
    """A figure as the paper prints it, in Vietnamese form (1.686,5); unknown is said, never printed as 0."""
    if value is None or value == "":
        return "chưa có số liệu"
    with translation.override("vi"):
        text = num(Decimal(str(value)), digits)
    return f"{text} {unit}".strip()
