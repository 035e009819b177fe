"""Indonesian text normalisation for the catalogue's search.

Documents and queries go through the same steps, so they meet in the middle:
lower case → words only → Sastrawi stem of each word ("perizinan" → "izin", "kelahiran" →
"lahir") → synonym groups folded onto their first member ("praktek" → "praktik", "ktp" →
"kartu tanda penduduk"). Stems are cached: the vocabulary of a regency's services is small.
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

# Words too short or too common for the stemmer to improve; Sastrawi also leaves acronyms alone.
_stemmer = StemmerFactory().create_stemmer()


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    if len(word) <= 3 or word.isdigit():
        return word
    return _stemmer.stem(word) or word


def words(text: str) -> list[str]:
    return [stem(w) for w in WORD.findall((text or "").lower())]


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
    """The distinct meaningful stems of a query, in order."""
    seen: dict[str, None] = {}
    for token in normalise(text, groups):
        if token not in QUERY_STOPWORDS:
            seen.setdefault(token, None)
    return list(seen)
