"""Administration of the reports' reference data: periods, deadlines and validation rules (dated data, editable),
the indicator catalogue and reports (read only: reports change through their workflow)."""

from django.contrib import admin

from ccn.core.admin import ReadOnlyAdmin
from ccn.tenants.models import TenantProject

from .models import FormDeadline, Indicator, Period, Report, ValidationRule
from .rules import parse


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ("kind", "year", "starts_on", "ends_on", "closed_at")
    readonly_fields = ("closed_at", "closed_by")


@admin.register(FormDeadline)
class FormDeadlineAdmin(admin.ModelAdmin):
    list_display = ("form", "period_kind", "day", "month", "compiler_role", "effective_from", "effective_to")
    list_filter = ("form", "period_kind")


@admin.register(ValidationRule)
class ValidationRuleAdmin(admin.ModelAdmin):
    list_display = ("code", "form", "severity", "left", "operator", "right", "tolerance", "is_active")
    list_filter = ("form", "severity", "scope", "is_active")

    def save_model(self, request, obj, form, change):
        parse(obj.left.replace("*", "1"))
        parse(obj.right.replace("*", "1"))
        super().save_model(request, obj, form, change)


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyAdmin):
    list_display = ("form_key", "code", "label_vi", "unit", "value_type")
    list_filter = ("form_key",)


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ("id", "form", "period", "province", "status")
    list_filter = ("form", "status", "period")


if not admin.site.is_registered(TenantProject):
    # Until the tenants app has its own pages, an administrator enters the tenant projects that report Form 01
    # here. The tenants app is installed first, so its own registration wins once it exists.
    @admin.register(TenantProject)
    class TenantProjectAdmin(admin.ModelAdmin):
        list_display = ("name", "cluster", "enterprise", "status", "land_leased_ha")
        list_filter = ("status",)
        raw_id_fields = ("sector",)
        exclude = ("updated_by",)
