"""Tracking numbers: ADU-yymm-nnnnn, numbered per month (WIB), unique across processes.

On PostgreSQL each month has its own SEQUENCE. `nextval` takes no lock that lasts until the
commit, so concurrent submissions do not queue behind one another; a rolled-back submission
leaves a gap in the month's numbers, which a tracking number can afford.

Elsewhere the month's row in ReferenceCounter is created or incremented with one upsert. Its
row lock lasts until the caller's transaction ends, so submissions take turns there (SQLite takes
turns for every write anyway). On PostgreSQL that lock was what capped Open311 creates per second:
every other submission waited for the holder's remaining statements and its commit.
"""

from __future__ import annotations

import datetime as dt

from django.db import DatabaseError, connection, transaction
from django.db.models.functions import Length
from django.utils import timezone

from .models import ReferenceCounter, Report


def next_reference(now: dt.datetime | None = None) -> str:
    period = timezone.localtime(now or timezone.now()).strftime("%y%m")
    if connection.vendor == "postgresql":
        number = _next_in_sequence(period)
    else:
        number = _next_in_counter(period)
    return f"ADU-{period}-{number:05d}"


# --- PostgreSQL: one sequence per month ----------------------------------------------------------

# One round trip: NULL while the month has no sequence yet. The cast to regclass sits inside the
# CASE so that a missing sequence is not an error (which would abort the caller's transaction).
_SEQUENCE_NEXT = "SELECT CASE WHEN to_regclass(%s) IS NOT NULL THEN nextval(%s::text::regclass) END"
# Another transaction created the month's sequence first: committed (duplicate table) or not yet
# (its catalogue row's unique index makes this one wait, then fail with a unique violation).
_CREATED_ELSEWHERE = {"42P07", "23505"}


def _sequence_name(period: str) -> str:
    if len(period) != 4 or not period.isdigit():
        raise ValueError(f"bad reference period {period!r}")
    return f"complaints_reference_{period}"


def _next_in_sequence(period: str) -> int:
    name = _sequence_name(period)
    for _attempt in range(2):  # the month's first number creates its sequence
        with connection.cursor() as cursor:
            cursor.execute(_SEQUENCE_NEXT, [name, name])
            number = cursor.fetchone()[0]
        if number is not None:
            return number
        _create_sequence(period, name)
    raise RuntimeError(f"sequence {name} vanished after it was created")


def _create_sequence(period: str, name: str) -> None:
    """Create the month's sequence, starting after every number the month has used: those the
    counter table handed out (a database that numbered this month before it had sequences) and
    those its reports carry (reports loaded from a dump arrive without the sequence)."""
    counted = ReferenceCounter.objects.filter(period=period).values_list("last", flat=True)
    prefix = f"ADU-{period}-"
    # The highest number is the longest reference, then the greatest (00042 < 100000).
    highest = (
        Report.objects.filter(reference__startswith=prefix)
        .order_by(Length("reference").desc(), "-reference")
        .values_list("reference", flat=True)
        .first()
    )
    used = int(highest[len(prefix) :]) if highest and highest[len(prefix) :].isdigit() else 0
    start = max(counted.first() or 0, used) + 1
    try:
        # A savepoint: losing the race must not abort the caller's transaction.
        with transaction.atomic(), connection.cursor() as cursor:
            # DDL takes no parameters; both parts are checked above (digits, an int).
            cursor.execute(f"CREATE SEQUENCE {name} START WITH {int(start)}")
    except DatabaseError as exc:
        if getattr(exc.__cause__, "sqlstate", None) not in _CREATED_ELSEWHERE:
            raise


# --- other databases: a counter row per month ----------------------------------------------------

# The month's row is created or incremented in one statement, which locks it exclusively at once.
# (A separate INSERT for the month's first number, then an UPDATE when it lost the race, made
# MariaDB deadlock: each loser held a shared lock on the winner's row and wanted it exclusively.)
_UPSERT = {
    "sqlite": (
        'INSERT INTO "complaints_referencecounter" ("period", "last") VALUES (%s, 1) '
        'ON CONFLICT ("period") DO UPDATE SET "last" = "last" + 1 RETURNING "last"'
    ),
    # MySQL/MariaDB cannot return from it: LAST_INSERT_ID(expr) hands the value to the
    # connection, which the client reads back without a round trip (cursor.lastrowid).
    "mysql": (
        "INSERT INTO `complaints_referencecounter` (`period`, `last`) "
        "VALUES (%s, LAST_INSERT_ID(1)) "
        "ON DUPLICATE KEY UPDATE `last` = LAST_INSERT_ID(`last` + 1)"
    ),
}


def _next_in_counter(period: str) -> int:
    """The month's counter plus one; the row's lock lasts until the caller's transaction ends
    (a failure here fails the caller's change)."""
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT[connection.vendor], [period])
        if connection.vendor == "mysql":
            return cursor.lastrowid
        return cursor.fetchone()[0]
