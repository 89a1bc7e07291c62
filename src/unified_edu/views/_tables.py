"""Model objects as flat records (plain dicts) for tables, JSON and CSV.

Every function returns ``(columns, records)``: the column names in display order and one
``dict`` per object with JSON-ready values (text, numbers, booleans, ``None``). Times are
ISO 8601 in the city's zone. Student-level records name pupils through a
:class:`~unified_edu.views._privacy.Labeler` (pseudonyms unless names were asked for).

This module must not import any platform client.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from unified_edu.models import Assignment, Class, Person, Role, School, Submission
from unified_edu.views._privacy import Labeler
from unified_edu.views._progress import StudentProgress
from unified_edu.views._refs import format_class_ref
from unified_edu.views._time import iso, local, local_due

__all__ = [
    "PROGRESS_COLUMNS",
    "Records",
    "assignment_records",
    "class_records",
    "people_records",
    "progress_document",
    "progress_records",
    "school_records",
    "submission_records",
    "to_csv_text",
    "to_json_text",
]

Value = str | int | float | bool | None
Records = tuple[list[str], list[dict[str, Value]]]


def school_records(schools: Iterable[School]) -> Records:
    """Schools: tenant, provider, id, name, registry id."""
    columns = ["tenant", "provider", "id", "name", "external_id"]
    records: list[dict[str, Value]] = [
        {
            "tenant": s.ref.tenant,
            "provider": s.ref.provider,
            "id": s.ref.id,
            "name": s.name,
            "external_id": s.external_id,
        }
        for s in schools
    ]
    return columns, sorted(records, key=lambda r: (str(r["tenant"]), str(r["name"])))


def class_records(classes: Iterable[Class], zone: ZoneInfo) -> Records:
    """Classes with the ``tenant:id`` reference the CLI's ``--class`` accepts."""
    columns = ["ref", "tenant", "provider", "id", "name", "section", "subject", "state"]
    columns += ["school_id", "created_at"]
    records: list[dict[str, Value]] = [
        {
            "ref": format_class_ref(k.ref),
            "tenant": k.ref.tenant,
            "provider": k.ref.provider,
            "id": k.ref.id,
            "name": k.name,
            "section": k.section,
            "subject": k.subject,
            "state": k.state.value,
            "school_id": k.school_id,
            "created_at": iso(local(k.created_at, zone)),
        }
        for k in classes
    ]
    return columns, sorted(records, key=lambda r: (str(r["tenant"]), str(r["name"])))


def people_records(people: Iterable[Person], labeler: Labeler) -> Records:
    """People; pupils (everyone but teachers) by pseudonym unless names are shown."""
    columns = ["tenant", "provider", "id", "role", "name", "email"]
    records: list[dict[str, Value]] = []
    for p in people:
        records.append(
            {
                "tenant": p.ref.tenant,
                "provider": p.ref.provider,
                "id": p.ref.id,
                "role": p.role.value,
                "name": labeler.name(p, tenant=p.ref.tenant, person_id=p.ref.id),
                "email": labeler.email(p),
            }
        )
    teachers_first = {Role.TEACHER.value: 0}
    records.sort(
        key=lambda r: (
            str(r["tenant"]),
            teachers_first.get(str(r["role"]), 1),
            str(r["name"]),
        )
    )
    return columns, records


def assignment_records(assignments: Iterable[Assignment], zone: ZoneInfo) -> Records:
    """Homework with its deadline in the city's zone."""
    columns = ["tenant", "class_id", "id", "title", "state", "platform_state", "due"]
    columns += ["max_points", "assignee_mode", "created_by_this_app", "web_link"]
    records: list[dict[str, Value]] = [
        {
            "tenant": a.ref.tenant,
            "class_id": a.class_id,
            "id": a.ref.id,
            "title": a.title,
            "state": a.state.value,
            "platform_state": a.platform_state,
            "due": iso(local_due(a.due, zone)),
            "max_points": a.max_points,
            "assignee_mode": a.assignee_mode.value,
            "created_by_this_app": a.created_by_this_app,
            "web_link": a.web_link,
        }
        for a in assignments
    ]
    records.sort(key=lambda r: (r["due"] is None, str(r["due"] or ""), str(r["title"])))
    return columns, records


def submission_records(
    submissions: Iterable[Submission],
    zone: ZoneInfo,
    labeler: Labeler,
    *,
    people: Mapping[str, Person],
    titles: Mapping[str, str],
) -> Records:
    """Submissions with both grades (a teacher's listing); pupils by ``labeler``.

    Args:
        people: Native id → profile, for names (the class's roster).
        titles: Homework native id → title.
    """
    columns = ["tenant", "class_id", "assignment_id", "assignment", "id", "student_id"]
    columns += ["student"]
    if not labeler.pseudonymous:
        columns.append("student_email")
    columns += ["state", "late", "turned_in_at", "returned_at", "draft_points"]
    columns += ["released_points", "max_points", "feedback"]
    records: list[dict[str, Value]] = []
    for s in submissions:
        person = people.get(s.student_id)
        grade = s.released_grade or s.draft_grade
        record: dict[str, Value] = {
            "tenant": s.ref.tenant,
            "class_id": s.class_id,
            "assignment_id": s.assignment_id,
            "assignment": titles.get(s.assignment_id),
            "id": s.ref.id,
            "student_id": s.student_id,
            "student": labeler.name(
                person, tenant=s.ref.tenant, person_id=s.student_id, role=Role.STUDENT
            ),
        }
        if not labeler.pseudonymous:
            record["student_email"] = labeler.email(person, role=Role.STUDENT)
        record |= {
            "state": s.state.value,
            "late": s.late,
            "turned_in_at": iso(local(s.turned_in_at, zone)),
            "returned_at": iso(local(s.returned_at, zone)),
            "draft_points": s.draft_grade.points if s.draft_grade else None,
            "released_points": s.released_grade.points if s.released_grade else None,
            "max_points": grade.max_points if grade else None,
            "feedback": s.released_grade.feedback if s.released_grade else None,
        }
        records.append(record)
    records.sort(
        key=lambda r: (str(r["assignment"] or ""), str(r["assignment_id"]), str(r["student"]))
    )
    return columns, records


#: The columns of :func:`progress_records`.
PROGRESS_COLUMNS: tuple[str, ...] = (
    "class",
    "tenant",
    "provider",
    "title",
    "due",
    "status",
    "turned_in_at",
    "late",
    "missing",
    "points",
    "max_points",
    "feedback",
)


def progress_records(progress: StudentProgress) -> Records:
    """A pupil's homework rows (released grades only: there is no draft column)."""
    columns = list(PROGRESS_COLUMNS)
    records: list[dict[str, Value]] = [
        {
            "class": row.class_name,
            "tenant": row.tenant,
            "provider": row.provider,
            "title": row.title,
            "due": iso(row.due),
            "status": row.status.value if row.status else None,
            "turned_in_at": iso(row.turned_in_at),
            "late": row.late,
            "missing": row.missing,
            "points": row.points,
            "max_points": row.max_points,
            "feedback": row.feedback,
        }
        for row in progress.rows
    ]
    return columns, records


def progress_document(progress: StudentProgress, labeler: Labeler) -> dict[str, Any]:
    """A pupil's progress as one JSON-ready document.

    Keys: ``student`` (pseudonym, or name with ``--names``), ``email`` (with names only),
    ``tenants``, ``time_zone``, ``as_of``, ``counts`` and ``homework`` (the records).
    """
    first = progress.people[0] if progress.people else None
    document: dict[str, Any] = {}
    if labeler.pseudonymous:
        tenant, native = (first.ref.tenant, first.ref.id) if first else ("", progress.email)
        document["student"] = labeler.alias(tenant, native, progress.email)
    else:
        document["student"] = progress.name
        document["email"] = progress.email
    document |= {
        "tenants": [p.ref.tenant for p in progress.people],
        "time_zone": progress.time_zone,
        "as_of": progress.as_of.isoformat(timespec="seconds"),
        "counts": {
            what: progress.count(what) for what in ("turned_in", "missing", "late", "graded")
        },
        "homework": progress_records(progress)[1],
    }
    return document


def to_json_text(records: object) -> str:
    """Pretty JSON, UTF-8 text with Cyrillic kept readable."""
    return json.dumps(records, ensure_ascii=False, indent=2)


def to_csv_text(columns: Sequence[str], records: Iterable[Mapping[str, Value]]) -> str:
    """CSV with a header row (no BOM: this is for a terminal or a pipe)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    return out.getvalue()
