"""``courses``: list, get, create, patch, delete.

Rules from the discovery doc's method descriptions and reference §2.1: a course made
through the API starts ``PROVISIONED`` unless ``courseState`` says ``ACTIVE``; the owner
must be the caller unless the caller is a domain admin; an ``ARCHIVED`` course only lets
its state change (``@CourseNotModifiable``); ``ownerId`` may be changed only by an admin
and only to a teacher of the course (``@IneligibleOwner``); lists are newest first.

This module must not import any platform client.
"""

from __future__ import annotations

import re
from typing import Any

from unified_edu.sandbox.classroom import _wire as wire
from unified_edu.sandbox.classroom._access import Call, listing, micros
from unified_edu.sandbox.classroom._errors import (
    already_exists,
    failed_precondition,
    invalid_argument,
    permission_denied,
)
from unified_edu.sandbox.classroom._routing import Route, scopes
from unified_edu.sandbox.classroom._store import Course

__all__ = ["ROUTES", "text_field"]

COURSE_STATES = (
    "COURSE_STATE_UNSPECIFIED",
    "ACTIVE",
    "ARCHIVED",
    "PROVISIONED",
    "DECLINED",
    "SUSPENDED",
)
COURSE_FIELDS = [
    "alternateLink",
    "calendarId",
    "courseGroupEmail",
    "courseMaterialSets",
    "courseState",
    "creationTime",
    "description",
    "descriptionHeading",
    "enrollmentCode",
    "gradebookSettings",
    "guardiansEnabled",
    "id",
    "levels",
    "name",
    "ownerId",
    "room",
    "section",
    "subject",
    "teacherFolder",
    "teacherGroupEmail",
    "updateTime",
]
_PATCHABLE = [
    "courseState",
    "description",
    "descriptionHeading",
    "name",
    "ownerId",
    "room",
    "section",
    "subject",
    "learningStandardSettings",
    "levels",
]
# Field -> maximum length (discovery doc, Course); levels is "fewer than 1000". The doc gives
# no limit for subject: 3000 is ours, generous enough for any real subject name.
_TEXT_LIMITS = {
    "section": 2800,
    "descriptionHeading": 3600,
    "description": 30000,
    "room": 650,
    "subject": 3000,
    "levels": 999,
}
_TRANSITIONS = {
    ("PROVISIONED", "ACTIVE"),
    ("PROVISIONED", "DECLINED"),
    ("DECLINED", "PROVISIONED"),
    ("ACTIVE", "ARCHIVED"),
    ("ARCHIVED", "ACTIVE"),
}
_URL = re.compile(r"https?://|\bwww\.\w", re.IGNORECASE)
_ATTRIBUTE = {
    "description": "description",
    "descriptionHeading": "description_heading",
    "room": "room",
    "section": "section",
    "subject": "subject",
    "levels": "levels",
}


def text_field(value: Any, limit: int, *, required: bool = False) -> str:
    """A string field of at most ``limit`` characters; 400 otherwise."""
    if value is None and not required:
        return ""
    if not isinstance(value, str) or len(value) > limit or (required and not value.strip()):
        raise invalid_argument()
    return value


def _name(value: Any) -> str:
    name = text_field(value, 750, required=True)
    if _URL.search(name):
        raise failed_precondition("CourseTitleCannotContainUrl", "The course title contains a URL.")
    return name


def _render(call: Call, course: Course) -> dict[str, Any]:
    return wire.course(course, staff=call.is_staff(course))


def _set_state(call: Call, course: Course, state: Any) -> None:
    if state == course.state:
        return
    if (course.state, state) not in _TRANSITIONS:
        raise failed_precondition()
    course.state = state
    if state == "ACTIVE" and not course.calendar_id:
        # Google creates the calendar when a course first becomes ACTIVE.
        number = call.env.mint.numeric("calendar", course.id, 20)
        course.calendar_id = f"classroom{number}@group.calendar.google.com"


def list_courses(call: Call) -> dict[str, Any]:
    """``GET v1/courses``: visible courses, newest first, filtered."""
    teacher_ident = call.request.param("teacherId")
    student_ident = call.request.param("studentId")
    if teacher_ident and student_ident:
        raise failed_precondition(
            "ListCoursesStudentAndTeacherFilter", "Specify either teacherId or studentId."
        )
    states = set(call.enums("courseStates", COURSE_STATES))
    teacher = call.existing_user(teacher_ident) if teacher_ident else None
    student = call.existing_user(student_ident) if student_ident else None
    found = [
        c
        for c in call.store.courses.values()
        if call.can_see(c)
        and (not states or c.state in states)
        and (teacher is None or teacher.id in c.teacher_ids)
        and (student is None or student.id in c.student_ids)
    ]
    page, token = call.page(found, lambda c: (-micros(c.creation_time), c.id))
    return listing("courses", [_render(call, c) for c in page], token)


def get_course(call: Call) -> dict[str, Any]:
    """``GET v1/courses/{id}``."""
    return _render(call, call.course(call.params["id"]))


def create_course(call: Call) -> dict[str, Any]:
    """``POST v1/courses``: the owner becomes its first teacher."""
    body = call.checked_body(COURSE_FIELDS, "course")
    name = _name(body.get("name"))
    if not body.get("ownerId"):
        raise invalid_argument()
    owner = call.existing_user(str(body["ownerId"]))
    if owner.id != call.caller.id and not call.is_admin(owner.tenant):
        raise permission_denied()
    if not owner.can_create_courses:
        raise failed_precondition("UserCannotOwnCourse", "The user cannot own a course.")
    state = body.get("courseState") or "PROVISIONED"
    if state not in ("PROVISIONED", "ACTIVE"):
        raise invalid_argument()
    alias = body.get("id")
    if alias is not None:
        if not isinstance(alias, str) or not alias.startswith(("d:", "p:")) or len(alias) > 256:
            raise invalid_argument()
        if alias.startswith("d:") and not call.is_admin():
            raise failed_precondition()
        if alias in call.store.aliases:
            raise already_exists()
    values = {k: text_field(body.get(k), limit) for k, limit in _TEXT_LIMITS.items()}
    mint = call.env.mint
    key = mint.fresh_key()
    course_id = mint.numeric("course", key)
    group = mint.opaque("group", key, 6)
    now = call.now()
    course = Course(
        id=course_id,
        tenant=owner.tenant,
        name=name,
        owner_id=owner.id,
        state="PROVISIONED",
        creation_time=now,
        update_time=now,
        enrollment_code=mint.enrollment_code(key),
        teacher_group_email=f"class_{course_id}_teachers_{group}@{owner.tenant}",
        course_group_email=f"class_{course_id}_{group}@{owner.tenant}",
        teacher_folder_id="0B" + mint.token("folder", key, 26),
        teacher_ids=[owner.id],
    )
    for field, attribute in _ATTRIBUTE.items():
        setattr(course, attribute, values[field])
    _set_state(call, course, state)
    call.store.add_course(course)
    if alias is not None:
        call.store.aliases[alias] = (course.id, call.project)
    return _render(call, course)


def patch_course(call: Call) -> dict[str, Any]:
    """``PATCH v1/courses/{id}?updateMask=``."""
    course = call.course(call.params["id"])
    if not call.is_staff(course):
        raise permission_denied()
    fields = call.mask(_PATCHABLE)
    body = call.checked_body(COURSE_FIELDS, "course")
    if course.state == "ARCHIVED" and any(f != "courseState" for f in fields):
        raise failed_precondition("CourseNotModifiable", "The course is not modifiable.")
    for field in fields:
        if field == "name":
            course.name = _name(body.get("name"))
        elif field == "courseState":
            if body.get("courseState") not in COURSE_STATES[1:]:
                raise invalid_argument()
            _set_state(call, course, body["courseState"])
        elif field == "ownerId":
            if not call.is_admin(course.tenant):
                raise permission_denied()
            owner = call.existing_user(str(body.get("ownerId") or ""))
            if owner.id not in course.teacher_ids:
                raise failed_precondition("IneligibleOwner", "The new owner must be a teacher.")
            course.owner_id = owner.id
        elif field in _ATTRIBUTE:
            # A field named in the mask but absent from the body is cleared.
            setattr(course, _ATTRIBUTE[field], text_field(body.get(field), _TEXT_LIMITS[field]))
        # learningStandardSettings is in the mask list but not in the Course schema: no-op.
    course.update_time = call.now()
    return _render(call, course)


def delete_course(call: Call) -> dict[str, Any]:
    """``DELETE v1/courses/{id}``: the owner or a domain admin."""
    course = call.course(call.params["id"])
    if call.caller.id != course.owner_id and not call.is_admin(course.tenant):
        raise permission_denied()
    call.store.delete_course(course.id)
    return {}


_READ = scopes("courses", "courses.readonly")
_WRITE = scopes("courses")
ROUTES = (
    Route("classroom.courses.list", "GET", "v1/courses", _READ, list_courses),
    Route("classroom.courses.get", "GET", "v1/courses/{id}", _READ, get_course),
    Route("classroom.courses.create", "POST", "v1/courses", _WRITE, create_course),
    Route("classroom.courses.patch", "PATCH", "v1/courses/{id}", _WRITE, patch_course),
    Route("classroom.courses.delete", "DELETE", "v1/courses/{id}", _WRITE, delete_course),
)
