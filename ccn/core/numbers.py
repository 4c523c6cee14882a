"""One way to read a number a person typed: in a form, the API, an import file or a coordinate field.

Vietnamese writes 1.686,5 (dot for thousands, comma for decimals) and 25.400 is twenty-five thousand four hundred;
plain (English, Excel) writes 1686.5 or 1,686.5. The rule (docs/architecture.md, "Reading typed numbers"):

- spaces (also no-break and narrow no-break) separate thousands: 25 400, 1 686,5; after them a dot or a comma is the
  decimal mark;
- with both a dot and a comma the later one is the decimal mark, written once, and the other separates groups of
  three: 1.686,5 and 1,686.5 are both 1686.5;
- one kind of separator written more than once separates groups of three: 1.234.567 and 1,234,567;
- a single separator is the decimal mark (1686.5, 1,5, 106.7), except that a single *thousands* separator followed by
  exactly three digits, after one to three digits not starting with 0, is read as thousands. The thousands
  separator is the dot (Vietnamese: 25.400 = 25 400, and 1,500 = 1,5) for files, the API and pages in Vietnamese;
  the comma on pages in English (1,500 = 1 500, 1.500 = 1.5); none for coordinates (106.700 = 106.7 degrees).
  These readings could have gone the other way: the Reading is `ambiguous` and its `note` tells how it was read
  ("“25.400” đọc là 25 400");
- a leading minus (or +) sign; a trailing % where the caller reads percentages;
- anything else is not a number: 1.2.3,4,5, 1.2.3, 12,34.5, abc, 1e5, nan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext as _

VIETNAMESE = "."  # the thousands separator of files, the API and pages in Vietnamese
ENGLISH = ","

_SIGNS = {"-": "-", "\u2212": "-", "+": ""}
_SPACED = re.compile(r"^[0-9]{1,3}(?: [0-9]{3})+(?:[.,][0-9]+)?$")
_SPACES = re.compile(r"\s+")  # includes the no-break space U+00A0 and the narrow one U+202F


class NotANumber(ValueError):
    """The text is not a number under the rule; the caller names the field or cell in its message."""


@dataclass(frozen=True)
class Reading:
    """A number as read and, when its text could have been read another way, which way was taken."""

    value: Decimal
    text: str = ""  # as typed
    read_as: str = ""  # "" (only one reading) | "thousands" | "decimal": how the lone separator was taken

    @property
    def ambiguous(self) -> bool:
        return bool(self.read_as)

    @property
    def note(self) -> str:
        """“25.400” read as 25 400 (the dot separates thousands) — empty when the text had only one reading."""
        if not self.read_as:
            return ""
        mark = "." if "." in self.text else ","
        if self.read_as == "thousands":
            if mark == ".":
                msg = _("“%(text)s” read as %(value)s (the dot as a thousands separator, as in Vietnamese).")
            else:
                msg = _("“%(text)s” read as %(value)s (the comma as a thousands separator, as in English).")
        elif mark == ",":
            msg = _("“%(text)s” read as %(value)s (the comma as the decimal mark, as in Vietnamese).")
        else:
            msg = _("“%(text)s” read as %(value)s (the dot as the decimal point, as in English).")
        return msg % {"text": self.text, "value": spelled(self.value)}


def page_thousands() -> str:
    """The thousands separator of the page's language: the dot in Vietnamese, the comma in English."""
    return ENGLISH if formats.get_format("THOUSAND_SEPARATOR") == "," else VIETNAMESE


def read_number(value, *, thousands: str | None = VIETNAMESE, percent: bool = False) -> Reading | None:
    """The number in `value` under the rule of this module; None when it is blank. Numbers (int, float, Decimal)
    are taken as they are. `thousands` is the separator a lone "x.000" means thousands by (None: never);
    `percent` accepts a trailing % (45 % is 45). Raises NotANumber."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise NotANumber(str(value))
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
        if not number.is_finite():
            raise NotANumber(str(value))
        return Reading(number)
    typed = str(value).strip()
    text = _SPACES.sub(" ", typed)
    if not text:
        return None
    if percent and text.endswith("%"):
        text = text[:-1].rstrip()
    sign = _SIGNS.get(text[:1])
    if sign is not None:
        text = text[1:].lstrip()
    digits, read_as = _digits(text, thousands)
    return Reading(Decimal((sign or "") + digits), typed, read_as)


def _digits(text: str, thousands: str | None) -> tuple[str, str]:
    """`text` without sign as plain digits with a decimal point, and how a lone separator was taken."""
    if " " in text:
        if not _SPACED.match(text):
            raise NotANumber(text)
        return text.replace(" ", "").replace(",", "."), ""
    dots, commas = text.count("."), text.count(",")
    if dots and commas:
        mark = "," if text.rfind(",") > text.rfind(".") else "."
        group = "." if mark == "," else ","
        whole, _sep, fraction = text.partition(mark)
        if mark in fraction or not _grouped(whole, group) or not fraction.isdigit() or not fraction.isascii():
            raise NotANumber(text)
        return whole.replace(group, "") + "." + fraction, ""
    if dots + commas == 0:
        if not _plain(text):
            raise NotANumber(text)
        return text, ""
    separator = "." if dots else ","
    if dots + commas > 1:
        if not _grouped(text, separator):
            raise NotANumber(text)
        return text.replace(separator, ""), ""
    whole, _sep, fraction = text.partition(separator)
    if not _plain(fraction) or (whole and not _plain(whole)):
        raise NotANumber(text)
    thousands_shape = len(fraction) == 3 and 1 <= len(whole) <= 3 and not whole.startswith("0")
    if thousands is None or not thousands_shape:
        return (whole or "0") + "." + fraction, ""
    if separator == thousands:
        return whole + fraction, "thousands"
    return whole + "." + fraction, "decimal"


def _plain(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _grouped(text: str, separator: str) -> bool:
    """1.234.567: one to three digits, then groups of exactly three."""
    head, *groups = text.split(separator)
    return _plain(head) and len(head) <= 3 and bool(groups) and all(len(g) == 3 and _plain(g) for g in groups)


def spelled(number: Decimal) -> str:
    """A number written so that it reads one way only: thousands grouped by a no-break space, the decimal mark of
    the user's language (25 400; 1 686,5 in Vietnamese, 1 686.5 in English)."""
    text = f"{number.normalize():,f}"
    mark = "," if (get_language() or "vi").startswith("vi") else "."
    return text.replace(",", "\u00a0").replace(".", mark)
