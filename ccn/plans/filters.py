"""The plan list's filters, declared once: the list page and the API (`GET /plans/`) take them from here
(ccn/core/filters.py)."""

import django_filters as df
from django.utils.translation import gettext_lazy as _

from ccn.core.filters import EnumFilter, FilterSet, api
from ccn.geo.models import Province

from .choices import PlanKind
from .models import Plan


class PlanFilterSet(FilterSet):
    province = api(
        df.ModelChoiceFilter(
            queryset=Province.objects.all(), to_field_name="code", label=_("Province"), empty_label=_("All provinces")
        ),
        str,
        default="",
    )
    kind = api(EnumFilter(enum=PlanKind, label=_("Kind"), empty_label=_("All kinds")), str, default="")

    class Meta:
        model = Plan
        fields = []
