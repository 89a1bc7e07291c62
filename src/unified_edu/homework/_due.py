"""Deadlines: what a teacher types, in the city's zone, and what each platform stores.

Owns three things: reading a local date-time or date typed on the command line
(:func:`parse_local_due`, :func:`parse_due_date`), the instant each platform stores for
a deadline (:func:`stored_due`), and comparing a stored deadline with one read back
(:func:`same_due`), which is half of the "is this homework already there?" rule.

A date-only deadline has no instant on either platform. The backends turn it into the
end of that day in the city's zone, each by its platform's own convention: 23:59 on
Classroom (what its web UI shows for "no time"), 23:59:59 on Graph. :data:`DATE_ONLY_TIME`
repeats those conventions so that a plan can show, before any write, the exact UTC
instant each platform will store; ``tests/homework`` checks the table against the
backends. The homework is then sent with that instant, so what is stored is what the
plan showed, whatever the backend's default.

This module must not import any platform client.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from types import MappingProxyType
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from unified_edu.errors import ConfigurationError, ValidationError

__all__ = [
    "DATE_ONLY_TIME",
    "parse_due_date",
    "parse_local_due",
    "same_due",
    "stored_due",
    "zone_of",
]

#: Local time of day at which a date-only deadline ends, per provider name.
DATE_ONLY_TIME: Mapping[str, dt.time] = MappingProxyType(
    {"google": dt.time(23, 59), "microsoft": dt.time(23, 59, 59)}
)

_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S")


def zone_of(time_zone: str) -> ZoneInfo:
    """The zone named ``time_zone``.

    Raises:
        ConfigurationError: for an unknown zone.
    """
    try:
        return ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigurationError(f"unknown time zone {time_zone!r}", field="time_zone") from exc


def parse_local_due(text: str, time_zone: str) -> dt.datetime:
    """A deadline typed as local wall-clock time, as an aware UTC datetime.

    Args:
        text: ``"2026-12-04 23:59"`` (a ``T`` instead of the space and seconds are
            accepted); a text with an explicit offset (``"2026-12-04T23:59+02:00"``)
            is taken as it says.
        time_zone: The city's IANA zone, in which a text without an offset is read.

    Raises:
        ValidationError: for an unreadable text, or a wall-clock time that does not
            exist (clocks go forward) or exists twice (clocks go back) in the zone.
    """
    raw = text.strip()
    zone = zone_of(time_zone)
    for pattern in _FORMATS:
        try:
            naive = dt.datetime.strptime(raw, pattern)
        except ValueError:
            continue
        return _localize(naive, zone, time_zone).astimezone(dt.UTC)
    try:
        explicit = dt.datetime.fromisoformat(raw)
    except ValueError:
        explicit = None
    if explicit is not None and explicit.utcoffset() is not None:
        return explicit.astimezone(dt.UTC)
    raise ValidationError(
        f"cannot read the deadline {text!r}: write it as YYYY-MM-DD HH:MM in {time_zone}",
        field="due",
    )


def _localize(naive: dt.datetime, zone: ZoneInfo, name: str) -> dt.datetime:
    first = naive.replace(tzinfo=zone, fold=0)
    second = naive.replace(tzinfo=zone, fold=1)
    if first.utcoffset() != second.utcoffset():
        round_trip = first.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None)
        if round_trip != naive:
            raise ValidationError(
                f"{naive:%Y-%m-%d %H:%M} does not exist in {name} (the clocks go forward "
                "then); choose another time",
                field="due",
            )
        raise ValidationError(
            f"{naive:%Y-%m-%d %H:%M} happens twice in {name} (the clocks go back then); "
            "choose another time or give an offset (e.g. 2026-10-25T03:30+03:00)",
            field="due",
        )
    return first


def parse_due_date(text: str) -> dt.date:
    """A date-only deadline, ``YYYY-MM-DD``.

    Raises:
        ValidationError: for anything else.
    """
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(
            f"cannot read the date {text!r}: write it as YYYY-MM-DD", field="due"
        ) from None


def stored_due(
    provider: str, due: dt.datetime | dt.date | None, time_zone: str
) -> dt.datetime | dt.date | None:
    """The deadline as ``provider``'s platform stores it.

    An aware datetime becomes UTC, to the whole second (neither platform keeps less).
    A date becomes the platform's end of that day in ``time_zone``, in UTC; for a
    provider without a known convention the date is returned unchanged.
    """
    if due is None:
        return None
    if isinstance(due, dt.datetime):
        return due.astimezone(dt.UTC).replace(microsecond=0)
    end = DATE_ONLY_TIME.get(provider)
    if end is None:
        return due
    return dt.datetime.combine(due, end, tzinfo=zone_of(time_zone)).astimezone(dt.UTC)


def same_due(
    expected: dt.datetime | dt.date | None,
    found: dt.datetime | dt.date | None,
    *,
    time_zone: str,
) -> bool:
    """True when a deadline read back is the one :func:`stored_due` computed.

    Instants are compared to the second. A date read back stands for midnight UTC
    (Classroom reads a deadline whose UTC time is 00:00 as date-only). An expected date
    (a provider without a known convention) matches any instant on that local day.
    """
    if expected is None or found is None:
        return expected is None and found is None
    if isinstance(expected, dt.datetime):
        if not isinstance(found, dt.datetime):
            found = dt.datetime.combine(found, dt.time(0), tzinfo=dt.UTC)
        return found.astimezone(dt.UTC).replace(microsecond=0) == expected
    if isinstance(found, dt.datetime):
        return found.astimezone(zone_of(time_zone)).date() == expected
    return found == expected
