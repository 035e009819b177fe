"""Highlighted titles and snippets for search results, with the query's words in <mark>.

The engines index Sastrawi stems, so their own highlighters (FTS5 snippet(), PostgreSQL
ts_headline()) would mark stems or miss "perizinan" for the query "izin". Here each word of the
original text is stemmed like the index does and marked when its stem matches a query word (a
prefix, as in the search); everything else is HTML-escaped, so <mark> is the only markup that
reaches the page (the standard library's html.escape: the same five characters as Django's
escape(), a few times faster for the hundreds of pieces a page has).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape

from django.utils.safestring import SafeString, mark_safe

from .text import Clause, stem

WORD = re.compile(r"[0-9a-z]+", re.IGNORECASE)
SNIPPET_WORDS = 22


def matcher(clauses: list[Clause]) -> Callable[[str], bool]:
    """Whether a word (its stem) answers one of the query's words."""
    prefixes = tuple({word for clause in clauses for phrase in clause for word in phrase})
    seen: dict[str, bool] = {}  # a page's snippets repeat their words

    def matches(word: str) -> bool:
        if word not in seen:
            seen[word] = bool(prefixes) and stem(word.lower()).startswith(prefixes)
        return seen[word]

    return matches


def _marked(text: str, matches: Callable[[str], bool]) -> list[tuple[int, int, bool]]:
    return [(m.start(), m.end(), matches(m.group())) for m in WORD.finditer(text)]


def _render(text: str, words: list[tuple[int, int, bool]], start: int, end: int) -> str:
    out, cursor = [], start
    for word_start, word_end, hit in words:
        if word_start < start or word_end > end or not hit:
            continue
        out.append(escape(text[cursor:word_start]))
        out.append(f"<mark>{escape(text[word_start:word_end])}</mark>")
        cursor = word_end
    out.append(escape(text[cursor:end]))
    return "".join(out)


def highlight(text: str, matches: Callable[[str], bool]) -> SafeString:
    text = text or ""
    return mark_safe(_render(text, _marked(text, matches), 0, len(text)))  # noqa: S308


def snippet(text: str, matches: Callable[[str], bool], size: int = SNIPPET_WORDS) -> SafeString:
    """The `size`-word window of `text` with the most matching words (the opening when none
    match), with an ellipsis where the text was cut."""
    text = " ".join((text or "").split())
    words = _marked(text, matches)
    if not words:
        return mark_safe(escape(text[:200]))  # noqa: S308
    best, best_hits, hits = 0, -1, 0
    flags = [hit for _s, _e, hit in words]
    for index in range(len(words)):
        hits += flags[index]
        if index >= size:
            hits -= flags[index - size]
        first = max(0, index - size + 1)
        if hits > best_hits:
            best, best_hits = first, hits
    window = words[best : best + size]
    start = 0 if best == 0 else window[0][0]
    end = len(text) if best + size >= len(words) else window[-1][1]
    html = _render(text, window, start, end)
    if start > 0:
        html = "… " + html
    if end < len(text):
        html += " …"
    return mark_safe(html)  # noqa: S308
