"""Filter sets (django-filter) for core's list pages, and the building blocks other apps reuse:
a free-text filter over several fields and a date range that reads like a person writes it."""

from __future__ import annotations

import datetime
import re
from typing import Any

import django_filters
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import ChangeLogEntry, Organisation, Run

# A query longer than this is cut: nobody types more, and it keeps LIKE scans cheap.
MAX_QUERY_LENGTH = 200


def search_terms(text: str, limit: int = 8) -> list[str]:
    """Words of a free-text query, without punctuation-only tokens (so "%%%" finds nothing
    special and "  " is no query at all)."""
    text = (text or "")[:MAX_QUERY_LENGTH]
    words = [w for w in re.split(r"\s+", text.strip()) if re.search(r"\w", w)]
    return words[:limit]


class TextSearchFilter(django_filters.CharFilter):
    """Every word must appear (case-insensitive) in at least one of `fields`."""

    def __init__(self, *args: Any, fields: tuple[str, ...], **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Kata kunci"))
        kwargs.setdefault("max_length", MAX_QUERY_LENGTH)
        super().__init__(*args, **kwargs)
        self.search_fields = fields

    def filter(self, qs: QuerySet, value: str) -> QuerySet:
        for term in search_terms(value):
            match = Q()
            for field in self.search_fields:
                match |= Q(**{f"{field}__icontains": term})
            qs = qs.filter(match)
        return qs


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class LocalDateFromFilter(django_filters.DateFilter):
    """On or after the start of this day in the installation's time zone."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", DateInput())
        super().__init__(*args, **kwargs)

    def filter(self, qs: QuerySet, value: datetime.date | None) -> QuerySet:
        if not value:
            return qs
        start = timezone.make_aware(datetime.datetime.combine(value, datetime.time.min))
        return qs.filter(**{f"{self.field_name}__gte": start})


class LocalDateToFilter(LocalDateFromFilter):
    """Up to the end of this day (inclusive) in the installation's time zone."""

    def filter(self, qs: QuerySet, value: datetime.date | None) -> QuerySet:
        if not value:
            return qs
        end = timezone.make_aware(
            datetime.datetime.combine(value + datetime.timedelta(days=1), datetime.time.min)
        )
        return qs.filter(**{f"{self.field_name}__lt": end})


class OrganisationFilterSet(django_filters.FilterSet):
    q = TextSearchFilter(
        fields=("name", "short_name", "description", "head_name", "address"),
        label=_("Cari nama atau singkatan"),
        help_text=_("Contoh: Diskominfo, kesehatan, Baturaja"),
    )
    kind = django_filters.ChoiceFilter(
        choices=Organisation.Kind.choices, label=_("Jenis"), empty_label=_("Semua jenis")
    )

    class Meta:
        model = Organisation
        fields = ["q", "kind"]


def _changelog_models() -> list[tuple[str, str]]:
    """The kinds of record that appear in the change log, as filter choices."""
    ids = ChangeLogEntry.objects.order_by().values_list("content_type", flat=True).distinct()
    types = ContentType.objects.filter(pk__in=list(ids))
    choices = []
    for ct in types:
        model = ct.model_class()
        label = model._meta.verbose_name if model else ct.model
        choices.append((f"{ct.app_label}.{ct.model}", str(label).capitalize()))
    return sorted(choices, key=lambda choice: choice[1])


class DateRangeForm(forms.Form):
    """A filter form whose `date_from`..`date_to` range must not run backwards."""

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("Tanggal akhir harus sama atau setelah tanggal awal."))
        return data


class ChangeLogFilterSet(django_filters.FilterSet):
    organisation = django_filters.ModelChoiceFilter(
        queryset=Organisation.objects.all(), label=_("Organisasi"), empty_label=_("Semua")
    )
    model = django_filters.ChoiceFilter(
        choices=_changelog_models,
        label=_("Jenis data"),
        empty_label=_("Semua"),
        method="filter_model",
    )
    action = django_filters.ChoiceFilter(
        choices=ChangeLogEntry.Action.choices, label=_("Tindakan"), empty_label=_("Semua")
    )
    user = django_filters.CharFilter(
        field_name="user_name",
        lookup_expr="icontains",
        label=_("Pengguna"),
        max_length=150,
        help_text=_("Nama pengguna, sebagian juga boleh"),
    )
    date_from = LocalDateFromFilter(field_name="at", label=_("Dari tanggal"))
    date_to = LocalDateToFilter(field_name="at", label=_("Sampai tanggal"))

    class Meta:
        model = ChangeLogEntry
        fields = ["organisation", "model", "action", "user", "date_from", "date_to"]
        form = DateRangeForm

    def __init__(self, *args: Any, request=None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        if user is not None:
            # Only offer organisations whose entries the user may read.
            visible = ChangeLogEntry.objects.for_user(user).values("organisation")
            self.filters["organisation"].queryset = Organisation.objects.filter(pk__in=visible)

    def filter_model(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        app_label, _sep, model = value.partition(".")
        return qs.filter(content_type__app_label=app_label, content_type__model=model)


class RunFilterSet(django_filters.FilterSet):
    """Filters of the long-job list (/pekerjaan/)."""

    q = TextSearchFilter(fields=("title", "kind"))
    status = django_filters.ChoiceFilter(
        choices=Run.Status.choices, label=_("Status"), empty_label=_("Semua")
    )

    class Meta:
        model = Run
        fields = ["q", "status"]
