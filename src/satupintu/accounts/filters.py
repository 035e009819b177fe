"""Filters of the accounts app's list pages."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AuthEvent, Client


class ClientFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(label=_("Nama aplikasi"), lookup_expr="icontains")
    authorization_grant_type = django_filters.ChoiceFilter(
        label=_("Cara masuk"),
        choices=[
            (Client.GRANT_AUTHORIZATION_CODE, _("Pengguna masuk")),
            (Client.GRANT_CLIENT_CREDENTIALS, _("Antar-mesin")),
        ],
    )
    client_type = django_filters.ChoiceFilter(
        label=_("Jenis klien"),
        choices=[(Client.CLIENT_CONFIDENTIAL, _("Rahasia")), (Client.CLIENT_PUBLIC, _("Publik"))],
    )

    class Meta:
        model = Client
        fields = ["name", "authorization_grant_type", "client_type"]


class AuthEventFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kejadian"), choices=AuthEvent.Kind.choices)
    since = django_filters.DateFilter(
        field_name="created_at",
        lookup_expr="date__gte",
        label=_("Sejak"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = AuthEvent
        fields = ["kind", "since"]
