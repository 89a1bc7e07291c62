"""Instants and deadlines in the city's time zone, and their text forms.

The model keeps instants in UTC and a date-only deadline as a ``date``; views show
them in the city's zone. This module must not import any platform client.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from unified_edu.reports._period import end_of_local_day

__all__ = ["Due", "due_instant", "iso", "local", "local_due"]

Due = dt.datetime | dt.date | None


def local(value: dt.datetime | None, zone: ZoneInfo) -> dt.datetime | None:
    """An aware instant in ``zone`` (``None`` stays ``None``)."""
    return value.astimezone(zone) if value is not None else None


def local_due(value: Due, zone: ZoneInfo) -> Due:
    """A deadline in ``zone``: an instant converted, a date-only deadline kept a date."""
    if isinstance(value, dt.datetime):
        return value.astimezone(zone)
    return value


def due_instant(value: Due, zone: ZoneInfo) -> dt.datetime | None:
    """The instant a deadline passes: a date-only deadline ends with that local day."""
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return end_of_local_day(value, zone)
    return None


def iso(value: Due) -> str | None:
    """ISO 8601 text: ``2026-11-21T23:59+02:00`` for an instant, ``2026-11-21`` for a date."""
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    return None
