"""The search page (/cari/): the shared search index (every app's registered kinds, with facets
and highlighted snippets) plus the registry's other search providers (OPDs, villages, datasets
...), grouped by kind, one tab per kind.

Bad input never fails the page: control characters are dropped, whitespace collapsed, the
query cut at MAX_QUERY_CHARS, and a query without a word asks for one. Searches that find
nothing are counted for the admins (core.ZeroResultQuery).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from satupintu.core import search_index
from satupintu.core.filters import search_terms
from satupintu.core.models import Organisation, SearchDay, ZeroResultQuery
from satupintu.core.registry import SearchProvider, SearchResult, registry
from satupintu.core.templatetags.design import angka

logger = logging.getLogger(__name__)

# A query is cut to this many characters: longer ones are pasted text, not a search.
MAX_QUERY_CHARS = 1000
# Each kind's tab shows this many results (+1 asked of a provider tells whether there are more).
RESULTS_PER_KIND = 50
# The "all" tab shows the first few of each kind, with a link to that kind's tab.
RESULTS_PER_KIND_ON_ALL = 5
# The OPD facet lists the OPDs with most results first; the rest are behind "Lainnya".
FACET_VALUES_SHOWN = 8


@dataclass(frozen=True)
class Kind:
    """One group of results: a search index kind or a plain provider."""

    key: str
    label: Any
    order: int


def clean_query(raw: str) -> tuple[str, bool]:
    """Whitespace collapsed (pasted text carries newlines and tabs), control characters
    dropped, cut at MAX_QUERY_CHARS; returns the query and whether it was cut."""
    query = " ".join("".join(ch for ch in raw if ch.isprintable() or ch.isspace()).split())
    return query[:MAX_QUERY_CHARS], len(query) > MAX_QUERY_CHARS


def _ask(provider: SearchProvider, query: str, user: Any) -> list[SearchResult] | None:
    """One provider's results, or None when it failed: one broken app must not take the
    whole search page down, but the failure is logged and told to the user."""
    try:
        return list(provider.search(query, user, RESULTS_PER_KIND + 1))
    except Exception:
        logger.exception("search provider failed", extra={"provider": provider.key})
        return None


def _url(**params: str) -> str:
    return "?" + urlencode({k: v for k, v in params.items() if v})


class SearchPage:
    """Everything one request of /cari/ shows, computed once."""

    def __init__(self, request: HttpRequest) -> None:
        self.user = request.user
        self.query, self.truncated = clean_query(request.GET.get("q", ""))
        self.has_query = bool(request.GET.get("q", "").strip())
        self.has_words = bool(search_terms(self.query))
        self.sources = registry.sorted_search_index_sources()
        self.providers = sorted(registry.search_providers.values(), key=lambda p: (p.order, p.key))
        kinds = {s.kind for s in self.sources} | {p.key for p in self.providers}
        self.selected = request.GET.get("jenis", "")
        if self.selected not in kinds:
            self.selected = ""
        self.event_labels = {code: label for s in self.sources for code, label in s.life_events}
        self.event = request.GET.get("peristiwa", "")
        if self.event not in self.event_labels:
            self.event = ""
        self.organisation = (
            Organisation.objects.filter(code=request.GET.get("opd", "")).first()
            if request.GET.get("opd")
            else None
        )
        self.groups: list[dict] = []
        self.failed: list[Any] = []
        self.corrected: str | None = None
        self.facets: search_index.Facets | None = None
        if self.has_words:
            self._search_index()
            if not self.filtered:
                self._search_providers()
        self.groups.sort(key=lambda g: (g["kind"].order, g["kind"].key))
        self.total = sum(group["count"] for group in self.groups)
        # Past core.search_index.MATCH_WINDOW matches a count is "at least" (1.000+).
        self.total_more = any(group["more"] for group in self.groups)

    @property
    def filtered(self) -> bool:
        return bool(self.organisation or self.event)

    def _params(self, **changes: str) -> dict[str, str]:
        params = {
            "q": self.query,
            "jenis": self.selected,
            "opd": self.organisation.code if self.organisation else "",
            "peristiwa": self.event,
        }
        params.update(changes)
        return params

    def _search_index(self) -> None:
        search = search_index.Search(self.query, self.user)
        self.corrected = search.corrected
        org_id = self.organisation.pk if self.organisation else None
        kind = self.selected if self.selected in {s.kind for s in self.sources} else None
        self.facets = search.facets(kind, org_id, self.event, self.event_labels)
        short_names = dict(Organisation.objects.values_list("pk", "short_name"))
        for source in self.sources:
            count = search.count(source.kind, org_id, self.event)
            if not count:
                continue
            shown = RESULTS_PER_KIND if self.selected == source.kind else RESULTS_PER_KIND_ON_ALL
            if self.selected and self.selected != source.kind:
                shown = 0
            hits = search.hits(source.kind, org_id, self.event, limit=shown) if shown else []
            results = [
                SearchResult(
                    title=hit.title,
                    url=hit.url,
                    snippet=hit.snippet,
                    kind=str(source.label),
                    score=-hit.score,
                    meta=" · ".join(
                        filter(
                            None,
                            [
                                short_names.get(hit.organisation_id, ""),
                                *(str(self.event_labels.get(c, "")) for c in hit.life_events),
                            ],
                        )
                    ),
                )
                for hit in hits
            ]
            self.groups.append(
                {
                    "kind": Kind(source.kind, source.label, source.order),
                    "provider": Kind(source.kind, source.label, source.order),
                    "results": results,
                    "count": count,
                    "more": not search.exact(source.kind, org_id, self.event),
                    "url": _url(**self._params(jenis=source.kind)),
                }
            )

    def _search_providers(self) -> None:
        for provider in self.providers:
            results = _ask(provider, self.query, self.user)
            if results is None:
                self.failed.append(provider.label)
                continue
            if not results:
                continue
            results.sort(key=lambda r: -r.score)
            kind = Kind(provider.key, provider.label, provider.order)
            self.groups.append(
                {
                    "kind": kind,
                    "provider": provider,
                    "results": results[:RESULTS_PER_KIND],
                    "more": len(results) > RESULTS_PER_KIND,
                    "count": min(len(results), RESULTS_PER_KIND),
                    "url": _url(**self._params(jenis=provider.key)),
                }
            )

    def tabs(self) -> list[dict]:
        if not self.groups:
            return []
        tabs = [
            {
                "label": _("Semua (%(count)s)")
                % {"count": _count_label(self.total, self.total_more)},
                "url": _url(**self._params(jenis="")),
                "current": not self.selected,
            }
        ]
        for group in self.groups:
            count = _count_label(group["count"], group["more"])
            tabs.append(
                {
                    "label": f"{group['kind'].label} ({count})",
                    "url": group["url"],
                    "current": self.selected == group["kind"].key,
                }
            )
        return tabs

    def shown_groups(self) -> list[dict]:
        groups = [dict(g, count_label=_count_label(g["count"], g["more"])) for g in self.groups]
        if self.selected:
            return [g for g in groups if g["kind"].key == self.selected]
        return [dict(g, results=g["results"][:RESULTS_PER_KIND_ON_ALL]) for g in groups]

    def facet_links(self) -> list[dict]:
        """The OPD and life-event facets as lists of links (GET, no JavaScript needed)."""
        if self.facets is None:
            return []
        codes = dict(
            Organisation.objects.filter(
                pk__in=[int(f.value) for f in self.facets.organisations]
            ).values_list("pk", "code")
        )
        sections = []
        opd_values = [
            {
                "label": f.label,
                "count": f.count,
                "count_label": _count_label(f.count, not self.facets.exact),
                "current": bool(self.organisation) and str(self.organisation.pk) == f.value,
                "url": _url(**self._params(opd=codes.get(int(f.value), ""))),
            }
            for f in self.facets.organisations
        ]
        if opd_values:
            sections.append(
                {
                    "key": "opd",
                    "title": _("Perangkat daerah"),
                    "values": opd_values[:FACET_VALUES_SHOWN],
                    "more": opd_values[FACET_VALUES_SHOWN:],
                    "clear_url": _url(**self._params(opd="")) if self.organisation else "",
                }
            )
        event_values = [
            {
                "label": f.label,
                "count": f.count,
                "count_label": _count_label(f.count, not self.facets.exact),
                "current": self.event == f.value,
                "url": _url(**self._params(peristiwa=f.value)),
            }
            for f in self.facets.life_events
        ]
        if event_values:
            sections.append(
                {
                    "key": "peristiwa",
                    "title": _("Peristiwa hidup"),
                    "values": event_values,
                    "more": [],
                    "clear_url": _url(**self._params(peristiwa="")) if self.event else "",
                }
            )
        return sections


def _count_label(count: int, more: bool) -> str:
    """'1.000+' for a count that stopped at the search window, else '37'."""
    return f"{angka(count)}+" if more else angka(count)


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    page = SearchPage(request)
    # A new query (not a tab or facet of one already counted) is one search for the usage
    # report; what it fails to find tells the admins what to add (admin list).
    if page.has_words and not page.failed and not page.filtered and not page.selected:
        SearchDay.count(found=bool(page.total))
        if not page.total:
            ZeroResultQuery.record(page.query)
    context = {
        "query": page.query,
        "truncated": page.truncated,
        "max_query_chars": MAX_QUERY_CHARS,
        "has_query": page.has_query,
        "has_words": page.has_words,
        "groups": page.shown_groups(),
        "total": page.total,
        "total_label": _count_label(page.total, page.total_more),
        "tabs": page.tabs(),
        "selected": page.selected,
        "failed": page.failed,
        "corrected": page.corrected,
        "facets": page.facet_links(),
        "filtered": page.filtered,
        "organisation": page.organisation,
        "event_label": page.event_labels.get(page.event, ""),
        "clear_filters_url": _url(q=page.query, jenis=page.selected),
    }
    return render(request, "portal/search.html", context)
