"""``courses.courseWork.studentSubmissions``: list, get, patch, turnIn, reclaim, return.

Rules (discovery doc, reference §1.5, §3.1, §3.2):

- ``courseWorkId`` ``"-"`` lists every item's submissions; students see only their own;
- writes are refused with ``@ProjectPermissionDenied`` unless the caller's developer
  project created the courseWork (UI-made work is read-only through the API);
- ``patch`` takes only ``draftGrade``/``assignedGrade`` (teachers; non-negative, rounded
  to two decimals; a masked grade absent from the body is cleared);
- ``turnIn``/``reclaim`` only by the owning student, ``return`` only by a teacher, and
  ``return`` does not copy ``draftGrade`` into ``assignedGrade``;
- ``reclaim`` needs a turned-in submission; ``return`` needs one turned in (or already
  returned, to return again after regrading): returning never-submitted work was
  reported to give 400 FAILED_PRECONDITION (reference §3.2).

This module must not import any platform client.
"""

from __future__ import annotations

from typing import Any

from unified_edu.sandbox.classroom import _wire as wire
from unified_edu.sandbox.classroom._access import Call, listing
from unified_edu.sandbox.classroom._errors import (
    PROJECT_PERMISSION_DENIED,
    failed_precondition,
    invalid_argument,
    not_found,
    permission_denied,
)
from unified_edu.sandbox.classroom._history import grade_entry, state_entry
from unified_edu.sandbox.classroom._routing import Route, scopes
from unified_edu.sandbox.classroom._store import Course, CourseWork, Submission

__all__ = ["ROUTES", "create_submissions", "visible_work"]

SUBMISSION_STATES = (
    "SUBMISSION_STATE_UNSPECIFIED",
    "NEW",
    "CREATED",
    "TURNED_IN",
    "RETURNED",
    "RECLAIMED_BY_STUDENT",
)
_LATE_VALUES = ("LATE_VALUES_UNSPECIFIED", "LATE_ONLY", "NOT_LATE_ONLY")
_FIELDS = [
    "alternateLink",
    "assignedGrade",
    "assignedRubricGrades",
    "assignmentSubmission",
    "associatedWithDeveloper",
    "courseId",
    "courseWorkId",
    "courseWorkType",
    "creationTime",
    "draftGrade",
    "draftRubricGrades",
    "id",
    "late",
    "multipleChoiceSubmission",
    "shortAnswerSubmission",
    "state",
    "submissionHistory",
    "updateTime",
    "userId",
]
_GRADE_CHANGE = {
    "draftGrade": "DRAFT_GRADE_POINTS_EARNED_CHANGE",
    "assignedGrade": "ASSIGNED_GRADE_POINTS_EARNED_CHANGE",
}


def create_submissions(call: Call, work: CourseWork, user_ids: list[str]) -> None:
    """``NEW`` submissions for these students (Classroom makes them on publishing)."""
    for uid in user_ids:
        if call.store.submission_for(work.id, uid) is None:
            call.store.add_submission(
                Submission(
                    id=call.env.mint.submission(uid, work.id),
                    course_id=work.course_id,
                    course_work_id=work.id,
                    user_id=uid,
                    state="NEW",
                )
            )


def visible_work(call: Call, course: Course, work: CourseWork) -> bool:
    """Staff see every item; students only published items assigned to them."""
    if call.coursework_staff_view(course):
        return True
    return work.state == "PUBLISHED" and work.assigned_to(call.caller.id)


def _work(call: Call, course: Course) -> CourseWork:
    work = call.store.course_work.get(call.params["courseWorkId"])
    if work is None or work.course_id != course.id or not visible_work(call, course, work):
        raise not_found()
    return work


def _target(call: Call) -> tuple[Course, CourseWork, Submission]:
    course = call.course()
    work = _work(call, course)
    sub = call.store.submissions.get(call.params["id"])
    if sub is None or sub.course_work_id != work.id:
        raise not_found()
    if not call.coursework_staff_view(course) and sub.user_id != call.caller.id:
        raise not_found()
    return course, work, sub


def _render(
    call: Call, course: Course, work: CourseWork, sub: Submission, *, listed: bool = False
) -> dict[str, Any]:
    path = ("studentSubmissions", "submissionHistory") if listed else ("submissionHistory",)
    staff = call.is_staff(course)
    return wire.submission(
        sub, work, project=call.project, staff=staff, history=call.selects(*path)
    )


def _own_project(call: Call, work: CourseWork) -> None:
    if not work.project or work.project != call.project:
        raise permission_denied(PROJECT_PERMISSION_DENIED)


def _state_entry(call: Call, sub: Submission, state: str) -> None:
    now = call.now()
    sub.history.append(state_entry(state, now, call.caller.id))
    sub.update_time = now


def _opened(call: Call, sub: Submission) -> None:
    # A NEW submission becomes CREATED the moment the student first touches it.
    if sub.creation_time is None:
        sub.creation_time = call.now()
        _state_entry(call, sub, "CREATED")


def list_submissions(call: Call) -> dict[str, Any]:
    """``GET .../courseWork/{courseWorkId}/studentSubmissions`` (``"-"``: all items)."""
    course = call.course()
    staff = call.coursework_staff_view(course)
    if call.params["courseWorkId"] == "-":
        works = [
            w
            for w in call.store.work_of(course.id)
            if w.state == "PUBLISHED" and (staff or w.assigned_to(call.caller.id))
        ]
    else:
        works = [_work(call, course)]
    ident = call.request.param("userId")
    only = call.existing_user(ident).id if ident else None
    states = set(call.enums("states", SUBMISSION_STATES))
    late = (call.enums("late", _LATE_VALUES) or ["LATE_VALUES_UNSPECIFIED"])[0]
    roster = set(course.student_ids)
    found: list[tuple[CourseWork, Submission]] = []
    for work in works:
        for sub in call.store.submissions_of(work.id):
            if sub.user_id not in roster or (only is not None and sub.user_id != only):
                continue
            if not staff and sub.user_id != call.caller.id:
                continue
            if states and sub.state not in states:
                continue
            if (late == "LATE_ONLY" and not sub.late) or (late == "NOT_LATE_ONLY" and sub.late):
                continue
            found.append((work, sub))
    page, token = call.page(found, lambda pair: (pair[0].seq, pair[1].seq))
    items = [_render(call, course, work, sub, listed=True) for work, sub in page]
    return listing("studentSubmissions", items, token)


def get_submission(call: Call) -> dict[str, Any]:
    """``GET .../studentSubmissions/{id}``."""
    return _render(call, *_target(call))


def patch_submission(call: Call) -> dict[str, Any]:
    """``PATCH .../studentSubmissions/{id}?updateMask=draftGrade,assignedGrade``."""
    course, work, sub = _target(call)
    if not call.is_teacher(course):
        raise permission_denied()
    _own_project(call, work)
    fields = call.mask(_GRADE_CHANGE)
    body = call.checked_body(_FIELDS, "student_submission")
    grades: dict[str, float | None] = {}
    for field in fields:  # validate every grade before changing anything
        raw = body.get(field)
        if raw is not None and (
            isinstance(raw, bool) or not isinstance(raw, int | float) or raw < 0
        ):
            raise invalid_argument()
        grades[field] = None if raw is None else round(float(raw), 2)
    now = call.now()
    for field, value in grades.items():
        setattr(sub, "draft_grade" if field == "draftGrade" else "assigned_grade", value)
        kind = _GRADE_CHANGE[field]
        entry = grade_entry(kind, now, call.caller.id, points=value, max_points=work.max_points)
        sub.history.append(entry)
    if sub.creation_time is not None:
        sub.update_time = now
    return _render(call, course, work, sub)


def _late(call: Call, work: CourseWork) -> bool:
    due = work.due_instant()
    return due is not None and call.now() > due


def turn_in(call: Call) -> dict[str, Any]:
    """``POST .../{id}:turnIn``: the owning student only."""
    _, work, sub = _target(call)
    if sub.user_id != call.caller.id:
        raise permission_denied()
    _own_project(call, work)
    call.checked_body((), "turn_in_student_submission_request")
    if sub.state == "TURNED_IN":
        raise failed_precondition()
    _opened(call, sub)
    sub.state = "TURNED_IN"
    sub.late = _late(call, work)
    _state_entry(call, sub, "TURNED_IN")
    return {}


def reclaim(call: Call) -> dict[str, Any]:
    """``POST .../{id}:reclaim``: the owning student, after turning in."""
    _, work, sub = _target(call)
    if sub.user_id != call.caller.id:
        raise permission_denied()
    _own_project(call, work)
    call.checked_body((), "reclaim_student_submission_request")
    if sub.state != "TURNED_IN":
        raise failed_precondition()
    sub.state = "RECLAIMED_BY_STUDENT"
    sub.late = _late(call, work)
    _state_entry(call, sub, "RECLAIMED_BY_STUDENT")
    return {}


def return_submission(call: Call) -> dict[str, Any]:
    """``POST .../{id}:return``: a teacher; grades stay as they are."""
    course, work, sub = _target(call)
    if not call.is_teacher(course):
        raise permission_denied()
    _own_project(call, work)
    call.checked_body((), "return_student_submission_request")
    if sub.state not in ("TURNED_IN", "RETURNED"):
        raise failed_precondition()
    sub.state = "RETURNED"
    _state_entry(call, sub, "RETURNED")
    return {}


_BASE = "v1/courses/{courseId}/courseWork/{courseWorkId}/studentSubmissions"
_READ = scopes(
    "coursework.me",
    "coursework.me.readonly",
    "coursework.students",
    "coursework.students.readonly",
    "student-submissions.me.readonly",
    "student-submissions.students.readonly",
)
_GRADE = scopes("coursework.me", "coursework.students")
_STUDENT = scopes("coursework.me")
_TEACHER = scopes("coursework.students")
_ID = "classroom.courses.courseWork.studentSubmissions."
ROUTES = (
    Route(_ID + "list", "GET", _BASE, _READ, list_submissions),
    Route(_ID + "get", "GET", _BASE + "/{id}", _READ, get_submission),
    Route(_ID + "patch", "PATCH", _BASE + "/{id}", _GRADE, patch_submission),
    Route(_ID + "turnIn", "POST", _BASE + "/{id}:turnIn", _STUDENT, turn_in),
    Route(_ID + "reclaim", "POST", _BASE + "/{id}:reclaim", _STUDENT, reclaim),
    Route(_ID + "return", "POST", _BASE + "/{id}:return", _TEACHER, return_submission),
)
