"""Tables of the OPD workspace lists (HTML page and CSV/XLSX export, core.tables)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from satupintu.core.tables import Column, Table


class DatasetTable(Table):
    title = Column(_("Judul"), link=lambda d: reverse("data:dataset_manage", args=[d.slug]))
    organisation = Column(_("OPD"), accessor="organisation.short_name")
    status = Column(_("Status"), accessor="get_status_display", badge="status")
    classification = Column(_("Klasifikasi"), accessor="get_classification_display")
    version = Column(_("Versi"), numeric=True)
    quality_score = Column(_("Skor kualitas"), numeric=True)
    data_updated_at = Column(_("Data diperbarui"), nowrap=True)

    class Meta:
        caption = _("Dataset OPD")


class SourceTable(Table):
    name = Column(_("Nama"), link=lambda s: reverse("data:source_detail", args=[s.pk]))
    kind = Column(_("Jenis"), accessor="get_kind_display")
    organisation = Column(_("OPD"), accessor="organisation.short_name")
    host = Column(_("Server"))
    database = Column(_("Basis data"))
    last_check_message = Column(_("Cek koneksi terakhir"))

    class Meta:
        caption = _("Sumber data")


class OpenDatasetTable(Table):
    """The public catalogue as a spreadsheet (the export of /data/)."""

    title = Column(_("Judul"), link=True)
    organisation = Column(_("Produsen data"), accessor="organisation.name")
    topic = Column(_("Topik"), accessor="topic.name")
    licence = Column(_("Lisensi"), accessor="licence_title")
    frequency = Column(_("Frekuensi"), accessor="get_frequency_display")
    published_at = Column(_("Terbit"), nowrap=True)
    data_updated_at = Column(_("Data diperbarui"), nowrap=True)
    quality_score = Column(_("Skor kualitas"), numeric=True)

    class Meta:
        caption = _("Katalog Satu Data")
