"""Django's technical admin for the catalogue (search synonyms are core's: core/admin.py)."""

from __future__ import annotations

from django.contrib import admin

from .models import Application, Launch, PublicService


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation", "category", "lifecycle", "uses_sso", "status")
    list_filter = ("lifecycle", "status", "uses_sso", "hosting", "audience")
    search_fields = ("name", "category", "description")
    prepopulated_fields = {"slug": ("name",)}
    list_select_related = ("organisation",)

    def get_readonly_fields(self, request, obj=None):
        # As in the staff form: OIDC clients linked to the entry decide "memakai SSO".
        if obj is not None and obj.oidc_clients.exists():
            return ("uses_sso",)
        return ()


@admin.register(PublicService)
class PublicServiceAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation", "completion_time", "fee", "status")
    list_filter = ("status", "organisation")
    search_fields = ("name", "description", "requirements")
    prepopulated_fields = {"slug": ("name",)}
    list_select_related = ("organisation",)


@admin.register(Launch)
class LaunchAdmin(admin.ModelAdmin):
    list_display = ("application", "launched_at", "user_hash")
    list_filter = ("application",)
    readonly_fields = ("application", "launched_at", "user_hash")

    def has_add_permission(self, request) -> bool:
        return False
