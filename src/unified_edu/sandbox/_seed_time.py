"""Europe/Sofia local time for the seeded city, without a time-zone database.

The generator sets every deadline and event in Sofia local time and stores it as an aware
UTC datetime. The EU summer-time rule (UTC+3 from the last Sunday of March 01:00 UTC to
the last Sunday of October 01:00 UTC, else UTC+2) is computed here directly, because
``zoneinfo`` needs the ``tzdata`` package on systems without a zone database and the
SDK does not depend on it. Pure functions; imports nothing from the package.
"""

from __future__ import annotations

import datetime as dt
import functools

__all__ = [
    "DEFAULT_AS_OF",
    "SCHOOL_YEAR_START",
    "TIME_ZONE",
    "sofia_offset",
    "sofia_to_utc",
    "utc_to_sofia",
]

TIME_ZONE = "Europe/Sofia"
SCHOOL_YEAR_START = dt.date(2026, 9, 15)

_STANDARD = dt.timedelta(hours=2)
_SUMMER = dt.timedelta(hours=3)


@functools.cache  # called for every timestamp made; only a few (year, month) pairs exist
def _last_sunday_0100_utc(year: int, month: int) -> dt.datetime:
    """01:00 UTC on the last Sunday of ``month`` (March or October: both have 31 days)."""
    last = dt.date(year, month, 31)
    sunday = last - dt.timedelta(days=(last.weekday() + 1) % 7)
    return dt.datetime(sunday.year, sunday.month, sunday.day, 1, tzinfo=dt.UTC)


def sofia_offset(moment: dt.datetime) -> dt.timedelta:
    """Sofia's UTC offset at an aware instant."""
    utc = moment.astimezone(dt.UTC)
    start = _last_sunday_0100_utc(utc.year, 3)
    end = _last_sunday_0100_utc(utc.year, 10)
    return _SUMMER if start <= utc < end else _STANDARD


def sofia_to_utc(local: dt.datetime) -> dt.datetime:
    """A naive Sofia wall-clock time as an aware UTC datetime.

    An ambiguous time (the repeated hour in October) resolves to the summer-time reading
    and a skipped time (March) to the winter-time reading, as ``zoneinfo`` does with
    ``fold=0``.
    """
    summer = (local - _SUMMER).replace(tzinfo=dt.UTC)
    if sofia_offset(summer) == _SUMMER:
        return summer
    return (local - _STANDARD).replace(tzinfo=dt.UTC)


def utc_to_sofia(moment: dt.datetime) -> dt.datetime:
    """An aware instant as a naive Sofia wall-clock time."""
    utc = moment.astimezone(dt.UTC)
    return (utc + sofia_offset(utc)).replace(tzinfo=None)


#: 2026-11-27 15:00 in Sofia (winter time, UTC+2) = 13:00 UTC.
DEFAULT_AS_OF = sofia_to_utc(dt.datetime(2026, 11, 27, 15, 0))
