"""Who may manage what in the gateway UI: an OPD admin manages their own organisation's
registry entries (the provider's admin grants access rights); platform admins manage all.
Which rows a page shows is still decided by `for_user` (core.scoping)."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from satupintu.core.roles import Role

VIEW_ROLES = frozenset({Role.OPERATOR, Role.OPD_ADMIN, Role.PLATFORM_ADMIN})


def signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def admin_organisation_ids(user) -> set[int]:
    return user.organisation_ids_with_descendants(roles=frozenset({Role.OPD_ADMIN}))


def can_manage(user, organisation_id: int | None) -> bool:
    if not signed_in(user):
        return False
    if user.is_platform_admin:
        return True
    return organisation_id in admin_organisation_ids(user)


def require_staff(request):
    """Anonymous → login page; signed in without a gateway role → 403."""
    user = request.user
    if not signed_in(user):
        return redirect_to_login(request.get_full_path())
    if not (user.is_platform_admin or user.roles & VIEW_ROLES):
        raise PermissionDenied
    return None


def require_manage(request, organisation_id: int | None):
    response = require_staff(request)
    if response is not None:
        return response
    if not can_manage(request.user, organisation_id):
        raise PermissionDenied
    return None
