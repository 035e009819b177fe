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

        from satupintu.core.registry import registry

        from .demo_usage import load_demo_usage

        # After the catalogue's own demo loader (150): the usage refers to its apps and services.
        registry.add_demo_loader("catalogue-usage", load_demo_usage, order=151)
