"""What the citizen side of complaints plugs into the platform: the public menu item, the
portal home widget "Pengaduan terbaru", the search provider over public reports, and the
"Layanan saya" provider listing the signed-in citizen's own reports. Nothing here shows
personal data: only public reports (or the user's own), by title and status."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from satupintu.core.filters import search_terms
from satupintu.core.registry import (
    MenuItem,
    MyRequest,
    MyRequestsProvider,
    PortalWidget,
    SearchProvider,
    SearchResult,
    registry,
)

LATEST_ON_HOME = 5
SNIPPET_CHARS = 160


def _snippet(text: str) -> str:
    text = " ".join((text or "").split())
    if len(text) <= SNIPPET_CHARS:
        return text
    return text[: SNIPPET_CHARS - 1].rsplit(" ", 1)[0] + "…"


def my_reports(user, limit: int) -> list[MyRequest]:
    """The user's own reports (public or not), newest first; merged ones point at the original."""
    from .models import Report
    from .public_lists import public_url

    if user is None or not user.is_authenticated:
        return []
    rows = (
        Report.objects.filter(reporter=user)
        .select_related("category")
        .order_by("-updated_at", "-pk")[:limit]
    )
    return [
        MyRequest(
            title=report.title,
            url=public_url(report),
            status=report.get_status_display(),
            reference=report.reference,
            kind=str(_("Pengaduan")),
            updated_at=report.updated_at,
            is_open=report.is_open,
        )
        for report in rows
    ]


def search_reports(query: str, user, limit: int) -> list[SearchResult]:
    """Public reports whose title, masked description or category match every word."""
    from django.db.models import Q

    from .public_lists import public_reports, public_url

    terms = search_terms(query)
    if not terms:
        return []
    rows = public_reports()
    for term in terms:
        rows = rows.filter(
            Q(title__icontains=term)
            | Q(public_description__icontains=term)
            | Q(category__name__icontains=term)
            | Q(reference__iexact=term)
        )
    found = list(rows.order_by("-created_at")[:limit])
    return [
        SearchResult(
            title=f"{report.reference} · {report.title}",
            url=public_url(report),
            snippet=f"{report.category.name} · {report.get_status_display()} · "
            f"{_snippet(report.public_description)}",
            kind=str(_("Pengaduan")),
            score=float(len(found) - position),
        )
        for position, report in enumerate(found)
    ]


def latest_reports_widget(request) -> str:
    from .public_lists import public_reports

    reports = list(public_reports().order_by("-created_at", "-pk")[:LATEST_ON_HOME])
    return render_to_string(
        "complaints/public/widget_latest.html", {"reports": reports}, request=request
    )


def register() -> None:
    registry.add_menu_item(
        MenuItem(
            gettext_lazy("Pengaduan"), "complaints:public:report_list", order=20, app="complaints"
        )
    )
    registry.add_portal_widget(
        PortalWidget(
            "complaints.latest", gettext_lazy("Pengaduan terbaru"), latest_reports_widget, order=20
        )
    )
    registry.add_search_provider(
        SearchProvider("pengaduan", gettext_lazy("Pengaduan"), search_reports, order=20)
    )
    registry.add_my_requests_provider(
        MyRequestsProvider("complaints", gettext_lazy("Pengaduan"), my_reports, order=10)
    )
