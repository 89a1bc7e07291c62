"""Classroom JSON → the unified model (rosters, guardians, topics): pure functions, no I/O.

Every function takes the JSON object exactly as the Classroom API v1 returns it (proto3
JSON: fields at their default value are absent) and a ``ref`` maker that turns a native id
into a :class:`~unified_edu.models.Ref` of this provider and tenant. Field names and enum
values are the discovery document's (``classroom.v1.json`` bundled with
google-api-python-client); fields the model does not cover go to ``extra`` under their
Classroom names. Homework, submissions and rubrics are mapped in ``_mapping_work.py``
with the helpers defined here; the reverse direction (specs → request bodies) is in
``_bodies.py``.

Rules that are easy to get wrong, and how they are applied here:

- ``dueDate`` + ``dueTime`` are both UTC; together they are one aware UTC datetime.
  Classroom has no date-only deadline (``dueTime`` is required with ``dueDate``); a
  ``dueTime`` that is absent or all zero (``{}``, the proto3 JSON of 00:00:00) is read as
  a date-only deadline, a ``date``, which is how a deadline without a time of day
  arrives. A real 00:00 UTC deadline therefore reads as its date.
- ``maxPoints`` 0 or absent means ungraded: ``max_points=None``.

This module must not import googleapiclient or any other platform client.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from unified_edu.models import (
    GOOGLE_CLASS_STATES,
    GOOGLE_GUARDIAN_INVITATION_STATES,
    Category,
    Class,
    ClassState,
    Enrollment,
    GuardianLink,
    GuardianLinkState,
    Person,
    Ref,
    Role,
    School,
    normalize,
)

__all__ = [
    "PROVIDER",
    "Json",
    "RefMaker",
    "extra",
    "parse_time",
    "ref_maker",
    "seq",
    "to_category",
    "to_class",
    "to_due",
    "to_enrollment",
    "to_guardian_invitation",
    "to_guardian_link",
    "to_org_unit_school",
    "to_person",
    "to_school",
]

PROVIDER = "google"
Json = Mapping[str, Any]
#: Turns a native id into a Ref of this provider and tenant.
RefMaker = Callable[[str], Ref]


def ref_maker(tenant: str) -> RefMaker:
    """A :data:`RefMaker` for ``tenant`` of the Google provider."""

    def make(native_id: str) -> Ref:
        return Ref(provider=PROVIDER, tenant=tenant, id=native_id)

    return make


def parse_time(value: str | None) -> dt.datetime | None:
    """Parse a Classroom ``google-datetime`` (RFC 3339, ``Z``, up to 9 decimals) as UTC.

    Nanoseconds are cut to microseconds (Python's resolution). ``None`` or ``""`` give
    ``None``.
    """
    if not value:
        return None
    parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        # google-datetime is always UTC; a bare value would be a server bug, read it as UTC.
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)


def to_due(due_date: Json | None, due_time: Json | None) -> dt.datetime | dt.date | None:
    """``dueDate`` + ``dueTime`` (both UTC) as an aware UTC datetime.

    Returns a ``date`` when ``dueTime`` is absent or all zero (``{}``: no time of day),
    and ``None`` without a due date or when the date is incomplete (Classroom's ``Date``
    uses 0 for an absent part).
    """
    if not due_date:
        return None
    year, month, day = (int(due_date.get(k, 0)) for k in ("year", "month", "day"))
    if not (year and month and day):
        return None
    if not due_time or not any(due_time.get(k) for k in ("hours", "minutes", "seconds", "nanos")):
        return dt.date(year, month, day)
    return dt.datetime(
        year,
        month,
        day,
        int(due_time.get("hours", 0)),
        int(due_time.get("minutes", 0)),
        int(due_time.get("seconds", 0)),
        int(due_time.get("nanos", 0)) // 1000,
        tzinfo=dt.UTC,
    )


def seq(items: Iterable[Any]) -> Any:
    # The model's ``converter=tuple`` fields are typed ``Iterable[_T_co]`` by mypy's attrs
    # plugin, with the type variable unbound, which rejects every concrete element type.
    return tuple(items)


def extra(payload: Json, names: Iterable[str]) -> dict[str, Any]:
    return {name: payload[name] for name in names if name in payload}


def to_school(domain: str, name: str, ref: RefMaker) -> School:
    """The one School of a Workspace domain (Classroom has no school entity).

    Args:
        domain: The Workspace domain; it is the school's native id.
        name: The display name given to the provider.
        ref: The ref maker.
    """
    return School(ref=ref(domain), name=name, extra={"domain": domain})


def to_org_unit_school(path: str, name: str, domain: str, ref: RefMaker) -> School:
    """A School of an organisational unit (configured ``org_units``): its id is the path."""
    return School(ref=ref(path), name=name, extra={"domain": domain, "org_unit_path": path})


def to_class(course: Json, ref: RefMaker, *, school_id: str | None = None) -> Class:
    """A ``Course`` as a :class:`Class` (``enrollmentCode`` → ``code``)."""
    state = course.get("courseState")
    return Class(
        ref=ref(course["id"]),
        name=course["name"],
        school_id=school_id,
        state=normalize(GOOGLE_CLASS_STATES, state, ClassState.UNKNOWN),
        platform_state=state,
        section=course.get("section") or None,
        description=course.get("description") or None,
        subject=course.get("subject") or None,
        code=course.get("enrollmentCode") or None,
        owner_id=course.get("ownerId") or None,
        web_link=course.get("alternateLink") or None,
        created_at=parse_time(course.get("creationTime")),
        updated_at=parse_time(course.get("updateTime")),
        extra=extra(
            course,
            (
                "descriptionHeading",
                "room",
                "levels",
                "guardiansEnabled",
                "calendarId",
                "courseGroupEmail",
                "teacherGroupEmail",
                "teacherFolder",
                "gradebookSettings",
            ),
        ),
    )


def to_person(profile: Json, role: Role, ref: RefMaker) -> Person:
    """A ``UserProfile`` as a :class:`Person` met in ``role``.

    ``email`` is only present when the token holds ``classroom.profile.emails``.
    """
    name = profile.get("name") or {}
    given = name.get("givenName") or None
    family = name.get("familyName") or None
    full = name.get("fullName") or " ".join(p for p in (given, family) if p)
    return Person(
        ref=ref(profile["id"]),
        name=full,
        role=role,
        email=profile.get("emailAddress"),
        given_name=given,
        family_name=family,
        extra=extra(profile, ("photoUrl", "permissions", "verifiedTeacher")),
    )


def to_enrollment(member: Json, role: Role, ref: RefMaker, *, owner_id: str | None) -> Enrollment:
    """A ``Teacher`` or ``Student`` roster row as an :class:`Enrollment`.

    Args:
        member: The roster row (``courseId``, ``userId``, ``profile``).
        role: ``Role.TEACHER`` for ``teachers.list``, ``Role.STUDENT`` for ``students.list``.
        ref: The ref maker.
        owner_id: The course's ``ownerId``, if known (sets ``is_owner``).
    """
    course_id, user_id = member["courseId"], member["userId"]
    profile = member.get("profile")
    return Enrollment(
        ref=ref(f"{course_id}/{user_id}"),
        class_id=course_id,
        person_id=user_id,
        role=role,
        is_owner=owner_id is not None and user_id == owner_id,
        person=to_person(profile, role, ref) if profile and profile.get("id") else None,
        extra=extra(member, ("studentWorkFolder",)),
    )


def to_guardian_link(guardian: Json, ref: RefMaker) -> GuardianLink:
    """An accepted ``Guardian`` as an ``ACTIVE`` link (ref id ``studentId/guardianId``)."""
    profile = guardian.get("guardianProfile")
    return GuardianLink(
        ref=ref(f"{guardian['studentId']}/{guardian['guardianId']}"),
        student_id=guardian["studentId"],
        state=GuardianLinkState.ACTIVE,
        guardian=to_person(profile, Role.GUARDIAN, ref) if profile and profile.get("id") else None,
        guardian_email=guardian.get("invitedEmailAddress") or (profile or {}).get("emailAddress"),
        extra={"guardianId": guardian["guardianId"]},
    )


def to_guardian_invitation(invitation: Json, ref: RefMaker) -> GuardianLink:
    """A ``GuardianInvitation``: ``PENDING`` → ``INVITED``, ``COMPLETE`` → ``INVITATION_CLOSED``.

    ``COMPLETE`` covers accepted, declined, withdrawn and expired alike (Classroom does not
    tell them apart). ``invitedEmailAddress`` is only visible to domain admins.
    """
    state = invitation.get("state")
    return GuardianLink(
        ref=ref(invitation["invitationId"]),
        student_id=invitation["studentId"],
        state=normalize(GOOGLE_GUARDIAN_INVITATION_STATES, state, GuardianLinkState.UNKNOWN),
        platform_state=state,
        guardian_email=invitation.get("invitedEmailAddress"),
        created_at=parse_time(invitation.get("creationTime")),
    )


def to_category(topic: Json, ref: RefMaker) -> Category:
    """A ``Topic`` as a :class:`Category`."""
    return Category(
        ref=ref(topic["topicId"]),
        class_id=topic["courseId"],
        name=topic["name"],
        updated_at=parse_time(topic.get("updateTime")),
    )
