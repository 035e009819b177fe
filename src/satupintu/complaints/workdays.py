"""Working days: Monday to Friday, minus the holidays and collective leave (cuti bersama) the
admin enters in `Holiday`. Deadlines of complaints are counted in working days, as in
SP4N-LAPOR! (e.g. 3 working days to respond, 10 to complete)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from . import configured

# Far enough for any deadline (120 working days is the largest a category allows) plus
# a long run of holidays.
_LOOKAHEAD_DAYS = 400


def holidays_between(start: dt.date, end: dt.date) -> set[dt.date]:
    # The calendar is cached per process (configured.py): every new report reads it.
    return {day for day in configured.holidays() if start <= day <= end}


def is_working_day(day: dt.date, holidays: set[dt.date] | None = None) -> bool:
    if day.weekday() >= 5:
        return False
    if holidays is None:
        holidays = holidays_between(day, day)
    return day not in holidays


def add_working_days(start: dt.datetime, days: int) -> dt.datetime:
    """The end (23:59:59 local time) of the `days`-th working day after `start`'s local date.

    A report sent on Friday evening with 3 working days is due at the end of Wednesday; one
    sent on Saturday also at the end of Wednesday (Monday is the first working day after it).
    """
    return add_working_days_each(start, days)[0]


def add_working_days_each(start: dt.datetime, *days: int) -> tuple[dt.datetime, ...]:
    """add_working_days for several counts from one start, reading the holidays once (a new
    report's response and completion deadlines: one query, not two)."""
    if any(count < 0 for count in days):
        raise ValueError("days must be zero or more")
    local = timezone.localtime(start)
    first = local.date()
    holidays = holidays_between(first, first + dt.timedelta(days=_LOOKAHEAD_DAYS))
    ends = []
    for count in days:
        day, counted = first, 0
        while counted < count:
            day += dt.timedelta(days=1)
            if is_working_day(day, holidays):
                counted += 1
        end_of_day = dt.datetime.combine(day, dt.time(23, 59, 59))
        ends.append(timezone.make_aware(end_of_day, local.tzinfo))
    return tuple(ends)


def working_days_between(start: dt.datetime, end: dt.datetime) -> int:
    """Whole working days from `start`'s local date (exclusive) to `end`'s (inclusive); 0 when
    `end` is on the same day or earlier. Used for performance figures."""
    first = timezone.localtime(start).date()
    last = timezone.localtime(end).date()
    if last <= first:
        return 0
    holidays = holidays_between(first, last)
    count = 0
    day = first
    while day < last:
        day += dt.timedelta(days=1)
        if is_working_day(day, holidays):
            count += 1
    return count
