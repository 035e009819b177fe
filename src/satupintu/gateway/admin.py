"""Technical admin (/admin/): registry entries for platform admins; the message log read-only
(editing it would break the chain, and verify_messagelog would say so)."""

from django.contrib import admin

from .models import AccessRight, Checkpoint, Credential, Member, MessageRecord, Service, Subsystem


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["member_code", "member_class", "organisation"]
    search_fields = ["member_code", "organisation__name"]


@admin.register(Subsystem)
class SubsystemAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "member", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name"]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "subsystem", "base_url", "is_active"]
    list_filter = ["is_active", "log_bodies"]
    search_fields = ["code", "name", "base_url"]


@admin.register(Credential)
class CredentialAdmin(admin.ModelAdmin):
    list_display = ["label", "key_prefix", "subsystem", "expires_at", "revoked_at"]
    readonly_fields = ["key_prefix", "key_hash"]


@admin.register(AccessRight)
class AccessRightAdmin(admin.ModelAdmin):
    list_display = ["client", "service", "methods", "valid_until"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MessageRecord)
class MessageRecordAdmin(ReadOnlyAdmin):
    list_display = ["seq", "at", "client", "service", "method", "path", "status"]
    list_filter = ["status"]
    search_fields = ["message_id", "client", "service"]


@admin.register(Checkpoint)
class CheckpointAdmin(ReadOnlyAdmin):
    list_display = ["seq", "signed_at", "key_id"]
