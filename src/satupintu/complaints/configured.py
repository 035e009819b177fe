"""The complaint configuration that every new report reads, cached per process
(core/configcache.py): active categories by code, active Open311 API keys by prefix, and the
holiday calendar. Imported by the app's ready(), so every process (web, worker, a management
command) invalidates the copies of the others when it changes one of these tables.

Callers get copies of model instances: the cached ones are shared by a process's threads.
"""

from __future__ import annotations

import copy
import datetime as dt

from satupintu.core.configcache import ConfigCache

from .models import ApiKey, Category, Holiday


def _active_categories() -> dict[str, Category]:
    rows = Category.objects.filter(is_active=True).select_related("organisation")
    return {category.code: category for category in rows}


def _active_keys() -> dict[str, ApiKey]:
    return {api_key.prefix: api_key for api_key in ApiKey.objects.filter(is_active=True)}


def _all_holidays() -> frozenset[dt.date]:
    return frozenset(Holiday.objects.values_list("date", flat=True))


# The category carries its organisation (a report's OPD, named in its first update).
_categories = ConfigCache(_active_categories, watch=("complaints.Category", "core.Organisation"))
_keys = ConfigCache(_active_keys, watch=("complaints.ApiKey",))
# A few dozen rows a year, entered by the admin once or twice a year.
_holidays = ConfigCache(_all_holidays, watch=("complaints.Holiday",))


def active_category(code: str) -> Category | None:
    """The active category with this Open311 service_code, its organisation loaded."""
    category = _categories.get().get(code)
    return copy.copy(category) if category is not None else None


def shared_active_key(prefix: str) -> ApiKey | None:
    """The active API key with this prefix: the process's shared instance (keys.verify_key
    records last_used_at on it and hands out a copy)."""
    return _keys.get().get(prefix)


def holidays() -> frozenset[dt.date]:
    return _holidays.get()
