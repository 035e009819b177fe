"""Indonesian text normalisation for search, shared by every app.

Documents and queries go through the same steps, so they meet in the middle:
lower case → words only → Sastrawi stem of each word ("perizinan" → "izin", "kelahiran" →
"lahir"). Synonyms ("praktek" ↔ "praktik", "ktp" ↔ "kartu tanda penduduk") are expanded in the
query only (`query_clauses`), so an admin's edit of the synonym list takes effect at once,
without re-indexing. Stems are cached: a regency's vocabulary is small.
"""

from __future__ import annotations

import re
from functools import lru_cache

from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

WORD = re.compile(r"[0-9a-z]+")

# Words people type around what they want ("cara mengurus izin") that say nothing about it.
# Compared after stemming ("mengurus" → "urus").
QUERY_STOPWORDS = frozenset(
    {
        "cara", "urus", "buat", "bikin", "mau", "ingin", "yang", "di", "ke", "dari", "dan",
        "atau", "untuk", "bagaimana", "apa", "saya", "mohon", "tolong", "gimana", "dengan",
    }
)  # fmt: skip

# A query is what a person types; past this many meaningful words it is pasted text, and an
# AND of all of them finds nothing anyway.
MAX_QUERY_CLAUSES = 12

_stemmer = StemmerFactory().create_stemmer()

# A phrase: one or more stems that must follow each other ("kartu tanda penduduk").
Phrase = tuple[str, ...]
# A clause: the phrases of which one must match (a word and its synonyms).
Clause = list[Phrase]


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    # Words of three letters or fewer and numbers gain nothing from the stemmer; Sastrawi also
    # leaves acronyms alone.
    if len(word) <= 3 or word.isdigit():
        return word
    return _stemmer.stem(word) or word


def words(text: str) -> list[str]:
    return [stem(w) for w in WORD.findall((text or "").lower())]


def stems_text(text: str) -> str:
    """The stems of `text` between single spaces, with a space at each end, as stored in the
    search index (the ends let a LIKE '% stem%' match a whole-word prefix)."""
    return " " + " ".join(words(text)) + " "


def fold_synonyms(tokens: list[str], groups: list[list[list[str]]]) -> list[str]:
    """Replace every occurrence of a group member (a phrase of stems) by the group's first
    member. Longer phrases are tried first so "surat izin praktik" wins over "izin"."""
    replacements: list[tuple[list[str], list[str]]] = []
    for group in groups:
        canonical = group[0]
        replacements.extend((member, canonical) for member in group[1:] if member)
    replacements.sort(key=lambda pair: -len(pair[0]))
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for member, canonical in replacements:
            if tokens[i : i + len(member)] == member:
                out.extend(canonical)
                i += len(member)
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


def normalise(text: str, groups: list[list[list[str]]]) -> list[str]:
    return fold_synonyms(words(text), groups)


def query_terms(text: str, groups: list[list[list[str]]]) -> list[str]:
    """The distinct meaningful stems of a query with synonyms folded, in order."""
    seen: dict[str, None] = {}
    for token in normalise(text, groups):
        if token not in QUERY_STOPWORDS:
            seen.setdefault(token, None)
    return list(seen)


def query_clauses(text: str, groups: list[list[list[str]]]) -> list[Clause]:
    """What a query asks for: one clause per meaningful word or synonym phrase, each clause the
    alternatives of which a document must contain one.

    "praktek dokter" with the group (praktik, praktek) → [[("praktik",), ("praktek",)],
    [("dokter",)]]; "ktp" with (ktp, kartu tanda penduduk) → [[("ktp",), ("kartu", "tanda",
    "penduduk")]]. Longer members are matched first, so "surat izin praktik" is one clause.
    """
    members: list[tuple[Phrase, int]] = []
    for index, group in enumerate(groups):
        members.extend((tuple(member), index) for member in group if member)
    members.sort(key=lambda pair: -len(pair[0]))
    tokens = words(text)
    clauses: list[Clause] = []
    seen: set[tuple[Phrase, ...]] = set()
    i = 0
    while i < len(tokens) and len(clauses) < MAX_QUERY_CLAUSES:
        for phrase, index in members:
            if tuple(tokens[i : i + len(phrase)]) == phrase:
                alternatives = list(dict.fromkeys(tuple(m) for m in groups[index] if m))
                i += len(phrase)
                break
        else:
            token = tokens[i]
            i += 1
            if token in QUERY_STOPWORDS:
                continue
            alternatives = [(token,)]
        key = tuple(sorted(alternatives))
        if key not in seen:
            seen.add(key)
            clauses.append(alternatives)
    return clauses
