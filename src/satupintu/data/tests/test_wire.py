"""Server text (data/wire.py): a DATE, DATETIME or DECIMAL column taken as the source server's
text is stored exactly as the typed path stores it (driver object → validator → datastore
conversion), including the values the fast column passes cannot take: zero and invalid dates,
fractional seconds, a day on which the zone's offset changes, decimals with an exponent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

from satupintu.data import datastore, wire

JAKARTA = ZoneInfo("Asia/Jakarta")
BERLIN = ZoneInfo("Europe/Berlin")


def typed_dates(texts):
    """What the typed path stores: the driver's date (None for a zero date), isoformat()."""
    stored = datastore.per_value(dt.date.isoformat)
    return stored([wire.date_or_none(t) if t is not None else None for t in texts])


def typed_datetimes(texts, zone):
    values = [wire.datetime_or_none(t) if t is not None else None for t in texts]
    aware = [v if v is None else v.replace(tzinfo=zone) for v in values]
    return datastore.per_value(dt.datetime.isoformat)(aware)


def typed_decimals(texts):
    return datastore.per_value(str)([Decimal(t) if t is not None else None for t in texts])


def test_valid_dates_are_stored_as_they_come():
    texts = ["2025-01-31", "2024-02-29", None, "2025-01-31"]
    assert wire.sqlite_dates(texts) is texts
    assert wire.sqlite_dates(texts) == typed_dates(texts)


def test_zero_and_invalid_dates_become_empty_as_in_the_typed_path():
    texts = ["2025-01-31", "0000-00-00", "2025-02-30", "2025-00-10", None]
    assert wire.sqlite_dates(texts) == typed_dates(texts)
    assert wire.sqlite_dates(texts) == ["2025-01-31", None, None, None, None]


def test_datetimes_get_the_zones_offset():
    texts = ["2025-01-31 07:00:01", "2025-02-01 23:59:59", "2025-01-31 00:00:00"]
    assert wire.sqlite_datetimes(texts, JAKARTA) == [
        "2025-01-31T07:00:01+07:00",
        "2025-02-01T23:59:59+07:00",
        "2025-01-31T00:00:00+07:00",
    ]
    assert wire.sqlite_datetimes(texts, JAKARTA) == typed_datetimes(texts, JAKARTA)
    with_empty = [None, *texts, None]
    assert wire.sqlite_datetimes(with_empty, JAKARTA) == typed_datetimes(with_empty, JAKARTA)


def test_default_zone_is_the_sites():
    texts = ["2025-06-01 12:00:00"]
    zone = timezone.get_default_timezone()
    assert wire.sqlite_datetimes(texts) == typed_datetimes(texts, zone)


def test_datetimes_the_fast_pass_cannot_take_go_value_by_value():
    cases = [
        # Fractional seconds: isoformat drops a zero fraction and pads a short one.
        ["2025-01-31 07:00:01.000000", "2025-01-31 07:00:01.5", "2025-01-31 07:00:01.123456"],
        # Zero and invalid dates mean no value.
        ["0000-00-00 00:00:00", "2025-01-31 07:00:01", "2025-02-30 10:00:00"],
        [None, None],
    ]
    for texts in cases:
        assert wire.sqlite_datetimes(texts, JAKARTA) == typed_datetimes(texts, JAKARTA), texts


def test_days_with_another_offset_or_an_offset_change():
    # Summer and winter time in one batch, and the night the clocks go forward.
    texts = ["2025-01-15 12:00:00", "2025-07-15 12:00:00", "2025-03-30 03:30:00"]
    assert wire.sqlite_datetimes(texts, BERLIN) == typed_datetimes(texts, BERLIN)
    assert wire.sqlite_datetimes(texts, BERLIN)[:2] == [
        "2025-01-15T12:00:00+01:00",
        "2025-07-15T12:00:00+02:00",
    ]
    one_day = ["2025-03-30 01:00:00", "2025-03-30 04:00:00"]
    assert wire.sqlite_datetimes(one_day, BERLIN) == typed_datetimes(one_day, BERLIN)


def test_decimals_are_their_own_text_except_with_an_exponent():
    plain = ["1234.50", "-0.50", "0.000001", "12345678901234567890.1234567890", None]
    assert wire.sqlite_decimals(plain) is plain
    assert wire.sqlite_decimals(plain) == typed_decimals(plain)
    tiny = ["0.0000001000", "0.0000000000", "-0.0000000123", "0.000000", "5.00", None]
    assert wire.sqlite_decimals(tiny) == typed_decimals(tiny)
    assert wire.sqlite_decimals(tiny)[:2] == ["1.000E-7", "0E-10"]


def test_column_max_is_the_typed_maximum():
    assert wire.column_max(["2025-01-02 00:00:00", None, "2025-01-10 08:00:00"], "datetime") == (
        dt.datetime(2025, 1, 10, 8)
    )
    assert wire.column_max(["2025-01-02", "0000-00-00"], "date") == dt.date(2025, 1, 2)
    # Decimals do not sort as text.
    assert wire.column_max(["9.50", "10.25", None], "decimal") == Decimal("10.25")
    assert wire.column_max([None, None], "date") is None
    # The largest text is an invalid date: the largest valid one.
    assert wire.column_max(["2025-02-30", "2025-02-01"], "date") == dt.date(2025, 2, 1)
