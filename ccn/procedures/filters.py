"""The procedure lists' filters, declared once: the dossier register (page and `GET /procedures/dossiers`) and the
relocation list take them from here (ccn/core/filters.py)."""

import django_filters as df
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ccn.core.filters import EnumFilter, FilterSet, api

from .choices import OPEN_DOSSIER_STATES, DossierKind, DossierStatus, RelocationStatus
from .models import Dossier, DossierStep, RelocationFacility


class DossierFilterSet(FilterSet):
    status = EnumFilter(enum=DossierStatus, label=_("State"), empty_label=_("All states"))
    kind = EnumFilter(enum=DossierKind, label=_("Procedure"), empty_label=_("All"))
    province = api(df.CharFilter(field_name="province__code", label=_("Province"), max_length=2), pattern=r"^[0-9]+$")
    overdue = api(
        df.BooleanFilter(label=_("Overdue only"), widget=forms.CheckboxInput, method="filter_overdue"),
        bool,
        default=False,
    )

    shown = ("status", "kind", "overdue")

    class Meta:
        model = Dossier
        fields = []

    def filter_overdue(self, qs, name, value):
        """Open dossiers whose open step is past its due date (selectors.overdue_steps; `qs` is already in scope)."""
        if not value:
            return qs
        late = DossierStep.objects.filter(completed_on__isnull=True, due_on__lt=timezone.localdate())
        return qs.filter(status__in=OPEN_DOSSIER_STATES, pk__in=late.values("dossier_id"))


class FacilityFilterSet(FilterSet):
    status = EnumFilter(enum=RelocationStatus, label=_("State"), empty_label=_("All states"))
    commune = api(df.CharFilter(field_name="commune__code", label=_("Commune"), max_length=5), pattern=r"^[0-9]+$")
    cluster = api(
        df.CharFilter(field_name="target_cluster__code", label=_("Cluster"), max_length=30),
        pattern=r"^[A-Za-z0-9-]+$",
    )

    shown = ("status",)

    class Meta:
        model = RelocationFacility
        fields = []
