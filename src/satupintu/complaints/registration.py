"""What complaints plugs into the platform: event types, staff menu items and the demo loader.
(The public menu item, the portal widget and the "Layanan saya" provider are registered by
public_registration.py when it exists.)"""

from __future__ import annotations

import importlib
import importlib.util

from django.utils.translation import gettext_lazy as _

from satupintu.core.registry import STAFF, EventType, MenuItem, registry
from satupintu.core.roles import Role

EVENT_TYPES = [
    EventType(
        "complaints.created",
        _("Pengaduan baru"),
        _("Laporan warga diterima (nomor tiket, kategori, OPD; tanpa data pribadi)."),
    ),
    EventType(
        "complaints.status_changed",
        _("Status pengaduan berubah"),
        _(
            "Laporan diverifikasi, didisposisikan, diproses, selesai, ditolak, dialihkan atau "
            "digabung."
        ),
    ),
    EventType(
        "complaints.deadline_breached",
        _("Batas waktu pengaduan terlampaui"),
        _("Batas tanggapan atau penyelesaian lewat; laporan dieskalasi."),
    ),
]


def register() -> None:
    from . import tasks  # noqa: F401  (registers the periodic escalation and closing)
    from .demo import load_demo

    registry.add_demo_loader("complaints", load_demo, order=160)

    # The citizen side registers its own menu item, widget, search and "Layanan saya".
    if importlib.util.find_spec(f"{__package__}.public_registration") is not None:
        importlib.import_module(f"{__package__}.public_registration").register()

    for event_type in EVENT_TYPES:
        registry.add_event_type(event_type)
    registry.add_menu_item(
        MenuItem(
            _("Pengaduan masuk"),
            "complaints:staff_inbox",
            section=STAFF,
            roles=frozenset(
                {Role.OPERATOR, Role.OPD_ADMIN, Role.PLATFORM_ADMIN, Role.PIMPINAN, Role.WALIDATA}
            ),
            order=20,
            app="complaints",
        )
    )
    # The key page refuses everyone but platform admins (open311/staff.py): show it to them only.
    registry.add_menu_item(
        MenuItem(
            _("Kunci API Open311"),
            "complaints:open311:api_keys",
            section=STAFF,
            roles=frozenset({Role.PLATFORM_ADMIN}),
            order=62,
            app="complaints",
        )
    )
