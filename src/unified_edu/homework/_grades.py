"""Importing grades into one piece of homework: check every row, then write.

Owns :func:`check_grades` and :func:`import_grades`. Every row is checked before the
first write (the student is in the class and has work on the homework, the points are a
number between 0 and the maximum, no student twice, feedback only where the platform
keeps it) and every problem is raised at once, with row numbers, in one
:class:`~unified_edu.errors.ValidationError`: a file with one bad row writes nothing.

Then each row sets the draft grade and feedback, and with ``release`` returns the work
(Classroom: ``assignedGrade`` and ``return``; Graph: ``return``, which publishes points
and feedback). A row whose grade is already so, and already returned when ``release``,
is left alone, so importing the same file twice writes nothing the second time. A
failure in one row is recorded and the others go on.

This module must not import any platform client.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable
from typing import TYPE_CHECKING

from unified_edu.errors import (
    NotFoundError,
    PermissionDeniedError,
    UnifiedEduError,
    ValidationError,
)
from unified_edu.homework._checks import PLATFORM_NAMES, RETURNS_TURNED_IN_ONLY
from unified_edu.homework._grades_csv import GradeRow
from unified_edu.homework._grades_model import (
    AssignmentRef,
    GradeImportResult,
    GradePlan,
    GradeResult,
    GradeStatus,
    GradeStep,
)
from unified_edu.models import (
    Assignment,
    AssignmentState,
    Person,
    Role,
    Submission,
    SubmissionState,
)
from unified_edu.providers.base import Capability, Provider

if TYPE_CHECKING:
    from unified_edu.client import Municipality

__all__ = ["check_grades", "import_grades", "write_grades"]

log = logging.getLogger("unified_edu.homework")


def _number(value: str | float | None) -> float | str | None:
    """The points as a number, ``None`` when absent, or a problem's text."""
    if value is None or isinstance(value, bool):
        return None if value is None else f"points {value!r} is not a number"
    number: float | None = None
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = value.strip().replace("\u00a0", "").replace(" ", "")
        if not text:
            return None
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")  # the decimal comma of Bulgarian spreadsheets
        try:
            number = float(text)
        except ValueError:
            number = None
    if number is None or not math.isfinite(number):
        return f"points {value!r} is not a number"
    if number < 0:
        return f"points {value!r} must not be negative"
    return number


def _require(provider: Provider, capability: Capability, problems: list[str]) -> None:
    if not provider.supports(capability):
        reason = provider.unsupported_reason(capability)
        text = f"these credentials cannot {capability.value.replace('_', ' ')}"
        problems.append(f"{text}: {reason}" if reason else text)


def _homework(provider: Provider, ref: AssignmentRef, problems: list[str]) -> Assignment | None:
    try:
        return provider.get_assignment(ref.class_id, ref.assignment_id)
    except NotFoundError:
        problems.append(f"no homework {ref} (or it is not visible to these credentials)")
    except PermissionDeniedError as exc:
        problems.append(f"not allowed to read the homework {ref}: {exc.message}")
    return None


def _check_homework(
    provider: Provider, assignment: Assignment, rows: list[GradeRow], problems: list[str]
) -> None:
    if assignment.state is AssignmentState.DRAFT:
        problems.append("the homework is a draft: publish it before grading")
    if assignment.max_points is None and any(r.points not in (None, "") for r in rows):
        problems.append("the homework is ungraded (no maximum points): it takes no points")
    if provider.name == "google" and assignment.created_by_this_app is False:
        problems.append(
            "the homework was made in Classroom's own app: Classroom lets an app grade only "
            "homework that the same app (developer project) created"
        )


def _as_ref(assignment: AssignmentRef | Assignment | str) -> AssignmentRef:
    if isinstance(assignment, str):
        return AssignmentRef.parse(assignment)
    if isinstance(assignment, Assignment):
        return AssignmentRef.of(assignment)
    return assignment


def check_grades(
    city: Municipality,
    assignment: AssignmentRef | Assignment | str,
    rows: Iterable[GradeRow],
    *,
    release: bool = False,
) -> GradePlan:
    """Check every row against the homework, its class and its submissions; write nothing.

    Args:
        city: The city client.
        assignment: The homework (a reference, ``"tenant:class_id:assignment_id"``, or
            an :class:`Assignment` read before).
        rows: The rows, e.g. from :func:`read_grades_csv`.
        release: Also return the work (the students then see grades and feedback).

    Raises:
        ValidationError: listing every problem (``problems``, with row numbers).
    """
    ref = _as_ref(assignment)
    provider = city.provider(ref.tenant)
    problems: list[str] = []
    rows = list(rows)
    if not rows:
        problems.append("there are no rows to import")
    needed = [Capability.READ_ASSIGNMENTS, Capability.READ_SUBMISSIONS, Capability.READ_PEOPLE]
    for capability in (*needed, Capability.GRADE, *([Capability.RETURN] if release else [])):
        _require(provider, capability, problems)
    homework = None
    if all(provider.supports(c) for c in needed):
        homework = _homework(provider, ref, problems)
    if homework is None:
        raise _failure(problems)
    _check_homework(provider, homework, rows, problems)
    checker = _RowChecker(provider, ref, homework, release=release)
    steps: list[GradeStep] = []
    for row in rows:
        checked = checker.check(row)
        if isinstance(checked, GradeStep):
            steps.append(checked)
        else:
            problems += [f"row {row.row}: {text}" for text in checked]
    if problems:
        raise _failure(problems)
    return GradePlan(ref=ref, assignment=homework, release=release, steps=tuple(steps))


class _RowChecker:
    """Checks rows against the class's students and their work on the homework."""

    def __init__(
        self, provider: Provider, ref: AssignmentRef, homework: Assignment, *, release: bool
    ) -> None:
        students = list(provider.iter_people(class_ids=ref.class_id, role=Role.STUDENT))
        self._by_email = {p.email.lower(): p for p in students if p.email}
        self._by_id = {p.ref.id: p for p in students}
        self._work = {
            s.student_id: s
            for s in provider.iter_submissions(ref.class_id, assignment_id=ref.assignment_id)
        }
        self._seen: dict[str, int] = {}
        self._maximum = homework.max_points
        self._release = release
        self._provider_name = provider.name
        self._no_feedback = ""
        if not provider.supports(Capability.FEEDBACK):
            platform = PLATFORM_NAMES.get(provider.name, provider.name)
            reason = provider.unsupported_reason(Capability.FEEDBACK)
            self._no_feedback = f"{platform} keeps no feedback from this app" + (
                f" ({reason})" if reason else ""
            )

    def _person(self, student: str) -> Person | None:
        if "@" in student:
            return self._by_email.get(student.lower())
        return self._by_id.get(student)

    def check(self, row: GradeRow) -> GradeStep | list[str]:
        """The row's step, or its problems."""
        student = row.student.strip()
        if not student:
            return ["no student e-mail or id"]
        person = self._person(student)
        points = _number(row.points)
        feedback = (row.feedback or "").strip() or None
        found: list[str] = []
        submission = None
        if person is None:
            found.append(f"{student} is not a student of this class")
        else:
            if person.ref.id in self._seen:
                found.append(f"{student} is already in row {self._seen[person.ref.id]}")
            self._seen.setdefault(person.ref.id, row.row)
            submission = self._work.get(person.ref.id)
            if submission is None:
                found.append(f"{student} has no work on this homework (not assigned to them)")
        if isinstance(points, str):
            found.append(points)
        elif points is not None and self._maximum is not None and points > self._maximum:
            found.append(f"{points:g} points exceed the maximum of {self._maximum:g}")
        if points is None and feedback is None:
            found.append("neither points nor feedback")
        if feedback is not None and self._no_feedback:
            found.append(self._no_feedback)
        if found or person is None or submission is None or isinstance(points, str):
            return found
        return _step(
            row,
            person,
            submission,
            points,
            feedback,
            release=self._release,
            returnable=self._returnable(submission),
        )

    def _returnable(self, submission: Submission) -> bool:
        if self._provider_name not in RETURNS_TURNED_IN_ONLY:
            return True
        return submission.state in (SubmissionState.TURNED_IN, SubmissionState.RETURNED)


def _step(
    row: GradeRow,
    person: Person,
    submission: Submission,
    points: float | None,
    feedback: str | None,
    *,
    release: bool,
    returnable: bool,
) -> GradeStep:
    draft = submission.draft_grade
    shown = submission.released_grade
    set_points = points is not None and (draft is None or draft.points != points)
    set_feedback = feedback is not None and (draft is None or draft.feedback != feedback)
    already_back = (
        submission.state is SubmissionState.RETURNED
        and shown is not None
        and (points is None or shown.points == points)
        and (feedback is None or shown.feedback == feedback)
    )
    give_back = release and (set_points or set_feedback or not already_back)
    note = None
    if give_back and not returnable:
        give_back = False
        note = (
            "not returned: the work was not turned in, and the platform returns only "
            "turned-in work (the grade stays a draft)"
        )
    return GradeStep(
        row=row,
        student=person,
        submission=submission,
        points=points,
        feedback=feedback,
        set_points=set_points,
        set_feedback=set_feedback,
        give_back=give_back,
        note=note,
    )


def _failure(problems: list[str]) -> ValidationError:
    count = f"{len(problems)} problem" + ("s" if len(problems) != 1 else "")
    return ValidationError(
        f"no grades were written: {count} found: " + "; ".join(problems), problems=problems
    )


def import_grades(
    city: Municipality,
    assignment: AssignmentRef | Assignment | str,
    rows: Iterable[GradeRow],
    *,
    release: bool = False,
) -> GradeImportResult:
    """Check every row (see :func:`check_grades`), then set grades and feedback.

    Args:
        city: The city client.
        assignment: The homework.
        rows: The rows, e.g. from :func:`read_grades_csv`.
        release: Also return the work: the students see the grades and feedback.

    Returns:
        Every row's result; failures are results, not exceptions (check ``ok``).

    Raises:
        ValidationError: listing every problem; nothing was written.
    """
    plan = check_grades(city, assignment, rows, release=release)
    return write_grades(city, plan)


def write_grades(city: Municipality, plan: GradePlan) -> GradeImportResult:
    """Write a checked :class:`GradePlan`, row by row."""
    provider = city.provider(plan.ref.tenant)
    ids = (plan.ref.class_id, plan.ref.assignment_id)
    results = []
    for step in plan.steps:
        submission = step.submission
        try:
            if step.set_points and step.points is not None:
                submission = provider.set_grade(*ids, submission.ref.id, points=step.points)
            if step.set_feedback and step.feedback is not None:
                submission = provider.set_feedback(*ids, submission.ref.id, text=step.feedback)
            if step.give_back:
                submission = provider.return_submission(*ids, submission.ref.id)
        except UnifiedEduError as exc:
            log.warning("row %d of the grades failed: %s", step.row.row, exc)
            results.append(GradeResult(step=step, status=GradeStatus.FAILED, error=exc))
            continue
        status = (
            GradeStatus.RETURNED
            if step.give_back
            else GradeStatus.GRADED
            if step.writes
            else GradeStatus.UNCHANGED
        )
        results.append(GradeResult(step=step, status=status, submission=submission))
    return GradeImportResult(plan=plan, results=tuple(results))
