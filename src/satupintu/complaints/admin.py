"""The technical admin for complaints: categories (what can be reported, who handles it, the
deadlines) and the holiday calendar that working-day deadlines skip. Reports are handled on the
OPD pages (/kelola/pengaduan/), never edited here: the admin shows them read-only."""

from __future__ import annotations

from django.contrib import admin

from .models import ApiKey, Category, Holiday, Report, ReportUpdate


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "code",
        "group",
        "organisation",
        "area_based",
        "response_days",
        "completion_days",
        "is_active",
    )
    list_filter = ("group", "area_based", "is_active", "organisation")
    search_fields = ("name", "code", "keywords", "description")
    prepopulated_fields = {"code": ("name",)}
    list_select_related = ("organisation",)


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ("date", "name", "kind")
    list_filter = ("kind",)
    search_fields = ("name",)
    date_hierarchy = "date"


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "organisation", "is_active", "created_at", "last_used_at")
    list_filter = ("is_active",)
    readonly_fields = ("prefix", "key_hash", "created_at", "last_used_at")
    search_fields = ("name", "prefix")

    def has_add_permission(self, request) -> bool:
        # Keys are created by `manage.py create_open311_key`, which shows the key once.
        return False


class ReportUpdateInline(admin.TabularInline):
    model = ReportUpdate
    extra = 0
    can_delete = False
    fields = ("created_at", "kind", "status_from", "status_to", "is_public", "message", "author")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ("reference", "title", "category", "organisation", "status", "created_at")
    list_filter = ("status", "channel", "category")
    search_fields = ("reference", "title")
    list_select_related = ("category", "organisation")
    # Contact fields are personal data: they are not shown here at all.
    exclude = ("contact_name", "contact_email", "contact_phone", "description")
    inlines = [ReportUpdateInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name not in self.exclude]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
