"""``courses.students``, ``courses.teachers`` and ``userProfiles.get``.

Who may add whom (reference §1.3, discovery doc): a domain admin adds users of the
course's domain directly; a student adds only themselves, with the course's
``enrollmentCode``; a teacher cannot add anyone directly (``@CannotDirectAddUser``: an
invitation is the way). Removing: admins, teachers of the course, or a student removing
themselves; the owner cannot be removed (``@CannotRemoveCourseOwner``). Lists default to
and are capped at 30 (documented default). A student who joins gets a ``NEW``
submission for every published whole-class item, as in Classroom.

This module must not import any platform client.
"""

from __future__ import annotations

from typing import Any

from unified_edu.sandbox.classroom import _wire as wire
from unified_edu.sandbox.classroom._access import Call, listing
from unified_edu.sandbox.classroom._errors import (
    already_exists,
    failed_precondition,
    not_found,
    permission_denied,
)
from unified_edu.sandbox.classroom._routing import Handler, Route, scopes
from unified_edu.sandbox.classroom._store import Course, User
from unified_edu.sandbox.classroom._submissions import create_submissions

__all__ = ["ROUTES", "add_member"]

ROSTER_PAGE = 30  # discovery: "The default is 30 if unspecified or 0"
_MEMBER_LIMIT = 1000  # Help Center: members per class (Workspace accounts)
_TEACHER_LIMIT = 50  # Help Center: teachers per class
_MEMBER_FIELDS = ("courseId", "userId", "profile", "studentWorkFolder")
_NOT_DIRECT = "@CannotDirectAddUser The user cannot be added directly; send an invitation."


def _members(course: Course, role: str) -> list[str]:
    return course.student_ids if role == "student" else course.teacher_ids


def add_member(call: Call, course: Course, user: User, role: str) -> None:
    """Put ``user`` on the roster (shared with invitation acceptance)."""
    if user.id in course.student_ids or user.id in course.teacher_ids:
        raise already_exists()
    if course.state not in ("ACTIVE", "PROVISIONED"):
        raise failed_precondition("CourseNotModifiable", "The course is not modifiable.")
    if len(course.student_ids) + len(course.teacher_ids) >= _MEMBER_LIMIT:
        raise failed_precondition("CourseMemberLimitReached", "The course is full.")
    if role == "teacher" and len(course.teacher_ids) >= _TEACHER_LIMIT:
        raise failed_precondition("CourseTeacherLimitReached", "The course has too many teachers.")
    _members(course, role).append(user.id)
    if role == "student":
        for work in call.store.work_of(course.id):
            if work.state == "PUBLISHED" and work.assignee_mode == "ALL_STUDENTS":
                create_submissions(call, work, [user.id])


def _sorted_users(call: Call, ids: list[str]) -> list[User]:
    return [call.store.users[i] for i in ids if i in call.store.users]


def _lister(role: str, name: str) -> Handler:
    def handler(call: Call) -> dict[str, Any]:
        course = call.course()
        users = _sorted_users(call, _members(course, role))
        page, token = call.page(
            users, lambda u: (u.family_name, u.given_name, u.id), cap=ROSTER_PAGE
        )
        scopes_ = call.principal.scopes
        return listing(name, [wire.member(course.id, u, scopes_) for u in page], token)

    return handler


def _getter(role: str) -> Handler:
    def handler(call: Call) -> dict[str, Any]:
        course = call.course()
        user = call.user(call.params["userId"])
        if user is None or user.id not in _members(course, role):
            raise not_found()
        return wire.member(course.id, user, call.principal.scopes)

    return handler


def _creator(role: str) -> Handler:
    def handler(call: Call) -> dict[str, Any]:
        # A student joining with a code cannot see the course yet: look it up unchecked.
        course = call.course_record(call.params["courseId"])
        body = call.checked_body(_MEMBER_FIELDS, role)
        user = call.existing_user(str(body.get("userId") or ""))
        code = call.request.param("enrollmentCode")
        if role == "student" and user.id == call.caller.id and code:
            if code != course.enrollment_code or course.state != "ACTIVE":
                raise permission_denied()
        elif call.is_admin(course.tenant):
            if user.tenant != course.tenant:
                raise permission_denied(_NOT_DIRECT)
        elif call.is_teacher(course):
            raise permission_denied(_NOT_DIRECT)
        elif call.can_see(course):
            raise permission_denied()
        else:
            raise not_found()
        add_member(call, course, user, role)
        return wire.member(course.id, user, call.principal.scopes)

    return handler


def _deleter(role: str) -> Handler:
    def handler(call: Call) -> dict[str, Any]:
        course = call.course()
        user = call.user(call.params["userId"])
        members = _members(course, role)
        if user is None or user.id not in members:
            raise not_found()
        allowed = call.is_staff(course) or (role == "student" and user.id == call.caller.id)
        if not allowed:
            raise permission_denied()
        if role == "teacher" and user.id == course.owner_id:
            raise failed_precondition(
                "CannotRemoveCourseOwner", "The course owner cannot be removed."
            )
        members.remove(user.id)
        return {}

    return handler


def _profile_visible(call: Call, user: User) -> bool:
    caller = call.caller
    if user.id == caller.id or call.is_admin(user.tenant):
        return True
    return any(
        (caller.id in c.teacher_ids or caller.id in c.student_ids)
        and (user.id in c.teacher_ids or user.id in c.student_ids)
        for c in call.store.courses.values()
    )


def get_profile(call: Call) -> dict[str, Any]:
    """``GET v1/userProfiles/{userId}``.

    Documented: PERMISSION_DENIED (not NOT_FOUND) "if no profile exists with the
    requested ID".
    """
    user = call.user(call.params["userId"])
    if user is None or not _profile_visible(call, user):
        raise permission_denied()
    return wire.profile(user, call.principal.scopes)


_PEOPLE_READ = scopes("profile.emails", "profile.photos", "rosters", "rosters.readonly")
_PEOPLE_WRITE = scopes("profile.emails", "profile.photos", "rosters")
_ROSTERS = scopes("rosters")


def _roster_routes(role: str, plural: str) -> tuple[Route, ...]:
    base = f"v1/courses/{{courseId}}/{plural}"
    prefix = f"classroom.courses.{plural}."
    return (
        Route(prefix + "list", "GET", base, _PEOPLE_READ, _lister(role, plural)),
        Route(prefix + "get", "GET", base + "/{userId}", _PEOPLE_READ, _getter(role)),
        Route(prefix + "create", "POST", base, _PEOPLE_WRITE, _creator(role)),
        Route(prefix + "delete", "DELETE", base + "/{userId}", _ROSTERS, _deleter(role)),
    )


ROUTES = (
    *_roster_routes("student", "students"),
    *_roster_routes("teacher", "teachers"),
    Route(
        "classroom.userProfiles.get", "GET", "v1/userProfiles/{userId}", _PEOPLE_READ, get_profile
    ),
)
