from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "satupintu.core"
    label = "core"
    verbose_name = _("Inti platform")

    def ready(self) -> None:
        # checks and signals register system checks and the audit signal handlers on import.
        from . import checks, search, signals  # noqa: F401
        from .registry import STAFF, MenuItem, registry

        search.register()
        registry.add_menu_item(
            MenuItem(_("Perangkat daerah"), "core:organisation_list", order=80, app="core")
        )
        registry.add_menu_item(
            MenuItem(_("Riwayat perubahan"), "core:changelog", section=STAFF, order=900, app="core")
        )
        registry.add_menu_item(
            MenuItem(
                _("Pekerjaan latar belakang"), "core:run_list", section=STAFF, order=910, app="core"
            )
        )
