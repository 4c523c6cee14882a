"""The report list's filters, declared once: the API (`GET /reports/reports`) takes them from here
(ccn/core/filters.py)."""

import django_filters as df
from django.utils.translation import gettext_lazy as _

from ccn.core.filters import EnumFilter, FilterSet, api

from .choices import Form, ReportStatus
from .models import Period, Report


class ReportFilterSet(FilterSet):
    period_id = api(df.ModelChoiceFilter(field_name="period", queryset=Period.objects.all(), label=_("Period")), int)
    form = EnumFilter(enum=Form, label=_("Form"))
    status = EnumFilter(enum=ReportStatus, label=_("Status"))
    province = df.CharFilter(field_name="province__code", label=_("Province"))

    class Meta:
        model = Report
        fields = []
