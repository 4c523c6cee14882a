"""Administration of plans and targets (read mostly; pages and services do the writes that matter)."""

from django.contrib import admin

from .models import Plan, PlanItem, PlanVersion, Target


class PlanVersionInline(admin.TabularInline):
    model = PlanVersion
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("number", "title", "province", "kind", "issued_on", "is_sample")
    list_filter = ("kind", "province", "is_sample")
    inlines = [PlanVersionInline]


@admin.register(PlanItem)
class PlanItemAdmin(admin.ModelAdmin):
    list_display = ("name", "plan", "cluster", "area_ha", "added_in", "removed_in")
    list_filter = ("plan",)


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ("title", "plan", "indicator", "scope_kind", "value_min", "value_max", "deadline")
    list_filter = ("indicator", "scope_kind")
