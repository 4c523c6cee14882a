"""The portal inquiry list's filters, declared once: the inquiry page and the API (`GET /portal/leads`) take them
from here (ccn/core/filters.py)."""

import django_filters as df
from django.utils.translation import gettext_lazy as _

from ccn.core.filters import EnumFilter, FilterSet, api

from .choices import LeadStatus
from .models import Lead


class LeadFilterSet(FilterSet):
    status = api(EnumFilter(enum=LeadStatus, label=_("Status"), empty_label=_("All")), str, default="")
    cluster = api(df.CharFilter(field_name="cluster__code", label=_("Cluster")), str, default="")

    class Meta:
        model = Lead
        fields = []
