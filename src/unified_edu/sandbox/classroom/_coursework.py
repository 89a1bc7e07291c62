"""``courses.courseWork``: list, get, create, patch, delete.

Rules (discovery doc, reference §1.4, §2.2, §3.1): a list without ``courseWorkStates``
returns only ``PUBLISHED`` items; students see only published items assigned to them;
only a teacher of the course may create (an admin who does not teach gets
PERMISSION_DENIED); new items default to ``DRAFT`` and belong to the caller's developer
project, and only that project may patch or delete them (``@ProjectPermissionDenied``);
deleting twice gives FAILED_PRECONDITION. Publishing creates the ``NEW`` submissions.

This module must not import any platform client.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from unified_edu.sandbox.classroom import _coursework_fields as fields
from unified_edu.sandbox.classroom import _wire as wire
from unified_edu.sandbox.classroom._access import Call, listing, micros
from unified_edu.sandbox.classroom._errors import (
    PROJECT_PERMISSION_DENIED,
    failed_precondition,
    invalid_argument,
    not_found,
    permission_denied,
)
from unified_edu.sandbox.classroom._history import grade_entry
from unified_edu.sandbox.classroom._paging import SortKey
from unified_edu.sandbox.classroom._routing import Route, scopes
from unified_edu.sandbox.classroom._store import Course, CourseWork
from unified_edu.sandbox.classroom._submissions import create_submissions, visible_work

__all__ = ["ROUTES", "find_work"]

_PATCHABLE = [
    "title",
    "description",
    "state",
    "dueDate",
    "dueTime",
    "maxPoints",
    "scheduledTime",
    "submissionModificationMode",
    "topicId",
    "gradingPeriodId",
    "learningGoals",
]
# Fields that may be cleared by naming them in the mask and leaving them out of the body.
_CLEARABLE = frozenset(
    {
        "description",
        "dueDate",
        "dueTime",
        "maxPoints",
        "scheduledTime",
        "topicId",
        "gradingPeriodId",
        "learningGoals",
    }
)


def find_work(call: Call, course: Course, work_id: str) -> CourseWork:
    """A courseWork item of ``course`` the caller may see; 404 otherwise."""
    work = call.store.course_work.get(work_id)
    if work is None or work.course_id != course.id or not visible_work(call, course, work):
        raise not_found()
    return work


def _render(call: Call, course: Course, work: CourseWork) -> dict[str, Any]:
    return wire.course_work(work, project=call.project, staff=call.is_staff(course))


def _order(raw: str | None) -> Callable[[CourseWork], SortKey]:
    """``orderBy``: ``updateTime``/``dueDate`` with ``asc``/``desc`` (default updateTime desc)."""
    terms: list[tuple[str, bool]] = []
    for part in (raw or "updateTime desc").split(","):
        words = part.split()
        if not words or len(words) > 2 or words[0] not in ("updateTime", "dueDate"):
            raise invalid_argument()
        if len(words) == 2 and words[1] not in ("asc", "desc"):
            raise invalid_argument()
        terms.append((words[0], len(words) == 2 and words[1] == "desc"))

    def key(work: CourseWork) -> SortKey:
        out: list[int | str] = []
        for name, desc in terms:
            moment = work.update_time if name == "updateTime" else work.due_instant()
            # Items without a due date go last either way.
            value = micros(moment) if moment else 0
            out.extend((0 if moment else 1, -value if desc else value))
        out.append(work.seq)
        return tuple(out)

    return key


def _publish(call: Call, course: Course, work: CourseWork) -> None:
    work.state = "PUBLISHED"
    assignees = [s for s in course.student_ids if work.assigned_to(s)]
    create_submissions(call, work, assignees)


def list_course_work(call: Call) -> dict[str, Any]:
    """``GET v1/courses/{courseId}/courseWork``."""
    course = call.course()
    states = set(call.enums("courseWorkStates", fields.WORK_STATES)) or {"PUBLISHED"}
    key = _order(call.request.param("orderBy"))
    found = [
        w
        for w in call.store.work_of(course.id)
        if w.state in states and visible_work(call, course, w)
    ]
    page, token = call.page(found, key)
    return listing("courseWork", [_render(call, course, w) for w in page], token)


def get_course_work(call: Call) -> dict[str, Any]:
    """``GET v1/courses/{courseId}/courseWork/{id}``."""
    course = call.course()
    return _render(call, course, find_work(call, course, call.params["id"]))


def create_course_work(call: Call) -> dict[str, Any]:
    """``POST v1/courses/{courseId}/courseWork``."""
    course = call.course()
    call.require_teacher(course)
    if course.state not in ("ACTIVE", "PROVISIONED"):
        raise failed_precondition("CourseNotModifiable", "The course is not modifiable.")
    body = call.checked_body(fields.COURSE_WORK_FIELDS, "course_work")
    work_type = body.get("workType")
    if work_type not in fields.WORK_TYPES:
        raise invalid_argument()
    choices = (body.get("multipleChoiceQuestion") or {}).get("choices")
    if (work_type == "MULTIPLE_CHOICE_QUESTION") != bool(choices) or (
        choices and not all(isinstance(c, str) for c in choices)
    ):
        raise invalid_argument()
    state = body.get("state") or "DRAFT"
    if state not in ("DRAFT", "PUBLISHED"):
        raise invalid_argument()
    due_date = fields.due_date(body.get("dueDate"))
    due_time = fields.due_time(body.get("dueTime"))
    fields.require_due_pair(due_date, due_time)
    mode, students = fields.students(
        course, body.get("assigneeMode"), body.get("individualStudentsOptions")
    )
    fields.grading_period(body.get("gradingPeriodId"))
    now = call.now()
    work = CourseWork(
        id=call.env.mint.numeric("coursework", call.env.mint.fresh_key()),
        course_id=course.id,
        title=fields.title(body.get("title")),
        state="DRAFT",
        creator_id=call.caller.id,
        creation_time=now,
        update_time=now,
        project=call.project,
        description=fields.description(body.get("description")),
        work_type=work_type,
        materials=fields.materials(body.get("materials")),
        due_date=due_date,
        due_time=due_time,
        max_points=fields.max_points(body.get("maxPoints")),
        assignee_mode=mode,
        student_ids=students,
        topic_id=fields.topic_id(call.store, course, body.get("topicId")),
        scheduled_time=fields.scheduled_time(body.get("scheduledTime")),
        submission_modification_mode=fields.submission_mode(
            body.get("submissionModificationMode") or "MODIFIABLE_UNTIL_TURNED_IN"
        ),
        choices=list(choices or []),
    )
    call.store.add_course_work(work)
    if state == "PUBLISHED":
        _publish(call, course, work)
    return _render(call, course, work)


def _writable(call: Call) -> tuple[Course, CourseWork]:
    course = call.course()
    work = find_work(call, course, call.params["id"])
    call.require_teacher(course)
    if not work.project or work.project != call.project:
        raise permission_denied(PROJECT_PERMISSION_DENIED)
    if work.state == "DELETED":
        raise failed_precondition()
    return course, work


def _setters(call: Call, course: Course) -> dict[str, tuple[str, Callable[[Any], Any]]]:
    """Patchable mask names -> (record attribute, validator of the body value)."""
    return {
        "title": ("title", fields.title),
        "description": ("description", fields.description),
        "dueDate": ("due_date", fields.due_date),
        "dueTime": ("due_time", fields.due_time),
        "maxPoints": ("max_points", fields.max_points),
        "scheduledTime": ("scheduled_time", fields.scheduled_time),
        "submissionModificationMode": ("submission_modification_mode", fields.submission_mode),
        "topicId": ("topic_id", functools.partial(fields.topic_id, call.store, course)),
    }


def _check_state(work: CourseWork, value: Any) -> None:
    # Only DRAFT -> PUBLISHED moves; deleting is the delete method's job.
    if value not in ("DRAFT", "PUBLISHED"):
        raise invalid_argument()
    if value == "DRAFT" and work.state == "PUBLISHED":
        raise failed_precondition()


def patch_course_work(call: Call) -> dict[str, Any]:
    """``PATCH v1/courses/{courseId}/courseWork/{id}?updateMask=``.

    A clearable field named in the mask but absent from the body is cleared; a
    required one (title, state, submissionModificationMode) is INVALID_ARGUMENT.
    """
    course, work = _writable(call)
    mask = call.mask(_PATCHABLE)
    body = call.checked_body(fields.COURSE_WORK_FIELDS, "course_work")
    setters = _setters(call, course)
    changes: dict[str, Any] = {}
    for name in mask:
        if name not in body and name not in _CLEARABLE:
            raise invalid_argument()
        if name == "state":
            _check_state(work, body["state"])
        elif name == "gradingPeriodId":
            fields.grading_period(body.get(name))
        elif name in setters:
            attribute, validate = setters[name]
            changes[attribute] = validate(body.get(name))
        # learningGoals: in the mask list, not in the CourseWork schema: nothing to set.
    fields.require_due_pair(
        changes.get("due_date", work.due_date), changes.get("due_time", work.due_time)
    )
    if "max_points" in changes and changes["max_points"] != work.max_points:
        _max_points_changed(call, work, changes["max_points"])
    for attribute, value in changes.items():
        setattr(work, attribute, value)
    if "state" in mask and body["state"] == "PUBLISHED" and work.state == "DRAFT":
        _publish(call, course, work)
    work.update_time = call.now()
    return _render(call, course, work)


def _max_points_changed(call: Call, work: CourseWork, value: float | None) -> None:
    now = call.now()
    for sub in call.store.submissions_of(work.id):
        entry = grade_entry("MAX_POINTS_CHANGE", now, call.caller.id, points=None, max_points=value)
        sub.history.append(entry)


def delete_course_work(call: Call) -> dict[str, Any]:
    """``DELETE v1/courses/{courseId}/courseWork/{id}``: leaves a ``DELETED`` tombstone."""
    _, work = _writable(call)
    work.state = "DELETED"
    work.update_time = call.now()
    return {}


_BASE = "v1/courses/{courseId}/courseWork"
_READ = scopes(
    "coursework.me", "coursework.me.readonly", "coursework.students", "coursework.students.readonly"
)
_WRITE = scopes("coursework.students")
_ID = "classroom.courses.courseWork."
ROUTES = (
    Route(_ID + "list", "GET", _BASE, _READ, list_course_work),
    Route(_ID + "get", "GET", _BASE + "/{id}", _READ, get_course_work),
    Route(_ID + "create", "POST", _BASE, _WRITE, create_course_work),
    Route(_ID + "patch", "PATCH", _BASE + "/{id}", _WRITE, patch_course_work),
    Route(_ID + "delete", "DELETE", _BASE + "/{id}", _WRITE, delete_course_work),
)
