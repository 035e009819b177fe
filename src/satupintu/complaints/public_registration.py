"""What the citizen side of complaints plugs into the platform: the public menu item, the
portal home widget "Pengaduan terbaru", public reports in the shared search index (search.py)
and the "Layanan saya" provider listing the signed-in citizen's own reports. Nothing here shows
personal data: only public reports (or the user's own), by title and status."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from satupintu.core.registry import (
    MenuItem,
    MyRequest,
    MyRequestsProvider,
    PortalWidget,
    registry,
)

from . import search

LATEST_ON_HOME = 5


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
    search.register()
    registry.add_my_requests_provider(
        MyRequestsProvider("complaints", gettext_lazy("Pengaduan"), my_reports, order=10)
    )
