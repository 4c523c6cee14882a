"""The tenant-project list's filters, declared once: the list page, its exports and the API (`GET /tenants/projects`)
take them from here (ccn/core/filters.py)."""

import django_filters as df
from django.db.models import Q
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy as _

from ccn.clusters.models import Sector, Sector2025
from ccn.core.filters import EnumFilter, FilterSet, SearchFilter, api
from ccn.geo.models import Province

from .choices import ProjectStatus
from .models import TenantProject


class TenantFilterSet(FilterSet):
    q = SearchFilter(
        label=_("Search"),
        lookups=(
            "name__icontains",
            "enterprise__search_key__contains",
            "enterprise__tax_code__startswith",
            "cluster__search_key__contains",
        ),
    )
    province = df.ModelChoiceFilter(
        field_name="cluster__province",
        queryset=Province.objects.all(),
        to_field_name="code",
        label=_("Province"),
        empty_label=_("All"),
    )
    cluster = df.CharFilter(label=_("Cluster code"), method="filter_cluster")
    status = EnumFilter(enum=ProjectStatus, label=_("Status"), empty_label=_("All"))
    foreign = api(
        df.ChoiceFilter(
            field_name="foreign_invested",
            label=_("Foreign-invested"),
            choices=[("1", _("Foreign-invested")), ("0", _("Domestic"))],
            empty_label=_("All"),
            method="filter_foreign",
        ),
        bool,
    )
    tax_code = df.CharFilter(field_name="enterprise__tax_code", label=_("Enterprise tax code"))
    sector = df.CharFilter(label=_("Sector (VSIC code)"), method="filter_sector")

    class Meta:
        model = TenantProject
        fields = []

    def filter_cluster(self, qs, name, value):
        code = value.strip().upper()
        return qs.filter(cluster__code=code) if code else qs

    def filter_sector(self, qs, name, value):
        """Projects under a VSIC code of either edition: a division finds its 3- to 5-digit codes (prefix), a
        section letter the codes of its divisions in each edition."""
        code = value.strip().upper()
        if not code:
            return qs
        if not code.isalpha():
            return qs.filter(Q(sector__code__startswith=code) | Q(sector_2025__code__startswith=code))
        return qs.alias(div18=Substr("sector_id", 1, 2), div25=Substr("sector_2025_id", 1, 2)).filter(
            Q(sector_id=code)
            | Q(sector_2025_id=code)
            | Q(div18__in=Sector.objects.filter(parent_id=code).values("code"))
            | Q(div25__in=Sector2025.objects.filter(parent_id=code).values("code"))
        )

    def filter_foreign(self, qs, name, value):
        return qs.filter(foreign_invested=value == "1")
