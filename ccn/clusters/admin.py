"""Administration of reference data of the registry: sectors, legal rules, organisations."""

from django.contrib import admin

from ccn.core.admin import ReadOnlyAdmin

from .models import Cluster, LegalRule, Organisation, Sector, Sector2025


@admin.register(LegalRule)
class LegalRuleAdmin(admin.ModelAdmin):
    list_display = (
        "key",
        "cluster_kind",
        "mountainous_only",
        "value",
        "effective_from",
        "effective_to",
        "legal_source",
    )
    list_filter = ("key", "cluster_kind", "mountainous_only")


@admin.register(Sector, Sector2025)
class SectorAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "parent")
    search_fields = ("code", "name", "name_en")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "tax_code", "country", "kind")
    search_fields = ("name", "tax_code")


@admin.register(Cluster)
class ClusterAdmin(ReadOnlyAdmin):
    """Read-only here: clusters change through the registry pages so that history and rules apply."""

    list_display = ("code", "name", "province", "status")
    list_filter = ("province", "status", "kind")
    search_fields = ("code", "name", "search_key")
