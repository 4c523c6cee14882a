"""The portal's filters, declared once (ccn/core/filters.py): the inquiry list (page and `GET /portal/leads`) and
the public land search (the search page, its CSV and `GET /portal/clusters`)."""

import django_filters as df
from django import forms
from django.utils.translation import gettext_lazy as _

from ccn.clusters.models import Cluster
from ccn.core.filters import EnumFilter, FilterSet, SearchFilter, api
from ccn.geo.models import Province

from .choices import LeadStatus
from .forms import SORT_CHOICES, SearchForm, SectorField
from .models import Lead
from .sectors import admits


class LeadFilterSet(FilterSet):
    status = api(EnumFilter(enum=LeadStatus, label=_("Status"), empty_label=_("All")), str, default="")
    cluster = api(df.CharFilter(field_name="cluster__code", label=_("Cluster")), str, default="")

    class Meta:
        model = Lead
        fields = []


class SectorFilter(df.CharFilter):
    """A VSIC 2018 code (SectorField resolves it): clusters permitting it, its division or its section."""

    field_class = SectorField

    def filter(self, qs, value):
        if not value:
            return qs
        permits = Cluster.sectors.through.objects.filter(admits(value))
        return qs.filter(pk__in=permits.values("cluster_id"))


class TickFilter(df.BooleanFilter):
    """A checkbox (its `method` reads ticked as a filter, unticked as none)."""

    field_class = forms.BooleanField


def _operating_plant(qs, name, value):
    return qs.filter(wastewater_plant__status="operating") if value else qs


class FloatFilter(df.NumberFilter):
    field_class = forms.FloatField


def read_by_selector(qs, name, value):
    """The point (lat, lon, km) and the order are applied by selectors.portal_search, which measures the distance
    and sorts by it: declared here for the form, the API's parameters and their validation."""
    return qs


class PortalSearchFilterSet(FilterSet):
    """The public land search over published clusters with their public figures (selectors.portal_search)."""

    q = api(SearchFilter(label=_("Name"), lookups=("search_key__contains",), max_length=100), str, default="")
    province = api(
        df.ModelChoiceFilter(
            queryset=Province.objects.all(), to_field_name="code", label=_("Province"), empty_label=_("All")
        ),
        str,
        default="",
    )
    sector = api(
        SectorFilter(
            label=_("Sector (VSIC)"),
            help_text=_("A section letter (C), a division (10) or a code (1079), of VSIC 2018 or VSIC 2025."),
            widget=forms.TextInput(attrs={"inputmode": "text", "autocomplete": "off", "size": 6, "maxlength": 5}),
        ),
        str,
        default="",
    )
    min_vacant_ha = api(
        df.NumberFilter(
            field_name="vacant_land_ha",
            lookup_expr="gte",
            label=_("Vacant land at least (ha)"),
            min_value=0,
            max_value=10000,
        ),
        float,
    )
    # An offer's range overlaps the visitor's: it reaches the lowest price asked and starts below the highest.
    price_from = api(
        df.NumberFilter(
            field_name="price_to",
            lookup_expr="gte",
            label=_("Price from (VND/m²/year)"),
            min_value=0,
            max_digits=14,
        ),
        float,
    )
    price_to = api(
        df.NumberFilter(
            field_name="price_from",
            lookup_expr="lte",
            label=_("Price up to (VND/m²/year)"),
            min_value=0,
            max_digits=14,
        ),
        float,
    )
    wastewater = api(
        TickFilter(label=_("Central wastewater plant operating"), method=_operating_plant),
        bool,
        default=False,
    )
    lat = api(FloatFilter(label=_("Latitude"), min_value=-90, max_value=90, method=read_by_selector), float)
    lon = api(FloatFilter(label=_("Longitude"), min_value=-180, max_value=180, method=read_by_selector), float)
    km = api(FloatFilter(label=_("Within (km)"), min_value=0.1, max_value=2000, method=read_by_selector), float)
    sort = api(
        df.ChoiceFilter(choices=SORT_CHOICES, label=_("Sort by"), empty_label=None, method=read_by_selector),
        str,
        default="vacant",
    )

    class Meta:
        model = Cluster
        fields = []
        form = SearchForm
