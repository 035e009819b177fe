# ruff: noqa: S608 -- SQL is built from constant names and engine fragments; values are parameters.
"""SQLite FTS5: a full-text table core_searchdocument_fts (title_stems, body_stems) whose rowid
is the document's id, kept in step by this engine (not by triggers: Django rebuilds a SQLite
table on some ALTERs and drops its triggers). Ranked by bm25() with the title weighing ten
times the body, times the popularity boost."""

from __future__ import annotations

from ..text import Clause
from .base import TABLE, Match, SearchEngine, popularity_boost

FTS_TABLE = "core_searchdocument_fts"
TITLE_WEIGHT = 10.0
BATCH = 500

CREATE_SQL = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
    "title_stems, body_stems, tokenize='unicode61', prefix='2 3')"
)
DROP_SQL = f"DROP TABLE IF EXISTS {FTS_TABLE}"


def fts_query(clauses: list[Clause]) -> str:
    """'("praktik"* OR "praktek"*) AND ("dokter"*)': every word a quoted prefix string, so
    FTS5 operators (AND, NEAR, -, :, ^) typed by a person are never operators here."""
    parts = []
    for clause in clauses:
        alternatives = ['"' + " ".join(phrase) + '"*' for phrase in clause]
        parts.append("(" + " OR ".join(alternatives) + ")")
    return " AND ".join(parts)


class Fts5Engine(SearchEngine):
    name = "sqlite-fts5"

    def match(self, clauses: list[Clause], title_only: bool = False) -> Match:
        query = fts_query(clauses)
        return Match(
            # CROSS JOIN makes SQLite read the full-text matches first, then each one's row:
            # left to choose, it may walk every public document through the visibility index
            # and run the MATCH once per document (25 s at 100k with a LIMIT).
            source=f"{FTS_TABLE} CROSS JOIN {TABLE} d ON d.id = {FTS_TABLE}.rowid",
            condition=f"{FTS_TABLE} MATCH %s",
            condition_params=["{title_stems}: (" + query + ")" if title_only else query],
            rank=f"bm25({FTS_TABLE}, {TITLE_WEIGHT}, 1.0) * {popularity_boost()}",
            rank_params=[],
        )

    def written(self, ids: list[int]) -> None:
        with self.connection.cursor() as cursor:
            for start in range(0, len(ids), BATCH):
                batch = ids[start : start + BATCH]
                marks = ",".join(["%s"] * len(batch))
                cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({marks})", batch)
                cursor.execute(
                    f"INSERT INTO {FTS_TABLE} (rowid, title_stems, body_stems) "
                    f"SELECT id, title_stems, body_stems FROM {TABLE} WHERE id IN ({marks})",
                    batch,
                )

    def deleted(self, ids: list[int]) -> None:
        with self.connection.cursor() as cursor:
            for start in range(0, len(ids), BATCH):
                batch = ids[start : start + BATCH]
                marks = ",".join(["%s"] * len(batch))
                cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({marks})", batch)

    def rebuild(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(DROP_SQL)
            cursor.execute(CREATE_SQL)
            cursor.execute(
                f"INSERT INTO {FTS_TABLE} (rowid, title_stems, body_stems) "
                f"SELECT id, title_stems, body_stems FROM {TABLE}"
            )
