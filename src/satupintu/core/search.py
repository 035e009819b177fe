"""core's search providers for the portal's search page (/cari/): organisations by name or short
name, and the installation's districts and villages by name. Registered in CoreConfig.ready().
Also the daily search counts the usage report charts (`daily_searches`)."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.db.models.signals import post_migrate
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .filters import search_terms
from .models import Organisation, Region, SearchDay
from .registry import SearchProvider, SearchResult, registry


def _all_terms(fields: tuple[str, ...], terms: list[str]) -> Q:
    """Every term appears in at least one of the fields."""
    condition = Q()
    for term in terms:
        any_field = Q()
        for field in fields:
            any_field |= Q(**{f"{field}__icontains": term})
        condition &= any_field
    return condition


def _ranked(queryset: QuerySet, name_field: str, phrase: str, extra_exact: str = "") -> QuerySet:
    """Exact names first, then names that start with the query, then the rest."""
    whens = [When(**{f"{name_field}__iexact": phrase}, then=Value(0))]
    if extra_exact:
        whens.append(When(**{f"{extra_exact}__iexact": phrase}, then=Value(0)))
    whens.append(When(**{f"{name_field}__istartswith": phrase}, then=Value(1)))
    return queryset.annotate(
        rank=Case(*whens, default=Value(2), output_field=IntegerField())
    ).order_by("rank", name_field)


def search_organisations(query: str, user: Any, limit: int) -> list[SearchResult]:
    terms = search_terms(query)
    if not terms:
        return []
    phrase = " ".join(terms)
    queryset = Organisation.objects.filter(is_active=True).filter(
        _all_terms(("name", "short_name", "description"), terms)
    )
    results = []
    for org in _ranked(queryset, "name", phrase, extra_exact="short_name")[:limit]:
        snippet = org.get_kind_display()
        if org.address:
            snippet = f"{snippet} · {org.address}"
        results.append(
            SearchResult(
                title=f"{org.name} ({org.short_name})" if org.short_name else org.name,
                url=org.get_absolute_url(),
                snippet=snippet,
                kind=str(_("Perangkat daerah")),
                score=3.0 - org.rank,
            )
        )
    return results


def installation_regions() -> QuerySet:
    """Districts and villages of the installation's regency (its code is their prefix)."""
    code = settings.INSTALLATION["regency_code"]
    return Region.objects.filter(
        code__startswith=f"{code}.",
        level__in=(Region.Level.DISTRICT, Region.Level.VILLAGE),
    )


def region_url(region: Region) -> str:
    """Where a region result leads: its government's page when one exists in the directory,
    else the OPD directory's search for its name."""
    # region.organisations is prefetched with the active ones only (see search_regions).
    organisations = list(region.organisations.all())
    if organisations:
        return organisations[0].get_absolute_url()
    return f"{reverse('core:organisation_list')}?{urlencode({'q': region.name})}"


def search_regions(query: str, user: Any, limit: int) -> list[SearchResult]:
    terms = search_terms(query)
    if not terms:
        return []
    phrase = " ".join(terms)
    queryset = installation_regions().filter(_all_terms(("name",), terms))
    active = Prefetch("organisations", queryset=Organisation.objects.filter(is_active=True))
    regions = list(_ranked(queryset, "name", phrase).prefetch_related(active)[:limit])
    parents = {
        r.code: r.name
        for r in Region.objects.filter(code__in={r.code.rsplit(".", 1)[0] for r in regions})
    }
    results = []
    for region in regions:
        if region.level == Region.Level.DISTRICT:
            title = _("Kecamatan %(name)s") % {"name": region.name}
            snippet = settings.INSTALLATION["regency_name"]
        else:
            kind = _("Kelurahan") if region.is_kelurahan else _("Desa")
            title = f"{kind} {region.name}"
            district = parents.get(region.code.rsplit(".", 1)[0], "")
            snippet = _("Kecamatan %(name)s") % {"name": district} if district else ""
        results.append(
            SearchResult(
                title=str(title),
                url=region_url(region),
                snippet=f"{snippet} · {_('kode wilayah')} {region.code}".strip(" ·"),
                kind=str(_("Wilayah")),
                score=2.5 - region.rank,
            )
        )
    return results


def daily_searches(days: int) -> list[tuple[datetime.date, int, int]]:
    """(day, searches, searches that found nothing) for the last `days` local dates that had
    searches, oldest first."""
    since = timezone.localdate() - datetime.timedelta(days=days - 1)
    return list(
        SearchDay.objects.filter(day__gte=since)
        .order_by("day")
        .values_list("day", "searches", "zero_results")
    )


def index_after_migrate(sender, using: str = "default", **kwargs) -> None:
    """Fill the kinds of the search index that have no document yet after `migrate` (an
    installation upgraded to the shared index or to an app that adds a kind, or restored from a
    dump without it); kinds with documents are left alone."""
    from . import search_index
    from .models import SearchDocument

    if using != "default":
        return
    filled = set(SearchDocument.objects.values_list("kind", flat=True).distinct())
    empty = [
        source.kind
        for source in registry.search_index_sources.values()
        if source.kind not in filled and any(True for _ in source.documents())
    ]
    if empty:
        search_index.rebuild(empty if filled else None)


def register() -> None:
    post_migrate.connect(index_after_migrate, dispatch_uid="core.search.index_after_migrate")
    registry.add_search_provider(
        SearchProvider(
            key="core.organisations",
            label=gettext_lazy("Perangkat daerah"),
            search=search_organisations,
            order=10,
        )
    )
    registry.add_search_provider(
        SearchProvider(
            key="core.regions",
            label=gettext_lazy("Kecamatan dan desa"),
            search=search_regions,
            order=20,
        )
    )
