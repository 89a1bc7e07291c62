"""What a grades import works with: the homework's reference, checked rows, results.

Pure data, no I/O; :mod:`._grades` fills them in.

This module must not import any platform client.
"""

from __future__ import annotations

import enum

import attrs

from unified_edu.errors import UnifiedEduError, ValidationError
from unified_edu.homework._grades_csv import GradeRow
from unified_edu.models import Assignment, Person, Submission

__all__ = [
    "AssignmentRef",
    "GradeImportResult",
    "GradePlan",
    "GradeResult",
    "GradeStatus",
    "GradeStep",
]


@attrs.frozen(kw_only=True)
class AssignmentRef:
    """Which homework: its tenant, class and native id (``tenant:class_id:assignment_id``)."""

    tenant: str
    class_id: str
    assignment_id: str

    @classmethod
    def parse(cls, text: str) -> AssignmentRef:
        """``"tenant:class_id:assignment_id"`` (a ``provider:`` in front is ignored).

        Raises:
            ValidationError: for any other shape.
        """
        parts = [part.strip() for part in text.strip().split(":")]
        if len(parts) == 4:
            parts = parts[1:]
        if len(parts) != 3 or not all(parts):
            raise ValidationError(
                f"homework is named tenant:class_id:assignment_id, not {text!r}",
                field="assignment",
            )
        return cls(tenant=parts[0], class_id=parts[1], assignment_id=parts[2])

    @classmethod
    def of(cls, assignment: Assignment) -> AssignmentRef:
        """The reference of a piece of homework read from the city."""
        return cls(
            tenant=assignment.ref.tenant,
            class_id=assignment.class_id,
            assignment_id=assignment.ref.id,
        )

    def __str__(self) -> str:
        return f"{self.tenant}:{self.class_id}:{self.assignment_id}"


class GradeStatus(enum.StrEnum):
    """What happened to one row."""

    GRADED = "graded"  # draft grade and/or feedback set
    RETURNED = "returned"  # set (if needed) and returned to the student
    UNCHANGED = "unchanged"  # already so
    FAILED = "failed"


@attrs.frozen(kw_only=True)
class GradeStep:
    """What will be written for one checked row.

    Attributes:
        row: The row.
        student: The student it names.
        submission: The student's work on the homework, as it was read.
        points: The points to set, or ``None`` (feedback only).
        feedback: The feedback to set, or ``None``.
        set_points: False when the draft grade is already ``points``.
        set_feedback: False when the draft feedback is already ``feedback``.
        give_back: True when the work will be returned (``release``).
        note: Why the work will not be returned though ``release`` asks it, if so.
    """

    row: GradeRow
    student: Person
    submission: Submission
    points: float | None
    feedback: str | None
    set_points: bool
    set_feedback: bool
    give_back: bool
    note: str | None = None

    @property
    def writes(self) -> bool:
        """True when anything will be written for the row."""
        return self.set_points or self.set_feedback or self.give_back


@attrs.frozen(kw_only=True)
class GradePlan:
    """Checked rows, ready to write."""

    ref: AssignmentRef
    assignment: Assignment
    release: bool
    steps: tuple[GradeStep, ...]


@attrs.frozen(kw_only=True)
class GradeResult:
    """One row's result."""

    step: GradeStep
    status: GradeStatus
    submission: Submission | None = None
    error: UnifiedEduError | None = attrs.field(default=None, eq=False)


@attrs.frozen(kw_only=True)
class GradeImportResult:
    """Every row's result, in file order."""

    plan: GradePlan
    results: tuple[GradeResult, ...]

    @property
    def failed(self) -> list[GradeResult]:
        """The rows that were not written."""
        return [r for r in self.results if r.status is GradeStatus.FAILED]

    @property
    def ok(self) -> bool:
        """True when every row is done."""
        return not self.failed
