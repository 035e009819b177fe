"""What every engine provides (see the package docstring)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..text import Clause

TABLE = "core_searchdocument"

# Popularity raises a document's rank by up to ×2, saturating: 50 recent views or launches give
# ×1.5, so a popular service beats an equally relevant unknown one but never a much better match.
POPULARITY_HALF = 50.0


def popularity_boost(column: str = "d.popularity") -> str:
    return f"(1.0 + {column} / ({column} + {POPULARITY_HALF}))"


@dataclass(frozen=True)
class Match:
    """SQL fragments for one query: `FROM {source} WHERE {condition} ORDER BY {rank}`, each
    with its parameters in that order."""

    source: str
    condition: str
    condition_params: list[Any]
    rank: str
    rank_params: list[Any]


class SearchEngine:
    name = "generic"

    def __init__(self, connection) -> None:
        self.connection = connection

    def match(self, clauses: list[Clause], title_only: bool = False) -> Match:
        """`title_only`: every clause must be found in the title (the first ranking window
        of a query with very many matches, see core.search_index.MATCH_WINDOW)."""
        raise NotImplementedError

    def written(self, ids: list[int]) -> None:
        """SearchDocument rows `ids` were inserted or updated (their stems may have changed)."""

    def write_one(self, row, terms: list[str]) -> bool:
        """Upsert one SearchDocument `row` (matched by kind and key) and add `terms` to the
        vocabulary in one statement, if the engine can; False leaves it to the ORM path."""
        return False

    def deleted(self, ids: list[int]) -> None:
        """SearchDocument rows `ids` are about to be deleted."""

    def rebuild(self) -> None:
        """Make the engine's own structures match core_searchdocument again."""

    def analyze(self) -> None:
        """Refresh the planner's statistics (and on PostgreSQL, outside a transaction, drop the
        dead rows) after a bulk write (a rebuild)."""
