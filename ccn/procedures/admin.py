"""Administration of the legal data of procedures: the calendar and the time limits. Saving goes through the
services, so open clocks are recomputed and the change history is kept."""

from django.contrib import admin

from . import services
from .models import CalendarDay, OccupancyScopeSetting, TimeLimit


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "kind", "name", "confirmed", "legal_source")
    list_filter = ("kind", "confirmed")
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        services.calendar_day_save(
            actor=request.user,
            date=obj.date,
            kind=obj.kind,
            name=obj.name,
            legal_source=obj.legal_source,
            confirmed=obj.confirmed,
        )

    def delete_model(self, request, obj):
        services.calendar_day_delete(actor=request.user, day=obj)


@admin.register(TimeLimit)
class TimeLimitAdmin(admin.ModelAdmin):
    list_display = ("step", "value", "unit", "effective_from", "effective_to", "legal_source")
    list_filter = ("step",)

    def save_model(self, request, obj, form, change):
        services.time_limit_save(actor=request.user, rule=obj)


@admin.register(OccupancyScopeSetting)
class OccupancyScopeSettingAdmin(admin.ModelAdmin):
    list_display = ("province", "scope", "effective_from", "document")
    list_filter = ("scope",)
