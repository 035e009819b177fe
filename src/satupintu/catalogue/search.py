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


def find(queryset: QuerySet, query: str, limit: int | None = None) -> list:
    """Rows of `queryset` (already scoped to the user) matching `query`, best first.

    Matches are ranked as light (pk, name) pairs; only the first `limit` are loaded as model
    instances (a common word can match thousands of rows)."""
    groups = SearchSynonym.groups()
    terms = query_terms = text.query_terms(query, groups)
    if not terms:
        return []
    pairs = list(_match(queryset, terms).values_list("pk", "name"))
    if not pairs:
        fixed = _corrected(queryset, terms)
        if fixed:
            query_terms = fixed
            pairs = list(_match(queryset, fixed).values_list("pk", "name"))
    ids = rank(pairs, query_terms, groups, queryset.model)
    if limit is not None:
        ids = ids[:limit]
    loaded = queryset.in_bulk(ids)
    return [loaded[pk] for pk in ids if pk in loaded]


def rank(pairs: list[tuple[int, str]], terms: list[str], groups, model) -> list[int]:
    """Ids ordered by: query words in the name, then recent popularity, then name."""
    popularity = _popularity(model, [pk for pk, _name in pairs])

    def score(pair: tuple[int, str]) -> tuple:
        pk, name = pair
        stems = set(text.normalise(name, groups))
        in_name = sum(1 for term in terms if any(w.startswith(term) for w in stems))
        return (-in_name, -popularity.get(pk, 0), name)

    return [pk for pk, _name in sorted(pairs, key=score)]


def _popularity(model, ids: list[int]) -> dict[int, int]:
    if not ids:
        return {}
    since = timezone.now() - datetime.timedelta(days=POPULAR_DAYS)
    if model is PublicService:
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
