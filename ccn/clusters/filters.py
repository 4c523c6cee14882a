"""The cluster list's filters, declared once: the list page, the map, the exports, the API (`GET /clusters`) and the
OGC collection take them from here (ccn/core/filters.py)."""

import django_filters as df
from django import forms
from django.utils.translation import gettext_lazy as _

from ccn.core.filters import EnumFilter, FilterSet, SearchFilter, api, narrow_choices
from ccn.core.forms import LocalizedNumbers
from ccn.geo.models import Commune, Province

from .choices import ClusterKind, ClusterStatus
from .forms import PlainSelect
from .models import Cluster, Organisation


class ClusterFilterForm(LocalizedNumbers, forms.Form):
    """The filter form: decimal inputs accept the decimal comma."""


def _in_commune(qs, name, commune):
    return qs.filter(pk__in=Cluster.communes.through.objects.filter(commune=commune).values("cluster_id"))


class ClusterFilterSet(FilterSet):
    q = SearchFilter(label=_("Search"), lookups=("search_key__contains",))
    province = df.ModelChoiceFilter(
        queryset=Province.objects.all(), to_field_name="code", label=_("Province"), empty_label=_("All provinces")
    )
    commune = df.ModelChoiceFilter(
        queryset=Commune.objects.all(),
        to_field_name="code",
        label=_("Commune"),
        empty_label=_("All communes"),
        method=_in_commune,
    )
    kind = EnumFilter(enum=ClusterKind, label=_("Type"), empty_label=_("All types"))
    status = EnumFilter(enum=ClusterStatus, label=_("State"), empty_label=_("All states"))
    investor = df.ModelChoiceFilter(
        queryset=Organisation.objects.filter(invested_clusters__isnull=False).distinct().only("pk", "name"),
        label=_("Infrastructure investor"),
        empty_label=_("All investors"),
        widget=PlainSelect,
    )
    min_occupancy = df.NumberFilter(
        field_name="occupancy_raw", lookup_expr="gte", label=_("Occupancy at least (%)"), min_value=0, max_value=100
    )
    max_occupancy = df.NumberFilter(
        field_name="occupancy_raw", lookup_expr="lte", label=_("Occupancy at most (%)"), min_value=0, max_value=100
    )
    min_vacant = api(
        df.NumberFilter(
            field_name="vacant_land_ha", lookup_expr="gte", label=_("Vacant land at least (ha)"), min_value=0
        ),
        le=100000,
    )

    class Meta:
        model = Cluster
        fields = []
        form = ClusterFilterForm

    def adapt_form(self, form):
        # The select lists the communes of the chosen province, or of the user's own: a list of 3,321 helps nobody.
        # Any commune's code is still accepted (the API and links name communes directly).
        code = (self.data.get("province") if self.is_bound else "") or ""
        communes = Commune.objects.none()
        if code:
            communes = Commune.objects.filter(province__code=code)
        elif self.user is not None and getattr(self.user, "province_id", None):
            communes = Commune.objects.filter(province_id=self.user.province_id)
        narrow_choices(form.fields["commune"], communes.order_by("name"))


class OrganisationFilterSet(FilterSet):
    q = api(SearchFilter(label=_("Search"), lookups=("search_key__contains", "tax_code__startswith")), str, default="")

    class Meta:
        model = Organisation
        fields = []
