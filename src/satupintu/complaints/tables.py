"""Columns of the OPD inbox, shared by the page and its CSV/XLSX export. No personal data:
the export is handed around by e-mail in practice."""

from __future__ import annotations

from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from satupintu.core.tables import Column, Table

from .filters import SLA


def _short_date(value) -> str:
    # The page shows the day; the export keeps the full timestamp.
    if value is None:
        return "—"
    return formats.date_format(timezone.localtime(value), "j M Y")


class InboxTable(Table):
    reference = Column(_("Nomor tiket"), link=True, nowrap=True)
    title = Column(_("Judul"))
    category = Column(_("Kategori"), accessor="category.name")
    organisation = Column(_("OPD"), accessor="organisation.short_name")
    area = Column(_("Wilayah"), accessor="area_organisation.short_name")
    status = Column(_("Status"), accessor="get_status_display", badge="status_badge")
    sla = Column(_("Batas waktu"), accessor=lambda r: SLA.LABELS[r.sla_state()], badge="sla_badge")
    # The date received is in the export and on the report's page; on screen the deadline is
    # what matters and the list is newest first. Keeps the table within a laptop's width.
    created_at = Column(_("Masuk"), export_only=True)
    due = Column(
        _("Jatuh tempo"), accessor="current_due", nowrap=True, format=lambda v: _short_date(v)
    )
    channel = Column(_("Kanal"), accessor="get_channel_display", export_only=True)
    address = Column(_("Lokasi"), export_only=True)
    latitude = Column(_("Lintang"), export_only=True)
    longitude = Column(_("Bujur"), export_only=True)
    responded_at = Column(_("Ditanggapi"), export_only=True)
    resolved_at = Column(_("Diselesaikan"), export_only=True)
    escalation = Column(_("Eskalasi"), accessor="get_escalation_level_display", export_only=True)
    rating = Column(_("Penilaian"), export_only=True)

    class Meta:
        caption = _("Pengaduan")
        empty_text = _("Tidak ada pengaduan yang cocok dengan saringan ini.")


class SingleOpdInboxTable(InboxTable):
    """For people who see one OPD's reports: the OPD column is in the export only."""

    organisation = Column(_("OPD"), accessor="organisation.short_name", export_only=True)
