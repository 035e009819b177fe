"""Dates, datetimes and decimals taken as the source server's own text ("server text").

A MariaDB table read with mysqlclient can hand DATE, DATETIME/TIMESTAMP and DECIMAL columns over
as the text the server sends ("2025-01-31", "2025-01-31 07:00:01", "1234.50") instead of Python
objects. For a SQLite datastore that text is almost exactly what is stored (ISO dates, decimal
text), so parsing each value into an object and formatting it back (two Python-level steps per
value, most of a large sync's time) can be skipped. This module turns such a column into exactly
what the typed path stores, with checks over the whole column or its distinct values at C speed,
and falls back to the typed conversion value by value for anything that is not already in the
stored form: zero and invalid dates (stored empty, as the typed path does), fractional seconds,
a day on which the time zone's offset changes, decimals whose text Python writes with an exponent.

The sync only uses server text when nothing else looks at the values as objects: the columns
have no checks (required, range, allowed values), their dictionary type is the server's type,
and they are not part of the row key (see sync._server_text_positions).
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import operator
from collections.abc import Callable, Sequence
from decimal import Decimal

from django.utils import timezone

from .datastore import has_none, per_value

_DAY = operator.itemgetter(slice(0, 10))
# filter() with this keeps the values that are not None, in C.
_PRESENT = functools.partial(operator.is_not, None)
# Decimal text whose str(Decimal) uses an exponent: magnitude below 1e-6 ("0.0000001" → "1E-7")
# or a zero with seven or more decimals ("0E-10"). Other decimal text is its own str().
_EXPONENT_PREFIXES = ("0.000000", "-0.000000")
# "YYYY-MM-DD HH:MM:SS": datetimes without fractional seconds (the stored ISO form drops a zero
# fraction and pads a short one, so other lengths go through the typed path).
_DATETIME_LENGTH = 19


def datetime_or_none(text: str):
    """mysqlclient's DATETIME/TIMESTAMP conversion as the sync configures it (C fromisoformat);
    MySQL's zero dates ("0000-00-00 00:00:00") and other invalid ones mean no value."""
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return None


def date_or_none(text: str):
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _stored_date(text: str) -> str | None:
    value = date_or_none(text)
    return None if value is None else value.isoformat()


def sqlite_dates(column: Sequence) -> Sequence:
    """DATE text as the SQLite datastore stores a date: unchanged when every distinct value is
    a valid ISO date (the usual case, checked once per distinct value), else converted value by
    value (an invalid or zero date becomes empty, like the typed path)."""
    distinct = set(column)
    distinct.discard(None)
    odd = {text for text in distinct if _stored_date(text) != text}
    if not odd:
        return column
    return [_stored_date(value) if value in odd else value for value in column]


def _stored_datetime(text: str, zone) -> str | None:
    value = datetime_or_none(text)
    if value is None:
        return None
    return value.replace(tzinfo=zone).isoformat()


def _day_offset(day: str, zone) -> str | None:
    """The zone's UTC offset ("+07:00") that holds for the whole local day, None when the day
    is not a valid date or the offset changes on it (daylight saving, a zone's history)."""
    start = date_or_none(day)
    if start is None:
        return None
    midnight = dt.datetime.combine(start, dt.time(), tzinfo=zone)
    offset = midnight.utcoffset()
    if (midnight + dt.timedelta(days=1)).utcoffset() != offset:
        return None
    return midnight.isoformat()[19:]


def sqlite_datetimes(column: Sequence, zone=None) -> Sequence:
    """DATETIME text ("2025-01-31 07:00:01", local time of the default zone, as the typed path
    reads it) as the SQLite datastore stores an aware datetime ("2025-01-31T07:00:01+07:00").
    When every value has whole seconds and the batch's days share one offset, that is two string
    operations mapped over the column; otherwise value by value through datetime."""
    zone = zone or timezone.get_default_timezone()
    values = list(filter(_PRESENT, column))
    if not values:
        return column
    offsets = {_day_offset(day, zone) for day in set(map(_DAY, values))}
    if len(offsets) == 1 and None not in offsets and set(map(len, values)) == {_DATETIME_LENGTH}:
        suffix = offsets.pop()
        if len(values) == len(column):
            spaced = map(str.replace, column, itertools.repeat(" "), itertools.repeat("T"))
            return list(map(operator.add, spaced, itertools.repeat(suffix)))
        return [None if value is None else value.replace(" ", "T") + suffix for value in column]
    return per_value(lambda text: _stored_datetime(text, zone))(column)


def sqlite_decimals(column: Sequence) -> Sequence:
    """DECIMAL text as the SQLite datastore stores a decimal (str of the Decimal): the text
    itself, except for the rare values Python writes with an exponent."""
    values = column if not has_none(column) else list(filter(_PRESENT, column))
    if not any(map(str.startswith, values, itertools.repeat(_EXPONENT_PREFIXES))):
        return column
    return per_value(lambda text: str(Decimal(text)))(column)


SQLITE_CONVERTERS = {
    "date": sqlite_dates,
    "datetime": sqlite_datetimes,
    "decimal": sqlite_decimals,
}
# The converters that can turn a value into None (zero and invalid dates).
MAY_EMPTY = frozenset({sqlite_dates, sqlite_datetimes})


def parse(type_: str) -> Callable:
    """The typed value of server text of `type_`, as the typed path's driver gives it."""
    return {"date": date_or_none, "datetime": datetime_or_none, "decimal": Decimal}[type_]


def column_max(values: Sequence, type_: str):
    """The largest typed value of a server-text column (the sync's cursor), None when it has
    none. ISO dates and datetimes of one column sort as text, so only the largest is parsed."""
    present = list(filter(_PRESENT, values))
    if not present:
        return None
    if type_ == "decimal":
        return max(map(Decimal, present))
    top = parse(type_)(max(present))
    if top is not None:
        return top
    # The largest text is not a valid date (a server allowing invalid dates): parse them all.
    parsed = [value for value in map(parse(type_), present) if value is not None]
    return max(parsed) if parsed else None
