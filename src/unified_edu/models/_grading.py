"""Students' submissions and their grades. Pure data, no I/O."""

from __future__ import annotations

import datetime as dt

import attrs

from unified_edu.errors import ValidationError
from unified_edu.models._base import Extra, Ref, extra_field
from unified_edu.models._fields import points_field, when_field
from unified_edu.models._states import SubmissionState

__all__ = ["Grade", "Submission"]


@attrs.frozen(kw_only=True)
class Grade:
    """A grade, draft (only teachers see it) or released (the student sees it).

    Attributes:
        points: Points earned; ``None`` when only feedback was given.
        max_points: The homework's maximum at grading time, if known.
        released: False for a draft grade, True once the student can see it
            (Classroom ``assignedGrade``, Graph ``publishedPoints``).
        feedback: The teacher's feedback text, if any (Graph only).
        graded_at: When the grade was last set (UTC), if known.
        graded_by: Native id of who set it, if known.
    """

    points: float | None = points_field("points")
    max_points: float | None = points_field("max_points")
    released: bool = False
    feedback: str | None = None
    graded_at: dt.datetime | None = when_field("graded_at")
    graded_by: str | None = None

    def __attrs_post_init__(self) -> None:
        if self.points is None and not self.feedback:
            raise ValidationError("a grade needs points or feedback", field="points")

    @property
    def share(self) -> float | None:
        """Points as a share of the maximum (0..1+), when both are known and max > 0."""
        if self.points is None or not self.max_points:
            return None
        return self.points / self.max_points


@attrs.frozen(kw_only=True)
class Submission:
    """A student's work on a piece of homework, with its grades.

    Attributes:
        ref: Where it lives.
        class_id: Native id of the class.
        assignment_id: Native id of the homework.
        student_id: Native id of the student.
        state: Normalized state; ``platform_state`` keeps the platform's string.
        platform_state: The platform's own state string.
        late: True when turned in after the deadline (or not yet and past it), as the
            platform computes it; ``None`` when the platform does not say.
        turned_in_at: When it was last turned in (UTC), if ever.
        returned_at: When it was last returned (UTC), if ever.
        excused_at: When it was excused (UTC), if it was.
        updated_at: Last update time (UTC).
        draft_grade: The teacher's private grade, if any.
        released_grade: The grade the student sees, if any.
        web_link: URL of the submission in the platform's UI.
    """

    ref: Ref
    class_id: str
    assignment_id: str
    student_id: str
    state: SubmissionState
    platform_state: str | None = None
    late: bool | None = None
    turned_in_at: dt.datetime | None = when_field("turned_in_at")
    returned_at: dt.datetime | None = when_field("returned_at")
    excused_at: dt.datetime | None = when_field("excused_at")
    updated_at: dt.datetime | None = when_field("updated_at")
    draft_grade: Grade | None = None
    released_grade: Grade | None = None
    web_link: str | None = None
    extra: Extra = extra_field()

    def __attrs_post_init__(self) -> None:
        if self.released_grade is not None and not self.released_grade.released:
            raise ValidationError("released_grade must be marked released", field="released_grade")
        if self.draft_grade is not None and self.draft_grade.released:
            raise ValidationError("draft_grade must not be marked released", field="draft_grade")
