from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from satupintu.core.tables import Column, Table


class MessageRecordTable(Table):
    seq = Column(_("No."), numeric=True)
    at = Column(_("Waktu"))
    client = Column(_("Klien"))
    service = Column(_("Layanan"))
    method = Column(_("Metode"))
    path = Column(_("Jalur"))
    status = Column(_("Status"), numeric=True)
    error_type = Column(_("Jenis galat"))
    duration_ms = Column(_("Durasi (ms)"), numeric=True)
    response_bytes = Column(_("Bita jawaban"), numeric=True)
    message_id = Column(_("ID pesan"), export_only=True)
    request_sha256 = Column(_("SHA-256 permintaan"), export_only=True)
    response_sha256 = Column(_("SHA-256 jawaban"), export_only=True)
    record_hash = Column(_("Hash catatan"), export_only=True)

    class Meta:
        caption = _("Log pesan")
