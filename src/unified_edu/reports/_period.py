"""Reporting periods in the city's time zone.

A period is a closed range of local dates. Instants are compared in the city's zone, so
homework due at 00:30 in Sofia on 1 October counts on 1 October even though it is still
30 September in UTC. A date-only deadline ends at the end of that local day.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import attrs

from unified_edu.errors import ValidationError

__all__ = ["Period", "end_of_local_day", "school_year"]

#: Bulgarian school years start on 15 September; a reporting year runs 1 Sep – 31 Aug.
SCHOOL_YEAR_FIRST_MONTH = 9


@attrs.frozen(kw_only=True)
class Period:
    """A closed range of local dates ``[start, end]`` in ``time_zone``."""

    start: dt.date
    end: dt.date
    time_zone: str = "Europe/Sofia"

    def __attrs_post_init__(self) -> None:
        if self.end < self.start:
            raise ValidationError(
                f"the period ends ({self.end}) before it starts ({self.start})", field="end"
            )
        try:
            ZoneInfo(self.time_zone)
        except (KeyError, ValueError) as exc:
            raise ValidationError(
                f"unknown time zone {self.time_zone!r}", field="time_zone"
            ) from exc

    @property
    def zone(self) -> ZoneInfo:
        """The period's zone."""
        return ZoneInfo(self.time_zone)

    @property
    def starts_at(self) -> dt.datetime:
        """The first instant of the period (aware, UTC)."""
        return dt.datetime.combine(self.start, dt.time.min, self.zone).astimezone(dt.UTC)

    @property
    def ends_at(self) -> dt.datetime:
        """The first instant after the period (aware, UTC)."""
        nxt = self.end + dt.timedelta(days=1)
        return dt.datetime.combine(nxt, dt.time.min, self.zone).astimezone(dt.UTC)

    def contains(self, when: dt.datetime | None) -> bool:
        """True when the instant ``when`` falls inside the period."""
        return when is not None and self.starts_at <= when < self.ends_at

    def local_date(self, when: dt.datetime) -> dt.date:
        """The local calendar date of an instant."""
        return when.astimezone(self.zone).date()

    def label(self) -> str:
        """``2026-09-01..2027-08-31``."""
        return f"{self.start.isoformat()}..{self.end.isoformat()}"


def school_year(today: dt.date, time_zone: str = "Europe/Sofia") -> Period:
    """The school year containing ``today``: 1 September to 31 August."""
    first_year = today.year if today.month >= SCHOOL_YEAR_FIRST_MONTH else today.year - 1
    return Period(
        start=dt.date(first_year, SCHOOL_YEAR_FIRST_MONTH, 1),
        end=dt.date(first_year + 1, SCHOOL_YEAR_FIRST_MONTH - 1, 31),
        time_zone=time_zone,
    )


def end_of_local_day(day: dt.date, zone: ZoneInfo) -> dt.datetime:
    """The first instant after local day ``day`` (a date-only deadline's end), in UTC."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, zone).astimezone(dt.UTC)
