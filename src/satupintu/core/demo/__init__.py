"""Demo content: the regency of Ogan Komering Ulu, its agencies, districts, villages and one
account per role, loaded by `manage.py load_demo`.

Core's own steps run first (regions, organisations, accounts); apps add theirs with
`registry.add_demo_loader(name, load, order)` (order >= 100 runs after core). Every step gets
the shared `context` dict:

- `context["organisations"]`: {code: Organisation} of every demo organisation;
- `context["users"]`: {username: User} of every demo account;
- `context["account_rows"]`: (username, role, organisation, password) rows for the table.

and must be idempotent: a second run changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from ..registry import DemoLoader, registry
from .accounts import ACCOUNTS, DEMO_PASSWORD, load_accounts
from .common import DemoError, Tally, upsert
from .organisations import load_organisations
from .regions import load_regions

CORE_LOADERS = [
    DemoLoader("regions", load_regions, order=10),
    DemoLoader("organisations", load_organisations, order=20),
    DemoLoader("accounts", load_accounts, order=30),
]

__all__ = [
    "ACCOUNTS",
    "CORE_LOADERS",
    "DEMO_PASSWORD",
    "DemoError",
    "Tally",
    "demo_loaders",
    "run_demo",
    "upsert",
]


def demo_loaders() -> list[DemoLoader]:
    """Core's steps and every app's registered step, in the order they run."""
    return sorted([*CORE_LOADERS, *registry.demo_loaders.values()], key=lambda d: (d.order, d.name))


def run_demo(report: Callable[[str, object], None] | None = None) -> dict:
    """Run every demo step in order; `report(name, result)` is called after each. Returns the
    shared context. The caller wraps this in a transaction and an actor (see load_demo)."""
    context: dict = {}
    for loader in demo_loaders():
        result = loader.load(context)
        if report is not None:
            report(loader.name, result)
    return context
