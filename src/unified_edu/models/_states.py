"""Normalized enums and the tables that map each platform's values onto them.

Sources (cited per table): the Classroom v1 discovery document bundled in
google-api-python-client (``googleapiclient/discovery_cache/documents/classroom.v1.json``)
and the Graph v1.0 metadata as generated into msgraph-sdk
(``msgraph/generated/models/education_*_status.py``). A platform value missing from a
table maps to ``UNKNOWN``; the platform's own string is always kept on the object too
(``platform_state``), so nothing is lost.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType
from typing import TypeVar

__all__ = [
    "GOOGLE_ASSIGNMENT_STATES",
    "GOOGLE_CLASS_STATES",
    "GOOGLE_GUARDIAN_INVITATION_STATES",
    "GOOGLE_SUBMISSION_STATES",
    "MICROSOFT_ASSIGNMENT_STATES",
    "MICROSOFT_SUBMISSION_STATES",
    "AssigneeMode",
    "AssignmentState",
    "ClassState",
    "GuardianLinkState",
    "MaterialKind",
    "Role",
    "SubmissionState",
    "normalize",
]


class Role(enum.StrEnum):
    """A person's role. Graph ``primaryRole`` ``none`` maps to ``OTHER``."""

    STUDENT = "student"
    TEACHER = "teacher"
    GUARDIAN = "guardian"
    OTHER = "other"


class ClassState(enum.StrEnum):
    """Lifecycle of a class.

    Graph v1.0 ``educationClass`` has no state property: every class it lists is ``ACTIVE``.
    """

    ACTIVE = "active"
    PROVISIONED = "provisioned"
    ARCHIVED = "archived"
    DECLINED = "declined"
    SUSPENDED = "suspended"
    UNKNOWN = "unknown"


class AssignmentState(enum.StrEnum):
    """Lifecycle of a piece of homework.

    ``PUBLISHING`` is Graph's transient ``published`` status (the service is still
    distributing the assignment to students); ``PUBLISHED`` means students have it.
    """

    DRAFT = "draft"
    PUBLISHING = "publishing"
    PUBLISHED = "published"
    INACTIVE = "inactive"
    DELETED = "deleted"
    UNKNOWN = "unknown"


class SubmissionState(enum.StrEnum):
    """Where a student's piece of work is.

    ``NEW`` and ``IN_PROGRESS`` and ``RECLAIMED`` all mean "not turned in".
    """

    NEW = "new"
    IN_PROGRESS = "in_progress"
    TURNED_IN = "turned_in"
    RETURNED = "returned"
    RECLAIMED = "reclaimed"
    REASSIGNED = "reassigned"
    EXCUSED = "excused"
    UNKNOWN = "unknown"


class GuardianLinkState(enum.StrEnum):
    """A guardian link: active, or an invitation still open or closed."""

    ACTIVE = "active"
    INVITED = "invited"
    INVITATION_CLOSED = "invitation_closed"
    UNKNOWN = "unknown"


class MaterialKind(enum.StrEnum):
    """What a piece of material is."""

    LINK = "link"
    FILE = "file"
    VIDEO = "video"
    FORM = "form"
    APP = "app"
    OTHER = "other"


class AssigneeMode(enum.StrEnum):
    """Who a piece of homework is for."""

    WHOLE_CLASS = "whole_class"
    INDIVIDUAL_STUDENTS = "individual_students"


E = TypeVar("E", bound=enum.Enum)


def _table(entries: Mapping[str, E]) -> Mapping[str, E]:
    return MappingProxyType(dict(entries))


# Classroom ``Course.courseState`` (discovery: Course.courseState.enum).
GOOGLE_CLASS_STATES: Mapping[str, ClassState] = _table(
    {
        "ACTIVE": ClassState.ACTIVE,
        "ARCHIVED": ClassState.ARCHIVED,
        "PROVISIONED": ClassState.PROVISIONED,
        "DECLINED": ClassState.DECLINED,
        "SUSPENDED": ClassState.SUSPENDED,
        "COURSE_STATE_UNSPECIFIED": ClassState.UNKNOWN,
    }
)

# Classroom ``CourseWork.state`` (discovery: CourseWork.state.enum).
GOOGLE_ASSIGNMENT_STATES: Mapping[str, AssignmentState] = _table(
    {
        "DRAFT": AssignmentState.DRAFT,
        "PUBLISHED": AssignmentState.PUBLISHED,
        "DELETED": AssignmentState.DELETED,
        "COURSE_WORK_STATE_UNSPECIFIED": AssignmentState.UNKNOWN,
    }
)

# Graph ``educationAssignmentStatus`` (msgraph-sdk EducationAssignmentStatus). ``inactive``
# arrives only with ``Prefer: include-unknown-enum-members``; without it Graph sends
# ``unknownFutureValue`` instead.
MICROSOFT_ASSIGNMENT_STATES: Mapping[str, AssignmentState] = _table(
    {
        "draft": AssignmentState.DRAFT,
        "published": AssignmentState.PUBLISHING,
        "assigned": AssignmentState.PUBLISHED,
        "inactive": AssignmentState.INACTIVE,
        "unknownFutureValue": AssignmentState.UNKNOWN,
    }
)

# Classroom ``StudentSubmission.state`` (discovery: StudentSubmission.state.enum).
GOOGLE_SUBMISSION_STATES: Mapping[str, SubmissionState] = _table(
    {
        "NEW": SubmissionState.NEW,
        "CREATED": SubmissionState.IN_PROGRESS,
        "TURNED_IN": SubmissionState.TURNED_IN,
        "RETURNED": SubmissionState.RETURNED,
        "RECLAIMED_BY_STUDENT": SubmissionState.RECLAIMED,
        "SUBMISSION_STATE_UNSPECIFIED": SubmissionState.UNKNOWN,
    }
)

# Graph ``educationSubmissionStatus`` (msgraph-sdk EducationSubmissionStatus). ``released``
# is a legacy value; ``reassigned`` and ``excused`` need the Prefer header, without it
# they read as ``returned``.
MICROSOFT_SUBMISSION_STATES: Mapping[str, SubmissionState] = _table(
    {
        "working": SubmissionState.IN_PROGRESS,
        "submitted": SubmissionState.TURNED_IN,
        "released": SubmissionState.RETURNED,
        "returned": SubmissionState.RETURNED,
        "reassigned": SubmissionState.REASSIGNED,
        "excused": SubmissionState.EXCUSED,
        "unknownFutureValue": SubmissionState.UNKNOWN,
    }
)

# Classroom ``GuardianInvitation.state``; COMPLETE covers accepted, declined, withdrawn and
# expired alike. A ``Guardian`` record (accepted link) is ``ACTIVE``.
GOOGLE_GUARDIAN_INVITATION_STATES: Mapping[str, GuardianLinkState] = _table(
    {
        "PENDING": GuardianLinkState.INVITED,
        "COMPLETE": GuardianLinkState.INVITATION_CLOSED,
        "GUARDIAN_INVITATION_STATE_UNSPECIFIED": GuardianLinkState.UNKNOWN,
    }
)


def normalize(table: Mapping[str, E], value: str | None, unknown: E) -> E:
    """Look ``value`` up in ``table``; anything absent (or ``None``) becomes ``unknown``."""
    if value is None:
        return unknown
    return table.get(value, unknown)
