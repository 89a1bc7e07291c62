"""``invitations``: create, list, get, delete, accept.

Rules (discovery doc, reference §1.3): teachers of the course and domain admins invite;
one invitation per user and course (ALREADY_EXISTS); a user who already has the role, or
a greater one, cannot be invited to it (FAILED_PRECONDITION); ``list`` needs ``courseId``
or ``userId``; only the invited user may accept, which puts them on the roster (an
``OWNER`` invitation to a co-teacher transfers ownership) and consumes the invitation.

This module must not import any platform client.
"""

from __future__ import annotations

from typing import Any

from unified_edu.sandbox.classroom import _wire as wire
from unified_edu.sandbox.classroom._access import Call, listing
from unified_edu.sandbox.classroom._errors import (
    already_exists,
    failed_precondition,
    invalid_argument,
    not_found,
    permission_denied,
)
from unified_edu.sandbox.classroom._rosters import add_member
from unified_edu.sandbox.classroom._routing import Route, scopes
from unified_edu.sandbox.classroom._store import Course, CourseInvitation, User

__all__ = ["ROUTES"]

_FIELDS = ("id", "courseId", "userId", "role")
_ROLES = ("STUDENT", "TEACHER", "OWNER")
_LIST_DEFAULT = 500  # discovery: "The default is 500 if unspecified or 0"


def _has_role(course: Course, user: User, role: str) -> bool:
    if role == "STUDENT":
        return user.id in course.student_ids or user.id in course.teacher_ids
    if role == "TEACHER":
        return user.id in course.teacher_ids
    return user.id == course.owner_id


def _visible(call: Call, invitation: CourseInvitation) -> bool:
    course = call.store.courses.get(invitation.course_id)
    if course is None:
        return False
    return invitation.user_id == call.caller.id or call.is_staff(course)


def _find(call: Call) -> CourseInvitation:
    found = call.store.invitations.get(call.params["id"])
    if found is None or not _visible(call, found):
        raise not_found()
    return found


def create_invitation(call: Call) -> dict[str, Any]:
    """``POST v1/invitations``."""
    body = call.checked_body(_FIELDS, "invitation")
    if body.get("role") not in _ROLES or not body.get("courseId") or not body.get("userId"):
        raise invalid_argument()
    course = call.course_record(str(body["courseId"]))
    if not call.is_staff(course):
        raise permission_denied() if call.can_see(course) else not_found()
    user = call.existing_user(str(body["userId"]))
    if _has_role(course, user, body["role"]):
        raise failed_precondition()
    if any(
        i.course_id == course.id and i.user_id == user.id for i in call.store.invitations.values()
    ):
        raise already_exists()
    invitation = CourseInvitation(
        id=call.env.mint.token("invitation", call.env.mint.fresh_key(), 16),
        course_id=course.id,
        user_id=user.id,
        role=body["role"],
    )
    return wire.invitation(call.store.add_invitation(invitation))


def list_invitations(call: Call) -> dict[str, Any]:
    """``GET v1/invitations?courseId=&userId=`` (at least one of them)."""
    course_ident = call.request.param("courseId")
    user_ident = call.request.param("userId")
    if not course_ident and not user_ident:
        raise invalid_argument()
    course_id = call.course_record(course_ident).id if course_ident else None
    user = call.existing_user(user_ident) if user_ident else None
    found = [
        i
        for i in call.store.invitations.values()
        if (course_id is None or i.course_id == course_id)
        and (user is None or i.user_id == user.id)
        and _visible(call, i)
    ]
    page, token = call.page(found, lambda i: (i.seq,), cap=_LIST_DEFAULT)
    return listing("invitations", [wire.invitation(i) for i in page], token)


def get_invitation(call: Call) -> dict[str, Any]:
    """``GET v1/invitations/{id}``."""
    return wire.invitation(_find(call))


def delete_invitation(call: Call) -> dict[str, Any]:
    """``DELETE v1/invitations/{id}``: the course's teachers and admins."""
    invitation = _find(call)
    course = call.store.courses[invitation.course_id]
    if not call.is_staff(course):
        raise permission_denied()
    del call.store.invitations[invitation.id]
    return {}


def accept_invitation(call: Call) -> dict[str, Any]:
    """``POST v1/invitations/{id}:accept``: only the invited user."""
    invitation = _find(call)
    if invitation.user_id != call.caller.id:
        raise permission_denied()
    course = call.store.courses[invitation.course_id]
    if invitation.role == "OWNER":
        if call.caller.id not in course.teacher_ids:
            add_member(call, course, call.caller, "teacher")
        course.owner_id = call.caller.id
    else:
        add_member(call, course, call.caller, invitation.role.lower())
    del call.store.invitations[invitation.id]
    return {}


_READ = scopes("rosters", "rosters.readonly")
_WRITE = scopes("rosters")
_ID = "classroom.invitations."
ROUTES = (
    Route(_ID + "create", "POST", "v1/invitations", _WRITE, create_invitation),
    Route(_ID + "list", "GET", "v1/invitations", _READ, list_invitations),
    Route(_ID + "get", "GET", "v1/invitations/{id}", _READ, get_invitation),
    Route(_ID + "delete", "DELETE", "v1/invitations/{id}", _WRITE, delete_invitation),
    Route(_ID + "accept", "POST", "v1/invitations/{id}:accept", _WRITE, accept_invitation),
)
