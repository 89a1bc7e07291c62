"""The municipal progress report as data: rows per city, school and class, and weeks."""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from unified_edu.reports._period import Period

__all__ = ["Level", "ProgressReport", "ReportRow", "WeekRow"]


class Level(enum.StrEnum):
    """What a row aggregates."""

    CITY = "city"
    SCHOOL = "school"
    CLASS = "class"


@attrs.frozen(kw_only=True)
class ReportRow:
    """The figures of one scope. Definitions: ``docs/report.md``.

    Attributes:
        median_return_hours: Median hours from turn-in to return, ``None`` if none.
        average_grade_share: Mean of released points / max points (0..1, extra credit
            can exceed 1), ``None`` if nothing was graded and released.
    """

    level: Level
    tenant: str
    provider: str
    school: str
    class_name: str
    class_id: str
    classes_active: int
    teachers_active: int
    students: int
    assignments_posted: int
    submissions_expected: int
    turned_in: int
    on_time: int
    late: int
    missing: int
    excused: int
    graded: int
    returned: int
    median_return_hours: float | None
    average_grade_share: float | None

    @property
    def turn_in_rate(self) -> float | None:
        """Turned in / (expected − excused), ``None`` when nothing was expected."""
        due = self.submissions_expected - self.excused
        return self.turned_in / due if due > 0 else None


@attrs.frozen(kw_only=True)
class WeekRow:
    """Homework posted in one ISO week (``2026-W40``), for the city or a school."""

    level: Level
    school: str
    week: str
    assignments_posted: int


@attrs.frozen(kw_only=True)
class ProgressReport:
    """The whole report: the period, "now", the rows (city first) and weekly postings."""

    period: Period
    as_of: dt.datetime
    rows: tuple[ReportRow, ...]
    weeks: tuple[WeekRow, ...]

    @property
    def city(self) -> ReportRow:
        """The whole city's row."""
        return self.rows[0]

    def schools(self) -> list[ReportRow]:
        """The school rows."""
        return [r for r in self.rows if r.level is Level.SCHOOL]

    def classes(self) -> list[ReportRow]:
        """The class rows."""
        return [r for r in self.rows if r.level is Level.CLASS]
