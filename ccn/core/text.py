"""Text helpers: search keys that ignore Vietnamese diacritics ("dong phu yen" finds "Đông Phú Yên")."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str | None) -> str:
    """Lower-case ASCII form of Vietnamese text: diacritics removed, đ → d, spaces collapsed."""
    if not text:
        return ""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", stripped.lower()).strip()


def search_terms(query: str | None) -> list[str]:
    return [t for t in fold(query).split(" ") if t]


def number(value, digits: int = 2) -> str:
    """A number for a page or a message in the active language: 1.686,5 and 75,5 (vi), 1,686.5 (en), no useless
    zeros; None or empty is "—". Years are not numbers here: print them as they are."""
    from decimal import Decimal, InvalidOperation

    from django.utils.formats import number_format

    if value is None or value == "":
        return "—"
    try:
        value = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    value = round(value, int(digits))
    needed = max(0, -value.normalize().as_tuple().exponent)
    return number_format(value, decimal_pos=min(needed, int(digits)), use_l10n=True, force_grouping=True)
