"""Per-process copies of rarely changing rows that hot paths read on every request (complaint
categories, Open311 API keys, holidays, webhook subscriptions), kept true across processes.

    _categories = ConfigCache(load_categories, watch=("complaints.Category", "core.Organisation"))
    category = _categories.get().get(code)

Each `ConfigCache` holds one value computed by its `load()` (typically every active row of a
small table, as a dict) next to the *version token* it was loaded under. The token lives in the
shared cache (Redis in production, the file cache on one machine), so every web process and
worker sees the same one:

- a save or delete of a watched model (its post_save/post_delete signals; call `changed()`
  after a queryset `update()`, `bulk_create()` or raw SQL on one) clears this process's copies
  and, once the transaction commits, replaces the token: every other process reloads on its
  next read;
- a read compares the stored token with the copy's and reloads on a difference. Within one
  request the token is read once (reset by `request_started`), so a request costs one cache
  round trip however many lookups it makes; outside a request (a task, a command) every read
  checks it;
- a thread whose transaction has written a watched table reads the database directly until
  the transaction ends (it must see its own uncommitted change, and must not keep it in the
  process's copy: the transaction may still roll back).

The token is read *before* the rows, so a copy loaded while another process commits a change
is stored under the old token and dropped on the next read. Tokens are random (not a counter):
a token lost from the cache is replaced by a new one rather than restarted at a value a stale
copy may hold. One token serves every ConfigCache: these tables change a few times a year.

Two safety nets: a copy is reloaded after `MAX_AGE` seconds whatever the token says (a write
that bypassed the signals, a token update lost while the cache was down), and when the shared
cache cannot be reached every read goes to the database (slower, never stale).
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable

from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import post_delete, post_migrate, post_save

TOKEN_KEY = "satupintu:configcache:token"  # noqa: S105 (a cache key, not a secret)
MAX_AGE = 60.0  # seconds

logger = logging.getLogger(__name__)
_clock = time.monotonic


class _ThreadState(threading.local):
    in_request = False
    request_token: str | None = None  # the token this request has read, once read
    dirty = False  # this thread's transaction wrote a watched table


_state = _ThreadState()
_caches: list[ConfigCache] = []


def current_token() -> str:
    if _state.in_request and _state.request_token is not None:
        return _state.request_token
    token = cache.get(TOKEN_KEY)
    if token is None:
        # Lost (evicted, cache cleared) or never set: a new random token, so no copy made
        # under an earlier one is taken as current; `add` lets one process win a race.
        token = uuid.uuid4().hex
        if not cache.add(TOKEN_KEY, token, timeout=None):
            token = cache.get(TOKEN_KEY) or token
    if _state.in_request:
        _state.request_token = token
    return token


def _bypassed() -> bool:
    """Whether this thread must read the database directly (see the module docstring)."""
    if not _state.dirty:
        return False
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return True
    _state.dirty = False  # the writing transaction has ended (committed or rolled back)
    return False


def _clear_local() -> None:
    for config_cache in _caches:
        config_cache.clear()


def _committed() -> None:
    _clear_local()
    try:
        cache.set(TOKEN_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:  # the change is committed: report, never fail the caller
        logger.exception("configcache: the new token could not be stored; copies age out")
    _state.request_token = None
    # Run inside an enclosing transaction (a test's, with on-commit callbacks captured), the
    # writes are not committed yet: keep reading the database until that one ends too.
    if not connections[DEFAULT_DB_ALIAS].in_atomic_block:
        _state.dirty = False


def changed(using: str = DEFAULT_DB_ALIAS) -> None:
    """A watched table was written: drop this process's copies now and every process's once
    the transaction commits."""
    _clear_local()
    if connections[using].in_atomic_block:
        _state.dirty = True
        transaction.on_commit(_committed, using=using)
    else:
        _committed()


def reset() -> None:
    """Forget every copy and the token (after `migrate` or `flush`, which write tables
    without model signals)."""
    _clear_local()
    try:
        cache.delete(TOKEN_KEY)
    except Exception:  # migrate must not depend on the cache being up
        logger.exception("configcache: the token could not be dropped; copies age out")
    _state.request_token = None
    _state.dirty = False


def _on_model_change(sender, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    changed(using)


def _on_request_started(**kwargs) -> None:
    _state.in_request, _state.request_token = True, None


def _on_request_finished(**kwargs) -> None:
    _state.in_request, _state.request_token = False, None


def _on_migrate(**kwargs) -> None:
    reset()


request_started.connect(_on_request_started, dispatch_uid="configcache-request-started")
request_finished.connect(_on_request_finished, dispatch_uid="configcache-request-finished")
post_migrate.connect(_on_migrate, dispatch_uid="configcache-migrate")


class ConfigCache[T]:
    """One value computed by `load()` from the models named in `watch` ("app_label.Model"),
    kept per process. The value is shared by the threads of the process: treat it as read-only
    (hand out copies of model instances a caller may change)."""

    def __init__(self, load: Callable[[], T], *, watch: tuple[str, ...]) -> None:
        self._load = load
        self._entry: tuple[str, float, T] | None = None  # token, loaded at (_clock), value
        for label in watch:
            uid = f"configcache-{label}"
            post_save.connect(_on_model_change, sender=label, weak=False, dispatch_uid=uid)
            post_delete.connect(_on_model_change, sender=label, weak=False, dispatch_uid=uid)
        _caches.append(self)

    def get(self) -> T:
        if _bypassed():
            return self._load()
        try:
            token = current_token()
        except Exception:  # no shared cache: the database is the truth
            logger.warning("configcache: the shared cache is unreachable; reading the database")
            return self._load()
        entry = self._entry
        now = _clock()
        if entry is not None and entry[0] == token and now - entry[1] < MAX_AGE:
            return entry[2]
        value = self._load()
        self._entry = (token, now, value)
        return value

    def clear(self) -> None:
        self._entry = None
