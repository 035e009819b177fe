"""Managing OIDC clients (platform admin: every app; OPD admin: the apps of their own OPD) and
the apps a person has connected to their account ("Aplikasi yang terhubung")."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import View
from django.views.generic import ListView
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import get_access_token_model, get_refresh_token_model

from satupintu.core.roles import Role
from satupintu.core.tables import TableListView

from . import audit
from .client_forms import ClientForm, admin_organisations
from .filters import ClientFilter
from .models import AuthEvent, Client, Consent
from .permissions import RoleRequiredMixin
from .tables import ClientTable

CLIENT_ADMIN_ROLES = (Role.OPD_ADMIN, Role.PLATFORM_ADMIN)


def manageable_clients(user):
    """The clients `user` may change: through the one scoping function, then narrowed to
    the organisations where the user is OPD admin (an operator manages no apps)."""
    queryset = Client.objects.for_user(user, write=True)
    if user.is_platform_admin:
        return queryset
    return queryset.filter(organisation__in=admin_organisations(user))


class ClientAdminMixin(RoleRequiredMixin):
    required_roles = CLIENT_ADMIN_ROLES

    def get_client(self, pk: int) -> Client:
        # Another OPD's app answers 404, the same as an app that does not exist.
        return get_object_or_404(manageable_clients(self.request.user), pk=pk)


class ClientListView(ClientAdminMixin, TableListView):
    table_class = ClientTable
    filterset_class = ClientFilter
    template_name = "accounts/clients/list.html"
    page_title = _lazy("Aplikasi OPD yang memakai satupintu untuk masuk")
    page_intro = _lazy(
        "Daftarkan aplikasi OPD Anda agar warga dan aparatur bisa masuk dengan akun satupintu."
    )
    export_basename = "aplikasi-sso"

    def get_base_queryset(self):
        return (
            manageable_clients(self.request.user)
            .select_related("organisation", "catalogue_entry")
            .order_by("organisation__name", "name")
        )


def _show_secret(request: HttpRequest, client: Client, secret: str, *, created: bool):
    return render(
        request,
        "accounts/clients/secret.html",
        {"client": client, "secret": secret, "created": created},
    )


class ClientCreateView(ClientAdminMixin, View):
    template_name = "accounts/clients/form.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, {"form": ClientForm(user=request.user)})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ClientForm(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        client = form.save(commit=False)
        client.user = request.user
        client.algorithm = Client.RS256_ALGORITHM
        secret = generate_client_secret()
        client.client_secret = secret if client.client_type == Client.CLIENT_CONFIDENTIAL else ""
        client.save()
        if client.client_type == Client.CLIENT_CONFIDENTIAL:
            return _show_secret(request, client, secret, created=True)
        messages.success(request, _("Aplikasi %(name)s terdaftar.") % {"name": client.name})
        return redirect("accounts:client_detail", pk=client.pk)


class ClientDetailView(ClientAdminMixin, View):
    template_name = "accounts/clients/detail.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        client = self.get_client(pk)
        base = request.build_absolute_uri("/").rstrip("/")
        return render(
            request,
            self.template_name,
            {
                "client": client,
                "discovery_url": f"{base}/.well-known/openid-configuration",
                "consent_count": client.consents.count(),
            },
        )


class ClientUpdateView(ClientAdminMixin, View):
    template_name = "accounts/clients/form.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        client = self.get_client(pk)
        form = ClientForm(instance=client, user=request.user)
        return render(request, self.template_name, {"form": form, "client": client})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        client = self.get_client(pk)
        form = ClientForm(request.POST, request.FILES, instance=client, user=request.user)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form, "client": client}, status=400)
        form.save()
        messages.success(request, _("Perubahan disimpan."))
        return redirect("accounts:client_detail", pk=client.pk)


class ClientRotateSecretView(ClientAdminMixin, View):
    """A new client secret, shown once; the old one stops working at once."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        client = self.get_client(pk)
        if client.client_type != Client.CLIENT_CONFIDENTIAL:
            raise Http404
        secret = generate_client_secret()
        client.client_secret = secret
        client.save(update_fields=["client_secret", "updated"])
        return _show_secret(request, client, secret, created=False)


class ConnectedAppsView(LoginRequiredMixin, ListView):
    """The apps this person allowed to receive their data, with a button to revoke each."""

    template_name = "accounts/connected_apps.html"
    context_object_name = "consents"

    def get_queryset(self):
        return (
            Consent.objects.filter(user=self.request.user)
            .select_related("client__organisation")
            .order_by("client__name")
        )


class RevokeConsentView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        consent = get_object_or_404(Consent, pk=pk, user=request.user)
        client = consent.client
        with transaction.atomic():
            for refresh in get_refresh_token_model().objects.filter(
                user=request.user, application=client, revoked__isnull=True
            ):
                refresh.revoke()
            get_access_token_model().objects.filter(user=request.user, application=client).delete()
            consent.delete()
        audit.record(
            AuthEvent.Kind.CONSENT_REVOKED, request=request, user=request.user, client=client
        )
        messages.success(
            request,
            _("Akses %(name)s ke akun Anda sudah dicabut.") % {"name": client.name},
        )
        return redirect(reverse("accounts:connected_apps"))
