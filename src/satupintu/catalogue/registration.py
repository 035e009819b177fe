"""What the catalogue plugs into the platform: menu items, its kinds in the search index, the
portal home widgets (most-used services, life events) and the demo loader."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy

from satupintu.core.registry import (
    STAFF,
    MenuItem,
    PortalWidget,
    registry,
)
from satupintu.core.roles import Role

POPULAR_ON_HOME = 6


def popular_services_widget(request) -> str:
    from .search import popular_services

    services = popular_services(request.user, POPULAR_ON_HOME)
    if not services:
        return ""
    # Ranked by views only when there were views: an alphabetical list is not "popular".
    ranked = any(getattr(service, "recent", None) for service in services)
    return render_to_string(
        "catalogue/widget_popular.html", {"services": services, "ranked": ranked}, request=request
    )


def life_events_widget(request) -> str:
    from .models import LifeEvent

    return render_to_string(
        "catalogue/widget_life_events.html", {"events": LifeEvent.choices}, request=request
    )


def register() -> None:
    from . import search

    search.register()
    registry.add_menu_item(
        MenuItem(gettext_lazy("Layanan"), "catalogue:service_list", order=10, app="catalogue")
    )
    registry.add_menu_item(
        MenuItem(gettext_lazy("Aplikasi"), "catalogue:app_list", order=15, app="catalogue")
    )
    registry.add_menu_item(
        MenuItem(
            gettext_lazy("Layanan & aplikasi OPD"),
            "catalogue:workspace",
            section=STAFF,
            order=15,
            app="catalogue",
        )
    )
    registry.add_menu_item(
        MenuItem(
            gettext_lazy("Penggunaan aplikasi"),
            "catalogue:usage_report",
            section=STAFF,
            roles=frozenset({Role.WALIDATA, Role.PIMPINAN, Role.PLATFORM_ADMIN}),
            order=16,
            app="catalogue",
        )
    )
    registry.add_menu_item(
        MenuItem(
            gettext_lazy("Peluncur aplikasi"),
            "catalogue:launcher",
            section=STAFF,
            order=14,
            app="catalogue",
        )
    )
    registry.add_portal_widget(
        PortalWidget(
            "catalogue.popular", gettext_lazy("Layanan publik"), popular_services_widget, 10
        )
    )
    registry.add_portal_widget(
        PortalWidget(
            "catalogue.life_events", gettext_lazy("Peristiwa hidup"), life_events_widget, 11
        )
    )
    from .api import router

    registry.add_api_router("catalogue", router, order=10)
    from .demo import load_demo

    registry.add_demo_loader("catalogue", load_demo, order=150)
