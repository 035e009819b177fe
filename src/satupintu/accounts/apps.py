from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "satupintu.accounts"
    label = "accounts"
    verbose_name = _("Akun dan peran")

    def ready(self) -> None:
        from satupintu.core.registry import PUBLIC, STAFF, MenuItem, registry
        from satupintu.core.roles import Role

        from . import signals  # noqa: F401  (connects the audit receivers)

        # Every signed-in person holds a role (citizens get Role.CITIZEN), so listing all roles
        # shows "Akun saya" to anyone signed in and hides it from anonymous visitors.
        registry.add_menu_item(
            MenuItem(
                label=_("Akun saya"),
                url_name="accounts:profile",
                section=PUBLIC,
                roles=frozenset(Role),
                order=900,
                app=self.label,
            )
        )
        from .demo import load_demo

        # After the catalogue (150): demo clients link to its entries.
        registry.add_demo_loader("sso", load_demo, order=155)
        registry.add_menu_item(
            MenuItem(
                label=_("Aplikasi OPD (SSO)"),
                url_name="accounts:client_list",
                section=STAFF,
                roles=frozenset({Role.OPD_ADMIN, Role.PLATFORM_ADMIN}),
                order=800,
                app=self.label,
            )
        )
