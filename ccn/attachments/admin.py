from django.contrib import admin

from .models import Attachment


class OrphanedFilter(admin.SimpleListFilter):
    title = "record deleted"
    parameter_name = "orphaned"

    def lookups(self, request, model_admin):
        return (("1", "orphaned"), ("0", "linked"))

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(orphaned_at__isnull=False)
        if self.value() == "0":
            return queryset.filter(orphaned_at__isnull=True)
        return queryset


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "record_type", "record_id", "record_label", "size", "uploaded_at", "orphaned_at")
    list_filter = (OrphanedFilter, "kind", "record_type")
    search_fields = ("name", "record_label", "sha256")
    readonly_fields = ("record_type", "record_id", "record_label", "file", "size", "sha256", "media_type")
