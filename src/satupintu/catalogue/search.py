"""Search over the catalogue, shared by the portal's /cari/ page (through the registry's search
providers) and the catalogue's own list pages.

Every query stem must appear at the start of a stem of the row's normalised text (so "dok"
finds "dokter" while typing); rows whose name matches rank first, then the most viewed or
launched ones. A query with no exact hit is retried once with each unknown word replaced by its
closest word in the catalogue's vocabulary (typo tolerance: "praktk" → "praktik").
"""

from __future__ import annotations

import datetime
import difflib
from collections.abc import Iterable

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

from . import text
from .models import Application, PublicService, SearchSynonym

POPULAR_DAYS = 30


def _match(queryset: QuerySet, terms: list[str]) -> QuerySet:
    condition = Q()
    for term in terms:
        condition &= Q(search_text__contains=f" {term}")
    return queryset.filter(condition)


def _vocabulary(queryset: QuerySet) -> set[str]:
    vocabulary: set[str] = set()
    for row in queryset.values_list("search_text", flat=True):
        vocabulary.update(row.split())
    return vocabulary


def _corrected(queryset: QuerySet, terms: list[str]) -> list[str] | None:
    vocabulary = _vocabulary(queryset)
    fixed, changed = [], False
    for term in terms:
        if len(term) < 4 or any(word.startswith(term) for word in vocabulary):
            fixed.append(term)
            continue
        close = difflib.get_close_matches(term, vocabulary, n=1, cutoff=0.75)
        if not close:
            return None
        fixed.append(close[0])
        changed = True
    return fixed if changed else None


def find(queryset: QuerySet, query: str) -> list:
    """Rows of `queryset` (already scoped to the user) matching `query`, best first."""
    groups = SearchSynonym.groups()
    terms = query_terms = text.query_terms(query, groups)
    if not terms:
        return []
    rows = list(_match(queryset, terms))
    if not rows:
        fixed = _corrected(queryset, terms)
        if fixed:
            query_terms = fixed
            rows = list(_match(queryset, fixed))
    return rank(rows, query_terms, groups)


def rank(rows: Iterable, terms: list[str], groups) -> list:
    rows = list(rows)
    popularity = _popularity(rows)

    def score(row) -> tuple:
        name = set(text.normalise(row.name, groups))
        in_name = sum(1 for term in terms if any(w.startswith(term) for w in name))
        return (-in_name, -popularity.get(row.pk, 0), row.name)

    return sorted(rows, key=score)


def _popularity(rows: list) -> dict[int, int]:
    if not rows:
        return {}
    since = timezone.now() - datetime.timedelta(days=POPULAR_DAYS)
    ids = [row.pk for row in rows]
    if isinstance(rows[0], PublicService):
        return dict(
            PublicService.objects.filter(pk__in=ids, daily_views__day__gte=since.date())
            .annotate(n=Sum("daily_views__views"))
            .values_list("pk", "n")
        )
    return dict(
        Application.objects.filter(pk__in=ids, launches__launched_at__gte=since)
        .annotate(n=Count("launches"))
        .values_list("pk", "n")
    )


def popular_services(user, limit: int) -> list[PublicService]:
    """The most viewed services of the last 30 days (ties and unseen ones by name)."""
    since = (timezone.now() - datetime.timedelta(days=POPULAR_DAYS)).date()
    return list(
        PublicService.objects.for_user(user)
        .annotate(recent=Sum("daily_views__views", filter=Q(daily_views__day__gte=since)))
        .order_by(F("recent").desc(nulls_last=True), "name")
        .select_related("organisation")[:limit]
    )
