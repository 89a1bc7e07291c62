"""Writes of the Google provider: classes, enrollments, topics, homework, guardian invitations.

Whom each write runs as (domain-wide delegation): the admin for courses, rosters, topics
and guardians; a teacher of the course for homework (Classroom refuses it from an admin
who does not teach, reference §2.2).

No create is ever duplicated by a retry. googleapiclient's retries are off, httplib2 does
not re-send POSTs (``NoReplayHttp``) and the retry policy retries a create only after a
429. When a create fails ambiguously (the connection dropped after sending, a 5xx), the
provider looks for what it created before trying again:

- courses are created with a course alias in ``id`` (``d:<external_id>`` when the spec
  has one, else ``p:unified-edu-<uuid>``, a project-scoped alias only this developer
  project can see): the alias is looked up with ``courses.get``, and a repeated create
  would fail with ``ALREADY_EXISTS`` rather than duplicate;
- coursework has no client-settable id or metadata field, so the class's coursework (all
  states but DELETED) is listed and the item is matched on everything sent (title,
  description, state, work type, maximum, deadline, topic), created by the same user
  (``creatorUserId`` = ``userProfiles.get("me")``), by this developer project
  (``associatedWithDeveloper``) and no earlier than two minutes before the request; items
  this provider created before are excluded. An identical item created by the same user
  through this project within that window in another process would be taken for ours;
- roster additions, topics and guardian invitations are looked up by their natural key.

``AssignmentSpec.client_key`` makes re-creating with the same key return the homework
created before, within the provider's lifetime (Classroom has no field to store the key).

Only :mod:`unified_edu.providers.google` imports this module.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any

import attrs

from unified_edu.errors import NotFoundError, ValidationError
from unified_edu.models import (
    Assignment,
    AssignmentSpec,
    AssignmentUpdate,
    Category,
    Class,
    ClassSpec,
    ClassUpdate,
    Enrollment,
    GuardianLink,
    Role,
)
from unified_edu.providers._capabilities import Capability
from unified_edu.providers.google import _bodies as bodies
from unified_edu.providers.google import _mapping as mapping
from unified_edu.providers.google import _mapping_work as work_mapping
from unified_edu.providers.google._core import Core, Listing

__all__ = ["WritesMixin"]

# How far before our request a matching item may have been created (clock skew).
_CREATE_WINDOW = dt.timedelta(minutes=2)
_MATCHED = ("title", "description", "state", "workType", "maxPoints", "dueDate", "topicId")
_ROSTER = {Role.TEACHER: "teachers", Role.STUDENT: "students"}


def _alias(spec: ClassSpec) -> str:
    if spec.external_id:
        if spec.external_id.startswith(("d:", "p:")):
            return spec.external_id
        return "d:" + spec.external_id
    return "p:unified-edu-" + uuid.uuid4().hex


def _same_work(work: Mapping[str, Any], body: Mapping[str, Any]) -> bool:
    for name in _MATCHED:
        if (work.get(name) or None) != (body.get(name) or None):
            return False
    # proto3 leaves out zero parts of dueTime: compare with defaults filled in.
    parts = ("hours", "minutes", "seconds", "nanos")
    sent, got = body.get("dueTime") or {}, work.get("dueTime") or {}
    return all(sent.get(p, 0) == got.get(p, 0) for p in parts)


class WritesMixin(Core):
    """Writes (see the module docstring)."""

    # -- classes ------------------------------------------------------------------------

    def _create_class(self, spec: ClassSpec) -> Class:
        """Create a course (``ACTIVE`` unless ``spec.active`` is False) under an alias.

        Calls: POST /v1/courses; after an ambiguous failure GET /v1/courses/{alias}.
        """
        alias = _alias(spec)
        body = bodies.course_body(spec, alias=alias)

        def find() -> Any:
            try:
                return self._transport.execute(None, lambda s: s.courses().get(id=alias))
            except NotFoundError:
                return None

        course = self._once(
            lambda: self._transport.execute(
                None, lambda s: s.courses().create(body=body), idempotent=False
            ),
            find,
        )
        return attrs.evolve(self._class(course), external_id=spec.external_id)

    def _update_class(self, class_id: str, update: ClassUpdate) -> Class:
        """Calls: PATCH /v1/courses/{id}?updateMask=... (twice when un-archiving and
        changing fields: an archived course accepts only a state change)."""
        body, mask = bodies.course_patch(update)
        fields = [m for m in mask.split(",") if m != "courseState"]
        if update.archived is False and fields:
            self._patch_course(class_id, {"courseState": "ACTIVE"}, "courseState")
            body.pop("courseState")
            mask = ",".join(fields)
        return self._class(self._patch_course(class_id, body, mask))

    def _patch_course(self, class_id: str, body: dict[str, Any], mask: str) -> Any:
        return self._transport.execute(
            None, lambda s: s.courses().patch(id=class_id, updateMask=mask, body=body)
        )

    def _delete_class(self, class_id: str) -> None:
        """Calls: DELETE /v1/courses/{id}."""
        self._transport.execute(None, lambda s: s.courses().delete(id=class_id))

    # -- enrollments --------------------------------------------------------------------

    def _add_enrollment(self, class_id: str, person_id: str, role: Role) -> Enrollment:
        """Add directly, as the admin (user and course owner in the admin's domain).

        Classroom refuses a direct add otherwise (``@CannotDirectAddUser``, raised as
        ``PermissionDeniedError``); use :meth:`invite_to_class` then.

        Calls: POST /v1/courses/{courseId}/teachers or .../students; after an ambiguous
        failure GET .../{userId}.
        """
        roster = _ROSTER[role]

        def members(s: Any) -> Any:
            return getattr(s.courses(), roster)()

        def find() -> Any:
            try:
                return self._transport.execute(
                    None, lambda s: members(s).get(courseId=class_id, userId=person_id)
                )
            except NotFoundError:
                return None

        member = self._once(
            lambda: self._transport.execute(
                None,
                lambda s: members(s).create(courseId=class_id, body={"userId": person_id}),
                idempotent=False,
            ),
            find,
        )
        with self._lock:
            owner = self._owners.get(class_id)
        return mapping.to_enrollment(member, role, self._ref, owner_id=owner)

    def _remove_enrollment(self, class_id: str, person_id: str, role: Role) -> None:
        """Calls: DELETE /v1/courses/{courseId}/teachers/{userId} or .../students/{userId}."""
        roster = _ROSTER[role]
        self._transport.execute(
            None,
            lambda s: getattr(s.courses(), roster)().delete(courseId=class_id, userId=person_id),
        )

    def invite_to_class(self, class_id: str, person_id: str, role: Role) -> str:
        """Invite a user to a class as teacher or student (Classroom only).

        The way in when a direct add is refused (``@CannotDirectAddUser``: the user or the
        course owner is outside the admin's domain). The user joins on accepting. At most
        one invitation exists per user and course.

        Returns:
            The invitation id.

        Calls: POST /v1/invitations.
        """
        self.require(Capability.WRITE_ENROLLMENTS)
        if role not in _ROSTER:
            raise ValidationError("role must be Role.TEACHER or Role.STUDENT", field="role")
        body = {"courseId": class_id, "userId": person_id, "role": role.value.upper()}
        answer = self._transport.execute(
            None, lambda s: s.invitations().create(body=body), idempotent=False
        )
        return str(answer["id"])

    # -- topics -------------------------------------------------------------------------

    def _create_category(self, class_id: str, name: str) -> Category:
        """Calls: POST /v1/courses/{courseId}/topics; after an ambiguous failure
        GET .../topics (names are unique per course)."""

        def find() -> Any:
            wanted = " ".join(name.split())  # Classroom trims and collapses white space.
            for _, topic in self._items([Listing("topics", class_id)]):
                if topic.get("name") == wanted:
                    return topic
            return None

        topic = self._once(
            lambda: self._transport.execute(
                None,
                lambda s: s.courses().topics().create(courseId=class_id, body={"name": name}),
                idempotent=False,
            ),
            find,
        )
        return mapping.to_category(topic, self._ref)

    # -- homework -----------------------------------------------------------------------

    def _create_assignment(self, class_id: str, spec: AssignmentSpec) -> Assignment:
        """Create a courseWork item as a teacher of the class (see the module docstring).

        Calls: POST /v1/courses/{courseId}/courseWork (plus the teacher lookup once per
        class); after an ambiguous failure GET /v1/userProfiles/me and
        GET .../courseWork?courseWorkStates=DRAFT&courseWorkStates=PUBLISHED.
        """
        body = bodies.coursework_body(spec, zone=self._zone)
        if spec.client_key:
            known, work_id = self._client_keys.get((class_id, spec.client_key))
            if known and work_id:
                return self._get_assignment(class_id, work_id)
        teacher = self._teacher(class_id)
        started = dt.datetime.now(dt.UTC)
        work = self._once(
            lambda: self._transport.execute(
                teacher,
                lambda s: s.courses().courseWork().create(courseId=class_id, body=body),
                idempotent=False,
            ),
            lambda: self._find_work(class_id, teacher, body, since=started - _CREATE_WINDOW),
        )
        assignment = work_mapping.to_assignment(work, self._ref)
        self._created_work.put(assignment.ref.id, None)
        if spec.client_key:
            self._client_keys.put((class_id, spec.client_key), assignment.ref.id)
        self._remember_max(class_id, assignment.ref.id, assignment.max_points)
        return assignment

    def _find_work(
        self, class_id: str, teacher: str | None, body: Mapping[str, Any], *, since: dt.datetime
    ) -> Any:
        me = self._transport.execute(teacher, lambda s: s.userProfiles().get(userId="me"))["id"]
        newest: tuple[dt.datetime, Any] | None = None
        listing = Listing("courseWork", class_id, states=("DRAFT", "PUBLISHED"))
        for _, work in self._items([listing], teacher):
            created = mapping.parse_time(work.get("creationTime"))
            if (
                created is not None
                and created >= since
                and work.get("associatedWithDeveloper")
                and work.get("creatorUserId") == me
                and work.get("id") not in self._created_work
                and _same_work(work, body)
                and (newest is None or created > newest[0])
            ):
                newest = (created, work)
        return newest[1] if newest else None

    def _update_assignment(
        self, class_id: str, assignment_id: str, update: AssignmentUpdate
    ) -> Assignment:
        """Calls: PATCH /v1/courses/{courseId}/courseWork/{id}?updateMask=... as a teacher."""
        body, mask = bodies.coursework_patch(update, zone=self._zone)
        return self._patch_work(class_id, assignment_id, body, mask)

    def _publish_assignment(self, class_id: str, assignment_id: str) -> Assignment:
        """Calls: PATCH /v1/courses/{courseId}/courseWork/{id}?updateMask=state."""
        return self._patch_work(class_id, assignment_id, {"state": "PUBLISHED"}, "state")

    def _patch_work(
        self, class_id: str, assignment_id: str, body: dict[str, Any], mask: str
    ) -> Assignment:
        teacher = self._teacher(class_id)
        work = self._transport.execute(
            teacher,
            lambda s: (
                s.courses()
                .courseWork()
                .patch(courseId=class_id, id=assignment_id, updateMask=mask, body=body)
            ),
        )
        assignment = work_mapping.to_assignment(work, self._ref)
        self._remember_max(class_id, assignment_id, assignment.max_points)
        return assignment

    def _delete_assignment(self, class_id: str, assignment_id: str) -> None:
        """Calls: DELETE /v1/courses/{courseId}/courseWork/{id} as a teacher."""
        teacher = self._teacher(class_id)
        self._transport.execute(
            teacher, lambda s: s.courses().courseWork().delete(courseId=class_id, id=assignment_id)
        )

    # -- guardians ----------------------------------------------------------------------

    def _invite_guardian(self, student_id: str, email: str) -> GuardianLink:
        """Invite a guardian (they must accept; the link is ``INVITED`` meanwhile).

        Calls: POST /v1/userProfiles/{studentId}/guardianInvitations as the admin; after
        an ambiguous failure GET .../guardianInvitations?invitedEmailAddress=...
        """
        body = {"studentId": student_id, "invitedEmailAddress": email}

        def invitations(s: Any) -> Any:
            return s.userProfiles().guardianInvitations()

        def find() -> Any:
            answer = self._transport.execute(
                None,
                lambda s: invitations(s).list(
                    studentId=student_id, invitedEmailAddress=email, states=["PENDING"]
                ),
            )
            found = answer.get("guardianInvitations") or []
            return found[0] if found else None

        invitation = self._once(
            lambda: self._transport.execute(
                None,
                lambda s: invitations(s).create(studentId=student_id, body=body),
                idempotent=False,
            ),
            find,
        )
        return mapping.to_guardian_invitation(invitation, self._ref)
