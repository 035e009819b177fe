# ruff: noqa: S608 -- SQL is built from constant names; values are parameters.
"""PostgreSQL full-text search: core_searchdocument.search_vector, a stored generated tsvector
(title stems weight A, body stems weight D, the 'simple' configuration because the stems are
already Sastrawi's) and title_vector (the title stems alone), each with a GIN index, created by
core's migrations. PostgreSQL keeps the columns current on every write, so this engine has
nothing to maintain. Ranked by ts_rank() (divided by the log of the title's length) times the
popularity boost. The title-only window (core.search_index.MATCH_WINDOW) matches and ranks on
title_vector: its index finds only the title matches, where a weight-A filter on search_vector
would have to read and recheck every match."""

from __future__ import annotations

from ..text import Clause
from .base import TABLE, Match, SearchEngine, popularity_boost

VECTOR = "search_vector"
TITLE_VECTOR = "title_vector"

CREATE_SQL = [
    f"ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS {VECTOR} tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple', title_stems), 'A') || "
    "setweight(to_tsvector('simple', body_stems), 'D')) STORED",
    f"CREATE INDEX IF NOT EXISTS core_searchdoc_vector ON {TABLE} USING GIN ({VECTOR})",
    f"ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS {TITLE_VECTOR} tsvector GENERATED ALWAYS AS ("
    "to_tsvector('simple', title_stems)) STORED",
    f"CREATE INDEX IF NOT EXISTS core_searchdoc_title_vector ON {TABLE} USING GIN ({TITLE_VECTOR})",
]
DROP_SQL = [
    "DROP INDEX IF EXISTS core_searchdoc_title_vector",
    f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS {TITLE_VECTOR}",
    "DROP INDEX IF EXISTS core_searchdoc_vector",
    f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS {VECTOR}",
]


# One document and the words the vocabulary lacks in one statement (data-modifying WITH): one
# round trip and no transaction of its own, where the ORM's upsert and vocabulary insert cost
# four (BEGIN, both INSERTs, COMMIT) and their query compilation, on each new complaint (an
# Open311 create, docs/open311.md). Raw SQL because the ORM cannot chain two INSERTs; the
# columns are SearchDocument's, checked against the ORM path by core/tests/test_search_index.py.
WRITTEN_COLUMNS = (
    "title", "body", "url", "organisation_id", "life_events", "popularity", "visibility",
    "title_stems", "body_stems", "indexed_at",
)  # fmt: skip
UPSERT_SQL = (
    f'INSERT INTO {TABLE} ("kind", "key", {", ".join(f'"{c}"' for c in WRITTEN_COLUMNS)}) '
    f"VALUES ({', '.join(['%s'] * (len(WRITTEN_COLUMNS) + 2))}) "
    'ON CONFLICT ("kind", "key") DO UPDATE SET '
    + ", ".join(f'"{column}" = EXCLUDED."{column}"' for column in WRITTEN_COLUMNS)
    + " RETURNING id"
)
UPSERT_WITH_TERMS_SQL = (
    f"WITH document AS ({UPSERT_SQL}), vocabulary AS ("
    "INSERT INTO core_searchterm (term, length) "
    "SELECT term, char_length(term) FROM unnest(%s::text[]) AS term ON CONFLICT DO NOTHING"
    ") SELECT id FROM document"
)


def ts_query(clauses: list[Clause]) -> str:
    """'(praktik:* | praktek:*) & (dokter:*)'; a phrase becomes 'kartu <-> tanda <-> penduduk:*'.
    Words are [0-9a-z]+ only (core.text.WORD), so they never carry tsquery syntax."""
    parts = []
    for clause in clauses:
        alternatives = [" <-> ".join(phrase) + ":*" for phrase in clause]
        parts.append("(" + " | ".join(alternatives) + ")")
    return " & ".join(parts)


class PostgresEngine(SearchEngine):
    name = "postgresql-fts"

    def match(self, clauses: list[Clause], title_only: bool = False) -> Match:
        query = ts_query(clauses)
        vector = TITLE_VECTOR if title_only else VECTOR
        return Match(
            source=f"{TABLE} d",
            condition=f"d.{vector} @@ to_tsquery('simple', %s)",
            condition_params=[query],
            # Normalised by the title's length, not the whole document's: of two titles with
            # the query's words, the shorter says more precisely what was asked (as bm25 does
            # per column on SQLite). In double precision: ln() of a numeric (what 10.0 is)
            # costs more than ts_rank itself, half the ranking time at 100k documents.
            rank=(
                f"-ts_rank(d.{vector}, to_tsquery('simple', %s), 0) "
                f"/ ln(length(d.title_stems) + 10.0::float8) * {popularity_boost()}"
            ),
            rank_params=[query],
        )

    def write_one(self, row, terms: list[str]) -> bool:
        params = [row.kind, row.key, *(getattr(row, column) for column in WRITTEN_COLUMNS)]
        with self.connection.cursor() as cursor:
            if terms:
                cursor.execute(UPSERT_WITH_TERMS_SQL, [*params, terms])
            else:
                cursor.execute(UPSERT_SQL, params)
            row.pk = cursor.fetchone()[0]
        return True

    def rebuild(self) -> None:
        # The generated columns rebuild themselves; only a database restored without them (a
        # data-only dump) needs them added again. ALTER TABLE is avoided otherwise: it cannot
        # run in a transaction that has just written to the table.
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT COUNT(*) FROM information_schema.columns WHERE table_name = %s "
                "AND column_name IN (%s, %s)",
                [TABLE, VECTOR, TITLE_VECTOR],
            )
            if cursor.fetchone()[0] < 2:
                for statement in CREATE_SQL:
                    cursor.execute(statement)

    def analyze(self) -> None:
        # Without fresh statistics after a bulk load the planner guesses that few documents
        # are public and scans them through the visibility index instead of the GIN index:
        # 0.5 s instead of milliseconds at 100k documents. A rebuild also leaves every old row
        # dead, and the GIN indexes keep pointing at them (and at a pending list of new
        # entries) until autovacuum comes: VACUUM when not inside a transaction (where it
        # cannot run) halves the heap a query reads (100k, loaded host: p95 150 → 52 ms).
        with self.connection.cursor() as cursor:
            if self.connection.in_atomic_block:
                cursor.execute(f"ANALYZE {TABLE}")
            else:
                cursor.execute(f"VACUUM (ANALYZE) {TABLE}")
