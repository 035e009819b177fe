"""The README and docs stay true to the code: the demo accounts table matches what `load_demo`
creates, every `make` target they mention exists, and every relative link leads to a file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from satupintu.core.demo.accounts import ACCOUNTS, DEMO_PASSWORD
from satupintu.core.roles import Role

PROJECT_DIR = Path(__file__).resolve().parent.parent
README = PROJECT_DIR / "README.md"
DOCS = sorted([README, *(PROJECT_DIR / "docs").rglob("*.md")])


def readme_account_rows() -> dict[str, str]:
    """username -> the whole table row, from the README's demo-accounts table."""
    rows = {}
    for line in README.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\| `([a-z0-9_.-]+)` \|", line)
        if match:
            rows[match.group(1)] = line
    return rows


def test_readme_lists_exactly_the_demo_accounts_with_their_roles():
    rows = readme_account_rows()
    assert set(rows) == {account.username for account in ACCOUNTS}
    for account in ACCOUNTS:
        assert str(Role(account.role).label) in rows[account.username], account.username
        assert account.full_name.split(" —")[0].split(",")[0] in rows[account.username]


def test_readme_gives_the_demo_password():
    assert f"`{DEMO_PASSWORD}`" in README.read_text(encoding="utf-8")


def makefile_targets() -> set[str]:
    text = (PROJECT_DIR / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([a-z][a-z-]*):", text, flags=re.MULTILINE))


@pytest.mark.parametrize("document", DOCS, ids=lambda path: str(path.relative_to(PROJECT_DIR)))
def test_make_targets_mentioned_in_the_docs_exist(document: Path):
    mentioned = set(re.findall(r"`make ([a-z][a-z-]*)", document.read_text(encoding="utf-8")))
    assert mentioned <= makefile_targets(), sorted(mentioned - makefile_targets())


@pytest.mark.parametrize("document", DOCS, ids=lambda path: str(path.relative_to(PROJECT_DIR)))
def test_relative_links_in_the_docs_lead_to_files(document: Path):
    text = document.read_text(encoding="utf-8")
    broken = []
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
        if re.match(r"^[a-z]+:", target):  # http:, https:, mailto:
            continue
        if not (document.parent / target).exists():
            broken.append(target)
    assert not broken, broken
