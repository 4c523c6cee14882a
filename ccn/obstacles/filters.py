"""The obstacle list's filters, declared once: the list page and the API (`GET /obstacles`) take them from here
(ccn/core/filters.py)."""

import django_filters as df
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ccn.accounts import policy
from ccn.core.filters import EnumFilter, FilterSet, api, narrow_choices

from .choices import ACTIVE_STATES, Category, ObstacleStatus
from .models import Agency, Obstacle

ALL = "all"


class ObstacleFilterSet(FilterSet):
    # The page's state select: a state, "all", or nothing (the page then asks for the unresolved: `active`).
    status = api(
        df.ChoiceFilter(
            label=_("State"),
            choices=[(ALL, _("All states")), *ObstacleStatus.choices],
            empty_label=_("Not yet resolved"),
            method="filter_status",
        ),
        ObstacleStatus,
    )
    active = api(df.BooleanFilter(label=_("Not yet resolved"), method="filter_active"), bool, default=False)
    category = EnumFilter(enum=Category, label=_("Category"), empty_label=_("All categories"))
    agency = df.ModelChoiceFilter(
        queryset=Agency.objects.all(), label=_("Responsible agency"), empty_label=_("All agencies")
    )
    cluster = df.CharFilter(field_name="cluster__code", label=_("Cluster"))
    province = df.CharFilter(field_name="cluster__province__code", label=_("Province"))
    overdue = api(
        df.BooleanFilter(label=_("Overdue only"), widget=forms.CheckboxInput, method="filter_overdue"),
        bool,
        default=False,
    )
    q = df.CharFilter(field_name="description", lookup_expr="icontains", label=_("Search"))

    shown = ("q", "status", "category", "agency", "overdue")

    class Meta:
        model = Obstacle
        fields = []

    def filter_status(self, qs, name, value):
        return qs if value == ALL else qs.filter(status=value)

    def filter_active(self, qs, name, value):
        return qs.filter(status__in=ACTIVE_STATES) if value else qs

    def filter_overdue(self, qs, name, value):
        return qs.filter(status__in=ACTIVE_STATES, deadline__lt=timezone.localdate()) if value else qs

    def adapt_form(self, form):
        # The agency select offers the agencies in the user's scope; the API accepts any agency's id.
        if self.user is not None:
            agencies = Agency.objects.filter(policy.scope_q(self.user, Agency)).select_related("province", "commune")
            narrow_choices(form.fields["agency"], agencies.order_by("province__code", "kind", "name"))


def page_data(query):
    """The page's query: without a chosen state it lists the unresolved obstacles."""
    data = query.copy()
    data.pop("active", None)
    if not data.get("status"):
        data["active"] = "true"
    return data
