from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from satupintu.core.tables import Column, Table


class SubscriptionTable(Table):
    name = Column(_("Nama"), link=True)
    organisation = Column(_("Organisasi"))
    url = Column(_("Alamat penerima"))
    event_types = Column(_("Jenis peristiwa"), accessor=lambda s: ", ".join(s.event_types))
    is_active = Column(_("Aktif"))

    class Meta:
        caption = _("Langganan webhook")
        empty_text = _("Belum ada langganan webhook.")
