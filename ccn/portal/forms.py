"""Forms of the portal. They parse input only; selectors and services validate against the registry and write."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from ccn.core.forms import LocalizedNumbers
from ccn.geo.models import Province

from .choices import Timeline
from .models import OFFER_FIELDS, ClusterOffer
from .selectors import Search
from .spam import HONEYPOT_FIELD

SORT_CHOICES = [
    ("vacant", _("Most vacant land")),
    ("price", _("Lowest price")),
    ("distance", _("Nearest to the point")),
    ("name", _("Name")),
]


class SearchForm(LocalizedNumbers, forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=100)
    province = forms.ModelChoiceField(
        Province.objects.all(), label=_("Province"), required=False, to_field_name="code", empty_label=_("All")
    )
    sector = forms.CharField(
        label=_("Sector (VSIC)"),
        required=False,
        max_length=5,
        help_text=_("A section letter (C), a division (10) or a code (1079), of VSIC 2018 or VSIC 2025."),
        widget=forms.TextInput(attrs={"inputmode": "text", "autocomplete": "off", "size": 6}),
    )
    min_vacant_ha = forms.DecimalField(
        label=_("Vacant land at least (ha)"), required=False, min_value=0, max_value=10000, decimal_places=2
    )
    price_from = forms.DecimalField(
        label=_("Price from (VND/m²/year)"), required=False, min_value=0, max_digits=14, decimal_places=0
    )
    price_to = forms.DecimalField(
        label=_("Price up to (VND/m²/year)"), required=False, min_value=0, max_digits=14, decimal_places=0
    )
    wastewater = forms.BooleanField(label=_("Central wastewater plant operating"), required=False)
    lat = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)
    km = forms.FloatField(label=_("Within (km)"), required=False, min_value=0.1, max_value=2000)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)

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

    def search(self) -> Search:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return Search(
            q=data.get("q") or "",
            province=data["province"].code if data.get("province") else "",
            sector=data.get("sector") or "",
            min_vacant_ha=data.get("min_vacant_ha"),
            price_from=data.get("price_from"),
            price_to=data.get("price_to"),
            wastewater=bool(data.get("wastewater")),
            lat=data.get("lat"),
            lon=data.get("lon"),
            km=data.get("km"),
            sort=data.get("sort") or "vacant",
        )


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
