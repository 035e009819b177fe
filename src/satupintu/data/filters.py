"""Filter sets of the OPD workspace lists."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from satupintu.core.filters import TextSearchFilter

from .models import Dataset, Source


class DatasetFilterSet(django_filters.FilterSet):
    q = TextSearchFilter(fields=("title", "description", "slug"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Dataset.Status.choices)
    classification = django_filters.ChoiceFilter(
        label=_("Klasifikasi"), choices=Dataset.Classification.choices
    )

    class Meta:
        model = Dataset
        fields = ["q", "status", "classification"]


class SourceFilterSet(django_filters.FilterSet):
    q = TextSearchFilter(fields=("name", "host", "database", "url"))
    kind = django_filters.ChoiceFilter(label=_("Jenis"), choices=Source.Kind.choices)

    class Meta:
        model = Source
        fields = ["q", "kind"]
