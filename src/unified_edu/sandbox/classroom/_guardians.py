"""``userProfiles.guardians`` (list, get, delete) and ``userProfiles.guardianInvitations``
(list, create, get, patch).

Rules (discovery doc method descriptions, reference §1.7): ``studentId`` is a numeric id,
an e-mail, ``"me"`` or, for lists, ``"-"`` (all students; domain admins only); any other
shape is INVALID_ARGUMENT and an unknown student NOT_FOUND. Guardians are visible to the
student, the student's teachers and the domain's admins; the ``invitedEmailAddress``
filter and field are for admins only. Invitation lists default to ``PENDING``; a new
invitation may carry only ``studentId``, ``invitedEmailAddress`` (and ``state``
``PENDING``); the only patch is ``state`` ``PENDING`` → ``COMPLETE`` (withdrawal). A
student has at most 20 guardians (RESOURCE_EXHAUSTED beyond).

This module must not import any platform client.
"""

from __future__ import annotations

from typing import Any

from unified_edu.sandbox.classroom import _wire as wire
from unified_edu.sandbox.classroom._access import Call, listing
from unified_edu.sandbox.classroom._errors import (
    ApiError,
    already_exists,
    failed_precondition,
    invalid_argument,
    not_found,
    permission_denied,
)
from unified_edu.sandbox.classroom._routing import Route, scopes
from unified_edu.sandbox.classroom._store import Guardian, GuardianInvitation, User

__all__ = ["ROUTES"]

_INVITATION_FIELDS = ("studentId", "invitationId", "invitedEmailAddress", "state", "creationTime")
_INVITATION_STATES = ("GUARDIAN_INVITATION_STATE_UNSPECIFIED", "PENDING", "COMPLETE")
_GUARDIAN_LIMIT = 20  # Help Center: guardians per student


def _student(call: Call, *, dash: bool = False) -> User | None:
    """The path's student; ``None`` for ``"-"`` (admins only, lists only)."""
    ident = call.params["studentId"]
    if ident == "-":
        if not dash:
            raise invalid_argument()
        if not call.is_admin():
            raise permission_denied()
        return None
    return call.existing_user(ident)


def _teaches(call: Call, student: User) -> bool:
    uid = call.caller.id
    return any(
        student.id in c.student_ids and (uid in c.teacher_ids or uid == c.owner_id)
        for c in call.store.courses.values()
    )


def _may_manage(call: Call, student: User) -> bool:
    return call.is_admin(student.tenant) or _teaches(call, student)


def _may_view(call: Call, student: User) -> bool:
    return student.id == call.caller.id or _may_manage(call, student)


def _tenant_student(call: Call, student_id: str) -> bool:
    user = call.store.users.get(student_id)
    return user is not None and user.tenant == call.principal.tenant


def _guardian_json(call: Call, link: Guardian) -> dict[str, Any]:
    user = call.store.users[link.guardian_id]
    return wire.guardian(link, user, call.principal.scopes, admin=call.is_admin())


def list_guardians(call: Call) -> dict[str, Any]:
    """``GET v1/userProfiles/{studentId}/guardians``."""
    email = call.request.param("invitedEmailAddress")
    if email and not call.is_admin():
        raise permission_denied()
    student = _student(call, dash=True)
    if student is not None and not _may_view(call, student):
        raise permission_denied()
    links = [
        g
        for g in call.store.guardians
        if (g.student_id == student.id if student else _tenant_student(call, g.student_id))
        and (not email or g.invited_email.lower() == email.lower())
    ]
    page, token = call.page(links, lambda g: (g.seq,))
    return listing("guardians", [_guardian_json(call, g) for g in page], token)


def _guardian(call: Call, *, manage: bool) -> Guardian:
    student = _student(call)
    assert student is not None
    if not (_may_manage(call, student) if manage else _may_view(call, student)):
        raise permission_denied()
    for link in call.store.guardians:
        if link.student_id == student.id and link.guardian_id == call.params["guardianId"]:
            return link
    raise not_found()


def get_guardian(call: Call) -> dict[str, Any]:
    """``GET v1/userProfiles/{studentId}/guardians/{guardianId}``."""
    return _guardian_json(call, _guardian(call, manage=False))


def delete_guardian(call: Call) -> dict[str, Any]:
    """``DELETE v1/userProfiles/{studentId}/guardians/{guardianId}``."""
    call.store.guardians.remove(_guardian(call, manage=True))
    return {}


def _invitation_json(call: Call, invitation: GuardianInvitation) -> dict[str, Any]:
    return wire.guardian_invitation(invitation, admin=call.is_admin())


def list_invitations(call: Call) -> dict[str, Any]:
    """``GET v1/userProfiles/{studentId}/guardianInvitations`` (default: PENDING only)."""
    student = _student(call, dash=True)
    if student is not None and not _may_manage(call, student):
        raise permission_denied()
    states = set(call.enums("states", _INVITATION_STATES)) or {"PENDING"}
    email = call.request.param("invitedEmailAddress")
    found = [
        i
        for i in call.store.guardian_invitations.values()
        if (i.student_id == student.id if student else _tenant_student(call, i.student_id))
        and i.state in states
        and (not email or i.invited_email.lower() == email.lower())
    ]
    page, token = call.page(found, lambda i: (i.seq,))
    return listing("guardianInvitations", [_invitation_json(call, i) for i in page], token)


def _managed_student(call: Call) -> User:
    student = _student(call)
    assert student is not None
    if not _may_manage(call, student):
        raise permission_denied()
    return student


def create_invitation(call: Call) -> dict[str, Any]:
    """``POST v1/userProfiles/{studentId}/guardianInvitations``."""
    student = _managed_student(call)
    body = call.checked_body(_INVITATION_FIELDS, "guardian_invitation")
    if set(body) - {"studentId", "invitedEmailAddress", "state"} or body.get("state") not in (
        None,
        "PENDING",
    ):
        raise invalid_argument()
    named = call.user(str(body.get("studentId") or "")) if body.get("studentId") else None
    email = body.get("invitedEmailAddress")
    if named is None or named.id != student.id:
        raise invalid_argument()
    if not isinstance(email, str) or email.count("@") != 1 or len(email) > 254:
        raise invalid_argument()
    if any(
        i.student_id == student.id
        and i.state == "PENDING"
        and i.invited_email.lower() == email.lower()
        for i in call.store.guardian_invitations.values()
    ):
        raise already_exists()
    links = [g for g in call.store.guardians if g.student_id == student.id]
    if any(call.store.users[g.guardian_id].email.lower() == email.lower() for g in links):
        raise already_exists()
    if len(links) >= _GUARDIAN_LIMIT:
        raise ApiError(429, "The student has reached the guardian link limit.")
    invitation = GuardianInvitation(
        id=call.env.mint.token("guardian-invitation", call.env.mint.fresh_key(), 14),
        student_id=student.id,
        invited_email=email,
        state="PENDING",
        creation_time=call.now(),
    )
    return _invitation_json(call, call.store.add_guardian_invitation(invitation))


def _invitation(call: Call, student: User) -> GuardianInvitation:
    found = call.store.guardian_invitations.get(call.params["invitationId"])
    if found is None or found.student_id != student.id:
        raise not_found()
    return found


def get_invitation(call: Call) -> dict[str, Any]:
    """``GET v1/userProfiles/{studentId}/guardianInvitations/{invitationId}``."""
    return _invitation_json(call, _invitation(call, _managed_student(call)))


def patch_invitation(call: Call) -> dict[str, Any]:
    """``PATCH ...guardianInvitations/{invitationId}?updateMask=state``: withdraw it."""
    invitation = _invitation(call, _managed_student(call))
    call.mask(("state",))
    body = call.checked_body(_INVITATION_FIELDS, "guardian_invitation")
    if body.get("state") != "COMPLETE" or set(body) - {"state", "studentId", "invitationId"}:
        raise invalid_argument()
    if invitation.state != "PENDING":
        raise failed_precondition()
    invitation.state = "COMPLETE"
    return _invitation_json(call, invitation)


_GUARDIANS = "v1/userProfiles/{studentId}/guardians"
_INVITATIONS = "v1/userProfiles/{studentId}/guardianInvitations"
_VIEW = scopes(
    "guardianlinks.me.readonly", "guardianlinks.students", "guardianlinks.students.readonly"
)
_READ = scopes("guardianlinks.students", "guardianlinks.students.readonly")
_WRITE = scopes("guardianlinks.students")
_G = "classroom.userProfiles.guardians."
_I = "classroom.userProfiles.guardianInvitations."
ROUTES = (
    Route(_G + "list", "GET", _GUARDIANS, _VIEW, list_guardians),
    Route(_G + "get", "GET", _GUARDIANS + "/{guardianId}", _VIEW, get_guardian),
    Route(_G + "delete", "DELETE", _GUARDIANS + "/{guardianId}", _WRITE, delete_guardian),
    Route(_I + "list", "GET", _INVITATIONS, _READ, list_invitations),
    Route(_I + "create", "POST", _INVITATIONS, _WRITE, create_invitation),
    Route(_I + "get", "GET", _INVITATIONS + "/{invitationId}", _READ, get_invitation),
    Route(_I + "patch", "PATCH", _INVITATIONS + "/{invitationId}", _WRITE, patch_invitation),
)
