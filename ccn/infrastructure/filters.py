"""The wastewater alert list's filters, declared once: the alert page and the API (`GET /infrastructure/alerts`)
take them from here (ccn/core/filters.py)."""

import django_filters as df
from django.utils.translation import gettext_lazy as _

from ccn.clusters.models import Cluster
from ccn.core.filters import FilterSet, api
from ccn.geo.models import Province

from .choices import ALERT_FIELDS, AlertKind


class AlertFilterSet(FilterSet):
    kind = api(
        df.ChoiceFilter(
            label=_("Alert"),
            empty_label=_("All alerts"),
            choices=[
                (AlertKind.NO_PLANT, _("Operating tenants, no operating plant")),
                (AlertKind.CAPACITY, _("Plant capacity below declared discharge")),
                (AlertKind.STALE_RESULT, _("Compliance result older than a year")),
                (AlertKind.STANDARD, _("Not meeting the standard that applies")),
            ],
            method="filter_kind",
        ),
        str,
        default="",
    )
    province = api(
        df.ModelChoiceFilter(
            queryset=Province.objects.all(), to_field_name="code", label=_("Province"), empty_label=_("All")
        ),
        str,
        default="",
    )

    class Meta:
        model = Cluster
        fields = []

    def filter_kind(self, qs, name, value):
        return qs.filter(**{ALERT_FIELDS[value]: True})
