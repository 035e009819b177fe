from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The public front door: the home page, the search page across every app, /design/."""

    name = "satupintu.portal"
    label = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from satupintu.core.registry import MenuItem, registry

        registry.add_menu_item(MenuItem(_("Beranda"), "portal:home", order=0, app="portal"))
