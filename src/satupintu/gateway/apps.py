from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GatewayConfig(AppConfig):
    name = "satupintu.gateway"
    label = "gateway"
    verbose_name = _("Gerbang integrasi")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (invalidates the registry snapshot on change)
        from .registration import register

        register()
