"""Store records rendered as Classroom JSON, for one viewer.

Classroom answers in proto3 JSON: a field at its default (``""``, ``0``, ``false``, an
empty list) is left out, timestamps are RFC 3339 in UTC with a ``Z``. Some fields depend
on who asks: ``associatedWithDeveloper`` on the caller's developer project,
``draftGrade``/``teacherFolder``/``invitedEmailAddress`` on the caller's role, and
``emailAddress``/``photoUrl`` on the ``classroom.profile.*`` scopes (discovery doc,
``UserProfile``).

This module must not import any platform client.
"""

from __future__ import annotations

from typing import Any

from unified_edu.sandbox.classroom._history import seeded_history, timestamp
from unified_edu.sandbox.classroom._ids import b64
from unified_edu.sandbox.classroom._store import (
    Course,
    CourseInvitation,
    CourseWork,
    Guardian,
    GuardianInvitation,
    Rubric,
    Submission,
    Topic,
    User,
)

__all__ = [
    "PHOTO_URL",
    "course",
    "course_work",
    "course_work_link",
    "guardian",
    "guardian_invitation",
    "invitation",
    "member",
    "profile",
    "rubric",
    "submission",
    "timestamp",
    "topic",
]

_CLASSROOM = "https://classroom.google.com"
# What Google serves for an account without a photo (protocol-relative, as Classroom
# returns it).
PHOTO_URL = "//lh3.googleusercontent.com/a/default-user"
_EMAILS = "https://www.googleapis.com/auth/classroom.profile.emails"
_PHOTOS = "https://www.googleapis.com/auth/classroom.profile.photos"


def _compact(payload: dict[str, Any]) -> dict[str, Any]:
    # proto3 JSON: defaults are not sent.
    return {k: v for k, v in payload.items() if v not in (None, "", False, [], {})}


def profile(user: User, scopes: frozenset[str]) -> dict[str, Any]:
    """A ``UserProfile``; e-mail and photo only with their scopes."""
    payload: dict[str, Any] = {
        "id": user.id,
        "name": {
            "givenName": user.given_name,
            "familyName": user.family_name,
            "fullName": user.full_name,
        },
        "emailAddress": user.email if _EMAILS in scopes else None,
        "photoUrl": PHOTO_URL if _PHOTOS in scopes else None,
        "permissions": [{"permission": "CREATE_COURSE"}] if user.can_create_courses else [],
        "verifiedTeacher": user.role == "teacher",
    }
    return _compact(payload)


def member(course_id: str, user: User, scopes: frozenset[str]) -> dict[str, Any]:
    """A ``Student`` or ``Teacher`` (same shape; ``studentWorkFolder`` is not emulated)."""
    return {"courseId": course_id, "userId": user.id, "profile": profile(user, scopes)}


def course(record: Course, *, staff: bool) -> dict[str, Any]:
    """A ``Course``; ``teacherFolder`` only for its teachers and domain admins."""
    folder = None
    if staff and record.teacher_folder_id:
        folder = {
            "id": record.teacher_folder_id,
            "title": record.name,
            "alternateLink": f"https://drive.google.com/drive/folders/{record.teacher_folder_id}",
        }
    payload: dict[str, Any] = {
        "id": record.id,
        "name": record.name,
        "section": record.section,
        "descriptionHeading": record.description_heading,
        "description": record.description,
        "room": record.room,
        "subject": record.subject,
        "levels": record.levels,
        "ownerId": record.owner_id,
        "creationTime": timestamp(record.creation_time),
        "updateTime": timestamp(record.update_time),
        "enrollmentCode": record.enrollment_code,
        "courseState": record.state,
        "alternateLink": f"{_CLASSROOM}/c/{b64(record.id)}",
        "teacherGroupEmail": record.teacher_group_email,
        "courseGroupEmail": record.course_group_email,
        "teacherFolder": folder,
        "guardiansEnabled": record.guardians_enabled,
        "calendarId": record.calendar_id,
        "gradebookSettings": {
            "calculationType": "TOTAL_POINTS",
            "displaySetting": "HIDE_OVERALL_GRADE",
        },
    }
    return _compact(payload)


def topic(record: Topic) -> dict[str, Any]:
    """A ``Topic``."""
    return {
        "courseId": record.course_id,
        "topicId": record.id,
        "name": record.name,
        "updateTime": timestamp(record.update_time),
    }


def course_work_link(work: CourseWork) -> str:
    """The web link of a courseWork item."""
    return f"{_CLASSROOM}/c/{b64(work.course_id)}/a/{b64(work.id)}/details"


def course_work(work: CourseWork, *, project: str, staff: bool) -> dict[str, Any]:
    """A ``CourseWork`` as seen from ``project`` (teachers also see the work folder)."""
    assignment = None
    if staff and work.work_type == "ASSIGNMENT":
        folder = "0B" + b64(f"work-folder:{work.id}")[:26]
        assignment = {
            "studentWorkFolder": {
                "id": folder,
                "title": work.title,
                "alternateLink": f"https://drive.google.com/drive/folders/{folder}",
            }
        }
    payload: dict[str, Any] = {
        "courseId": work.course_id,
        "id": work.id,
        "title": work.title,
        "description": work.description,
        "materials": work.materials,
        "state": work.state,
        # Documented: "only populated if state is PUBLISHED".
        "alternateLink": course_work_link(work) if work.state == "PUBLISHED" else None,
        "creationTime": timestamp(work.creation_time),
        "updateTime": timestamp(work.update_time),
        "dueDate": work.due_date,
        # An all-zero TimeOfDay (midnight) is `{}` in proto3 JSON, and must still be sent:
        # dueTime is required whenever dueDate is set.
        "dueTime": work.due_time,
        "scheduledTime": timestamp(work.scheduled_time) if work.scheduled_time else None,
        "maxPoints": work.max_points or None,
        "workType": work.work_type,
        "multipleChoiceQuestion": {"choices": work.choices} if work.choices else None,
        "associatedWithDeveloper": bool(work.project) and work.project == project,
        "assigneeMode": work.assignee_mode,
        "individualStudentsOptions": (
            {"studentIds": work.student_ids}
            if work.assignee_mode == "INDIVIDUAL_STUDENTS"
            else None
        ),
        "submissionModificationMode": work.submission_modification_mode,
        "creatorUserId": work.creator_id,
        "topicId": work.topic_id,
        "assignment": assignment,
    }
    out = _compact(payload)
    if work.due_date is not None:
        out["dueTime"] = dict(work.due_time or {})
    return out


def _history(record: Submission, work: CourseWork) -> list[dict[str, Any]]:
    if record.origin is None or record.state == "NEW":
        return record.history
    seeded = seeded_history(
        record.origin,
        student=record.user_id,
        teacher=record.origin_actor,
        max_points=work.max_points,
    )
    return seeded + record.history


def submission(
    record: Submission, work: CourseWork, *, project: str, staff: bool, history: bool = True
) -> dict[str, Any]:
    """A ``StudentSubmission``; ``draftGrade`` is for teachers' eyes only.

    ``history=False`` skips ``submissionHistory`` (the caller's ``fields`` drop it).
    """
    link = (
        f"{_CLASSROOM}/c/{b64(record.course_id)}/a/{b64(work.id)}"
        f"/submissions/by-status/and-sort-last-name/student/{b64(record.user_id)}"
    )
    payload: dict[str, Any] = {
        "courseId": record.course_id,
        "courseWorkId": record.course_work_id,
        "id": record.id,
        "userId": record.user_id,
        # Documented: may be unset while the student has not opened the item (NEW).
        "creationTime": timestamp(record.creation_time) if record.creation_time else None,
        "updateTime": timestamp(record.update_time) if record.update_time else None,
        "state": record.state,
        "late": record.late,
        "alternateLink": link,
        "courseWorkType": work.work_type,
        "associatedWithDeveloper": bool(work.project) and work.project == project,
        "submissionHistory": _history(record, work) if history else None,
    }
    out = _compact(payload)
    # Grades are optional fields: 0 is a real grade, so only "unset" is left out.
    if staff and record.draft_grade is not None:
        out["draftGrade"] = record.draft_grade
    if record.assigned_grade is not None:
        out["assignedGrade"] = record.assigned_grade
    # An opened ASSIGNMENT has an (empty) answer payload; NEW ones return no attachments.
    if work.work_type == "ASSIGNMENT" and record.state != "NEW":
        out["assignmentSubmission"] = {}
    return out


def rubric(record: Rubric) -> dict[str, Any]:
    """A ``Rubric``."""
    return {
        "courseId": record.course_id,
        "courseWorkId": record.course_work_id,
        "id": record.id,
        "creationTime": timestamp(record.creation_time),
        "updateTime": timestamp(record.update_time),
        "criteria": record.criteria,
    }


def guardian(
    record: Guardian, user: User, scopes: frozenset[str], *, admin: bool
) -> dict[str, Any]:
    """A ``Guardian``; ``invitedEmailAddress`` only for domain admins."""
    payload: dict[str, Any] = {
        "studentId": record.student_id,
        "guardianId": record.guardian_id,
        "guardianProfile": profile(user, scopes),
        "invitedEmailAddress": record.invited_email if admin else None,
    }
    return _compact(payload)


def guardian_invitation(record: GuardianInvitation, *, admin: bool) -> dict[str, Any]:
    """A ``GuardianInvitation``; ``invitedEmailAddress`` only for domain admins."""
    payload: dict[str, Any] = {
        "studentId": record.student_id,
        "invitationId": record.id,
        "invitedEmailAddress": record.invited_email if admin else None,
        "state": record.state,
        "creationTime": timestamp(record.creation_time),
    }
    return _compact(payload)


def invitation(record: CourseInvitation) -> dict[str, Any]:
    """An ``Invitation``."""
    return {
        "id": record.id,
        "userId": record.user_id,
        "courseId": record.course_id,
        "role": record.role,
    }
