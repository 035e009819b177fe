"""PostgreSQL full-text search: core_searchdocument.search_vector, a stored generated tsvector
(title stems weight A, body stems weight D, the 'simple' configuration because the stems are
already Sastrawi's) with a GIN index, both created by core's migration. PostgreSQL keeps the
column current on every write, so this engine has nothing to maintain. Ranked by ts_rank()
(divided by the log of the title's length) times the popularity boost."""

from __future__ import annotations

from ..text import Clause
from .base import TABLE, Match, SearchEngine, popularity_boost

VECTOR = "search_vector"

CREATE_SQL = [
    f"ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS {VECTOR} tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple', title_stems), 'A') || "
    "setweight(to_tsvector('simple', body_stems), 'D')) STORED",
    f"CREATE INDEX IF NOT EXISTS core_searchdoc_vector ON {TABLE} USING GIN ({VECTOR})",
]
DROP_SQL = [
    "DROP INDEX IF EXISTS core_searchdoc_vector",
    f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS {VECTOR}",
]


def ts_query(clauses: list[Clause], title_only: bool = False) -> str:
    """'(praktik:* | praktek:*) & (dokter:*)'; a phrase becomes 'kartu <-> tanda <-> penduduk:*'.
    Words are [0-9a-z]+ only (core.text.WORD), so they never carry tsquery syntax."""
    parts = []
    for clause in clauses:
        # ":*A" is a prefix found with weight A, i.e. in the title.
        suffix = ":*A" if title_only else ":*"
        alternatives = [" <-> ".join(phrase) + suffix for phrase in clause]
        parts.append("(" + " | ".join(alternatives) + ")")
    return " & ".join(parts)


class PostgresEngine(SearchEngine):
    name = "postgresql-fts"

    def match(self, clauses: list[Clause], title_only: bool = False) -> Match:
        query = ts_query(clauses, title_only)
        return Match(
            source=f"{TABLE} d",
            condition=f"d.{VECTOR} @@ to_tsquery('simple', %s)",
            condition_params=[query],
            # Normalised by the title's length, not the whole document's: of two titles with
            # the query's words, the shorter says more precisely what was asked (as bm25 does
            # per column on SQLite).
            rank=(
                f"-ts_rank(d.{VECTOR}, to_tsquery('simple', %s), 0) "
                f"/ ln(10.0 + length(d.title_stems)) * {popularity_boost()}"
            ),
            rank_params=[query],
        )

    def rebuild(self) -> None:
        # The generated column rebuilds itself; only a database restored without it (a
        # data-only dump) needs it added again. ALTER TABLE is avoided otherwise: it cannot
        # run in a transaction that has just written to the table.
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM information_schema.columns WHERE table_name = %s "
                "AND column_name = %s",
                [TABLE, VECTOR],
            )
            if cursor.fetchone() is None:
                for statement in CREATE_SQL:
                    cursor.execute(statement)

    def analyze(self) -> None:
        # Without fresh statistics after a bulk load the planner guesses that few documents
        # are public and scans them through the visibility index instead of the GIN index:
        # 0.5 s instead of milliseconds at 100k documents.
        with self.connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {TABLE}")
