"""Graph education JSON → the domain model, and the model → Graph request bodies.

The one place where Graph's wire format meets :mod:`unified_edu.models`. Every function
is pure and works on plain JSON dicts (see :mod:`._wire` for why not msgraph models):
roster mappers live here, homework mappers in :mod:`._mapping_work`, request bodies in
:mod:`._bodies`; all are re-exported from this module. A property the model does not
hold goes to the object's ``extra``; an unreadable value becomes ``None``, never an
exception, so one odd item never loses a page.

This module must not import msgraph or do I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from unified_edu.models import (
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
    Term,
)
from unified_edu.providers.microsoft._bodies import (
    ODATA_USER_BASE,
    assignment_body,
    assignment_patch,
    class_body,
    class_patch,
    due_instant,
    feedback_outcome_patch,
    member_ref_body,
    points_outcome_patch,
    resource_body,
)
from unified_edu.providers.microsoft._mapping_work import (
    material_kind,
    to_assignment,
    to_material,
    to_rubric,
    to_submission,
)
from unified_edu.providers.microsoft._wire import (
    Json,
    as_dict,
    as_list,
    parse_date,
    rest,
    text,
)

__all__ = [
    "ODATA_USER_BASE",
    "PROVIDER",
    "assignment_body",
    "assignment_patch",
    "class_body",
    "class_patch",
    "due_instant",
    "feedback_outcome_patch",
    "material_kind",
    "member_ref_body",
    "points_outcome_patch",
    "resource_body",
    "to_assignment",
    "to_category",
    "to_class",
    "to_enrollment",
    "to_enrollments",
    "to_guardian_links",
    "to_material",
    "to_person",
    "to_rubric",
    "to_school",
    "to_submission",
]

PROVIDER = "microsoft"

# educationUserRole (msgraph-sdk EducationUserRole): student, teacher, none,
# unknownFutureValue. Anything else (including "none") is OTHER.
_ROLES = {"student": Role.STUDENT, "teacher": Role.TEACHER}


def _ref(tenant: str, native_id: str) -> Ref:
    return Ref(provider=PROVIDER, tenant=tenant, id=native_id)


def _id(payload: Json) -> str:
    found = text(payload.get("id"))
    if found is None:
        raise ValueError("a Graph entity without an id cannot be mapped")
    return found


def to_school(payload: Json, *, tenant: str) -> School:
    """An ``educationSchool`` → :class:`School` (``displayName``, ``externalId``).

    Raises:
        ValueError: when the payload has no ``id``.
    """
    school_id = _id(payload)
    return School(
        ref=_ref(tenant, school_id),
        name=text(payload.get("displayName")) or school_id,
        external_id=text(payload.get("externalId")),
        extra=rest(payload, ("id", "displayName", "externalId")),
    )


def _term(value: Any) -> Term | None:
    term = as_dict(value)
    name = text(term.get("displayName"))
    start, end = parse_date(term.get("startDate")), parse_date(term.get("endDate"))
    external = text(term.get("externalId"))
    if not (name or start or end or external):
        return None
    if start and end and end < start:
        # An inverted term is the source's mistake; keep the dates' order readable.
        start, end = end, start
    return Term(name=name, start=start, end=end, external_id=external)


def to_class(payload: Json, *, tenant: str, school_id: str | None = None) -> Class:
    """An ``educationClass`` → :class:`Class`.

    ``grade`` becomes ``section``, ``classCode`` the ``code``, ``course.subject`` the
    subject, ``term`` a :class:`Term`. Graph v1.0 classes have no lifecycle state: every
    class it lists is ``ACTIVE`` (``platform_state`` stays ``None``).

    Raises:
        ValueError: when the payload has no ``id``.
    """
    class_id = _id(payload)
    course = as_dict(payload.get("course"))
    name = text(payload.get("displayName")) or text(payload.get("mailNickname")) or class_id
    return Class(
        ref=_ref(tenant, class_id),
        name=name,
        school_id=school_id,
        state=ClassState.ACTIVE,
        section=text(payload.get("grade")),
        description=text(payload.get("description")),
        subject=text(course.get("subject")),
        code=text(payload.get("classCode")),
        external_id=text(payload.get("externalId")),
        term=_term(payload.get("term")),
        extra=rest(
            payload,
            ("id", "displayName", "grade", "description", "classCode", "externalId", "term"),
        ),
    )


def to_person(payload: Json, *, tenant: str) -> Person:
    """An ``educationUser`` → :class:`Person` (``primaryRole``; ``mail`` or the UPN).

    Raises:
        ValueError: when the payload has no ``id``.
    """
    user_id = _id(payload)
    role = _ROLES.get(str(payload.get("primaryRole")), Role.OTHER)
    email = text(payload.get("mail")) or text(payload.get("userPrincipalName"))
    return Person(
        ref=_ref(tenant, user_id),
        name=text(payload.get("displayName")) or email or user_id,
        role=role,
        email=email if email and "@" in email else None,
        given_name=text(payload.get("givenName")),
        family_name=text(payload.get("surname")),
        extra=rest(payload, ("id", "displayName", "mail", "givenName", "surname")),
    )


def to_enrollment(class_id: str, payload: Json, role: Role, *, tenant: str) -> Enrollment:
    """One user of a class's ``teachers`` or ``members`` → :class:`Enrollment`.

    The ref id is ``"<class id>/<user id>"``; the user's profile rides along.
    """
    person = to_person(payload, tenant=tenant)
    return Enrollment(
        ref=_ref(tenant, f"{class_id}/{person.ref.id}"),
        class_id=class_id,
        person_id=person.ref.id,
        role=role,
        person=person,
    )


def to_enrollments(
    class_id: str, teachers: Iterable[Json], members: Iterable[Json], *, tenant: str
) -> Iterator[Enrollment]:
    """A class's roster: every teacher, then every member who is not a teacher (a student).

    Graph lists teachers as group owners and (for Office to work) usually as members too;
    a member who is also a teacher is a teacher here, never both.
    """
    teacher_ids: set[str] = set()
    for payload in teachers:
        enrollment = to_enrollment(class_id, payload, Role.TEACHER, tenant=tenant)
        teacher_ids.add(enrollment.person_id)
        yield enrollment
    for payload in members:
        if text(payload.get("id")) in teacher_ids:
            continue
        yield to_enrollment(class_id, payload, Role.STUDENT, tenant=tenant)


def to_guardian_links(payload: Json, *, tenant: str) -> list[GuardianLink]:
    """A user's ``relatedContacts`` → active :class:`GuardianLink` objects (read-only).

    Graph v1.0 has no guardian entity: ``relatedContacts`` (usually synced from a SIS) is
    all there is, so contacts have no ids. A link's ref id is ``"<user id>/<index>"``;
    the guardian :class:`Person` (role ``GUARDIAN``) carries the same synthetic id.
    ``mobilePhone`` and ``accessConsent`` go to ``extra``.
    """
    user_id = _id(payload)
    links = []
    for index, raw in enumerate(as_list(payload.get("relatedContacts"))):
        contact = as_dict(raw)
        link_id = f"{user_id}/{index}"
        email = text(contact.get("emailAddress"))
        name = text(contact.get("displayName"))
        guardian = (
            Person(
                ref=_ref(tenant, link_id),
                name=name or email or link_id,
                role=Role.GUARDIAN,
                email=email if email and "@" in email else None,
            )
            if name or email
            else None
        )
        links.append(
            GuardianLink(
                ref=_ref(tenant, link_id),
                student_id=user_id,
                state=GuardianLinkState.ACTIVE,
                guardian=guardian,
                guardian_email=email if email and "@" in email else None,
                relationship=text(contact.get("relationship")),
                extra=rest(contact, ("displayName", "emailAddress", "relationship")),
            )
        )
    return links


def to_category(payload: Json, *, class_id: str, tenant: str) -> Category:
    """An ``educationCategory`` → :class:`Category` (``displayName``).

    Raises:
        ValueError: when the payload has no ``id``.
    """
    category_id = _id(payload)
    return Category(
        ref=_ref(tenant, category_id),
        class_id=class_id,
        name=text(payload.get("displayName")) or category_id,
        extra=rest(payload, ("id", "displayName")),
    )
