from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GatewayConfig(AppConfig):
    name = "satupintu.gateway"
    label = "gateway"
    verbose_name = _("Gerbang integrasi")

    def ready(self) -> None:
        from . import checks, signals, tasks  # noqa: F401  (checks, snapshot invalidation, periodic tasks)
        from .registration import register

        register()
