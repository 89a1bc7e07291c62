"""Reads of the Google provider: school, classes, people, enrollments, guardians, topics,
homework, submissions, rubrics.

Every multi-class read is a set of listings sent through the batch scheduler: first
pages of up to 50 listings share one batch request, continuations go into later batches,
and model objects are yielded page by page (nothing is held whole, submissions least of
all). Reads run as the domain admin under delegation.

Only :mod:`unified_edu.providers.google` imports this module.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from unified_edu.errors import NotFoundError, PermissionDeniedError
from unified_edu.models import (
    GOOGLE_ASSIGNMENT_STATES,
    GOOGLE_CLASS_STATES,
    Assignment,
    AssignmentState,
    Category,
    Class,
    ClassState,
    Enrollment,
    GuardianLink,
    Person,
    Role,
    Rubric,
    School,
    Submission,
)
from unified_edu.providers.google import _mapping as mapping
from unified_edu.providers.google import _mapping_work as work_mapping
from unified_edu.providers.google._core import Core, Listing

__all__ = ["ALL_WORK_STATES", "ReadsMixin", "guardian_listings"]

_ROSTERS = {Role.TEACHER: "teachers", Role.STUDENT: "students"}
_ROLE_OF = {"teachers": Role.TEACHER, "students": Role.STUDENT}


def guardian_listings(student: str) -> tuple[Listing, Listing]:
    """The student's guardians and invitations, PENDING and COMPLETE (``"-"``: everyone's).

    Classroom lists only PENDING invitations unless told otherwise.
    """
    return (
        Listing("guardians", student),
        Listing("guardianInvitations", student, states=("COMPLETE", "PENDING")),
    )


def _native(table: Mapping[str, object], wanted: frozenset[object]) -> tuple[str, ...]:
    # The Classroom values whose normalized value is wanted, in a stable order. An
    # ``*_UNSPECIFIED`` value is never stored, so asking for it would only cost a call.
    return tuple(
        sorted(
            native
            for native, value in table.items()
            if value in wanted and not native.endswith("_UNSPECIFIED")
        )
    )


#: Every Classroom coursework state (sent explicitly: the default is PUBLISHED only).
ALL_WORK_STATES = _native(GOOGLE_ASSIGNMENT_STATES, frozenset(AssignmentState))


class ReadsMixin(Core):
    """Reads (see the module docstring)."""

    def _iter_schools(self) -> Iterator[School]:
        """One school per configured OU (its id: the OU path), then the domain's school
        (no call is made)."""
        for path, name in (self.org_units.schools if self.org_units else {}).items():
            yield mapping.to_org_unit_school(path, name, self.domain, self._ref)
        yield mapping.to_school(self.domain, self.school_name, self._ref)

    def _iter_classes(
        self, *, school_id: str | None, states: frozenset[ClassState] | None
    ) -> Iterator[Class]:
        """Classes visible to the admin, newest first; of one school: filtered here by
        their owner's OU when org units are configured.

        Calls: GET /v1/courses?pageSize=1000[&courseStates=...] (every page), and with
        org units the Directory listing once (see ``_org_units.py``).
        """
        schools = {self.domain, *(self.org_units.schools if self.org_units else ())}
        if school_id is not None and school_id not in schools:
            return
        native: tuple[str, ...] = ()
        if states is not None:
            native = _native(GOOGLE_CLASS_STATES, frozenset(states))
            if not native:
                return  # No Classroom state maps to what was asked.
        for _, course in self._items([Listing("courses", states=native)]):
            klass = self._class(course)
            if school_id is None or klass.school_id == school_id:
                yield klass

    def _iter_classes_of(self, person_id: str, role: Role) -> Iterator[Class]:
        """The courses where the user is a student (or, with ``Role.TEACHER``, a teacher).

        Calls: GET /v1/courses?studentId=... (or teacherId=...) (every page).
        """
        kind = "teacherCourses" if role is Role.TEACHER else "studentCourses"
        for _, course in self._items([Listing(kind, person_id)]):
            yield self._class(course)

    def _get_class(self, class_id: str) -> Class:
        """Calls: GET /v1/courses/{id} (an id or an alias such as ``d:...``)."""
        return self._class(self._transport.execute(None, lambda s: s.courses().get(id=class_id)))

    def _class_ids(self) -> Iterator[str]:
        for _, course in self._items([Listing("courses")]):
            yield self._class(course).ref.id

    def _iter_people(
        self, *, class_ids: tuple[str, ...] | None, role: Role | None
    ) -> Iterator[Person]:
        """People met in rosters (each once), or guardians for ``Role.GUARDIAN``.

        Without ``class_ids`` the rosters of every visible class are read. A person keeps
        the role of the roster they were met in first.

        Calls: GET /v1/courses (without class_ids), then GET .../teachers and
        GET .../students per class, batched; for guardians see :meth:`iter_guardians`.
        """
        seen: set[str] = set()
        if role is Role.GUARDIAN:
            students = None if class_ids is None else self._student_ids(class_ids)
            for link in self._iter_guardians(student_ids=students):
                person = link.guardian
                if person is not None and person.ref.id not in seen:
                    seen.add(person.ref.id)
                    yield person
            return
        if role is Role.OTHER:
            return
        kinds = [_ROSTERS[role]] if role is not None else ["teachers", "students"]
        courses = class_ids if class_ids is not None else tuple(self._class_ids())
        listings = [Listing(kind, course) for course in courses for kind in kinds]
        for listing, member in self._items(listings):
            profile = member.get("profile") or {}
            if profile.get("id") and profile["id"] not in seen:
                seen.add(profile["id"])
                yield mapping.to_person(profile, _ROLE_OF[listing.kind], self._ref)

    def _student_ids(self, class_ids: tuple[str, ...]) -> tuple[str, ...]:
        found: dict[str, None] = {}
        for _, member in self._items(Listing("students", c) for c in class_ids):
            found[member["userId"]] = None
        return tuple(found)

    def _get_person(self, person_id: str) -> Person:
        """A profile by id or e-mail. ``role`` is ``TEACHER`` for a verified teacher, else
        ``OTHER`` (a profile carries no role).

        Raises:
            NotFoundError: For an unknown or invisible user (Classroom answers a plain
                403 for both).

        Calls: GET /v1/userProfiles/{userId}.
        """
        try:
            profile = self._transport.execute(
                None, lambda s: s.userProfiles().get(userId=person_id)
            )
        except PermissionDeniedError as exc:
            # A scope problem carries a platform reason; a plain 403 means "no such user
            # that you may see", which is what NotFoundError says.
            if exc.code != "PERMISSION_DENIED" or exc.inner_code:
                raise
            raise NotFoundError(
                f"no Classroom user {person_id!r} visible to the caller",
                provider=exc.provider,
                status=exc.status,
                code=exc.code,
                platform_message=exc.platform_message,
            ) from exc
        role = Role.TEACHER if profile.get("verifiedTeacher") else Role.OTHER
        return mapping.to_person(profile, role, self._ref)

    def _iter_enrollments(
        self, class_ids: tuple[str, ...], *, role: Role | None
    ) -> Iterator[Enrollment]:
        """Teachers and students of the classes; ``is_owner`` from each course's ownerId.

        Calls: GET /v1/courses/{id} for classes whose owner is not yet known (batched),
        then GET .../teachers and GET .../students per class (batched).
        """
        if role is not None and role not in _ROSTERS:
            return  # Rosters hold teachers and students only.
        kinds = [_ROSTERS[role]] if role is not None else ["teachers", "students"]
        owners = self._known_owners(class_ids)
        listings = [Listing(kind, course) for course in class_ids for kind in kinds]
        for listing, member in self._items(listings):
            yield self._enrollment(listing, member, owners.get(listing.parent))

    def _enrollment(self, listing: Listing, member: Any, owner_id: str | None) -> Enrollment:
        """A row of a ``teachers`` or ``students`` listing; ``owner_id``: its course's."""
        return mapping.to_enrollment(member, _ROLE_OF[listing.kind], self._ref, owner_id=owner_id)

    def _iter_guardians(self, *, student_ids: tuple[str, ...] | None) -> Iterator[GuardianLink]:
        """Accepted guardians (ACTIVE) and invitations, PENDING and COMPLETE alike.

        Classroom lists only PENDING invitations unless told otherwise, and
        ``studentId="-"`` (every student) works for domain admins only.

        Calls: GET /v1/userProfiles/{studentId}/guardians and
        GET /v1/userProfiles/{studentId}/guardianInvitations?states=PENDING&states=COMPLETE
        (``studentId="-"`` without student_ids), batched.
        """
        students = student_ids if student_ids is not None else ("-",)
        listings = [listing for student in students for listing in guardian_listings(student)]
        for listing, item in self._items(listings):
            yield self._guardian_link(listing, item)

    def _guardian_link(self, listing: Listing, item: Any) -> GuardianLink:
        """A row of a ``guardians`` or ``guardianInvitations`` listing."""
        if listing.kind == "guardians":
            return mapping.to_guardian_link(item, self._ref)
        return mapping.to_guardian_invitation(item, self._ref)

    def _iter_categories(self, class_ids: tuple[str, ...]) -> Iterator[Category]:
        """Calls: GET /v1/courses/{courseId}/topics per class, batched."""
        for _, topic in self._items(Listing("topics", c) for c in class_ids):
            yield mapping.to_category(topic, self._ref)

    def _iter_assignments(
        self, class_ids: tuple[str, ...], *, states: frozenset[AssignmentState]
    ) -> Iterator[Assignment]:
        """Homework in the wanted states (passed explicitly: Classroom's default is
        PUBLISHED only).

        Calls: GET /v1/courses/{courseId}/courseWork?courseWorkStates=... per class,
        batched.
        """
        native = _native(GOOGLE_ASSIGNMENT_STATES, frozenset(states))
        if not native:
            return  # An empty filter would mean "PUBLISHED only" to Classroom.
        for _, work in self._items(Listing("courseWork", c, states=native) for c in class_ids):
            yield self._assignment(work)

    def _assignment(self, work: Any) -> Assignment:
        """A ``CourseWork`` mapped, its maximum remembered (for grades and submissions)."""
        assignment = work_mapping.to_assignment(work, self._ref)
        self._remember_max(assignment.class_id, assignment.ref.id, assignment.max_points)
        return assignment

    def _get_assignment(self, class_id: str, assignment_id: str) -> Assignment:
        """Calls: GET /v1/courses/{courseId}/courseWork/{id}."""
        work = self._transport.execute(
            None, lambda s: s.courses().courseWork().get(courseId=class_id, id=assignment_id)
        )
        assignment = work_mapping.to_assignment(work, self._ref)
        self._remember_max(class_id, assignment_id, assignment.max_points)  # as the caller named it
        return assignment

    def _iter_submissions(
        self, class_ids: tuple[str, ...], *, assignment_id: str | None
    ) -> Iterator[Submission]:
        """Submissions of published homework, with draft and released grades.

        Calls: GET /v1/courses/{courseId}/courseWork/-/studentSubmissions per class
        (``courseWorkId="-"``: every item at once), or .../{assignment_id}/... for one.
        """
        item = assignment_id or "-"
        for _, sub in self._items(Listing("submissions", c, item=item) for c in class_ids):
            _, max_points = self._cached_max(sub["courseId"], sub["courseWorkId"])
            yield work_mapping.to_submission(sub, self._ref, max_points=max_points)

    def _get_submission(self, class_id: str, assignment_id: str, submission_id: str) -> Submission:
        """Calls: GET .../courseWork/{courseWorkId}/studentSubmissions/{id}, and
        GET .../courseWork/{id} once per homework for its maximum."""
        sub = self._transport.execute(
            None,
            lambda s: (
                s.courses()
                .courseWork()
                .studentSubmissions()
                .get(courseId=class_id, courseWorkId=assignment_id, id=submission_id)
            ),
        )
        max_points = self._max_points(class_id, assignment_id)
        return work_mapping.to_submission(sub, self._ref, max_points=max_points)

    def _get_rubric(self, class_id: str, assignment_id: str) -> Rubric | None:
        """The homework's rubric (at most one), or ``None``.

        Calls: GET /v1/courses/{courseId}/courseWork/{courseWorkId}/rubrics?pageSize=1.
        """
        answer = self._transport.execute(
            None,
            lambda s: (
                s.courses()
                .courseWork()
                .rubrics()
                .list(courseId=class_id, courseWorkId=assignment_id, pageSize=1)
            ),
        )
        rubrics = answer.get("rubrics") or []
        return work_mapping.to_rubric(rubrics[0], self._ref) if rubrics else None
