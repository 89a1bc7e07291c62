"""What a backend implements: the abstract half of the provider interface.

:class:`~unified_edu.providers.base.Provider` adds the public methods, which check
capabilities and validate arguments before calling these. A backend overrides every
abstract method; the optional ones (capabilities a platform may lack) default to a clear
:class:`~unified_edu.errors.UnsupportedOperationError`.

This module must not import any platform client.
"""

from __future__ import annotations

import abc
from collections.abc import Iterator
from typing import ClassVar, TypeAlias

from unified_edu.errors import UnsupportedOperationError
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
from unified_edu.providers._capabilities import Capability

__all__ = ["BackendMethods", "SnapshotItem"]

#: What :meth:`~unified_edu.providers.base.Provider.iter_snapshot` yields.
SnapshotItem: TypeAlias = Class | Enrollment | Category | Assignment | Submission | GuardianLink


class BackendMethods(abc.ABC):
    """The ``_``-prefixed methods a backend implements."""

    name: ClassVar[str]

    @abc.abstractmethod
    def _iter_schools(self) -> Iterator[School]: ...

    @abc.abstractmethod
    def _iter_classes(
        self, *, school_id: str | None, states: frozenset[ClassState] | None
    ) -> Iterator[Class]: ...

    @abc.abstractmethod
    def _get_class(self, class_id: str) -> Class: ...

    @abc.abstractmethod
    def _iter_people(
        self, *, class_ids: tuple[str, ...] | None, role: Role | None
    ) -> Iterator[Person]: ...

    @abc.abstractmethod
    def _get_person(self, person_id: str) -> Person: ...

    @abc.abstractmethod
    def _iter_enrollments(
        self, class_ids: tuple[str, ...], *, role: Role | None
    ) -> Iterator[Enrollment]: ...

    @abc.abstractmethod
    def _iter_guardians(self, *, student_ids: tuple[str, ...] | None) -> Iterator[GuardianLink]: ...

    @abc.abstractmethod
    def _iter_categories(self, class_ids: tuple[str, ...]) -> Iterator[Category]: ...

    @abc.abstractmethod
    def _iter_assignments(
        self, class_ids: tuple[str, ...], *, states: frozenset[AssignmentState]
    ) -> Iterator[Assignment]: ...

    @abc.abstractmethod
    def _get_assignment(self, class_id: str, assignment_id: str) -> Assignment: ...

    @abc.abstractmethod
    def _iter_submissions(
        self, class_ids: tuple[str, ...], *, assignment_id: str | None
    ) -> Iterator[Submission]: ...

    @abc.abstractmethod
    def _get_submission(
        self, class_id: str, assignment_id: str, submission_id: str
    ) -> Submission: ...

    @abc.abstractmethod
    def _create_class(self, spec: ClassSpec) -> Class: ...

    @abc.abstractmethod
    def _update_class(self, class_id: str, update: ClassUpdate) -> Class: ...

    @abc.abstractmethod
    def _delete_class(self, class_id: str) -> None: ...

    @abc.abstractmethod
    def _add_enrollment(self, class_id: str, person_id: str, role: Role) -> Enrollment: ...

    @abc.abstractmethod
    def _remove_enrollment(self, class_id: str, person_id: str, role: Role) -> None: ...

    @abc.abstractmethod
    def _create_assignment(self, class_id: str, spec: AssignmentSpec) -> Assignment: ...

    @abc.abstractmethod
    def _update_assignment(
        self, class_id: str, assignment_id: str, update: AssignmentUpdate
    ) -> Assignment: ...

    @abc.abstractmethod
    def _publish_assignment(self, class_id: str, assignment_id: str) -> Assignment: ...

    @abc.abstractmethod
    def _delete_assignment(self, class_id: str, assignment_id: str) -> None: ...

    @abc.abstractmethod
    def _set_grade(
        self, class_id: str, assignment_id: str, submission_id: str, *, points: float
    ) -> Submission: ...

    @abc.abstractmethod
    def _return_submission(
        self, class_id: str, assignment_id: str, submission_id: str
    ) -> Submission: ...

    # Composite reads. The defaults chain the single reads above; a backend overrides
    # them when it can share requests across listings (batches of mixed listings) or
    # skip a listing the caller already made.

    def _iter_submissions_of(self, assignments: tuple[Assignment, ...]) -> Iterator[Submission]:
        wanted = {(a.class_id, a.ref.id) for a in assignments}
        classes = tuple(dict.fromkeys(a.class_id for a in assignments))
        if not classes:
            return
        for submission in self._iter_submissions(classes, assignment_id=None):
            if (submission.class_id, submission.assignment_id) in wanted:
                yield submission

    def _iter_classes_of(self, person_id: str, role: Role) -> Iterator[Class]:
        # Without a platform filter: every class, then the rosters.
        classes = {c.ref.id: c for c in self._iter_classes(school_id=None, states=None)}
        if not classes:
            return
        seen: set[str] = set()
        for enrollment in self._iter_enrollments(tuple(classes), role=role):
            if enrollment.person_id == person_id and enrollment.class_id not in seen:
                seen.add(enrollment.class_id)
                yield classes[enrollment.class_id]

    def _iter_snapshot(self, *, guardians: bool) -> Iterator[SnapshotItem]:
        class_ids: list[str] = []
        for klass in self._iter_classes(school_id=None, states=None):
            class_ids.append(klass.ref.id)
            yield klass
        if class_ids:
            classes = tuple(class_ids)
            yield from self._iter_enrollments(classes, role=None)
            yield from self._iter_categories(classes)
            # Homework is small beside its submissions: kept to read their submissions
            # without listing the classes' homework a second time.
            homework: list[Assignment] = []
            for assignment in self._iter_assignments(classes, states=frozenset(AssignmentState)):
                homework.append(assignment)
                yield assignment
            yield from self._iter_submissions_of(tuple(homework))
        if guardians:
            yield from self._iter_guardians(student_ids=None)

    # Optional capabilities: reached only when declared, so the defaults never run for a
    # provider that does not declare them; a provider that declares one overrides it.

    def _get_rubric(self, class_id: str, assignment_id: str) -> Rubric | None:
        raise self._not_implemented(Capability.READ_RUBRICS)

    def _create_category(self, class_id: str, name: str) -> Category:
        raise self._not_implemented(Capability.WRITE_CATEGORIES)

    def _set_feedback(
        self, class_id: str, assignment_id: str, submission_id: str, *, text: str
    ) -> Submission:
        raise self._not_implemented(Capability.FEEDBACK)

    def _excuse_submission(
        self, class_id: str, assignment_id: str, submission_id: str
    ) -> Submission:
        raise self._not_implemented(Capability.EXCUSE)

    def _reassign_submission(
        self, class_id: str, assignment_id: str, submission_id: str
    ) -> Submission:
        raise self._not_implemented(Capability.REASSIGN)

    def _invite_guardian(self, student_id: str, email: str) -> GuardianLink:
        raise self._not_implemented(Capability.INVITE_GUARDIANS)

    def _not_implemented(self, capability: Capability) -> UnsupportedOperationError:
        return UnsupportedOperationError(
            self.name, capability.value, "declared but not implemented by this backend"
        )
