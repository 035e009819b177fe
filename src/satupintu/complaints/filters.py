"""Filters of the OPD inbox: status, category, SLA state, channel, date range, keyword, and
(for Diskominfo and leaders, who see every OPD) the handling OPD."""

from __future__ import annotations

import datetime as dt

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from satupintu.core.filters import LocalDateFromFilter, LocalDateToFilter, TextSearchFilter
from satupintu.core.models import Organisation

from .models import Category, Report

DUE_SOON = dt.timedelta(days=1)


class SLA:
    ON_TIME, DUE_SOON, LATE, DONE = "on_time", "due_soon", "late", "done"
    CHOICES = [
        (ON_TIME, _("Tepat waktu")),
        (DUE_SOON, _("Segera jatuh tempo")),
        (LATE, _("Terlambat")),
        (DONE, _("Selesai")),
    ]
    LABELS = dict(CHOICES)


def _due_before(moment) -> Q:
    """Open reports whose current deadline (response, then completion) is before `moment`."""
    return Q(responded_at__isnull=True, response_due__lt=moment) | Q(
        responded_at__isnull=False, completion_due__lt=moment
    )


def filter_sla(queryset: QuerySet, state: str, now=None) -> QuerySet:
    now = now or timezone.now()
    if state == SLA.DONE:
        return queryset.filter(status__in=Report.CLOSED_STATUSES)
    opened = queryset.exclude(status__in=Report.CLOSED_STATUSES)
    if state == SLA.LATE:
        return opened.filter(_due_before(now))
    if state == SLA.DUE_SOON:
        return opened.filter(_due_before(now + DUE_SOON)).exclude(_due_before(now))
    if state == SLA.ON_TIME:
        return opened.exclude(_due_before(now + DUE_SOON))
    return queryset


class InboxFilter(django_filters.FilterSet):
    q = TextSearchFilter(fields=("reference", "title", "address"), label=_("Kata kunci"))
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Report.Status.choices, empty_label=_("Semua status")
    )
    sla = django_filters.ChoiceFilter(
        label=_("Batas waktu"),
        choices=SLA.CHOICES,
        empty_label=_("Semua"),
        method="filter_sla",
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Kategori"),
        queryset=Category.objects.order_by("name"),
        empty_label=_("Semua kategori"),
        to_field_name="code",
    )
    organisation = django_filters.ModelChoiceFilter(
        label=_("OPD"),
        queryset=Organisation.objects.none(),
        empty_label=_("Semua OPD"),
        to_field_name="code",
    )
    channel = django_filters.ChoiceFilter(
        label=_("Kanal"), choices=Report.Channel.choices, empty_label=_("Semua kanal")
    )
    created_from = LocalDateFromFilter(field_name="created_at", label=_("Masuk sejak"))
    created_to = LocalDateToFilter(field_name="created_at", label=_("Masuk sampai"))

    class Meta:
        model = Report
        fields: list[str] = []

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        # Only people who see several OPDs get the OPD filter, listing the OPDs they see.
        visible = Report.objects.for_user(user).values("organisation")
        organisations = Organisation.objects.filter(pk__in=visible).order_by("name")
        if organisations.count() > 1:
            self.filters["organisation"].queryset = organisations
        else:
            del self.filters["organisation"]

    def filter_sla(self, queryset, name, value):
        return filter_sla(queryset, value)
