"""Timestamps and ``submissionHistory`` entries in Classroom's JSON.

Seeded submissions keep their city record and render their history only when asked
(building ~100,000 history entries at start-up would cost seconds); entries added through
the API are rendered when they happen. Both use the builders here.

This module must not import any platform client.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from unified_edu.sandbox._city import CityWork

__all__ = ["grade_entry", "seeded_history", "state_entry", "timestamp"]


def timestamp(value: dt.datetime) -> str:
    """RFC 3339 UTC with milliseconds and ``Z`` (``2026-01-02T03:04:05.123Z``)."""
    if value.tzinfo is dt.UTC:
        # What the general path writes, without its conversions (listings render
        # several timestamps per submission, and isoformat with a timespec is slow).
        return "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ" % (  # noqa: UP031 - the fast form
            value.year,
            value.month,
            value.day,
            value.hour,
            value.minute,
            value.second,
            value.microsecond // 1000,
        )
    text = value.astimezone(dt.UTC).isoformat(timespec="milliseconds")
    return text.removesuffix("+00:00") + "Z"


def state_entry(state: str, when: dt.datetime, actor: str) -> dict[str, Any]:
    """A ``SubmissionHistory`` with a ``stateHistory``."""
    return {
        "stateHistory": {"state": state, "stateTimestamp": timestamp(when), "actorUserId": actor}
    }


def grade_entry(
    kind: str, when: dt.datetime, actor: str, *, points: float | None, max_points: float | None
) -> dict[str, Any]:
    """A ``SubmissionHistory`` with a ``gradeHistory`` (unset numbers left out)."""
    entry: dict[str, Any] = {
        "gradeTimestamp": timestamp(when),
        "actorUserId": actor,
        "gradeChangeType": kind,
    }
    if points is not None:
        entry["pointsEarned"] = points
    if max_points:
        entry["maxPoints"] = max_points
    return {"gradeHistory": entry}


def seeded_history(
    item: CityWork, *, student: str, teacher: str, max_points: float | None
) -> list[dict[str, Any]]:
    """The history of a seeded, opened submission, oldest first.

    The student opened it (``CREATED``) at the earliest known moment, turned it in at
    ``turned_in_at`` and, if reclaimed, reclaimed it at ``updated_at``; the teacher
    graded and returned it at ``returned_at`` (an excused piece counts as returned).
    """
    moments = [
        t for t in (item.updated_at, item.turned_in_at, item.returned_at, item.excused_at) if t
    ]
    opened, returned = min(moments), item.returned_at or item.excused_at
    graded_at = returned or max(moments)
    entries: list[tuple[dt.datetime, dict[str, Any]]] = [
        (opened, state_entry("CREATED", opened, student))
    ]
    if item.turned_in_at:
        entries.append((item.turned_in_at, state_entry("TURNED_IN", item.turned_in_at, student)))
    if item.state == "reclaimed":
        reclaimed = state_entry("RECLAIMED_BY_STUDENT", item.updated_at, student)
        entries.append((item.updated_at, reclaimed))
    grades = (
        ("DRAFT_GRADE_POINTS_EARNED_CHANGE", item.draft_points),
        ("ASSIGNED_GRADE_POINTS_EARNED_CHANGE", item.released_points if returned else None),
    )
    for kind, points in grades:
        if points is not None:
            entry = grade_entry(kind, graded_at, teacher, points=points, max_points=max_points)
            entries.append((graded_at, entry))
    if returned:
        entries.append((returned, state_entry("RETURNED", returned, teacher)))
    # The sort is stable: grades stay before the RETURNED entry of the same moment.
    entries.sort(key=lambda pair: pair[0])
    return [entry for _, entry in entries]
