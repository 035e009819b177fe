"""The registry through which apps plug into the platform.

`core` knows no app. Each app declares, in its AppConfig.ready(), the menu items, portal widgets,
search providers, dashboard metrics and event types it offers; the base layout, the portal, the
search page, the executive dashboard and the events app read them from here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import NoReverseMatch, reverse

# Sections of the navigation: what citizens see, and the staff workspace.
PUBLIC = "public"
STAFF = "staff"


@dataclass(frozen=True)
class MenuItem:
    label: Any  # a lazy translation string
    url_name: str
    section: str = PUBLIC
    roles: frozenset[str] = frozenset()  # empty = everyone who can see the section
    order: int = 100
    app: str = ""

    def url(self) -> str | None:
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return None

    def visible_to(self, user) -> bool:
        if self.section == STAFF and not getattr(user, "is_staff_member", False):
            return False
        if not self.roles:
            return True
        return bool(self.roles & set(getattr(user, "roles", ())))


@dataclass(frozen=True)
class PortalWidget:
    """A block on the portal home page; `render(request)` returns HTML (or '' to hide itself)."""

    key: str
    title: Any
    render: Callable[[Any], str]
    order: int = 100


@dataclass(frozen=True)
class OrganisationSection:
    """A block on an organisation's public page (/opd/<code>/), e.g. its public services:
    `render(request, organisation)` returns HTML (or '' to hide itself)."""

    key: str
    title: Any
    render: Callable[[Any, Any], str]
    order: int = 100


@dataclass(frozen=True)
class SearchResult:
    title: str
    url: str
    snippet: str = ""
    kind: str = ""  # the provider's label, shown as a badge and used as a facet
    score: float = 0.0
    # title and snippet are escaped by the template unless they are SafeStrings: the search
    # index's results are, with the query's words in <mark> (core.search_snippets escapes
    # everything else).
    meta: str = ""  # a short line under the title, e.g. the owning OPD


@dataclass(frozen=True)
class SearchIndexSource:
    """An app's kind of content in the shared search index (core.search_index): `documents()`
    yields every core.search_index.Document of that kind (for `manage.py
    rebuild_search_index`); `popularity()` returns {key: recent use} for the daily refresh.
    The app keeps its documents current itself (core.search_index.index/remove on save and
    delete). The portal's search page shows each kind as a tab with facets."""

    kind: str
    label: Any
    documents: Callable[[], Any]
    popularity: Callable[[], dict[str, float]] | None = None
    order: int = 100
    # (code, label) of the life events its documents carry, for the life-event facet.
    life_events: Any = ()


@dataclass(frozen=True)
class SearchProvider:
    """Answers a query for one kind of content: `search(query, user, limit)` returns
    SearchResults the user may see. The portal's search page asks every provider."""

    key: str
    label: Any
    search: Callable[[str, Any, int], list[SearchResult]]
    order: int = 100


@dataclass(frozen=True)
class DashboardMetric:
    key: str
    label: Any
    compute: Callable[[], Any]
    unit: str = ""
    order: int = 100


@dataclass(frozen=True)
class EventType:
    key: str  # dotted, e.g. "complaints.created"
    label: Any
    description: Any = ""


@dataclass(frozen=True)
class DemoLoader:
    """One step of `manage.py load_demo`: `load(context)` creates an app's demo content and
    must be idempotent (a second run changes nothing). `context` is a dict shared by the
    steps (e.g. the organisations and accounts created by the earlier ones)."""

    name: str
    load: Callable[[dict], Any]
    order: int = 100


@dataclass(frozen=True)
class MyRequest:
    """One of a citizen's own requests (a complaint, a permit application...), listed on the
    portal's "Layanan saya" page across every module."""

    title: str
    url: str
    status: str  # human-readable status label
    reference: str = ""  # the tracking number the citizen quotes
    kind: str = ""  # the module's label, e.g. "Pengaduan"
    updated_at: Any = None  # datetime, for sorting newest first
    is_open: bool = True  # still waiting on the government (shown first)


@dataclass(frozen=True)
class MyRequestsProvider:
    """Lists one module's requests made by `user`: `list(user, limit)` returns MyRequests."""

    key: str
    label: Any
    list: Callable[[Any, int], list[MyRequest]]
    order: int = 100


@dataclass(frozen=True)
class ApiRouter:
    """A django-ninja Router mounted under /api/v1/<prefix>/ by `core.api`."""

    prefix: str
    router: Any
    order: int = 100


@dataclass
class Registry:
    menu_items: list[MenuItem] = field(default_factory=list)
    portal_widgets: dict[str, PortalWidget] = field(default_factory=dict)
    organisation_sections: dict[str, OrganisationSection] = field(default_factory=dict)
    search_providers: dict[str, SearchProvider] = field(default_factory=dict)
    search_index_sources: dict[str, SearchIndexSource] = field(default_factory=dict)
    dashboard_metrics: dict[str, DashboardMetric] = field(default_factory=dict)
    event_types: dict[str, EventType] = field(default_factory=dict)
    demo_loaders: dict[str, DemoLoader] = field(default_factory=dict)
    my_requests_providers: dict[str, MyRequestsProvider] = field(default_factory=dict)
    api_routers: dict[str, ApiRouter] = field(default_factory=dict)

    def add_menu_item(self, item: MenuItem) -> None:
        if any(existing.url_name == item.url_name for existing in self.menu_items):
            raise ValueError(f"Menu item {item.url_name!r} is registered twice")
        self.menu_items.append(item)

    def menu(self, user, section: str) -> list[tuple[MenuItem, str]]:
        items = sorted(
            (item for item in self.menu_items if item.section == section and item.visible_to(user)),
            key=lambda item: (item.order, str(item.label)),
        )
        return [(item, url) for item in items if (url := item.url())]

    def _add_unique(self, mapping: dict, key: str, value: Any, kind: str) -> None:
        if key in mapping:
            raise ValueError(f"{kind} {key!r} is registered twice")
        mapping[key] = value

    def add_portal_widget(self, widget: PortalWidget) -> None:
        self._add_unique(self.portal_widgets, widget.key, widget, "Portal widget")

    def add_organisation_section(self, section: OrganisationSection) -> None:
        self._add_unique(self.organisation_sections, section.key, section, "Organisation section")

    def sorted_organisation_sections(self) -> list[OrganisationSection]:
        return sorted(self.organisation_sections.values(), key=lambda s: (s.order, s.key))

    def add_search_provider(self, provider: SearchProvider) -> None:
        self._add_unique(self.search_providers, provider.key, provider, "Search provider")

    def add_search_index_source(self, source: SearchIndexSource) -> None:
        self._add_unique(self.search_index_sources, source.kind, source, "Search index source")

    def sorted_search_index_sources(self) -> list[SearchIndexSource]:
        return sorted(self.search_index_sources.values(), key=lambda s: (s.order, s.kind))

    def add_dashboard_metric(self, metric: DashboardMetric) -> None:
        self._add_unique(self.dashboard_metrics, metric.key, metric, "Dashboard metric")

    def add_event_type(self, event_type: EventType) -> None:
        self._add_unique(self.event_types, event_type.key, event_type, "Event type")

    def add_demo_loader(self, name: str, load: Callable[[dict], Any], order: int = 100) -> None:
        self._add_unique(self.demo_loaders, name, DemoLoader(name, load, order), "Demo loader")

    def add_my_requests_provider(self, provider: MyRequestsProvider) -> None:
        self._add_unique(self.my_requests_providers, provider.key, provider, "My-requests provider")

    def add_api_router(self, prefix: str, router: Any, order: int = 100) -> None:
        """Mount `router` (a ninja.Router) at /api/v1/<prefix>/; call from AppConfig.ready()."""
        self._add_unique(self.api_routers, prefix, ApiRouter(prefix, router, order), "API router")

    def sorted_api_routers(self) -> list[ApiRouter]:
        return sorted(self.api_routers.values(), key=lambda r: (r.order, r.prefix))

    def my_requests(self, user, limit: int = 50) -> list[MyRequest]:
        """Every module's requests of `user`: open ones first, then newest first."""
        found: list[MyRequest] = []
        for provider in sorted(self.my_requests_providers.values(), key=lambda p: p.order):
            found.extend(provider.list(user, limit))
        found.sort(key=lambda r: r.updated_at.timestamp() if r.updated_at else 0, reverse=True)
        found.sort(key=lambda r: not r.is_open)
        return found[:limit]

    def sorted_demo_loaders(self) -> list[DemoLoader]:
        return sorted(self.demo_loaders.values(), key=lambda d: (d.order, d.name))

    def sorted_widgets(self) -> list[PortalWidget]:
        return sorted(self.portal_widgets.values(), key=lambda w: (w.order, w.key))

    def sorted_metrics(self) -> list[DashboardMetric]:
        return sorted(self.dashboard_metrics.values(), key=lambda m: (m.order, m.key))


registry = Registry()
