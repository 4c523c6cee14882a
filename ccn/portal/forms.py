"""Forms of the portal. They parse input only; selectors and services validate against the registry and write."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from ccn.core.errors import DomainError
from ccn.core.forms import LocalizedNumbers

from .choices import Timeline
from .models import OFFER_FIELDS, ClusterOffer
from .sectors import parse_sector
from .spam import HONEYPOT_FIELD

SORT_CHOICES = [
    ("vacant", _("Most vacant land")),
    ("price", _("Lowest price")),
    ("distance", _("Nearest to the point")),
    ("name", _("Name")),
]


class SectorField(forms.CharField):
    """A VSIC 2018 code, resolved against the registry (ccn/portal/sectors.py): cleans to a SectorCode, or says
    why the code is not one."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            return parse_sector(value)
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from exc


class SearchForm(LocalizedNumbers, forms.Form):
    """The land search's form (its fields are filters/PortalSearchFilterSet's): decimal inputs accept the decimal
    comma, and the values that only make sense together are checked together."""

    def clean(self):
        data = super().clean()
        has_lat, has_lon = data.get("lat") is not None, data.get("lon") is not None
        if has_lat != has_lon:
            raise forms.ValidationError(_("Give both the latitude and the longitude of the point."))
        if data.get("km") is not None and not has_lat:
            self.add_error("km", _("Choose a point (latitude and longitude) to search around it."))
        low, high = data.get("price_from"), data.get("price_to")
        if low is not None and high is not None and low > high:
            self.add_error("price_to", _("The highest price cannot be lower than the lowest price."))
        return data


class SectorCheckForm(forms.Form):
    sector = forms.CharField(
        label=_("Your sector (VSIC code)"),
        max_length=5,
        help_text=_("For example 1079 (other food products) or 25 (fabricated metal products)."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "size": 6}),
    )


class InquiryForm(LocalizedNumbers, forms.Form):
    """The inquiry form. Field sizes are limited here and again in the service (the API uses the service too)."""

    company = forms.CharField(label=_("Company"), max_length=200)
    contact_name = forms.CharField(label=_("Contact name"), max_length=120)
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    sector_code = forms.CharField(
        label=_("Sector (VSIC)"), max_length=5, required=False, help_text=_("For example 1079.")
    )
    land_needed_ha = forms.DecimalField(
        label=_("Land needed (ha)"),
        required=False,
        min_value=Decimal("0.01"),
        max_value=1000,
        max_digits=8,
        decimal_places=2,
    )
    timeline = forms.ChoiceField(
        label=_("When do you need it?"), required=False, choices=[("", "—"), *Timeline.choices]
    )
    message = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("At most 5,000 characters."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Hidden from people by CSS (and from screen readers); programs that fill every field fill it.
        self.fields[HONEYPOT_FIELD] = forms.CharField(
            label=_("Leave this field empty"),
            required=False,
            widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
        )

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != HONEYPOT_FIELD}


class OfferForm(LocalizedNumbers, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ClusterOffer
        fields = OFFER_FIELDS
        widgets = {"fees_note": forms.Textarea(attrs={"rows": 3}), "utilities": forms.Textarea(attrs={"rows": 4})}

    def service_data(self) -> dict:
        return {k: self.cleaned_data[k] for k in OFFER_FIELDS}


class LeadActionForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
