from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from satupintu.core.roles import Role

from ..models import Dataset, Resource, Source


def staff_required(view):
    """Signed-in platform staff (OPD operators and admins, walidata, platform admins)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_staff_member:
            raise PermissionDenied("Halaman ini khusus petugas OPD dan walidata.")
        return view(request, *args, **kwargs)

    return wrapper


def walidata_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        user = request.user
        if not (user.is_superuser or user.roles & {Role.WALIDATA, Role.PLATFORM_ADMIN}):
            raise PermissionDenied("Halaman ini khusus walidata.")
        return view(request, *args, **kwargs)

    return wrapper


def own_dataset(request, slug: str) -> Dataset:
    """A dataset the user may change (their OPD's); 404 for anyone else's."""
    return get_object_or_404(Dataset.objects.for_user(request.user, write=True), slug=slug)


def own_resource(request, slug: str, pk: int) -> Resource:
    dataset = own_dataset(request, slug)
    return get_object_or_404(dataset.resources.select_related("source"), pk=pk)


def own_source(request, pk: int) -> Source:
    return get_object_or_404(Source.objects.for_user(request.user, write=True), pk=pk)
