"""The domain model → Graph request bodies (create, PATCH, outcome updates, ``$ref``).

Pure functions; re-exported by :mod:`._mapping`. Property names and ``@odata.type``
values are Graph v1.0's as msgraph-sdk spells them; nothing is invented. Deadlines go out
as UTC instants (``"2026-03-02T21:59:59Z"``): Graph has no date-only deadline, so a
date-only ``due`` means the end of that day (23:59:59) in the city's time zone.

This module must not import msgraph or do I/O.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import zoneinfo
from typing import Any

from unified_edu.errors import UnsupportedOperationError, ValidationError
from unified_edu.models import (
    AssignmentSpec,
    AssignmentUpdate,
    ClassSpec,
    ClassUpdate,
    Material,
    Unset,
)
from unified_edu.models import MaterialKind as Kind
from unified_edu.providers.microsoft._wire import wire_instant

__all__ = [
    "DEFAULT_TIME_ZONE",
    "ODATA_USER_BASE",
    "assignment_body",
    "assignment_patch",
    "class_body",
    "class_patch",
    "due_instant",
    "feedback_outcome_patch",
    "mail_nickname",
    "member_ref_body",
    "points_outcome_patch",
    "resource_body",
]

DEFAULT_TIME_ZONE = "Europe/Sofia"
#: What ``@odata.id`` of a ``$ref`` POST names: the real Graph host, as Microsoft's
#: example does (``educationclass-post-members``), whatever base URL requests go to.
ODATA_USER_BASE = "https://graph.microsoft.com/v1.0/education/users/"

_POINTS_GRADE_TYPE = "#microsoft.graph.educationAssignmentPointsGradeType"
_CLASS_RECIPIENT = "#microsoft.graph.educationAssignmentClassRecipient"
_INDIVIDUAL_RECIPIENT = "#microsoft.graph.educationAssignmentIndividualRecipient"

# Bulgarian Cyrillic → Latin (the official Streamlined System), for readable nicknames.
# fmt: off
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch",
    "ш": "sh", "щ": "sht", "ъ": "a", "ь": "y", "ю": "yu", "я": "ya",
}
# fmt: on


def _zone(time_zone: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(f"unknown time zone {time_zone!r}", field="time_zone") from exc


def due_instant(due: dt.datetime | dt.date, time_zone: str = DEFAULT_TIME_ZONE) -> str:
    """``dueDateTime`` for a deadline: an aware datetime as is, a date at 23:59:59 local.

    Args:
        due: The deadline (the model keeps datetimes aware, in UTC).
        time_zone: IANA zone in which a date-only deadline ends (default Europe/Sofia).

    Raises:
        ValidationError: for an unknown time zone.
    """
    if isinstance(due, dt.datetime):
        return wire_instant(due)
    local = dt.datetime.combine(due, dt.time(23, 59, 59), tzinfo=_zone(time_zone))
    return wire_instant(local)


def mail_nickname(name: str, suffix: str) -> str:
    """A ``mailNickname`` for a new class: an ASCII slug of ``name`` plus ``suffix``.

    The suffix (random, chosen once per create) makes it unique, which is what lets an
    ambiguous create find its class again.
    """
    out = []
    for char in name.lower():
        if char in _CYRILLIC:
            out.append(_CYRILLIC[char])
        else:
            out.append(unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode())
    slug = re.sub(r"[^a-z0-9]+", "-", "".join(out)).strip("-")[:40] or "class"
    return f"{slug}-{suffix}"


def class_body(spec: ClassSpec, *, nickname: str) -> dict[str, Any]:
    """POST ``/education/classes`` body for ``spec``.

    ``section`` becomes ``grade``, ``subject`` the ``course.subject``; the name is also the
    ``externalName``. ``owner_id`` and ``school_id`` are links made after the create.
    """
    body: dict[str, Any] = {
        "displayName": spec.name,
        "mailNickname": spec.mail_nickname or nickname,
        "description": spec.description or "",
        "externalName": spec.name,
    }
    if spec.external_id:
        body["externalId"] = spec.external_id
    if spec.section:
        body["grade"] = spec.section
    if spec.subject:
        body["course"] = {"subject": spec.subject}
    return body


def class_patch(update: ClassUpdate) -> dict[str, Any]:
    """PATCH ``/education/classes/{id}`` body for ``update``.

    Raises:
        UnsupportedOperationError: for ``archived``: Graph v1.0 classes have no archive.
    """
    body: dict[str, Any] = {}
    if not isinstance(update.archived, Unset):
        raise UnsupportedOperationError(
            "microsoft",
            "write_classes",
            "Graph v1.0 has no class archive (educationClass has no state); delete the class "
            "or keep it",
        )
    if not isinstance(update.name, Unset):
        body["displayName"] = update.name
    if not isinstance(update.section, Unset):
        body["grade"] = update.section
    if not isinstance(update.description, Unset):
        body["description"] = update.description
    if not isinstance(update.subject, Unset):
        body["course"] = {"subject": update.subject}
    return body


def _grading(max_points: float | None) -> dict[str, Any] | None:
    if max_points is None:
        return None
    return {"@odata.type": _POINTS_GRADE_TYPE, "maxPoints": max_points}


def _instructions(value: str) -> dict[str, str]:
    return {"contentType": "text", "content": value}


def assignment_body(spec: AssignmentSpec, *, time_zone: str = DEFAULT_TIME_ZONE) -> dict[str, Any]:
    """POST ``/education/classes/{id}/assignments`` body: a draft (Graph always drafts).

    Materials and categories are attached after the create (``resources`` POSTs and
    ``categories/$ref``); publishing is a separate action.
    """
    body: dict[str, Any] = {
        "displayName": spec.title,
        "instructions": _instructions(spec.instructions),
        "grading": _grading(spec.max_points),
        "allowLateSubmissions": spec.allow_late,
        "assignTo": (
            {"@odata.type": _INDIVIDUAL_RECIPIENT, "recipients": list(spec.student_ids)}
            if spec.student_ids
            else {"@odata.type": _CLASS_RECIPIENT}
        ),
    }
    if spec.due is not None:
        body["dueDateTime"] = due_instant(spec.due, time_zone)
    return body


def assignment_patch(
    update: AssignmentUpdate, *, time_zone: str = DEFAULT_TIME_ZONE
) -> dict[str, Any]:
    """PATCH ``/education/classes/{id}/assignments/{id}`` body for ``update``."""
    body: dict[str, Any] = {}
    if not isinstance(update.title, Unset):
        body["displayName"] = update.title
    if not isinstance(update.instructions, Unset):
        body["instructions"] = _instructions(update.instructions)
    if not isinstance(update.due, Unset):
        body["dueDateTime"] = None if update.due is None else due_instant(update.due, time_zone)
    if not isinstance(update.max_points, Unset):
        body["grading"] = _grading(update.max_points)
    return body


def points_outcome_patch(points: float) -> dict[str, Any]:
    """PATCH body of a submission's points outcome (the draft grade)."""
    return {
        "@odata.type": "#microsoft.graph.educationPointsOutcome",
        "points": {
            "@odata.type": "#microsoft.graph.educationAssignmentPointsGrade",
            "points": points,
        },
    }


def feedback_outcome_patch(text: str) -> dict[str, Any]:
    """PATCH body of a submission's feedback outcome (draft feedback, plain text)."""
    return {
        "@odata.type": "#microsoft.graph.educationFeedbackOutcome",
        "feedback": {"text": {"content": text, "contentType": "text"}},
    }


def member_ref_body(user_id: str, *, users_base: str = ODATA_USER_BASE) -> dict[str, str]:
    """``$ref`` POST body adding a user to a class's ``members`` or ``teachers``."""
    return {"@odata.id": f"{users_base}{user_id}"}


def resource_body(material: Material) -> dict[str, Any]:
    """POST ``.../assignments/{id}/resources`` body for ``material``.

    A file or video whose URL is a Graph drive item (``.../drives/{d}/items/{i}``, from
    ``setUpResourcesFolder`` and an upload) becomes a file or media resource; anything
    else is attached as a link (Graph cannot attach an arbitrary web URL as a file).
    """
    title = material.title or material.url
    on_drive = "/drives/" in material.url and "/items/" in material.url
    if material.kind in (Kind.FILE, Kind.VIDEO) and on_drive:
        kind = "educationFileResource" if material.kind is Kind.FILE else "educationMediaResource"
        resource = {"@odata.type": f"#microsoft.graph.{kind}", "fileUrl": material.url}
    else:
        resource = {"@odata.type": "#microsoft.graph.educationLinkResource", "link": material.url}
    resource["displayName"] = title
    return {"distributeForStudentWork": False, "resource": resource}
