"""The figures a person types into a report (Forms 01–04): read in Vietnamese or plain notation and checked
against each indicator's kind (number, not negative, whole, 1 or 0, % at most 100). Nothing is written here."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from ccn.core.errors import fields_error

from . import selectors
from .choices import ValueType
from .models import column_of

_NUMBER = re.compile(r"^-?\d+([.,]\d+)?$")


def parse_number(raw) -> Decimal | None:
    """A figure typed by a person: "1.234,5" (Vietnamese) or "1,234.5" or "1234.5"; empty → None.
    Raises ValueError for text that is not a number."""
    if raw is None:
        return None
    if isinstance(raw, int | float | Decimal) and not isinstance(raw, bool):
        value = Decimal(str(raw))
    else:
        text = str(raw).strip().replace(" ", "").replace("\u00a0", "")
        if text == "":
            return None
        if "," in text and "." in text:
            decimal_sep = "," if text.rfind(",") > text.rfind(".") else "."
            thousands = "." if decimal_sep == "," else ","
            text = text.replace(thousands, "").replace(decimal_sep, ".")
        elif text.count(",") == 1:
            text = text.replace(",", ".")
        if not _NUMBER.match(text):
            raise ValueError(text)
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ValueError(text)
    if not value.is_finite():
        raise ValueError(str(raw))
    return value


def clean_values(form: str, raw: dict) -> dict[str, Decimal | None]:
    """Check each typed figure against its indicator (number, not negative, whole, 1 or 0, % at most 100)."""
    indicators = {i.code: i for i in selectors.indicators_for(form)}
    errors: dict[str, list[str]] = {}
    values: dict[str, Decimal | None] = {}
    for code, typed in raw.items():
        code = str(code)
        ind = indicators.get(code)
        if ind is None:
            errors.setdefault("__all__", []).append(
                _("Form %(form)s has no indicator %(code)s.") % {"form": form, "code": code}
            )
            continue
        field = column_of(code)
        try:
            value = parse_number(typed)
        except ValueError:
            errors[field] = [
                _("Indicator %(code)s (%(unit)s) needs a number; “%(text)s” is not one.")
                % {"code": code, "unit": ind.unit, "text": str(typed)[:40]}
            ]
            continue
        if value is not None:
            if value < 0:
                errors[field] = [_("Indicator %(code)s cannot be negative.") % {"code": code}]
            elif ind.value_type == ValueType.FLAG and value not in (0, 1):
                errors[field] = [_("Indicator %(code)s is 1 (yes) or 0 (no).") % {"code": code}]
            elif ind.value_type == ValueType.INTEGER and value != value.to_integral():
                errors[field] = [_("Indicator %(code)s is a whole number.") % {"code": code}]
            elif ind.unit == "%" and value > 100:
                errors[field] = [_("Indicator %(code)s is a percentage and cannot exceed 100 %%.") % {"code": code}]
            elif abs(value) >= Decimal("1e13"):
                errors[field] = [_("Indicator %(code)s is too large.") % {"code": code}]
        values[code] = value
    if errors:
        raise fields_error(errors)
    return values
