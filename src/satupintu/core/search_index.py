# ruff: noqa: S608 -- SQL is built from constant names and engine fragments; values are parameters.
"""The shared search index: what apps write into it and how a query reads it.

Writing: an app turns each searchable row into a `Document` and calls `index()` when the row
is saved and `remove()` when it is deleted (or no longer searchable); `rebuild()` (`manage.py
rebuild_search_index`) re-reads every registered SearchIndexSource.

Reading: `Search(query, user)` normalises the query (Sastrawi stems, synonym expansion),
matches it through the database's engine (core/search_engines), corrects misspelt words
against the index's vocabulary when nothing matches, and answers counts per facet (kind, OPD,
life event) and ranked, highlighted hits. Visibility mirrors core.scoping.for_user.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connections, transaction
from django.utils import timezone
from django.utils.safestring import SafeString

from . import configcache, search_snippets, text
from .configcache import ConfigCache
from .models import Organisation, SearchDocument, SearchSynonym, SearchTerm
from .registry import registry
from .roles import REGENCY_READER_ROLES, Role
from .search_engines import engine_for
from .search_engines.base import TABLE

Visibility = SearchDocument.Visibility
# A misspelt word is corrected only when it is this long and this close to a known stem.
MIN_CORRECTABLE = 4
CORRECTION_CUTOFF = 0.75
TERM_MAX = 64
# Past this many matches a query is a common word at a large index (31k documents say "kartu
# keluarga" at 100k): its counts stop at the window ("1.000+": facets from the first MATCH_WINDOW
# matches, each count asked is exact up to it) and its best hits are first looked for among the
# documents with every query word in their title (the title weighs ten times the body, so they
# are the best ones). Reading and ranking every match would grow with the index.
MATCH_WINDOW = 1000
WRITE_BATCH = 1000


@dataclass(frozen=True)
class Document:
    kind: str
    key: str
    title: str
    url: str
    body: str = ""
    organisation_id: int | None = None
    life_events: tuple[str, ...] = ()
    popularity: float = 0.0
    visibility: str = Visibility.PUBLIC


def visibility_for_status(status: str, public: Iterable[str], reviewable: Iterable[str]) -> str:
    """The index visibility of a Publishable row (PUBLIC_STATUSES, REVIEWABLE_STATUSES)."""
    if status in public:
        return Visibility.PUBLIC
    if status in reviewable:
        return Visibility.REVIEW
    return Visibility.PRIVATE


def _row(document: Document) -> SearchDocument:
    return SearchDocument(
        kind=document.kind,
        key=str(document.key),
        title=document.title[:300],
        body=document.body,
        url=document.url,
        organisation_id=document.organisation_id,
        life_events="," + ",".join(document.life_events) + "," if document.life_events else "",
        popularity=document.popularity,
        visibility=document.visibility,
        title_stems=text.stems_text(document.title),
        body_stems=text.stems_text(document.body),
    )


def index(documents: Iterable[Document]) -> int:
    """Insert or replace these documents (matched by kind and key); returns how many."""
    rows = [_row(document) for document in documents]
    if not rows:
        return 0
    engine = engine_for()
    known, new = _unknown_terms(rows)
    if len(rows) == 1:
        # One document (a saved row, e.g. each new complaint): in one statement where the
        # engine can (PostgreSQL), with no transaction of its own.
        rows[0].indexed_at = timezone.now()  # auto_now, as the ORM's upsert sets it
        if engine.write_one(rows[0], new):
            if new:
                transaction.on_commit(lambda: _remember(known, new))
            return 1
    # MariaDB/MySQL upsert on any unique key and refuse a named target.
    target = (
        {"unique_fields": ["kind", "key"]}
        if connections["default"].features.supports_update_conflicts_with_target
        else {}
    )
    with transaction.atomic():
        for start in range(0, len(rows), WRITE_BATCH):
            batch = rows[start : start + WRITE_BATCH]
            SearchDocument.objects.bulk_create(
                batch,
                update_conflicts=True,
                **target,
                update_fields=[
                    "title", "body", "url", "organisation", "life_events", "popularity",
                    "visibility", "title_stems", "body_stems", "indexed_at",
                ],
            )  # fmt: skip
            engine.written(_written_ids(batch))
        _add_vocabulary(known, new)
    return len(rows)


def _written_ids(batch: list[SearchDocument]) -> list[int]:
    """The ids of upserted rows: as the upsert returned them (PostgreSQL, SQLite, MariaDB),
    else (MySQL, which returns none from an upsert) read back by kind and key."""
    if all(row.pk is not None for row in batch):
        return [row.pk for row in batch]
    keys: dict[str, list[str]] = {}
    for row in batch:
        keys.setdefault(row.kind, []).append(row.key)
    ids: list[int] = []
    for kind, kind_keys in keys.items():
        ids.extend(
            SearchDocument.objects.filter(kind=kind, key__in=kind_keys).values_list("pk", flat=True)
        )
    return ids


# The terms this process has seen committed to the vocabulary, so indexing one new document
# (each new complaint) inserts only the words the vocabulary may lack: documents repeat the same
# few thousand words. Per process, dropped on any change of core/configcache.py's token, which
# rebuild() (the only delete of vocabulary rows) replaces; bounded in size.
_known_terms = ConfigCache(set, watch=())
KNOWN_TERMS_MAX = 200_000


def _unknown_terms(rows: list[SearchDocument]) -> tuple[set[str], list[str]]:
    """This process's known terms, and the words of `rows` not among them."""
    terms: set[str] = set()
    for row in rows:
        terms.update(row.title_stems.split())
        terms.update(row.body_stems.split())
    known = _known_terms.get()
    return known, [t for t in terms if len(t) <= TERM_MAX and t not in known]


def _add_vocabulary(known: set[str], new: list[str]) -> None:
    """Insert the words `new` (from _unknown_terms) into the vocabulary."""
    if not new:
        return
    SearchTerm.objects.bulk_create(
        [SearchTerm(term=t, length=len(t)) for t in new],
        ignore_conflicts=True,
        batch_size=WRITE_BATCH,
    )
    # Remembered once committed: a rolled-back insert left the words out of the vocabulary.
    transaction.on_commit(lambda: _remember(known, new))


def _remember(known: set[str], terms: list[str]) -> None:
    if len(known) + len(terms) > KNOWN_TERMS_MAX:
        known.clear()
    known.update(terms)


def remove(kind: str, keys: Iterable[str]) -> int:
    keys = [str(key) for key in keys]
    with transaction.atomic():
        documents = SearchDocument.objects.filter(kind=kind, key__in=keys)
        ids = list(documents.values_list("pk", flat=True))
        if not ids:
            return 0
        engine_for().deleted(ids)
        documents.delete()
    return len(ids)


def rebuild(kinds: Iterable[str] | None = None) -> dict[str, int]:
    """Re-index every registered source (or only `kinds`) from scratch; returns counts."""
    sources = registry.sorted_search_index_sources()
    if kinds is not None:
        wanted = set(kinds)
        sources = [s for s in sources if s.kind in wanted]
    counts = {}
    with transaction.atomic():
        for source in sources:
            ids = list(SearchDocument.objects.filter(kind=source.kind).values_list("pk", flat=True))
            engine_for().deleted(ids)
            SearchDocument.objects.filter(kind=source.kind).delete()
            counts[source.kind] = index(source.documents())
        if kinds is None:
            # Documents of kinds no app registers any more, and words nothing contains.
            SearchDocument.objects.exclude(kind__in=[s.kind for s in sources]).delete()
            SearchTerm.objects.all().delete()
            # Every process forgets the words it knew were in the vocabulary.
            configcache.changed()
            documents = list(SearchDocument.objects.only("title_stems", "body_stems"))
            _add_vocabulary(*_unknown_terms(documents))
            engine_for().rebuild()
    engine_for().analyze()  # after the commit: PostgreSQL's VACUUM runs outside a transaction
    return counts


def refresh_popularity() -> int:
    """Copy each source's recent-use numbers onto its documents; returns the rows changed."""
    changed = 0
    for source in registry.sorted_search_index_sources():
        if source.popularity is None:
            continue
        numbers = source.popularity()
        stale = SearchDocument.objects.filter(kind=source.kind).exclude(
            key__in=[str(k) for k in numbers]
        )
        changed += stale.exclude(popularity=0).update(popularity=0)
        for key, value in numbers.items():
            changed += (
                SearchDocument.objects.filter(kind=source.kind, key=str(key))
                .exclude(popularity=value)
                .update(popularity=value)
            )
    return changed


# --- reading -----------------------------------------------------------------------------------


def _visibility_sql(user) -> tuple[str, list]:
    """The documents `user` may find, as SQL over the alias d (core.scoping.for_user's rules)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return "d.visibility = %s", [Visibility.PUBLIC]
    if user.is_superuser or user.has_role(Role.PLATFORM_ADMIN):
        return "1 = 1", []
    conditions, params = ["d.visibility = %s"], [Visibility.PUBLIC]
    if user.roles & REGENCY_READER_ROLES:
        conditions.append("d.visibility = %s")
        params.append(Visibility.REVIEW)
    own = list(user.organisation_ids_with_descendants())
    if own:
        conditions.append(f"d.organisation_id IN ({','.join(['%s'] * len(own))})")
        params.extend(own)
    return "(" + " OR ".join(conditions) + ")", params


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int


@dataclass
class Facets:
    kinds: list[FacetValue] = field(default_factory=list)
    organisations: list[FacetValue] = field(default_factory=list)
    life_events: list[FacetValue] = field(default_factory=list)
    # False past MATCH_WINDOW matches: the counts are of the first MATCH_WINDOW, lower bounds.
    exact: bool = True


@dataclass(frozen=True)
class Hit:
    kind: str
    key: str
    url: str
    title: SafeString
    snippet: SafeString
    organisation_id: int | None
    life_events: tuple[str, ...]
    score: float


class Search:
    """One query as `user` sees it. `all_visible=True` skips the visibility filter, for callers
    that scope the rows themselves (a list page's queryset)."""

    def __init__(self, query: str, user=None, *, all_visible: bool = False) -> None:
        self.query = query
        self.groups = SearchSynonym.groups()
        self.clauses = text.query_clauses(query, self.groups)
        self.corrected: str | None = None
        self.engine = engine_for()
        self.visibility = ("1 = 1", []) if all_visible else _visibility_sql(user)
        self.rows: list[tuple[str, int | None, str, int]] = []
        self.counts: dict[tuple, int] = {}
        if not self.clauses:
            return
        self.rows = self._facet_rows()
        if not self.rows:
            corrected = self._correction()
            if corrected:
                self.clauses = text.query_clauses(corrected, self.groups)
                rows = self._facet_rows()
                if rows:
                    self.corrected, self.rows = corrected, rows

    # -- SQL ---------------------------------------------------------------------------------

    def _where(
        self, kind=None, organisation_id=None, life_event=None, title_only: bool = False
    ) -> tuple[str, list, object]:
        match = self.engine.match(self.clauses, title_only)
        visible, visible_params = self.visibility
        conditions = [match.condition, visible]
        params = [*match.condition_params, *visible_params]
        if kind:
            conditions.append("d.kind = %s")
            params.append(kind)
        if organisation_id:
            conditions.append("d.organisation_id = %s")
            params.append(organisation_id)
        if life_event:
            conditions.append("d.life_events LIKE %s")
            params.append(f"%,{life_event},%")
        return " AND ".join(conditions), params, match

    def _facet_rows(self) -> list[tuple[str, int | None, str, int]]:
        """(kind, OPD, life events, count) of the first MATCH_WINDOW matches."""
        where, params, match = self._where()
        sql = (
            "SELECT kind, organisation_id, life_events, COUNT(*) FROM ("
            f"SELECT d.kind AS kind, d.organisation_id AS organisation_id, "
            f"d.life_events AS life_events FROM {match.source} WHERE {where} LIMIT %s"
            ") first_matches GROUP BY kind, organisation_id, life_events"
        )
        with connections["default"].cursor() as cursor:
            cursor.execute(sql, [*params, MATCH_WINDOW])
            return list(cursor.fetchall())

    def _window_count(self, kind, organisation_id, life_event) -> int:
        """The matches under this selection, counted up to MATCH_WINDOW."""
        where, params, match = self._where(kind, organisation_id, life_event)
        sql = (
            f"SELECT COUNT(*) FROM (SELECT 1 FROM {match.source} WHERE {where} LIMIT %s) "
            "first_matches"
        )
        with connections["default"].cursor() as cursor:
            cursor.execute(sql, [*params, MATCH_WINDOW])
            return cursor.fetchone()[0]

    def _correction(self) -> str | None:
        """The query with each unknown word replaced by the closest stem of the vocabulary
        ("praktk" → "praktik"), or None when no word needs or has a correction."""
        fixed, changed = [], False
        for clause in self.clauses:
            phrase = clause[0]
            word = phrase[-1]
            if len(clause) > 1 or len(phrase) > 1 or len(word) < MIN_CORRECTABLE:
                fixed.append(" ".join(phrase))
                continue
            if SearchTerm.objects.filter(term__startswith=word).exists():
                fixed.append(word)
                continue
            # Most typos keep the first letter: those candidates first (a tenth of the
            # vocabulary), then the rest.
            similar = SearchTerm.objects.filter(
                length__gte=len(word) - 2, length__lte=len(word) + 2
            ).values_list("term", flat=True)
            close = difflib.get_close_matches(
                word, list(similar.filter(term__startswith=word[0])), n=1, cutoff=CORRECTION_CUTOFF
            ) or difflib.get_close_matches(
                word, list(similar.exclude(term__startswith=word[0])), n=1, cutoff=CORRECTION_CUTOFF
            )
            if not close:
                return None
            fixed.append(close[0])
            changed = True
        return " ".join(fixed) if changed else None

    # -- answers -----------------------------------------------------------------------------

    @property
    def windowed(self) -> bool:
        """True when the query has more matches than MATCH_WINDOW (facets are lower bounds)."""
        return sum(row[3] for row in self.rows) >= MATCH_WINDOW

    def count(self, kind=None, organisation_id=None, life_event=None) -> int:
        """The matches under this selection: exact below MATCH_WINDOW, else MATCH_WINDOW."""
        counted = sum(
            n
            for row_kind, org, events, n in self.rows
            if (not kind or row_kind == kind)
            and (not organisation_id or org == organisation_id)
            and (not life_event or f",{life_event}," in events)
        )
        if not self.windowed or counted >= MATCH_WINDOW:
            return counted
        # The first matches are no sample of the others (another kind or OPD may come after
        # them all): a selection they do not fill is counted by itself, up to the window too.
        selection = (kind, organisation_id, life_event)
        if selection not in self.counts:
            self.counts[selection] = self._window_count(*selection)
        return self.counts[selection]

    def exact(self, kind=None, organisation_id=None, life_event=None) -> bool:
        """Whether count() is every match of this selection (else "at least")."""
        return self.count(kind, organisation_id, life_event) < MATCH_WINDOW

    def facets(self, kind=None, organisation_id=None, life_event=None, event_labels=None) -> Facets:
        """Counts per value of each facet under the other facets' selections (so choosing an
        OPD still shows how many results every kind has within it)."""
        kinds: Counter = Counter()
        organisations: Counter = Counter()
        events: Counter = Counter()
        for row_kind, org, row_events, n in self.rows:
            in_kind = not kind or row_kind == kind
            in_org = not organisation_id or org == organisation_id
            in_event = not life_event or f",{life_event}," in row_events
            if in_org and in_event:
                kinds[row_kind] += n
            if in_kind and in_event and org:
                organisations[org] += n
            if in_kind and in_org:
                for code in filter(None, row_events.split(",")):
                    events[code] += n
        labels = {
            source.kind: str(source.label) for source in registry.sorted_search_index_sources()
        }
        names = dict(
            Organisation.objects.filter(pk__in=list(organisations)).values_list("pk", "name")
        )
        event_labels = event_labels or {}
        by_count = lambda pair: (-pair[1], pair[0])  # noqa: E731
        return Facets(
            kinds=[
                FacetValue(k, labels.get(k, k), n) for k, n in sorted(kinds.items(), key=by_count)
            ],
            organisations=sorted(
                (FacetValue(str(pk), names.get(pk, str(pk)), n) for pk, n in organisations.items()),
                key=lambda f: (-f.count, f.label),
            ),
            life_events=[
                FacetValue(code, str(event_labels.get(code, code)), n)
                for code, n in sorted(events.items(), key=by_count)
                if not event_labels or code in event_labels
            ],
            exact=not self.windowed,
        )

    def hits(
        self, kind=None, organisation_id=None, life_event=None, limit: int = 20, offset: int = 0
    ) -> list[Hit]:
        if not self.rows:
            return []
        ranked = []
        if not self.exact(kind, organisation_id, life_event):
            ranked = self._ranked(kind, organisation_id, life_event, limit, offset, True)
            if len(ranked) < limit:
                ranked = []
        if not ranked:
            ranked = self._ranked(kind, organisation_id, life_event, limit, offset, False)
        matches = search_snippets.matcher(self.clauses)
        hits = []
        for kind_, key, url, title, body, organisation_id, life_events, score in ranked:
            hits.append(
                Hit(
                    kind=kind_,
                    key=key,
                    url=url,
                    title=search_snippets.highlight(title, matches),
                    snippet=search_snippets.snippet(body, matches),
                    organisation_id=organisation_id,
                    life_events=tuple(code for code in life_events.split(",") if code),
                    score=float(score),
                )
            )
        return hits

    def _ranked(self, kind, organisation_id, life_event, limit, offset, title_only) -> list:
        where, params, match = self._where(kind, organisation_id, life_event, title_only)
        # The shown rows come with the ranking query: no second round trip for them.
        sql = (
            f"SELECT d.kind, d.key, d.url, d.title, d.body, d.organisation_id, d.life_events, "
            f"{match.rank} AS score FROM {match.source} WHERE {where} "
            f"ORDER BY score, d.title, d.id LIMIT %s OFFSET %s"
        )
        with connections["default"].cursor() as cursor:
            cursor.execute(sql, [*match.rank_params, *params, limit, offset])
            return cursor.fetchall()

    def keys(self, kind: str) -> list[str]:
        """Every matching key of `kind`, best first (for list pages that page themselves)."""
        if not self.rows:
            return []
        where, params, match = self._where(kind)
        sql = (
            f"SELECT d.key, {match.rank} AS score FROM {match.source} WHERE {where} "
            f"ORDER BY score, d.title, d.id"
        )
        with connections["default"].cursor() as cursor:
            cursor.execute(sql, [*match.rank_params, *params])
            return [key for key, _score in cursor.fetchall()]


__all__ = [
    "TABLE",
    "Document",
    "FacetValue",
    "Facets",
    "Hit",
    "Search",
    "index",
    "rebuild",
    "refresh_popularity",
    "remove",
    "visibility_for_status",
]
