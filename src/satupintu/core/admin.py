"""Django's technical admin for core's reference data: regions (read-only, they come from the
Kemendagri file through `manage.py import_regions`) and organisations."""

from __future__ import annotations

from django.contrib import admin
from django.urls import NoReverseMatch
from django.utils.translation import gettext_lazy as _

from .models import Organisation, Region, SearchSynonym, ZeroResultQuery


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    # "^code" is a prefix search: "16.01" lists the regency and everything under it.
    search_fields = ("^code", "name")
    list_select_related = ("parent",)
    list_per_page = 50
    # Counting 91,599 rows for "x of y" on every search is wasted work.
    show_full_result_count = False
    fields = ("code", "name", "level", "parent")
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ChildOrganisationInline(admin.TabularInline):
    model = Organisation
    fk_name = "parent"
    fields = ("code", "name", "kind", "is_active")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name = _("organisasi bawahan")
    verbose_name_plural = _("organisasi bawahan")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "short_name",
        "code",
        "kind",
        "parent",
        "region",
        "head_name",
        "is_active",
    )
    list_filter = ("kind", "is_active", ("parent", admin.RelatedOnlyFieldListFilter))
    search_fields = ("code", "name", "short_name", "head_name", "email")
    list_select_related = ("parent", "region")
    autocomplete_fields = ("parent", "region")
    prepopulated_fields = {"code": ("short_name",)}
    readonly_fields = ("created_at", "updated_at")
    inlines = (ChildOrganisationInline,)
    fieldsets = (
        (None, {"fields": ("code", "name", "short_name", "kind", "parent", "region", "is_active")}),
        (_("Tugas dan pimpinan"), {"fields": ("description", "head_name", "head_title")}),
        (
            _("Kontak dan lokasi"),
            {"fields": ("email", "phone", "website", "address", ("latitude", "longitude"))},
        ),
        (_("Riwayat"), {"fields": ("created_at", "updated_at"), "classes": ("collapse",)}),
    )

    def view_on_site(self, obj: Organisation) -> str | None:
        # The public profile page belongs to the portal; until it is routed, show no link
        # rather than a link that fails.
        try:
            return obj.get_absolute_url()
        except NoReverseMatch:
            return None


@admin.register(SearchSynonym)
class SearchSynonymAdmin(admin.ModelAdmin):
    """The synonym list search expands every query with (core.text.query_clauses)."""

    list_display = ("words", "updated_at")
    search_fields = ("words",)


@admin.register(ZeroResultQuery)
class ZeroResultQueryAdmin(admin.ModelAdmin):
    """What citizens searched for on /cari/ and did not find: words to add as synonyms,
    services to describe better."""

    list_display = ("query", "count", "last_seen")
    search_fields = ("query",)
    readonly_fields = ("query", "count", "last_seen")

    def has_add_permission(self, request) -> bool:
        return False
