"""The one reading of a typed number (ccn/core/numbers.py): every rule, its three conventions (Vietnamese, English
page, coordinates), the note on an ambiguous reading, and the page forms' decimal fields reading the same."""

from decimal import Decimal

import pytest
from django import forms
from django.utils import translation

from ccn.core.forms import LocalizedNumbers
from ccn.core.numbers import ENGLISH, VIETNAMESE, NotANumber, read_number

# text → (value, how a lone separator was taken) under the Vietnamese convention (files, API, pages in Vietnamese)
VIETNAMESE_TABLE = [
    ("1686", "1686", ""),
    ("1.686,5", "1686.5", ""),  # both separators: the later one is the decimal mark
    ("1,686.5", "1686.5", ""),
    ("1.234.567", "1234567", ""),  # one separator written twice: thousands
    ("1,234,567", "1234567", ""),
    ("1.234.567,89", "1234567.89", ""),
    ("25.400", "25400", "thousands"),  # a lone dot before exactly three digits: Vietnamese thousands
    ("-25.400", "-25400", "thousands"),
    ("999.999", "999999", "thousands"),
    ("1,500", "1.5", "decimal"),  # a lone comma before three digits: the decimal comma, noted
    ("1686.5", "1686.5", ""),  # any other lone dot is the decimal point
    ("106.7", "106.7", ""),
    ("1234.567", "1234.567", ""),  # four digits before the dot: not a thousands group
    ("0.500", "0.5", ""),  # 0 does not start a thousands group
    ("0.25", "0.25", ""),
    ("1,5", "1.5", ""),
    ("2,75", "2.75", ""),
    (",5", "0.5", ""),
    ("25 400", "25400", ""),  # spaces separate thousands; after them a dot or a comma is the decimal mark
    ("25\u00a0400", "25400", ""),
    ("1\u202f686,5", "1686.5", ""),
    ("1 234 567.5", "1234567.5", ""),
    ("1 686.500", "1686.5", ""),
    ("  -7  ", "-7", ""),
    ("+7", "7", ""),
    ("\u22127,5", "-7.5", ""),  # the minus sign of word processors
]

NOT_NUMBERS = ["1.2.3,4,5", "1.2.3", "12,34.5", "1,2.3", "1.686,5,5", "abc", "1a", "1e5", "NaN", "Infinity", "5.",
               "+", "1 2 3", "12 34", "45 %", "٣", "1..5", "--5"]  # fmt: skip


@pytest.mark.parametrize(("text", "value", "read_as"), VIETNAMESE_TABLE)
def test_the_vietnamese_reading(text, value, read_as):
    reading = read_number(text)
    assert reading.value == Decimal(value)
    assert reading.read_as == read_as and reading.ambiguous == bool(read_as)


@pytest.mark.parametrize("text", NOT_NUMBERS)
def test_what_is_not_a_number(text):
    with pytest.raises(NotANumber):
        read_number(text)


@pytest.mark.parametrize(
    ("text", "value", "read_as"),
    [("1,500", "1500", "thousands"), ("1.500", "1.5", "decimal"), ("1.686,5", "1686.5", ""), ("1,5", "1.5", "")],
)
def test_an_english_page_reads_a_lone_comma_as_thousands(text, value, read_as):
    reading = read_number(text, thousands=ENGLISH)
    assert (reading.value, reading.read_as) == (Decimal(value), read_as)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("106.7", "106.7"),
        ("106.700", "106.7"),
        ("21.027", "21.027"),
        ("21,027", "21.027"),
        ("1.355.000,5", "1355000.5"),
    ],  # fmt: skip
)
def test_coordinates_have_no_thousands_reading_of_a_lone_separator(text, value):
    reading = read_number(text, thousands=None)
    assert reading.value == Decimal(value) and not reading.ambiguous


def test_percent_only_where_the_caller_reads_percentages():
    assert read_number("45 %", percent=True).value == Decimal("45")
    assert read_number("16,7%", percent=True).value == Decimal("16.7")
    with pytest.raises(NotANumber):
        read_number("45%")
    with pytest.raises(NotANumber):
        read_number("%", percent=True)


def test_blank_numbers_and_non_numbers():
    assert read_number("") is None and read_number("  \u00a0") is None and read_number(None) is None
    assert read_number(3.5).value == Decimal("3.5") and read_number(7).value == 7
    assert not read_number(Decimal("25.400")).ambiguous  # a number cell is taken as it is
    for bad in (True, float("nan"), Decimal("Infinity")):
        with pytest.raises(NotANumber):
            read_number(bad)


def test_the_note_writes_the_value_so_it_reads_one_way():
    with translation.override("vi"):
        assert "“25.400” được đọc là 25\u00a0400 (dấu chấm" in read_number("25.400").note
        assert "“1,500” được đọc là 1,5 (dấu phẩy là dấu thập phân" in read_number("1,500").note
        assert read_number("1.686,5").note == ""
    with translation.override("en"):
        assert read_number("25.400").note.startswith("“25.400” read as 25\u00a0400 (the dot as a thousands")
        assert "read as 1\u00a0500 (the comma as a thousands" in read_number("1,500", thousands=ENGLISH).note
        assert "read as 1.5 (the dot as the decimal point" in read_number("1.500", thousands=ENGLISH).note


class Figures(LocalizedNumbers, forms.Form):
    figure = forms.DecimalField(max_digits=20, decimal_places=6)


@pytest.mark.parametrize(("language", "thousands"), [("vi", VIETNAMESE), ("en", ENGLISH)])
def test_the_page_forms_decimal_fields_read_the_same(language, thousands):
    """A decimal field of a page form (LocalizedNumbers) gives what read_number gives with the page's separator,
    and refuses what it refuses."""
    texts = [t for t, _v, _r in VIETNAMESE_TABLE] + ["1,500", "1.500"]
    with translation.override(language):
        for text in texts:
            form = Figures({"figure": text})
            assert form.is_valid(), (text, form.errors)
            assert form.cleaned_data["figure"] == read_number(text, thousands=thousands).value, text
        for text in NOT_NUMBERS:
            assert not Figures({"figure": text}).is_valid(), text
