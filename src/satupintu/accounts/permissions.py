"""Access checks for views of every app.

Function views use the decorators, class-based views the mixins:

    @role_required(Role.WALIDATA)
    def verify_dataset(request, pk): ...

    @organisation_member_required()          # URL kwarg "organisation" = Organisation.code
    def opd_settings(request, organisation): ...   # request.organisation is the Organisation

    class InboxView(RoleRequiredMixin, ListView):
        required_roles = {Role.OPERATOR, Role.OPD_ADMIN}

Anonymous visitors are sent to the login page; signed-in users without the right get 403.
Platform admins pass every check. These checks decide who may open a view; which rows the
view then shows is still decided by `Model.objects.for_user(user)` (core.scoping).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps

from django.contrib.auth.mixins import AccessMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.shortcuts import get_object_or_404

from satupintu.core.models import Organisation
from satupintu.core.roles import ORGANISATION_ROLES, STAFF_ROLES

__all__ = [
    "OrganisationMemberRequiredMixin",
    "RoleRequiredMixin",
    "has_any_role",
    "organisation_member_required",
    "resolve_organisation",
    "role_required",
    "staff_required",
]


def _is_platform_admin(user) -> bool:
    return bool(getattr(user, "is_platform_admin", False))


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def has_any_role(user, roles: Iterable[str]) -> bool:
    """Whether a signed-in, active user holds one of `roles` (platform admins always do)."""
    if not _signed_in(user):
        return False
    return _is_platform_admin(user) or bool(set(roles) & user.roles)


def resolve_organisation(value: str | int) -> Organisation:
    """The organisation a URL names, by code (or by id when the value is a number); 404 if
    there is none."""
    if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
        return get_object_or_404(Organisation, pk=int(value))
    return get_object_or_404(Organisation, code=value)


def _deny(request):
    if not _signed_in(request.user):
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


def role_required(*roles: str) -> Callable:
    """Allow only users holding one of `roles`."""
    if not roles:
        raise ImproperlyConfigured("role_required() needs at least one role.")

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not has_any_role(request.user, roles):
                return _deny(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def staff_required(view: Callable) -> Callable:
    """Allow any staff role (operator, OPD admin, walidata, pimpinan, platform admin)."""
    return role_required(*STAFF_ROLES)(view)


def organisation_member_required(
    kwarg: str = "organisation", roles: Iterable[str] = ORGANISATION_ROLES
) -> Callable:
    """Allow members (with one of `roles`) of the organisation named by URL kwarg `kwarg`, or
    of an organisation above it (a kecamatan's operator reaches its desa). The Organisation
    replaces the kwarg in the view's arguments and is set as `request.organisation`."""
    roles = frozenset(roles)

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not _signed_in(request.user):
                return _deny(request)
            organisation = resolve_organisation(kwargs[kwarg])
            if not (
                _is_platform_admin(request.user) or request.user.is_member_of(organisation, roles)
            ):
                raise PermissionDenied
            request.organisation = kwargs[kwarg] = organisation
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class RoleRequiredMixin(AccessMixin):
    """Class-based twin of role_required: set `required_roles`."""

    required_roles: Iterable[str] = ()

    def dispatch(self, request, *args, **kwargs):
        if not self.required_roles:
            raise ImproperlyConfigured(f"{type(self).__name__} must set required_roles.")
        if not has_any_role(request.user, self.required_roles):
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)


class OrganisationMemberRequiredMixin(AccessMixin):
    """Class-based twin of organisation_member_required; the view gets `self.organisation`."""

    organisation_kwarg = "organisation"
    organisation_roles: Iterable[str] = ORGANISATION_ROLES

    def dispatch(self, request, *args, **kwargs):
        if not _signed_in(request.user):
            return self.handle_no_permission()
        self.organisation = resolve_organisation(kwargs[self.organisation_kwarg])
        if not (
            _is_platform_admin(request.user)
            or request.user.is_member_of(self.organisation, frozenset(self.organisation_roles))
        ):
            raise PermissionDenied
        request.organisation = self.organisation
        return super().dispatch(request, *args, **kwargs)
