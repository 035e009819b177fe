"""What the data app plugs into the platform (menu, search, dashboard, demo data)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from satupintu.core import registry as core_registry
from satupintu.core.registry import (
    STAFF,
    DashboardMetric,
    EventType,
    MenuItem,
    SearchProvider,
    SearchResult,
)
from satupintu.core.roles import Role

EVENT_TYPES = (
    EventType(
        "data.dataset_published",
        _("Dataset terbit"),
        _(
            "Walidata menyetujui sebuah dataset (versi baru): slug, judul, versi, OPD, "
            "klasifikasi dan alamatnya; tanpa isi data."
        ),
    ),
)


def search_datasets(query: str, user, limit: int) -> list[SearchResult]:
    from .models import Dataset

    qs = Dataset.objects.visible_to(user).filter(title__icontains=query)[:limit]
    return [
        SearchResult(
            title=d.title,
            url=d.get_absolute_url(),
            snippet=d.description[:160],
            kind=str(_("Dataset")),
        )
        for d in qs
    ]


def count_open_datasets() -> int:
    from .models import Dataset

    return Dataset.objects.open_data().count()


def register() -> None:
    registry = core_registry.registry
    registry.add_menu_item(MenuItem(_("Satu Data"), "data:dataset_list", order=30, app="data"))
    registry.add_menu_item(
        MenuItem(_("Data OPD"), "data:workspace", section=STAFF, order=30, app="data")
    )
    registry.add_menu_item(
        MenuItem(
            _("Verifikasi data"),
            "data:review_queue",
            section=STAFF,
            roles=frozenset({Role.WALIDATA, Role.PLATFORM_ADMIN}),
            order=31,
            app="data",
        )
    )
    for event_type in EVENT_TYPES:
        if event_type.key not in registry.event_types:
            registry.add_event_type(event_type)
    registry.add_search_provider(SearchProvider("data", _("Dataset"), search_datasets, order=30))
    registry.add_dashboard_metric(
        DashboardMetric("data.open_datasets", _("Dataset terbuka"), count_open_datasets, order=30)
    )
    from .api import router

    registry.add_api_router("data", router)
    from .demo import load_demo

    registry.add_demo_loader("data", load_demo, order=200)
