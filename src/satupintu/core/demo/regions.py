"""Demo step "regions": the Kemendagri codes the demo needs (installation scope), imported from
the shipped file when the regency's districts and villages are not there yet."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ..regions import Scope, import_regions, regency_regions_installed


def load_regions(context: dict) -> str:
    if regency_regions_installed():
        return _("sudah ada, tidak diimpor ulang")
    report = import_regions(scope=Scope.INSTALLATION)
    return _("%(count)d kode wilayah diimpor") % {"count": report.created}
