"""The search index's engines: one interface, chosen by the database vendor.

- `sqlite`: an FTS5 table beside core_searchdocument, ranked by bm25() (the embedded default);
- `postgresql`: a generated tsvector column with a GIN index, ranked by ts_rank() (production);
- `generic`: LIKE on the stored stems (MariaDB/MySQL), ranked by title hits.

Every engine sees the same input: clauses of stems (core.text.query_clauses) whose words are
[0-9a-z]+ only, so no user character ever reaches an FTS query string; values go in as
parameters. Each returns a SQL FROM, a match condition and a rank expression (lower is better)
over the alias `d` for core_searchdocument; core.search_index builds the queries around them.
"""

from __future__ import annotations

from django.db import connections

from .base import SearchEngine
from .generic import GenericEngine
from .postgresql import PostgresEngine
from .sqlite import Fts5Engine

ENGINES: dict[str, type[SearchEngine]] = {
    "sqlite": Fts5Engine,
    "postgresql": PostgresEngine,
}


def engine_for(alias: str = "default") -> SearchEngine:
    connection = connections[alias]
    return ENGINES.get(connection.vendor, GenericEngine)(connection)


__all__ = ["ENGINES", "Fts5Engine", "GenericEngine", "PostgresEngine", "SearchEngine", "engine_for"]
