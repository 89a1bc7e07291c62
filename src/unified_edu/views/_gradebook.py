"""A teacher's gradebook: one class's homework (columns) × its students (rows).

Unlike the parent's view, a gradebook is a teacher's tool: it shows draft grades next to
released ones, each cell saying which it is. Export to CSV or XLSX lives in
``_gradebook_export.py``.

This module must not import any platform client.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import attrs

from unified_edu.models import (
    Assignment,
    Class,
    Person,
    Ref,
    Role,
    Submission,
    SubmissionState,
)
from unified_edu.reports._metrics import POSTED_STATES
from unified_edu.views._time import Due, due_instant, local_due

if TYPE_CHECKING:
    from unified_edu.client import Municipality

__all__ = ["Gradebook", "GradebookCell", "GradebookColumn", "GradebookRow", "gradebook"]


@attrs.frozen(kw_only=True)
class GradebookColumn:
    """One piece of homework.

    Attributes:
        assignment_id: Native id.
        title: Its title.
        due: The deadline in the city's zone (a ``date`` for a date-only deadline).
        max_points: ``None`` for ungraded homework.
    """

    assignment_id: str
    title: str
    due: Due
    max_points: float | None


@attrs.frozen(kw_only=True)
class GradebookCell:
    """One student's work on one piece of homework.

    Attributes:
        state: The submission's normalized state.
        late: The platform's late flag.
        released_points: Points of the grade the student sees.
        draft_points: Points of the teacher's private grade.
        submission_id: Native id of the submission.
    """

    state: SubmissionState
    late: bool | None
    released_points: float | None
    draft_points: float | None
    submission_id: str

    @property
    def is_draft(self) -> bool:
        """True when the teacher's draft differs from what the student sees."""
        return self.draft_points is not None and self.draft_points != self.released_points

    @property
    def points(self) -> float | None:
        """The newest points: the draft when it differs, else the released grade."""
        return self.draft_points if self.is_draft else self.released_points

    def text(self) -> str:
        """``"17"`` released, ``"18 (draft)"`` not yet released, ``"17 → 18 (draft)"``
        regraded; empty when ungraded."""
        released = _number(self.released_points)
        if not self.is_draft:
            return released
        draft = f"{_number(self.draft_points)} (draft)"
        return f"{released} → {draft}" if released else draft


@attrs.frozen(kw_only=True)
class GradebookRow:
    """One student and their cells, aligned with :attr:`Gradebook.columns`.

    Attributes:
        student_id: Native id.
        person: The profile from the roster (``None`` for someone no longer enrolled).
        cells: One per column; ``None`` where the student has no submission.
    """

    student_id: str
    person: Person | None
    cells: tuple[GradebookCell | None, ...]


@attrs.frozen(kw_only=True)
class Gradebook:
    """A class's homework × students grid.

    Attributes:
        klass: The class.
        time_zone: The city's zone; deadlines are in it.
        columns: The homework, by deadline (no deadline last).
        rows: The students, by family then given name.
    """

    klass: Class
    time_zone: str
    columns: tuple[GradebookColumn, ...]
    rows: tuple[GradebookRow, ...]

    def cell(self, student_id: str, assignment_id: str) -> GradebookCell | None:
        """One student's cell of one piece of homework (``None``: no submission).

        Raises:
            KeyError: for a student or homework not in the gradebook.
        """
        column = next(i for i, c in enumerate(self.columns) if c.assignment_id == assignment_id)
        for row in self.rows:
            if row.student_id == student_id:
                return row.cells[column]
        raise KeyError(student_id)


def gradebook(city: Municipality, class_ref: Ref) -> Gradebook:
    """The gradebook of one class: published homework × enrolled students.

    Students who left the class but still have submissions keep a row (``person`` is
    ``None`` then).

    Raises:
        NotFoundError: when the class does not exist.
        ConfigurationError: for a tenant the city does not have.
    """
    klass = city.get_class(class_ref)
    zone = ZoneInfo(city.city.time_zone)
    homework = sorted(
        city.iter_assignments([klass], states=POSTED_STATES), key=lambda a: _order(a, zone)
    )
    columns = tuple(
        GradebookColumn(
            assignment_id=a.ref.id,
            title=a.title,
            due=local_due(a.due, zone),
            max_points=a.max_points,
        )
        for a in homework
    )
    students: dict[str, Person | None] = {
        e.person_id: e.person for e in city.iter_enrollments([klass], role=Role.STUDENT)
    }
    index = {c.assignment_id: i for i, c in enumerate(columns)}
    grid: dict[str, list[GradebookCell | None]] = {}
    for submission in city.iter_submissions_of(homework):
        position = index.get(submission.assignment_id)
        if position is None:
            continue  # a draft's or a deleted homework's leftovers
        students.setdefault(submission.student_id, None)
        cells = grid.setdefault(submission.student_id, [None] * len(columns))
        cells[position] = _cell(submission)
    rows = [
        GradebookRow(
            student_id=student,
            person=person,
            cells=tuple(grid.get(student, [None] * len(columns))),
        )
        for student, person in students.items()
    ]
    rows.sort(key=_by_name)
    return Gradebook(klass=klass, time_zone=zone.key, columns=columns, rows=tuple(rows))


def _cell(submission: Submission) -> GradebookCell:
    draft, released = submission.draft_grade, submission.released_grade
    return GradebookCell(
        state=submission.state,
        late=submission.late,
        released_points=released.points if released else None,
        draft_points=draft.points if draft else None,
        submission_id=submission.ref.id,
    )


def _order(assignment: Assignment, zone: ZoneInfo) -> tuple[bool, dt.datetime, str]:
    deadline = due_instant(assignment.due, zone)
    first = assignment.published_at or assignment.created_at
    return (
        deadline is None,
        deadline or first or dt.datetime.max.replace(tzinfo=dt.UTC),
        assignment.title,
    )


def _by_name(row: GradebookRow) -> tuple[bool, str, str, str]:
    person = row.person
    if person is None:
        return (True, "", "", row.student_id)
    return (False, person.family_name or person.name, person.given_name or "", row.student_id)


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:g}"
