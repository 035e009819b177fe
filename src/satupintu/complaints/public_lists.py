"""The public list of reports (/pengaduan/): its filters and its columns, shared by the HTML page,
the CSV/XLSX export and the map's JSON. Only public reports ever reach these, and no column
carries personal data (no reporter, no contact, only the masked description)."""

from __future__ import annotations

import django_filters
from django.conf import settings
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from satupintu.core.filters import LocalDateFromFilter, LocalDateToFilter, TextSearchFilter
from satupintu.core.models import Organisation, Region
from satupintu.core.tables import Column, Table

from .models import Category, Report


def public_reports() -> QuerySet:
    """Every report the public may see, with what the list and the map show."""
    return Report.objects.public().select_related("category", "organisation", "region")


def public_url(report: Report) -> str:
    return reverse("complaints:public:report_detail", args=[report.reference])


def public_place(report: Report) -> str:
    """The village or district of the report; never the typed address (it may name a house)."""
    return report.region.name if report.region_id else ""


def map_state(report: Report) -> str:
    """open / done / rejected: the colour of the marker on the public map."""
    if report.status == Report.Status.REJECTED:
        return "rejected"
    return "open" if report.is_open else "done"


def _districts() -> QuerySet:
    prefix = settings.INSTALLATION["regency_code"] + "."
    return Region.objects.filter(code__startswith=prefix, level=Region.Level.DISTRICT)


class PublicReportFilter(django_filters.FilterSet):
    q = TextSearchFilter(fields=("title", "public_description", "address"))
    kategori = django_filters.ModelChoiceFilter(
        label=_("Jenis masalah"),
        field_name="category",
        to_field_name="code",
        queryset=Category.objects.order_by("name"),
        empty_label=_("Semua jenis"),
    )
    opd = django_filters.ModelChoiceFilter(
        label=_("Perangkat daerah"),
        field_name="organisation",
        to_field_name="code",
        queryset=Organisation.objects.none(),
        empty_label=_("Semua perangkat daerah"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Report.Status.choices, empty_label=_("Semua status")
    )
    kecamatan = django_filters.ModelChoiceFilter(
        label=_("Kecamatan"),
        queryset=Region.objects.none(),
        method="filter_district",
        empty_label=_("Semua kecamatan"),
    )
    dari = LocalDateFromFilter(label=_("Dikirim sejak"), field_name="created_at")
    sampai = LocalDateToFilter(label=_("Dikirim sampai"), field_name="created_at")

    class Meta:
        model = Report
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only OPDs that handle a category (or hold a report) are worth offering.
        owners = Category.objects.values_list("organisation_id", flat=True)
        self.filters["opd"].queryset = Organisation.objects.filter(pk__in=owners).order_by("name")
        self.filters["kecamatan"].queryset = _districts().order_by("name")

    def filter_district(self, queryset: QuerySet, name: str, value: Region | None) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(
            Q(region__code=value.code) | Q(region__code__startswith=value.code + ".")
        )

    def is_valid(self) -> bool:
        valid = super().is_valid()
        data = self.form.cleaned_data if valid else {}
        start, end = data.get("dari"), data.get("sampai")
        if start and end and start > end:
            self.form.add_error("sampai", _("Tanggal akhir harus sama atau sesudah tanggal awal."))
            return False
        return valid


class PublicReportTable(Table):
    reference = Column(_("Nomor tiket"), link=public_url, nowrap=True)
    title = Column(_("Judul"), link=public_url)
    category = Column(_("Jenis masalah"), accessor="category.name")
    place = Column(_("Wilayah"), accessor=public_place)
    organisation = Column(_("Ditangani oleh"), accessor="organisation.short_name")
    # The badge modifier is the status itself: complaints.css colours badge--<status>.
    status = Column(_("Status"), accessor="get_status_display", badge="status")
    created_at = Column(_("Dikirim"), nowrap=True)

    class Meta:
        caption = _("Laporan warga yang terbuka untuk publik")
        empty_text = _("Belum ada laporan yang cocok dengan filter ini.")
