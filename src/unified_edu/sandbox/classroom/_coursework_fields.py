"""Validation of writable ``CourseWork`` fields, shared by create and patch.

Limits and rules come from the discovery doc's ``CourseWork`` schema: ``title`` 1–3000
characters, ``description`` up to 30,000, at most 20 ``materials`` (``form``, ``gem`` and
``notebook`` cannot be created), ``maxPoints`` a non-negative integer value (0 means
ungraded), ``dueDate`` and ``dueTime`` each requiring the other, ``topicId`` an existing
topic of the course, ``gradingPeriodId`` an existing grading period or ``""`` (the sandbox
emulates no grading periods, so only ``""``).

This module must not import any platform client.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from unified_edu.sandbox.classroom._errors import invalid_argument
from unified_edu.sandbox.classroom._store import Course, Store

__all__ = [
    "COURSE_WORK_FIELDS",
    "SUBMISSION_MODES",
    "WORK_STATES",
    "WORK_TYPES",
    "description",
    "due_date",
    "due_time",
    "grading_period",
    "materials",
    "max_points",
    "require_due_pair",
    "scheduled_time",
    "students",
    "submission_mode",
    "title",
    "topic_id",
]

COURSE_WORK_FIELDS = [
    "alternateLink",
    "assigneeMode",
    "assignment",
    "associatedWithDeveloper",
    "courseId",
    "creationTime",
    "creatorUserId",
    "description",
    "dueDate",
    "dueTime",
    "gradeCategory",
    "gradingPeriodId",
    "id",
    "individualStudentsOptions",
    "materials",
    "maxPoints",
    "multipleChoiceQuestion",
    "scheduledTime",
    "state",
    "submissionModificationMode",
    "title",
    "topicId",
    "updateTime",
    "workType",
]
WORK_STATES = ("COURSE_WORK_STATE_UNSPECIFIED", "PUBLISHED", "DRAFT", "DELETED")
WORK_TYPES = ("ASSIGNMENT", "SHORT_ANSWER_QUESTION", "MULTIPLE_CHOICE_QUESTION")
SUBMISSION_MODES = ("MODIFIABLE_UNTIL_TURNED_IN", "MODIFIABLE")
_SHARE_MODES = ("VIEW", "EDIT", "STUDENT_COPY")


def _int(value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise invalid_argument()
    return value


def title(value: Any) -> str:
    """A required title of 1–3000 characters."""
    if not isinstance(value, str) or not value.strip() or len(value) > 3000:
        raise invalid_argument()
    return value


def description(value: Any) -> str:
    """An optional description of at most 30,000 characters."""
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > 30000:
        raise invalid_argument()
    return value


def due_date(value: Any) -> dict[str, int] | None:
    """A full ``Date`` (year, month and day) or ``None``."""
    if value is None:
        return None
    if not isinstance(value, dict) or set(value) - {"year", "month", "day"}:
        raise invalid_argument()
    parts = {k: _int(value.get(k, 0), 0, 9999) for k in ("year", "month", "day")}
    try:
        dt.date(parts["year"], parts["month"], parts["day"])
    except ValueError:
        raise invalid_argument() from None
    return parts


def due_time(value: Any) -> dict[str, int] | None:
    """A ``TimeOfDay`` (zero parts left out, as proto3 JSON does) or ``None``."""
    if value is None:
        return None
    limits = {"hours": 23, "minutes": 59, "seconds": 59, "nanos": 999_999_999}
    if not isinstance(value, dict) or set(value) - set(limits):
        raise invalid_argument()
    parts = {k: _int(value.get(k, 0), 0, high) for k, high in limits.items()}
    return {k: v for k, v in parts.items() if v}


def require_due_pair(date: dict[str, int] | None, time: dict[str, int] | None) -> None:
    """``dueDate`` and ``dueTime``: "This must be specified if ... is specified"."""
    if (date is None) != (time is None):
        raise invalid_argument()


def max_points(value: Any) -> float | None:
    """Non-negative integer value; 0 or absent is "ungraded" (``None``)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise invalid_argument()
    if value < 0 or not float(value).is_integer():
        raise invalid_argument()
    return float(value) or None


def scheduled_time(value: Any) -> dt.datetime | None:
    """An RFC 3339 timestamp or ``None``."""
    if value is None:
        return None
    try:
        parsed = dt.datetime.fromisoformat(str(value))
    except ValueError:
        raise invalid_argument() from None
    if parsed.tzinfo is None:
        raise invalid_argument()
    return parsed.astimezone(dt.UTC)


def topic_id(store: Store, course: Course, value: Any) -> str:
    """An existing topic of the course, or ``""``."""
    if value in (None, ""):
        return ""
    topic = store.topics.get(str(value))
    if topic is None or topic.course_id != course.id:
        raise invalid_argument()
    return topic.id


def submission_mode(value: Any) -> str:
    """A ``SubmissionModificationMode`` other than unspecified."""
    if value not in SUBMISSION_MODES:
        raise invalid_argument()
    return str(value)


def grading_period(value: Any) -> None:
    """Only ``""`` (no period): the sandbox emulates no grading periods."""
    if value not in (None, ""):
        raise invalid_argument()


def students(course: Course, mode: Any, options: Any) -> tuple[str, list[str]]:
    """``assigneeMode`` and the individual students, checked against the roster."""
    mode = mode or "ALL_STUDENTS"
    if mode == "ALL_STUDENTS":
        if options:
            raise invalid_argument()
        return mode, []
    if mode != "INDIVIDUAL_STUDENTS" or not isinstance(options, dict):
        raise invalid_argument()
    ids = options.get("studentIds")
    if not isinstance(ids, list) or not ids or any(i not in course.student_ids for i in ids):
        raise invalid_argument()
    return mode, list(dict.fromkeys(ids))


def _material(item: Any) -> dict[str, Any]:
    if not isinstance(item, dict) or len(item) != 1:
        raise invalid_argument()
    kind, value = next(iter(item.items()))
    if not isinstance(value, dict):
        raise invalid_argument()
    if kind == "link":
        url = value.get("url")
        if not isinstance(url, str) or not 1 <= len(url) <= 2024:
            raise invalid_argument()
        return {"link": {"url": url}}
    if kind == "driveFile":
        file = value.get("driveFile")
        mode = value.get("shareMode", "VIEW")
        if (
            not isinstance(file, dict)
            or not isinstance(file.get("id"), str)
            or mode not in _SHARE_MODES
        ):
            raise invalid_argument()
        file_id = file["id"]
        link = f"https://drive.google.com/open?id={file_id}"
        return {
            "driveFile": {"driveFile": {"id": file_id, "alternateLink": link}, "shareMode": mode}
        }
    if kind == "youtubeVideo":
        video = value.get("id")
        if not isinstance(video, str) or not video:
            raise invalid_argument()
        return {
            "youtubeVideo": {
                "id": video,
                "alternateLink": f"https://www.youtube.com/watch?v={video}",
                "thumbnailUrl": f"https://i.ytimg.com/vi/{video}/default.jpg",
            }
        }
    # form, gem and notebook materials are read-only; anything else is unknown.
    raise invalid_argument()


def materials(value: Any) -> list[dict[str, Any]]:
    """At most 20 creatable materials, filled in as Classroom shows them."""
    if value is None:
        return []
    if not isinstance(value, list) or len(value) > 20:
        raise invalid_argument()
    return [_material(item) for item in value]
