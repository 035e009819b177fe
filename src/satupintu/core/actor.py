"""Who is acting right now, for the change log.

The request middleware sets the signed-in user for the duration of a request; tasks and
management commands wrap their work in `acting_as(user, via="...")`.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Actor:
    user: Any = None  # a User, or None for the system itself
    via: str = ""  # "web", "api", "task:<name>", "command:<name>"
    ip: str | None = None


SYSTEM = Actor(via="system")
_current: ContextVar[Actor] = ContextVar("satupintu_actor", default=SYSTEM)


def current_actor() -> Actor:
    return _current.get()


@contextmanager
def acting_as(user=None, via: str = "", ip: str | None = None):
    token = _current.set(
        Actor(user=user if getattr(user, "is_authenticated", False) else None, via=via, ip=ip)
    )
    try:
        yield
    finally:
        _current.reset(token)
