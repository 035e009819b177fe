from django.contrib import admin

from .models import Delivery, Event, Subscription


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "url", "is_active", "all_organisations"]
    list_filter = ["is_active", "all_organisations"]
    exclude = ["secret"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["event_type", "organisation", "occurred_at", "id"]
    list_filter = ["event_type"]
    readonly_fields = ["event_type", "organisation", "payload", "occurred_at"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["event", "subscription", "status", "attempts", "next_attempt_at"]
    list_filter = ["status"]
    readonly_fields = ["event", "subscription", "attempts", "last_status_code", "last_error"]
