from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.template.exceptions import TemplateDoesNotExist
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET

from satupintu.core.filters import OrganisationFilterSet
from satupintu.core.models import Organisation, Region
from satupintu.core.registry import registry
from satupintu.core.tables import Column, Table

from .forms import DesignExampleForm

logger = logging.getLogger(__name__)

FEATURED_ORGANISATIONS = 6


def region_statistics() -> dict[str, int]:
    """Districts, villages and kelurahan of the installation's regency."""
    prefix = f"{settings.INSTALLATION['regency_code']}."
    regions = Region.objects.filter(code__startswith=prefix)
    villages = regions.filter(level=Region.Level.VILLAGE)
    # Kemendagri numbers kelurahan 1xxx and desa 2xxx in the last segment.
    kelurahan = villages.filter(code__regex=r"\.1[0-9]{3}$").count()
    village_total = villages.count()
    return {
        "districts": regions.filter(level=Region.Level.DISTRICT).count(),
        "villages": village_total - kelurahan,
        "kelurahan": kelurahan,
    }


# The teaser shows first the kinds of OPD citizens deal with most (dinas run the services).
KIND_PRIORITY = [
    Organisation.Kind.DINAS,
    Organisation.Kind.RSUD,
    Organisation.Kind.SATPOL,
    Organisation.Kind.KANTOR,
    Organisation.Kind.BADAN,
]


def featured_organisations(opds: QuerySet) -> list[Organisation]:
    rank = Case(
        *(When(kind=kind, then=Value(n)) for n, kind in enumerate(KIND_PRIORITY)),
        default=Value(len(KIND_PRIORITY)),
        output_field=IntegerField(),
    )
    return list(
        opds.annotate(kind_rank=rank).order_by("kind_rank", "name")[:FEATURED_ORGANISATIONS]
    )


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    opds = Organisation.objects.filter(is_active=True, kind__in=Organisation.OPD_KINDS)
    widgets = []
    for widget in registry.sorted_widgets():
        # A widget returns '' to hide itself (e.g. no news yet); plain strings are escaped,
        # SafeStrings (rendered templates) pass through.
        html = widget.render(request)
        if html and str(html).strip():
            widgets.append({"widget": widget, "html": conditional_escape(html)})
    context = {
        "stats": region_statistics(),
        "opd_count": opds.count(),
        "featured_organisations": featured_organisations(opds),
        "widgets": widgets,
    }
    return render(request, "portal/home.html", context)


MY_REQUESTS_LIMIT = 100


@require_GET
@login_required
def my_requests(request: HttpRequest) -> HttpResponse:
    """The "Layanan saya" page: the signed-in user's requests in every module (complaints,
    permits...), collected through the registry's providers; open ones first, then newest."""
    requests = registry.my_requests(request.user, MY_REQUESTS_LIMIT)
    context = {
        "open_requests": [r for r in requests if r.is_open],
        "closed_requests": [r for r in requests if not r.is_open],
        "has_requests": bool(requests),
        "crumbs": [(_("Beranda"), "/"), (_("Layanan saya"), "")],
    }
    return render(request, "portal/my_requests.html", context)


# --- /design/: every component of the design system with usage notes --------------------------


class ExampleServiceTable(Table):
    """Rows are plain dicts: the Table API does not need model instances."""

    name = Column(gettext_lazy("Layanan"))
    organisation = Column(gettext_lazy("Perangkat daerah"))
    days = Column(gettext_lazy("Lama proses (hari kerja)"), numeric=True)
    fee = Column(gettext_lazy("Biaya"), numeric=True)
    status = Column(gettext_lazy("Status"), accessor="status_label", badge="status")

    class Meta:
        caption = gettext_lazy("Contoh: layanan perizinan dan kependudukan")


def example_table() -> ExampleServiceTable:
    rows = [
        {
            "name": "Akta kelahiran",
            "organisation": "Disdukcapil",
            "days": 1,
            "fee": "Rp 0",
            "status": "published",
            "status_label": _("Terbit"),
        },
        {
            "name": "Persetujuan Bangunan Gedung (PBG)",
            "organisation": "DPMPTSP",
            "days": 28,
            "fee": "Rp 1.250.000",
            "status": "submitted",
            "status_label": _("Diajukan"),
        },
        {
            "name": "Izin praktik bidan",
            "organisation": "Dinas Kesehatan",
            "days": 7,
            "fee": "Rp 0",
            "status": "draft",
            "status_label": _("Draf"),
        },
        {
            "name": "Rekomendasi izin reklame",
            "organisation": "Dinas PUPR",
            "days": 14,
            "fee": "Rp 150.000",
            "status": "archived",
            "status_label": _("Diarsipkan"),
        },
    ]
    return ExampleServiceTable(rows)


def example_progress(request: HttpRequest) -> list[str]:
    """The "ops" helper's live progress component with example values: dicts shaped like a Run
    (no database) and without a progress URL, so the examples do not poll."""
    examples = [
        {
            "pk": "contoh-1",
            "title": _("Impor data penduduk per desa"),
            "status": "running",
            "get_status_display": _("Berjalan"),
            "status_badge": "info",
            "percent": 61,
            "processed": 96,
            "total": 157,
            "is_finished": False,
            "last_log_line": _("Desa Segara Kembang: 1.204 baris"),
        },
        {
            "pk": "contoh-2",
            "title": _("Sinkronisasi data kunjungan puskesmas"),
            "status": "failed",
            "get_status_display": _("Gagal"),
            "status_badge": "danger",
            "percent": 40,
            "processed": 2,
            "total": 5,
            "is_finished": True,
            "last_log_line": _("Sumber data tidak menjawab dalam 30 detik"),
        },
    ]
    try:
        # Rendered templates are SafeStrings: the page shows them as markup.
        return [
            loader.render_to_string("components/progress.html", {"run": run}, request=request)
            for run in examples
        ]
    except (TemplateDoesNotExist, NoReverseMatch):
        return []


@require_GET
def design(request: HttpRequest) -> HttpResponse:
    # A filled-in form with typical mistakes, to show errors at the top and at the fields.
    invalid_form = DesignExampleForm(
        data={"invalid-name": "", "invalid-nik": "16012845", "invalid-message": "Jalan rusak"},
        prefix="invalid",
    )
    invalid_form.is_valid()
    page = Paginator(range(1, 241), 10).get_page(5)
    context = {
        "form": DesignExampleForm(prefix="example"),
        "invalid_form": invalid_form,
        "table": example_table(),
        "filter_form": OrganisationFilterSet(data={"q": "kesehatan"}, request=request).form,
        "page_obj": page,
        "page_range": list(page.paginator.get_elided_page_range(5, on_each_side=1, on_ends=1)),
        "progress_examples": example_progress(request),
        "export_formats_example": ("csv", "xlsx"),
        # Tuesday 24 November 2026, 14.05 in Baturaja: the format citizens read everywhere.
        "example_time": datetime.datetime(2026, 11, 24, 7, 5, tzinfo=datetime.UTC),
        "example_amount": 150000,
        "example_count": 83762,
        "tabs": [
            {"label": _("Persyaratan"), "url": "#tabs", "current": True},
            {"label": _("Alur layanan"), "url": "#tabs", "current": False},
            {"label": _("Biaya dan waktu"), "url": "#tabs", "current": False},
        ],
        "crumbs": [(_("Beranda"), "/"), (_("Perangkat daerah"), "/opd/"), ("Diskominfo", "")],
        "summary_rows": [
            (_("Kepala dinas"), "Drs. H. Ahmad Fauzi, M.Si."),
            (_("Alamat"), "Jl. Dr. Moh. Hatta No. 1, Baturaja"),
            (_("Telepon"), "(0735) 320 001"),
            (_("Situs web"), ""),
        ],
    }
    return render(request, "design/index.html", context)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: renders 500.html without context processors, so it needs no database."""
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"installation": settings.INSTALLATION}))
