"""The unified model → Classroom request bodies and update masks: pure functions, no I/O.

Every field and enum value written here exists in the discovery document
(``classroom.v1.json``); nothing is invented. Classroom's limits that can be checked
without the network are checked here, so a bad value fails with
:class:`~unified_edu.errors.ValidationError` before any request:

- ``Course.name`` 1–750 characters, ``section`` ≤ 2800, ``description`` ≤ 30,000;
- ``CourseWork.title`` 1–3000 characters, ``description`` ≤ 30,000, ≤ 20 materials,
  ``maxPoints`` a non-negative whole number, at most one topic;
- a material Classroom cannot create (a form, an app) is refused.

Update masks use the field names the discovery document lists for each ``patch``
(``due_date``, ``max_points``, ...). A field named in the mask and left out of the body is
cleared, as Classroom documents.

This module must not import googleapiclient or any other platform client.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from unified_edu.errors import ValidationError
from unified_edu.models import (
    AssigneeMode,
    AssignmentSpec,
    AssignmentUpdate,
    ClassSpec,
    ClassUpdate,
    Material,
    MaterialKind,
    Unset,
)

__all__ = [
    "course_body",
    "course_patch",
    "coursework_body",
    "coursework_patch",
    "from_material",
    "split_due",
]

MAX_COURSE_NAME = 750
MAX_SECTION = 2800
MAX_DESCRIPTION = 30_000
MAX_TITLE = 3000
MAX_MATERIALS = 20

# Drive: /file/d/<id>/, /document/d/<id>/ ..., or ?id=<id>. YouTube: watch?v=, youtu.be/.
_DRIVE_ID = re.compile(r"(?:/d/|[?&]id=)([A-Za-z0-9_-]{10,})")
_YOUTUBE_ID = re.compile(r"(?:[?&]v=|youtu\.be/|/embed/|/shorts/)([A-Za-z0-9_-]{6,})")


def _check_length(value: str | None, limit: int, field: str) -> None:
    if value is not None and len(value) > limit:
        raise ValidationError(
            f"{field} is {len(value)} characters; Classroom allows at most {limit}", field=field
        )


def split_due(
    due: dt.datetime | dt.date, *, zone: dt.tzinfo
) -> tuple[dict[str, int], dict[str, int]]:
    """A deadline as Classroom's ``dueDate`` + ``dueTime``, both in UTC.

    Args:
        due: An aware datetime (any zone: it is converted to UTC), or a date-only
            deadline, which Classroom cannot store: it becomes 23:59 of that day in
            ``zone`` (what the Classroom web UI shows for "no time"), then UTC.
        zone: The zone of date-only deadlines (the provider's ``time_zone``).

    Returns:
        ``({"year", "month", "day"}, {"hours", "minutes"[, "seconds"]})``.
    """
    if isinstance(due, dt.datetime):
        moment = due.astimezone(dt.UTC)
    else:
        moment = dt.datetime.combine(due, dt.time(23, 59), tzinfo=zone).astimezone(dt.UTC)
    date = {"year": moment.year, "month": moment.month, "day": moment.day}
    time = {"hours": moment.hour, "minutes": moment.minute}
    if moment.second:
        time["seconds"] = moment.second
    return date, time


def from_material(material: Material) -> dict[str, Any]:
    """A :class:`Material` as a Classroom ``Material`` to create.

    LINK → ``link``; FILE → ``driveFile`` (the Drive id from ``ref`` or the URL;
    ``extra["shareMode"]`` or ``VIEW``); VIDEO → ``youtubeVideo`` (the id from ``ref`` or
    the URL). A file or video whose id cannot be found is sent as a ``link``, which
    Classroom upgrades to the better type itself.

    Raises:
        ValidationError: For a FORM, APP or OTHER material (Classroom cannot create them).
    """
    kind = material.kind
    if kind is MaterialKind.LINK:
        return {"link": {"url": material.url}}
    if kind is MaterialKind.FILE:
        file_id = material.ref.id if material.ref else _search(_DRIVE_ID, material.url)
        if file_id:
            share_mode = str(material.extra.get("shareMode", "VIEW"))
            return {"driveFile": {"driveFile": {"id": file_id}, "shareMode": share_mode}}
        return {"link": {"url": material.url}}
    if kind is MaterialKind.VIDEO:
        video_id = material.ref.id if material.ref else _search(_YOUTUBE_ID, material.url)
        if video_id:
            return {"youtubeVideo": {"id": video_id}}
        return {"link": {"url": material.url}}
    raise ValidationError(
        f"Classroom cannot attach a {kind.value} material through the API "
        "(only links, Drive files and YouTube videos)",
        field="materials",
    )


def _search(pattern: re.Pattern[str], url: str) -> str | None:
    found = pattern.search(url)
    return found.group(1) if found else None


def course_body(spec: ClassSpec, *, alias: str | None) -> dict[str, Any]:
    """The body of ``courses.create``.

    Args:
        spec: The class to create; ``owner_id`` is required on Classroom.
        alias: A course alias sent as ``id`` (``d:...`` domain or ``p:...`` project), which
            makes a repeated create fail with ``ALREADY_EXISTS`` instead of duplicating.

    Raises:
        ValidationError: Without ``owner_id``, or for a value over Classroom's limits.
    """
    if not spec.owner_id:
        raise ValidationError(
            "Classroom needs owner_id (the primary teacher's id or e-mail) to create a class",
            field="owner_id",
        )
    _check_length(spec.name, MAX_COURSE_NAME, "name")
    _check_length(spec.section, MAX_SECTION, "section")
    _check_length(spec.description, MAX_DESCRIPTION, "description")
    body: dict[str, Any] = {
        "name": spec.name,
        "ownerId": spec.owner_id,
        # A course created through the API is PROVISIONED unless asked otherwise.
        "courseState": "ACTIVE" if spec.active else "PROVISIONED",
    }
    for key, value in (
        ("section", spec.section),
        ("description", spec.description),
        ("subject", spec.subject),
        ("id", alias),
    ):
        if value:
            body[key] = value
    return body


def course_patch(update: ClassUpdate) -> tuple[dict[str, Any], str]:
    """The body and ``updateMask`` of ``courses.patch``.

    ``archived=True`` → ``courseState: ARCHIVED``; ``archived=False`` → ``ACTIVE``. A field
    set to ``None`` is named in the mask and left out of the body, which clears it.

    Raises:
        ValidationError: For a value over Classroom's limits.
    """
    body: dict[str, Any] = {}
    mask: list[str] = []
    for field, key, limit in (
        ("name", "name", MAX_COURSE_NAME),
        ("section", "section", MAX_SECTION),
        ("description", "description", MAX_DESCRIPTION),
        ("subject", "subject", None),
    ):
        value = getattr(update, field)
        if isinstance(value, Unset):
            continue
        mask.append(key)
        if value is not None:
            if limit is not None:
                _check_length(value, limit, field)
            body[key] = value
    if not isinstance(update.archived, Unset):
        mask.append("courseState")
        body["courseState"] = "ARCHIVED" if update.archived else "ACTIVE"
    return body, ",".join(mask)


def _max_points(value: float) -> float:
    if not float(value).is_integer():
        raise ValidationError(
            f"Classroom's maxPoints must be a whole number (got {value!r})", field="max_points"
        )
    return float(value)


def coursework_body(spec: AssignmentSpec, *, zone: dt.tzinfo) -> dict[str, Any]:
    """The body of ``courseWork.create`` (``workType: ASSIGNMENT``).

    ``state`` is ``PUBLISHED`` when ``spec.publish`` else ``DRAFT``; the deadline is split
    into UTC ``dueDate``/``dueTime`` (see :func:`split_due`); ``category_ids`` → ``topicId``;
    ``student_ids`` → ``assigneeMode: INDIVIDUAL_STUDENTS`` + ``individualStudentsOptions``.
    ``allow_late`` has no Classroom field (Classroom always accepts late work).

    Raises:
        ValidationError: For a value over Classroom's limits, more than one category, a
            fractional maximum or a material Classroom cannot create.
    """
    _check_length(spec.title, MAX_TITLE, "title")
    _check_length(spec.instructions, MAX_DESCRIPTION, "instructions")
    if len(spec.materials) > MAX_MATERIALS:
        raise ValidationError(
            f"Classroom allows at most {MAX_MATERIALS} materials (got {len(spec.materials)})",
            field="materials",
        )
    if len(spec.category_ids) > 1:
        raise ValidationError(
            "a Classroom courseWork has at most one topic (category)", field="category_ids"
        )
    body: dict[str, Any] = {
        "title": spec.title,
        "workType": "ASSIGNMENT",
        "state": "PUBLISHED" if spec.publish else "DRAFT",
    }
    if spec.instructions:
        body["description"] = spec.instructions
    if spec.max_points is not None:
        body["maxPoints"] = _max_points(spec.max_points)
    if spec.due is not None:
        body["dueDate"], body["dueTime"] = split_due(spec.due, zone=zone)
    if spec.materials:
        body["materials"] = [from_material(m) for m in spec.materials]
    if spec.category_ids:
        body["topicId"] = spec.category_ids[0]
    if spec.assignee_mode is AssigneeMode.INDIVIDUAL_STUDENTS:
        body["assigneeMode"] = "INDIVIDUAL_STUDENTS"
        body["individualStudentsOptions"] = {"studentIds": list(spec.student_ids)}
    return body


def coursework_patch(update: AssignmentUpdate, *, zone: dt.tzinfo) -> tuple[dict[str, Any], str]:
    """The body and ``updateMask`` of ``courseWork.patch``.

    ``instructions`` → ``description``; ``due`` → ``due_date,due_time`` (``None`` clears
    both); ``max_points=None`` clears ``max_points`` (ungraded).

    Raises:
        ValidationError: For a value over Classroom's limits or a fractional maximum.
    """
    body: dict[str, Any] = {}
    mask: list[str] = []
    if not isinstance(update.title, Unset):
        _check_length(update.title, MAX_TITLE, "title")
        mask.append("title")
        body["title"] = update.title
    if not isinstance(update.instructions, Unset):
        _check_length(update.instructions, MAX_DESCRIPTION, "instructions")
        mask.append("description")
        if update.instructions:
            body["description"] = update.instructions
    if not isinstance(update.due, Unset):
        mask += ["due_date", "due_time"]
        if update.due is not None:
            body["dueDate"], body["dueTime"] = split_due(update.due, zone=zone)
    if not isinstance(update.max_points, Unset):
        mask.append("max_points")
        if update.max_points is not None:
            body["maxPoints"] = _max_points(update.max_points)
    return body, ",".join(mask)
