"""Schools, classes, people, enrollments and guardian links. Pure data, no I/O."""

from __future__ import annotations

import datetime as dt

import attrs

from unified_edu.errors import ValidationError
from unified_edu.models._base import Extra, Ref, extra_field
from unified_edu.models._fields import email_field, title_field, when_field
from unified_edu.models._states import ClassState, GuardianLinkState, Role

__all__ = ["Class", "Enrollment", "GuardianLink", "Person", "School", "Term"]


@attrs.frozen(kw_only=True)
class School:
    """A school. Google: one per Workspace domain (or org unit). Graph: ``educationSchool``.

    Attributes:
        ref: Where the school lives.
        name: Display name.
        external_id: The school's id in the city's registry (Graph ``externalId``), if known.
        extra: Platform fields the model does not cover.
    """

    ref: Ref
    name: str = title_field("name")
    external_id: str | None = None
    extra: Extra = extra_field()


@attrs.frozen(kw_only=True)
class Term:
    """A school term (Graph ``educationTerm``); Classroom has none."""

    name: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    external_id: str | None = None

    def __attrs_post_init__(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError("term end is before its start", field="end")


@attrs.frozen(kw_only=True)
class Class:
    """A class: a Google course or a Graph ``educationClass``.

    Attributes:
        ref: Where the class lives.
        name: Display name (Classroom ``name``, Graph ``displayName``).
        school_id: Native id of the school it belongs to, if known.
        state: Normalized lifecycle state.
        platform_state: The platform's own state string (``None`` on Graph).
        section: Section or grade text (Classroom ``section``, Graph ``grade``).
        description: Free text.
        subject: Subject, if the platform has one.
        code: The join code (Classroom ``enrollmentCode``, Graph ``classCode``).
        external_id: The id in the city's registry (Graph ``externalId``; Classroom alias).
        term: The term, if the platform has one.
        owner_id: Native id of the primary teacher, if the platform has one.
        web_link: URL of the class in the platform's UI.
        created_at: Creation time (UTC).
        updated_at: Last update time (UTC).
        extra: Platform fields the model does not cover.
    """

    ref: Ref
    name: str = title_field("name")
    school_id: str | None = None
    state: ClassState = ClassState.ACTIVE
    platform_state: str | None = None
    section: str | None = None
    description: str | None = None
    subject: str | None = None
    code: str | None = None
    external_id: str | None = None
    term: Term | None = None
    owner_id: str | None = None
    web_link: str | None = None
    created_at: dt.datetime | None = when_field("created_at")
    updated_at: dt.datetime | None = when_field("updated_at")
    extra: Extra = extra_field()


@attrs.frozen(kw_only=True)
class Person:
    """A teacher, student or guardian as the platform knows them.

    Attributes:
        ref: Where the person lives (their platform user id).
        name: Full display name.
        role: Primary role (Graph ``primaryRole``; on Classroom, the role in which the
            person was met: teacher or student roster, guardian record).
        email: Primary e-mail address, if visible to the caller (lower-cased).
        given_name: Given name, if known.
        family_name: Family name, if known.
        extra: Platform fields the model does not cover.
    """

    ref: Ref
    name: str
    role: Role
    email: str | None = email_field()
    given_name: str | None = None
    family_name: str | None = None
    extra: Extra = extra_field()


@attrs.frozen(kw_only=True)
class Enrollment:
    """A person's membership of a class.

    Attributes:
        ref: The membership (id ``"<class id>/<person id>"``).
        class_id: Native id of the class.
        person_id: Native id of the person.
        role: ``TEACHER`` or ``STUDENT`` in this class.
        is_owner: True for the class's primary teacher (Classroom ``ownerId``).
        person: The person's profile when the platform returns it with the roster.
    """

    ref: Ref
    class_id: str
    person_id: str
    role: Role
    is_owner: bool = False
    person: Person | None = None
    extra: Extra = extra_field()

    def __attrs_post_init__(self) -> None:
        if self.role not in (Role.TEACHER, Role.STUDENT):
            raise ValidationError("an enrollment's role is teacher or student", field="role")


@attrs.frozen(kw_only=True)
class GuardianLink:
    """A student ↔ guardian link, or an invitation to become one.

    Attributes:
        ref: The link (Classroom guardian or invitation id; Graph ``<user>/<index>``).
        student_id: Native id of the student.
        state: ``ACTIVE`` link, or an invitation ``INVITED`` / ``INVITATION_CLOSED``.
        platform_state: The platform's own state string, if any.
        guardian: The guardian's profile, when the platform has one.
        guardian_email: The invited or known e-mail address, if visible (lower-cased).
        relationship: Graph ``relatedContact.relationship`` (``parent``, ``guardian``, ...).
        created_at: When the invitation was created (UTC), if known.
    """

    ref: Ref
    student_id: str
    state: GuardianLinkState
    platform_state: str | None = None
    guardian: Person | None = None
    guardian_email: str | None = email_field()
    relationship: str | None = None
    created_at: dt.datetime | None = when_field("created_at")
    extra: Extra = extra_field()
