"""The platform admin's page for Open311 API keys: list, create (the key is shown once), revoke."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from satupintu.core.models import Organisation
from satupintu.core.roles import Role

from ..models import ApiKey
from .keys import issue_key


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Nama klien"),
        max_length=120,
        help_text=gettext_lazy("Aplikasi atau lembaga pemakai kunci, mis. Aplikasi OKU Menyapa."),
    )
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Organisasi penanggung jawab"),
        queryset=Organisation.objects.active().order_by("name"),
        required=False,
        empty_label=gettext_lazy("— tidak ada —"),
    )


def _platform_admin_only(request: HttpRequest) -> HttpResponse | None:
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not (user.is_superuser or user.has_role(Role.PLATFORM_ADMIN)):
        raise PermissionDenied
    return None


def api_keys(request: HttpRequest) -> HttpResponse:
    if (denied := _platform_admin_only(request)) is not None:
        return denied
    form = ApiKeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        issued = issue_key(form.cleaned_data["name"], form.cleaned_data["organisation"])
        # Shown on this response only: the database keeps a keyed hash.
        response = render(
            request,
            "complaints/open311/key_issued.html",
            {"api_key": issued.api_key, "key": issued.key, "site_url": settings.SITE_URL},
        )
        response["Cache-Control"] = "no-store"
        return response
    keys = ApiKey.objects.select_related("organisation").order_by("-is_active", "name")
    return render(request, "complaints/open311/keys.html", {"form": form, "keys": keys})


@require_POST
def api_key_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    if (denied := _platform_admin_only(request)) is not None:
        return denied
    api_key = get_object_or_404(ApiKey, pk=pk)
    if api_key.is_active:
        api_key.is_active = False
        api_key.save(update_fields=["is_active"])
        messages.success(
            request,
            _("Kunci %(key)s dicabut; permintaan dengan kunci ini ditolak mulai sekarang.")
            % {"key": api_key},
        )
    return redirect("complaints:open311:api_keys")
