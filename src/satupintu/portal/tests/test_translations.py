"""The English catalogue: the compiled .mo (committed, so a fresh machine needs no gettext) must
say what the .po says, and nothing in it may be left fuzzy (gettext ignores fuzzy entries)."""

from __future__ import annotations

import ast
import gettext
from pathlib import Path

from django.conf import settings

LOCALE = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"


def read_po(path: Path) -> list[dict]:
    """A small .po reader: msgctxt, msgid, msgid_plural, msgstr and msgstr[n], with flags."""
    entries, entry, key, flags = [], {}, None, set()

    def flush() -> None:
        nonlocal entry, flags
        if "msgid" in entry:
            entry["flags"] = flags
            entries.append(entry)
        entry, flags = {}, set()

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            flush()
            key = None
        elif line.startswith("#,"):
            flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[key] += ast.literal_eval(line)
        else:
            key, _, value = line.partition(" ")
            entry[key] = ast.literal_eval(value)
    flush()
    return entries


def test_compiled_catalogue_matches_the_po_file():
    catalogue = gettext.GNUTranslations((LOCALE / "django.mo").open("rb"))
    entries = [e for e in read_po(LOCALE / "django.po") if e["msgid"]]
    assert len(entries) > 500
    for entry in entries:
        msgid, context = entry["msgid"], entry.get("msgctxt")
        if "msgid_plural" in entry:
            for n, form in ((1, "msgstr[0]"), (2, "msgstr[1]")):
                got = (
                    catalogue.npgettext(context, msgid, entry["msgid_plural"], n)
                    if context
                    else catalogue.ngettext(msgid, entry["msgid_plural"], n)
                )
                assert got == entry[form], f"{msgid!r}: the .mo is out of date (run msgfmt)"
        elif entry["msgstr"]:
            got = catalogue.pgettext(context, msgid) if context else catalogue.gettext(msgid)
            assert got == entry["msgstr"], f"{msgid!r}: the .mo is out of date (run msgfmt)"


def test_no_fuzzy_or_placeholder_mismatch():
    import re

    placeholder = re.compile(r"%\(\w+\)[sd]")
    for entry in read_po(LOCALE / "django.po"):
        if not entry["msgid"]:
            continue
        assert "fuzzy" not in entry["flags"], entry["msgid"]
        translations = [v for k, v in entry.items() if k.startswith("msgstr") and v]
        for text in translations:
            assert sorted(placeholder.findall(text)) == sorted(
                placeholder.findall(entry["msgid"])
            ), f"placeholders differ: {entry['msgid']!r} → {text!r}"
