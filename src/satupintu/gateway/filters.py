from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MessageRecord


class MessageRecordFilter(django_filters.FilterSet):
    client = django_filters.CharFilter(
        label=_("Klien"), lookup_expr="icontains", help_text=_("Mis. OKU/GOV/DINKES/SIMPUS")
    )
    service = django_filters.CharFilter(label=_("Layanan"), lookup_expr="icontains")
    message_id = django_filters.CharFilter(label=_("ID pesan (X-Road-Id)"))
    outcome = django_filters.ChoiceFilter(
        label=_("Hasil"),
        method="filter_outcome",
        choices=[
            ("ok", _("Berhasil (2xx/3xx)")),
            ("client", _("Ditolak (4xx)")),
            ("server", _("Gagal (5xx)")),
        ],
    )
    since = django_filters.DateTimeFilter(
        field_name="at",
        lookup_expr="gte",
        label=_("Sejak"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    until = django_filters.DateTimeFilter(
        field_name="at",
        lookup_expr="lte",
        label=_("Sampai"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    class Meta:
        model = MessageRecord
        fields = ["client", "service", "message_id", "outcome", "since", "until"]

    def filter_outcome(self, queryset, name, value):
        if value == "ok":
            return queryset.filter(status__lt=400)
        if value == "client":
            return queryset.filter(status__gte=400, status__lt=500)
        return queryset.filter(status__gte=500)
