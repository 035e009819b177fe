"""Tables (HTML and CSV/XLSX export) of the accounts app's list pages."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from satupintu.core.tables import Column, Table


class ClientTable(Table):
    name = Column(_("Aplikasi"), link=lambda c: reverse("accounts:client_detail", args=[c.pk]))
    organisation = Column(_("OPD pemilik"), accessor="organisation.name")
    grant = Column(_("Cara masuk"), accessor="get_authorization_grant_type_display")
    client_type = Column(_("Jenis klien"), accessor="get_client_type_display")
    client_id = Column(_("Client ID"), nowrap=True)
    allowed_scopes = Column(_("Scope yang diizinkan"))
    catalogue_entry = Column(_("Di katalog"), accessor="catalogue_entry.name")
    redirect_uris = Column(_("Alamat kembali"), export_only=True)
    created = Column(_("Didaftarkan"))

    class Meta:
        caption = _("Aplikasi terdaftar")
        empty_text = _("Belum ada aplikasi yang cocok.")


class AuthEventTable(Table):
    created_at = Column(_("Waktu"), nowrap=True)
    kind = Column(_("Kejadian"), accessor="get_kind_display")
    ip_address = Column(_("Alamat IP"))
    where = Column(
        _("Peramban / aplikasi"),
        accessor=lambda e: e.client.name if e.client_id else e.user_agent[:80],
    )

    class Meta:
        caption = _("Riwayat masuk")
        empty_text = _("Belum ada catatan masuk.")
