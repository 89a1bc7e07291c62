"""The provider interface every backend implements.

Users call the public methods; backend authors implement the ``_``-prefixed abstract
ones. The public methods check the capability (raising
:class:`~unified_edu.errors.UnsupportedOperationError` before any I/O), validate and
normalize arguments, then delegate. Pagination, batching, retries and rate limiting are
the backend's business and never visible here: ``iter_*`` yields model objects lazily
across pages; ``list_*`` returns them all.

The interface is synchronous. A backend may run concurrent or async work inside (the
Graph client is async-only) through :mod:`unified_edu._aio`.

This module must not import any platform client.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from types import TracebackType
from typing import TYPE_CHECKING, ClassVar, Self

from unified_edu.errors import ConfigurationError, UnsupportedOperationError, ValidationError
from unified_edu.models import (
    Assignment,
    AssignmentSpec,
    AssignmentState,
    AssignmentUpdate,
    Category,
    Class,
    ClassSpec,
    ClassState,
    ClassUpdate,
    Enrollment,
    GuardianLink,
    Person,
    Role,
    Rubric,
    School,
    Submission,
)
from unified_edu.models._base import non_empty, points_value
from unified_edu.providers._backend import BackendMethods, SnapshotItem
from unified_edu.providers._capabilities import Capability

if TYPE_CHECKING:
    from unified_edu.config import CityConfig, TenantConfig

__all__ = ["Capability", "Provider", "ids"]

#: Capabilities whose implementation is optional: the base raises for them.
OPTIONAL_CAPABILITIES: frozenset[Capability] = frozenset(
    {
        Capability.READ_RUBRICS,
        Capability.WRITE_CATEGORIES,
        Capability.FEEDBACK,
        Capability.EXCUSE,
        Capability.REASSIGN,
        Capability.INVITE_GUARDIANS,
    }
)


def ids(value: str | Iterable[str], field: str = "class_ids") -> tuple[str, ...]:
    """Normalize one id or many to a tuple of unique, non-empty ids (order kept).

    Raises:
        ValidationError: for an empty id or an empty collection.
    """
    items = (value,) if isinstance(value, str) else tuple(value)
    if not items:
        raise ValidationError(f"{field} must name at least one id", field=field)
    for item in items:
        non_empty(item, field)
    return tuple(dict.fromkeys(items))


class Provider(BackendMethods):
    """One tenant of one platform behind the unified interface.

    Attributes:
        name: The registry name of the backend (``"google"``, ``"microsoft"``).
        tenant: The tenant's configured name; it is every returned object's
            ``ref.tenant``.
    """

    name: ClassVar[str]
    #: Everything the backend can do with the most capable credentials.
    CAPABILITIES: ClassVar[frozenset[Capability]]

    def __init__(self, *, tenant: str) -> None:
        self.tenant = non_empty(tenant, "tenant")

    @classmethod
    def from_config(cls, tenant: TenantConfig, city: CityConfig) -> Self:
        """Build the provider for one ``[[tenants]]`` entry of a tenants file.

        Raises:
            ConfigurationError: for missing or wrong credentials fields.
        """
        raise ConfigurationError(
            f"provider {cls.name!r} cannot be built from a tenants file", tenant=tenant.name
        )

    # -- capabilities -----------------------------------------------------------------

    @property
    def capabilities(self) -> frozenset[Capability]:
        """What this provider, with its current credentials, can do.

        Defaults to :attr:`CAPABILITIES`; a backend narrows it (app-only Graph tokens).
        """
        return self.CAPABILITIES

    def supports(self, capability: Capability) -> bool:
        """True when :attr:`capabilities` includes ``capability``."""
        return capability in self.capabilities

    def require(self, capability: Capability) -> None:
        """Raise :class:`UnsupportedOperationError` unless ``capability`` is declared."""
        if capability not in self.capabilities:
            raise UnsupportedOperationError(
                self.name, capability.value, self.unsupported_reason(capability)
            )

    def unsupported_reason(self, capability: Capability) -> str:
        """Why ``capability`` is missing, in words a user can act on (may be empty)."""
        return ""

    # -- lifecycle --------------------------------------------------------------------

    def close(self) -> None:
        """Release connections and background resources. Idempotent."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}:{self.tenant}>"

    # -- reads ------------------------------------------------------------------------

    def iter_schools(self) -> Iterator[School]:
        """Yield every school of the tenant."""
        self.require(Capability.READ_SCHOOLS)
        return self._iter_schools()

    def list_schools(self) -> list[School]:
        """Every school of the tenant."""
        return list(self.iter_schools())

    def iter_classes(
        self,
        *,
        school_id: str | None = None,
        states: Collection[ClassState] | None = None,
    ) -> Iterator[Class]:
        """Yield the classes visible to the caller, optionally of one school or in states."""
        self.require(Capability.READ_CLASSES)
        return self._iter_classes(
            school_id=school_id, states=frozenset(states) if states is not None else None
        )

    def list_classes(
        self,
        *,
        school_id: str | None = None,
        states: Collection[ClassState] | None = None,
    ) -> list[Class]:
        """The classes visible to the caller (see :meth:`iter_classes`)."""
        return list(self.iter_classes(school_id=school_id, states=states))

    def iter_classes_of(self, person_id: str, *, role: Role = Role.STUDENT) -> Iterator[Class]:
        """Yield the classes where the person is enrolled as ``role`` (a pupil's classes,
        or with ``Role.TEACHER`` a teacher's), each once.

        Cheaper than reading every roster: Classroom filters courses by ``studentId`` /
        ``teacherId``, Graph lists a user's classes / taught classes.

        Raises:
            ValidationError: For an empty id or a role other than STUDENT and TEACHER.
        """
        self.require(Capability.READ_CLASSES)
        if role not in (Role.STUDENT, Role.TEACHER):
            raise ValidationError(
                f"classes are listed for students and teachers, not {role.value}", field="role"
            )
        return self._iter_classes_of(non_empty(person_id, "person_id"), role)

    def get_class(self, class_id: str) -> Class:
        """One class by native id. Raises ``NotFoundError`` if absent."""
        self.require(Capability.READ_CLASSES)
        return self._get_class(non_empty(class_id, "class_id"))

    def iter_people(
        self, *, class_ids: str | Iterable[str] | None = None, role: Role | None = None
    ) -> Iterator[Person]:
        """Yield people: of the given classes (each once), or every user the caller sees."""
        self.require(Capability.READ_PEOPLE)
        return self._iter_people(class_ids=None if class_ids is None else ids(class_ids), role=role)

    def list_people(
        self, *, class_ids: str | Iterable[str] | None = None, role: Role | None = None
    ) -> list[Person]:
        """People (see :meth:`iter_people`)."""
        return list(self.iter_people(class_ids=class_ids, role=role))

    def get_person(self, person_id: str) -> Person:
        """One person by native id or e-mail. Raises ``NotFoundError`` if absent."""
        self.require(Capability.READ_PEOPLE)
        return self._get_person(non_empty(person_id, "person_id"))

    def iter_enrollments(
        self, class_ids: str | Iterable[str], *, role: Role | None = None
    ) -> Iterator[Enrollment]:
        """Yield the teachers and students of the given classes."""
        self.require(Capability.READ_ENROLLMENTS)
        return self._iter_enrollments(ids(class_ids), role=role)

    def list_enrollments(
        self, class_ids: str | Iterable[str], *, role: Role | None = None
    ) -> list[Enrollment]:
        """The teachers and students of the given classes."""
        return list(self.iter_enrollments(class_ids, role=role))

    def iter_guardians(
        self, *, student_ids: str | Iterable[str] | None = None
    ) -> Iterator[GuardianLink]:
        """Yield guardian links and open invitations, of the students or of everyone."""
        self.require(Capability.READ_GUARDIANS)
        return self._iter_guardians(
            student_ids=None if student_ids is None else ids(student_ids, "student_ids")
        )

    def list_guardians(
        self, *, student_ids: str | Iterable[str] | None = None
    ) -> list[GuardianLink]:
        """Guardian links (see :meth:`iter_guardians`)."""
        return list(self.iter_guardians(student_ids=student_ids))

    def iter_categories(self, class_ids: str | Iterable[str]) -> Iterator[Category]:
        """Yield the categories (Classroom topics) of the given classes."""
        self.require(Capability.READ_CATEGORIES)
        return self._iter_categories(ids(class_ids))

    def list_categories(self, class_ids: str | Iterable[str]) -> list[Category]:
        """The categories of the given classes."""
        return list(self.iter_categories(class_ids))

    def iter_assignments(
        self,
        class_ids: str | Iterable[str],
        *,
        states: Collection[AssignmentState] | None = None,
    ) -> Iterator[Assignment]:
        """Yield the homework of the given classes.

        Args:
            class_ids: One class id or many; many are read concurrently or batched.
            states: Only these states; ``None`` means every state but ``DELETED``.
        """
        self.require(Capability.READ_ASSIGNMENTS)
        wanted = (
            frozenset(states)
            if states is not None
            else frozenset(AssignmentState) - {AssignmentState.DELETED}
        )
        return self._iter_assignments(ids(class_ids), states=wanted)

    def list_assignments(
        self,
        class_ids: str | Iterable[str],
        *,
        states: Collection[AssignmentState] | None = None,
    ) -> list[Assignment]:
        """The homework of the given classes (see :meth:`iter_assignments`)."""
        return list(self.iter_assignments(class_ids, states=states))

    def get_assignment(self, class_id: str, assignment_id: str) -> Assignment:
        """One piece of homework. Raises ``NotFoundError`` if absent."""
        self.require(Capability.READ_ASSIGNMENTS)
        return self._get_assignment(
            non_empty(class_id, "class_id"), non_empty(assignment_id, "assignment_id")
        )

    def iter_submissions(
        self,
        class_ids: str | Iterable[str],
        *,
        assignment_id: str | None = None,
    ) -> Iterator[Submission]:
        """Yield students' submissions with their grades.

        Args:
            class_ids: One class id or many.
            assignment_id: Only this homework's (then ``class_ids`` must name one class).
        """
        self.require(Capability.READ_SUBMISSIONS)
        classes = ids(class_ids)
        if assignment_id is not None and len(classes) != 1:
            raise ValidationError("assignment_id needs exactly one class id", field="assignment_id")
        return self._iter_submissions(classes, assignment_id=assignment_id)

    def list_submissions(
        self,
        class_ids: str | Iterable[str],
        *,
        assignment_id: str | None = None,
    ) -> list[Submission]:
        """Students' submissions (see :meth:`iter_submissions`)."""
        return list(self.iter_submissions(class_ids, assignment_id=assignment_id))

    def iter_submissions_of(self, assignments: Iterable[Assignment]) -> Iterator[Submission]:
        """Yield the submissions of homework already read with :meth:`iter_assignments`.

        Reads what :meth:`iter_submissions` reads for those items, without listing the
        classes' homework again (Graph lists it first to find the submissions: one call
        per class saved; Classroom lists a course's submissions in one listing anyway).

        Raises:
            ValidationError: For homework of another provider or tenant.
        """
        self.require(Capability.READ_SUBMISSIONS)
        homework = tuple(assignments)
        for item in homework:
            if (item.ref.provider, item.ref.tenant) != (self.name, self.tenant):
                raise ValidationError(
                    f"homework {item.ref.id!r} belongs to {item.ref.provider}:"
                    f"{item.ref.tenant}, not to {self.name}:{self.tenant}",
                    field="assignments",
                )
        return self._iter_submissions_of(homework)

    def iter_snapshot(self, *, guardians: bool = True) -> Iterator[SnapshotItem]:
        """Yield everything the caller sees in this tenant, in the fewest requests.

        Every class (all states); each class's enrollments, categories, homework in every
        state and submissions; and, with ``guardians``, the tenant's guardian links.
        Kinds interleave as the platform answers (tell them apart with ``isinstance``),
        but every class comes before anything of it, and a class's homework before its
        submissions. Listings of different kinds share batch requests where the
        platform allows it.

        Raises:
            UnsupportedOperationError: When one of those reads is not supported.
        """
        for needed in (
            Capability.READ_CLASSES,
            Capability.READ_ENROLLMENTS,
            Capability.READ_CATEGORIES,
            Capability.READ_ASSIGNMENTS,
            Capability.READ_SUBMISSIONS,
            *((Capability.READ_GUARDIANS,) if guardians else ()),
        ):
            self.require(needed)
        return self._iter_snapshot(guardians=guardians)

    def get_submission(self, class_id: str, assignment_id: str, submission_id: str) -> Submission:
        """One submission. Raises ``NotFoundError`` if absent."""
        self.require(Capability.READ_SUBMISSIONS)
        return self._get_submission(
            non_empty(class_id, "class_id"),
            non_empty(assignment_id, "assignment_id"),
            non_empty(submission_id, "submission_id"),
        )

    def get_rubric(self, class_id: str, assignment_id: str) -> Rubric | None:
        """The homework's rubric, or ``None`` when it has none."""
        self.require(Capability.READ_RUBRICS)
        return self._get_rubric(
            non_empty(class_id, "class_id"), non_empty(assignment_id, "assignment_id")
        )

    # -- writes -----------------------------------------------------------------------

    def create_class(self, spec: ClassSpec) -> Class:
        """Create a class and return it."""
        self.require(Capability.WRITE_CLASSES)
        return self._create_class(spec)

    def update_class(self, class_id: str, update: ClassUpdate) -> Class:
        """Change a class and return it as it now is."""
        self.require(Capability.WRITE_CLASSES)
        if not update.changed():
            raise ValidationError("the update changes nothing")
        return self._update_class(non_empty(class_id, "class_id"), update)

    def delete_class(self, class_id: str) -> None:
        """Delete a class."""
        self.require(Capability.WRITE_CLASSES)
        self._delete_class(non_empty(class_id, "class_id"))

    def add_enrollment(self, class_id: str, person_id: str, role: Role) -> Enrollment:
        """Add a teacher or student (id or e-mail) to a class."""
        self.require(Capability.WRITE_ENROLLMENTS)
        _enrollment_role(role)
        return self._add_enrollment(
            non_empty(class_id, "class_id"), non_empty(person_id, "person_id"), role
        )

    def remove_enrollment(self, class_id: str, person_id: str, role: Role) -> None:
        """Remove a teacher or student from a class."""
        self.require(Capability.WRITE_ENROLLMENTS)
        _enrollment_role(role)
        self._remove_enrollment(
            non_empty(class_id, "class_id"), non_empty(person_id, "person_id"), role
        )

    def create_category(self, class_id: str, name: str) -> Category:
        """Create a category (Classroom topic) in a class."""
        self.require(Capability.WRITE_CATEGORIES)
        return self._create_category(non_empty(class_id, "class_id"), non_empty(name, "name"))

    def create_assignment(self, class_id: str, spec: AssignmentSpec) -> Assignment:
        """Create a piece of homework (published unless ``spec.publish`` is False).

        An ambiguous failure (the connection dropped after the request was sent) never
        creates a duplicate: the backend checks whether the homework exists first.
        """
        self.require(Capability.WRITE_ASSIGNMENTS)
        if spec.publish:
            self.require(Capability.PUBLISH_ASSIGNMENTS)
        return self._create_assignment(non_empty(class_id, "class_id"), spec)

    def update_assignment(
        self, class_id: str, assignment_id: str, update: AssignmentUpdate
    ) -> Assignment:
        """Change a piece of homework and return it as it now is."""
        self.require(Capability.WRITE_ASSIGNMENTS)
        if not update.changed():
            raise ValidationError("the update changes nothing")
        return self._update_assignment(
            non_empty(class_id, "class_id"), non_empty(assignment_id, "assignment_id"), update
        )

    def publish_assignment(self, class_id: str, assignment_id: str) -> Assignment:
        """Publish a draft and return it once the platform has settled."""
        self.require(Capability.PUBLISH_ASSIGNMENTS)
        return self._publish_assignment(
            non_empty(class_id, "class_id"), non_empty(assignment_id, "assignment_id")
        )

    def delete_assignment(self, class_id: str, assignment_id: str) -> None:
        """Delete a piece of homework."""
        self.require(Capability.WRITE_ASSIGNMENTS)
        self._delete_assignment(
            non_empty(class_id, "class_id"), non_empty(assignment_id, "assignment_id")
        )

    def set_grade(
        self, class_id: str, assignment_id: str, submission_id: str, *, points: float
    ) -> Submission:
        """Set the draft grade (only teachers see it) and return the submission.

        Raises:
            ValidationError: for negative or non-finite points, or points above the
                homework's maximum.
        """
        self.require(Capability.GRADE)
        checked = points_value(points, "points")
        assert checked is not None
        return self._set_grade(
            non_empty(class_id, "class_id"),
            non_empty(assignment_id, "assignment_id"),
            non_empty(submission_id, "submission_id"),
            points=checked,
        )

    def set_feedback(
        self, class_id: str, assignment_id: str, submission_id: str, *, text: str
    ) -> Submission:
        """Set the teacher's feedback text (draft until returned)."""
        self.require(Capability.FEEDBACK)
        return self._set_feedback(
            non_empty(class_id, "class_id"),
            non_empty(assignment_id, "assignment_id"),
            non_empty(submission_id, "submission_id"),
            text=non_empty(text, "text"),
        )

    def return_submission(
        self, class_id: str, assignment_id: str, submission_id: str
    ) -> Submission:
        """Return the work to the student and release its draft grade and feedback."""
        self.require(Capability.RETURN)
        return self._return_submission(
            non_empty(class_id, "class_id"),
            non_empty(assignment_id, "assignment_id"),
            non_empty(submission_id, "submission_id"),
        )

    def excuse_submission(
        self, class_id: str, assignment_id: str, submission_id: str
    ) -> Submission:
        """Excuse the student from the homework (Graph)."""
        self.require(Capability.EXCUSE)
        return self._excuse_submission(
            non_empty(class_id, "class_id"),
            non_empty(assignment_id, "assignment_id"),
            non_empty(submission_id, "submission_id"),
        )

    def reassign_submission(
        self, class_id: str, assignment_id: str, submission_id: str
    ) -> Submission:
        """Send the work back for revision (Graph)."""
        self.require(Capability.REASSIGN)
        return self._reassign_submission(
            non_empty(class_id, "class_id"),
            non_empty(assignment_id, "assignment_id"),
            non_empty(submission_id, "submission_id"),
        )

    def invite_guardian(self, student_id: str, email: str) -> GuardianLink:
        """Invite a guardian by e-mail to follow a student (Classroom)."""
        self.require(Capability.INVITE_GUARDIANS)
        if "@" not in email:
            raise ValidationError(f"not an e-mail address: {email!r}", field="email")
        return self._invite_guardian(non_empty(student_id, "student_id"), email.strip())


def _enrollment_role(role: Role) -> None:
    if role not in (Role.TEACHER, Role.STUDENT):
        raise ValidationError("role must be Role.TEACHER or Role.STUDENT", field="role")
