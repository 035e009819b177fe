"""Any other database (MariaDB, MySQL): LIKE '% stem%' on the stored stems, which hold a
space before every stem, so a pattern matches a whole-word prefix. No index helps a leading
wildcard: fine for a regency's few thousand documents, and the reason production runs on
PostgreSQL. Ranked by the number of clauses found in the title, times the popularity boost."""

from __future__ import annotations

from ..text import Clause
from .base import TABLE, Match, SearchEngine, popularity_boost


def _pattern(phrase: tuple[str, ...]) -> str:
    # Words are [0-9a-z]+ only: no LIKE wildcard can come from the query.
    return "% " + " ".join(phrase) + "%"


class GenericEngine(SearchEngine):
    name = "like"

    def match(self, clauses: list[Clause], title_only: bool = False) -> Match:
        conditions, condition_params = [], []
        title_hits, rank_params = [], []
        for clause in clauses:
            alternatives, in_title = [], []
            for phrase in clause:
                if title_only:
                    alternatives.append("d.title_stems LIKE %s")
                    condition_params.append(_pattern(phrase))
                else:
                    alternatives.append("d.title_stems LIKE %s OR d.body_stems LIKE %s")
                    condition_params.extend([_pattern(phrase), _pattern(phrase)])
                in_title.append("d.title_stems LIKE %s")
                rank_params.append(_pattern(phrase))
            conditions.append("(" + " OR ".join(alternatives) + ")")
            title_hits.append("CASE WHEN " + " OR ".join(in_title) + " THEN 1 ELSE 0 END")
        return Match(
            source=f"{TABLE} d",
            condition=" AND ".join(conditions),
            condition_params=condition_params,
            rank=f"-(1 + {' + '.join(title_hits)}) * {popularity_boost()}",
            rank_params=rank_params,
        )
