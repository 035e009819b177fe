from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "satupintu.catalogue"
    label = "catalogue"
    verbose_name = _("Katalog aplikasi dan layanan publik")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import registration, sections

        registration.register()
        sections.register()
