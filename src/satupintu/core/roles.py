"""The platform's roles. They live in core because the scoping function needs them; the
accounts app stores who holds which (Membership) and answers the questions below."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITIZEN = "citizen", _("Warga")
    OPERATOR = "operator", _("Operator OPD")
    OPD_ADMIN = "opd_admin", _("Admin OPD")
    WALIDATA = "walidata", _("Walidata")
    PIMPINAN = "pimpinan", _("Pimpinan")
    PLATFORM_ADMIN = "platform_admin", _("Admin platform")


# Roles held through an organisation: their rights reach that organisation's records only.
ORGANISATION_ROLES = frozenset({Role.OPERATOR, Role.OPD_ADMIN})
# Roles that see across the whole regency: they read every organisation's records that have left
# the draft stage (the walidata verifies what OPDs submit; leaders read everything published).
REGENCY_READER_ROLES = frozenset({Role.WALIDATA, Role.PIMPINAN, Role.PLATFORM_ADMIN})
STAFF_ROLES = frozenset(Role) - {Role.CITIZEN}
