"""The figures a person types into a report (Forms 01–04): read by the one rule of ccn/core/numbers.py (1.686,5 or
1686.5; 25.400 is 25 400) and checked against each indicator's kind (number, not negative, whole, 1 or 0, % at most
100). Nothing is written here."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from ccn.core.errors import fields_error
from ccn.core.numbers import VIETNAMESE, NotANumber, read_number

from . import selectors
from .choices import ValueType
from .models import column_of


def reading_notes(form: str, raw: dict, *, thousands: str = VIETNAMESE) -> list[str]:
    """How each figure whose text could be read two ways was read ("Indicator 5: “25.400” read as 25 400 (…)"), in
    the form's order; figures that are not numbers are left to clean_values."""
    notes = []
    for ind in selectors.indicators_for(form):
        try:
            reading = read_number(raw.get(ind.code), thousands=thousands, percent=ind.unit == "%")
        except NotANumber:
            continue
        if reading and reading.ambiguous:
            notes.append(_("Indicator %(code)s: %(note)s") % {"code": ind.code, "note": reading.note})
    return notes


def clean_values(form: str, raw: dict, *, thousands: str = VIETNAMESE) -> dict[str, Decimal | None]:
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
            reading = read_number(typed, thousands=thousands, percent=ind.unit == "%")
        except NotANumber:
            errors[field] = [
                _("Indicator %(code)s (%(unit)s) needs a number; “%(text)s” is not one.")
                % {"code": code, "unit": ind.unit, "text": str(typed)[:40]}
            ]
            continue
        value = reading.value if reading else None
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
