"""Administration of administrative units (read mostly; loaded by load_admin_units)."""

from django.contrib import admin

from .models import Commune, LegacyDistrict, LegacyProvince, Province


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "effective_from", "effective_to")
    search_fields = ("name", "search_key", "code")


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "province", "effective_from")
    list_filter = ("province",)
    search_fields = ("name", "search_key", "code")


@admin.register(LegacyProvince)
class LegacyProvinceAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "successor", "effective_to")
    search_fields = ("name", "search_key")


@admin.register(LegacyDistrict)
class LegacyDistrictAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "province", "effective_to")
    search_fields = ("name", "search_key")
