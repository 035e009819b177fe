from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "satupintu.events"
    label = "events"
    verbose_name = _("Peristiwa dan webhook")

    def ready(self) -> None:
        from satupintu.core.registry import EventType, registry

        from . import (
            publishing,  # noqa: F401  (connects its subscription cache's signals)
            tasks,  # noqa: F401  (registers the periodic retry sweeper)
        )

        if "events.ping" not in registry.event_types:
            registry.add_event_type(
                EventType(
                    key="events.ping",
                    label=_("Uji kirim webhook"),
                    description=_("Dikirim saat admin menekan 'Kirim uji' pada langganan."),
                )
            )
