"""Form widgets and helpers every app's pages share: dates typed and shown as dd/mm/yyyy whatever the browser's
language, numbers in the user's format (the decimal comma in Vietnamese), searchable selects for long lists and
fieldsets with headings (templates/includes/form_fields.html)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .numbers import NotANumber, page_thousands, read_number

# The label of a select's empty choice (Django's own): its Vietnamese catalogue lacks it, so ours carries it.
BLANK_CHOICE = _("- Select an option -")


class DateInput(forms.DateInput):
    """A date as text, dd/mm/yyyy in both languages. A browser's own date input (`type=date`) follows the
    browser's language, not the page's: an English Chrome shows mm/dd/yyyy to a Vietnamese officer. The form
    accepts dd/mm/yyyy and ISO yyyy-mm-dd (config/formats); static/js/ccn.js adds a calendar button beside it
    (vanillajs-datepicker, static/vendor/datepicker) in the page's language."""

    input_type = "text"

    def __init__(self, attrs=None, format=None):  # noqa: A002 - Django's argument name
        defaults = {
            "placeholder": "dd/mm/yyyy",
            "inputmode": "numeric",
            "autocomplete": "off",
            "data-date": "",
            "size": "12",
        }
        super().__init__({**defaults, **(attrs or {})}, format=format or "%d/%m/%Y")


class _TypedNumber:
    """Reads the typed text by ccn/core/numbers.py with the page's thousands separator; text that is not a number
    under that rule is refused with the field's own message ("Enter a number.")."""

    def to_python(self, value):
        if isinstance(value, str):
            try:
                reading = read_number(value, thousands=page_thousands())
            except NotANumber:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            value = "" if reading is None else str(reading.value)
        return super().to_python(value)


class LocalDecimalField(_TypedNumber, forms.DecimalField):
    """A decimal typed in either language's format (ccn/core/numbers.py), shown in the page's."""


class LocalFloatField(_TypedNumber, forms.FloatField):
    """A float typed in either language's format (ccn/core/numbers.py), shown in the page's."""


def localize_numbers(form: forms.BaseForm) -> None:
    """Decimal inputs as text shown in the user's format (45,5 in Vietnamese) and read in either format
    (ccn/core/numbers.py), never the browser's number input, which follows the browser's language and may refuse the
    decimal comma."""
    for field in form.fields.values():
        if type(field) in (forms.DecimalField, forms.FloatField):
            # The same field with the reading of ccn/core/numbers.py (its limits, messages and label stay).
            field.__class__ = LocalDecimalField if isinstance(field, forms.DecimalField) else LocalFloatField
            field.localize = False  # read by ccn/core/numbers.py, not by Django's separator stripping
            field.widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
            field.widget.is_localized = True  # shown as 45,5 in Vietnamese


class LocalizedNumbers:
    """Form mixin: every decimal input of the form accepts the decimal comma (localize_numbers)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        localize_numbers(self)


def searchable(form: forms.BaseForm, *names: str) -> None:
    """Marks selects to get a search box (the long lists: communes, sectors, organisations); static/js/ccn.js turns
    them into Tom Select comboboxes, and without JavaScript they stay plain selects."""
    for name in names:
        if name in form.fields:
            form.fields[name].widget.attrs["data-search"] = ""


def fields_with(fields: tuple[str, ...], *extra: str, after: str) -> list[str]:
    """A model form's fields: the entity's one list of entered fields (e.g. plans.models.TARGET_DATA_FIELDS), with
    the fields the page shows besides them (a service takes them apart) placed after `after`."""
    at = fields.index(after) + 1
    return [*fields[:at], *extra, *fields[at:]]


class Fieldsets:
    """A form's fields grouped under headings: `fieldsets = [(legend, [field names]), ...]`; fields not listed
    follow in a last group. templates/includes/form_fields.html renders each group as a fieldset."""

    fieldsets: list[tuple[str, list[str]]] = []

    def grouped_fields(self):
        listed = set()
        groups = []
        for legend, names in self.fieldsets:
            fields = [self[n] for n in names if n in self.fields and not self[n].is_hidden]
            listed.update(names)
            if fields:
                groups.append({"legend": legend, "fields": fields})
        rest = [f for f in self.visible_fields() if f.name not in listed]
        if rest:
            groups.append({"legend": "", "fields": rest})
        return groups
