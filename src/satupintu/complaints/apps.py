from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "satupintu.complaints"
    label = "complaints"
    verbose_name = _("Pengaduan (OKU Menyapa)")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import configured, registration  # noqa: F401
        # (configured: its caches' invalidation signals must be connected in every process)

        registration.register()
