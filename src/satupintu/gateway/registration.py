"""What the gateway declares to the core registry: menu items, event types, the API router."""

from django.utils.translation import gettext_lazy as _

from satupintu.core.registry import STAFF, EventType, MenuItem, registry
from satupintu.core.roles import Role

EVENT_TYPES = (
    EventType(
        "gateway.service_down",
        _("Layanan gerbang tidak menjawab"),
        _("Cek kesehatan berkala gagal untuk sebuah layanan penyedia."),
    ),
    EventType(
        "gateway.service_up",
        _("Layanan gerbang pulih"),
        _("Layanan yang sebelumnya gagal kembali menjawab cek kesehatan."),
    ),
    EventType(
        "gateway.access_granted",
        _("Hak akses layanan diberikan"),
        _("Admin OPD penyedia memberi subsistem lain hak memanggil layanannya."),
    ),
)

MENU = (
    MenuItem(
        _("Gerbang integrasi"),
        "gateway:overview",
        STAFF,
        order=60,
        app="gateway",
        roles=frozenset({Role.OPD_ADMIN, Role.OPERATOR, Role.PLATFORM_ADMIN}),
    ),
    MenuItem(
        _("Webhook"),
        "events:subscription_list",
        STAFF,
        order=61,
        app="events",
        roles=frozenset({Role.OPD_ADMIN, Role.PLATFORM_ADMIN}),
    ),
)


def register() -> None:
    from .api import router
    from .demo import load_demo

    if "gateway" not in registry.api_routers:
        registry.add_api_router("gateway", router)

    if "gateway" not in registry.demo_loaders:
        registry.add_demo_loader("gateway", load_demo, order=180)
    for event_type in EVENT_TYPES:
        if event_type.key not in registry.event_types:
            registry.add_event_type(event_type)
    for item in MENU:
        if not any(existing.url_name == item.url_name for existing in registry.menu_items):
            registry.add_menu_item(item)
