"""Technical admin for the data hub (platform admins). Day-to-day work happens in the OPD
workspace and the walidata review pages; source passwords are never shown here."""

from __future__ import annotations

from django.contrib import admin

from .models import (
    ActivityMetadata,
    Dataset,
    DatasetVersion,
    Indicator,
    Resource,
    Source,
    Tag,
    Topic,
    ValidationIssue,
    Variable,
)


class ResourceInline(admin.TabularInline):
    model = Resource
    fields = ["name", "kind", "source", "schedule", "row_count", "last_synced_at"]
    readonly_fields = ["row_count", "last_synced_at"]
    extra = 0
    show_change_link = True


@admin.register(Dataset)
class DatasetAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "organisation",
        "status",
        "classification",
        "version",
        "quality_score",
        "data_updated_at",
    ]
    list_filter = ["status", "classification", "topic", "organisation"]
    search_fields = ["title", "slug", "description"]
    readonly_fields = [
        "version",
        "quality_score",
        "quality",
        "data_updated_at",
        "submitted_at",
        "submitted_by",
        "published_at",
        "approved_by",
    ]
    filter_horizontal = ["tags"]
    raw_id_fields = ["regions"]
    inlines = [ResourceInline]


class VariableInline(admin.TabularInline):
    model = Variable
    fields = ["name", "source_column", "type", "personal_kind", "is_published", "declassified"]
    readonly_fields = ["declassified"]
    extra = 0


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "dataset",
        "kind",
        "source",
        "mode",
        "schedule",
        "row_count",
        "last_synced_at",
    ]
    list_filter = ["kind", "mode", "schedule"]
    search_fields = ["name", "dataset__title"]
    readonly_fields = ["row_count", "has_table", "last_synced_at", "last_run", "last_error"]
    inlines = [VariableInline]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "organisation",
        "kind",
        "host",
        "database",
        "is_active",
        "last_check_ok",
    ]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "host", "database"]
    exclude = ["password"]
    readonly_fields = ["last_checked_at", "last_check_ok", "last_check_message"]


@admin.register(Variable)
class VariableAdmin(admin.ModelAdmin):
    list_display = ["name", "resource", "type", "personal_kind", "is_published", "declassified"]
    list_filter = ["type", "personal_kind", "declassified"]
    search_fields = ["name", "label"]
    readonly_fields = ["declassified", "declassified_reason", "declassified_by", "declassified_at"]


@admin.register(DatasetVersion)
class DatasetVersionAdmin(admin.ModelAdmin):
    list_display = ["dataset", "number", "published_at", "approved_by"]
    readonly_fields = ["dataset", "number", "published_at", "approved_by", "note", "metadata"]


@admin.register(ValidationIssue)
class ValidationIssueAdmin(admin.ModelAdmin):
    list_display = ["resource", "run", "row_number", "column", "message"]
    readonly_fields = ["resource", "run", "row_number", "column", "value", "message"]


admin.site.register(Topic)
admin.site.register(Tag)
admin.site.register(ActivityMetadata)
admin.site.register(Indicator)
