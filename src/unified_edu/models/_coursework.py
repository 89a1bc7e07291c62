"""Homework and what hangs off it: categories, materials, rubrics. Pure data, no I/O."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import attrs

from unified_edu.errors import ValidationError
from unified_edu.models._base import Extra, Ref, extra_field
from unified_edu.models._fields import due_field, points_field, title_field, when_field
from unified_edu.models._states import AssigneeMode, AssignmentState, MaterialKind

__all__ = [
    "Assignment",
    "Category",
    "Material",
    "Rubric",
    "RubricCriterion",
    "RubricLevel",
]


def _ids(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(items)


def _materials(items: Iterable[Material]) -> tuple[Material, ...]:
    return tuple(items)


def _levels(items: Iterable[RubricLevel]) -> tuple[RubricLevel, ...]:
    return tuple(items)


def _criteria(items: Iterable[RubricCriterion]) -> tuple[RubricCriterion, ...]:
    return tuple(items)


@attrs.frozen(kw_only=True)
class Category:
    """A way teachers group homework: a Classroom topic or a Graph assignment category.

    Attributes:
        ref: Where it lives (Classroom ``topicId``, Graph category id).
        class_id: Native id of the class it belongs to.
        name: Its name (Classroom ``name``, Graph ``displayName``).
        updated_at: Last update time (UTC), if the platform tracks it.
    """

    ref: Ref
    class_id: str
    name: str = title_field("name")
    updated_at: dt.datetime | None = when_field("updated_at")
    extra: Extra = extra_field()


@attrs.frozen(kw_only=True)
class Material:
    """A link, file, video, form or app attached to homework.

    Attributes:
        kind: What it is.
        url: Where to open it.
        title: Its title, if the platform returns one.
        ref: The platform's id for it, where it has one (Graph resource id, Drive file id).
        extra: Platform fields the model does not cover.
    """

    kind: MaterialKind
    url: str = title_field("url")
    title: str | None = None
    ref: Ref | None = None
    extra: Extra = extra_field()


def _positive_or_none(_: object, attribute: attrs.Attribute[Any], value: float | None) -> None:
    if value is not None and value <= 0:
        raise ValidationError(
            f"{attribute.name} must be positive; use None for ungraded homework",
            field=attribute.name,
        )


@attrs.frozen(kw_only=True)
class Assignment:
    """A piece of homework: a Classroom ``courseWork`` or a Graph ``educationAssignment``.

    Attributes:
        ref: Where it lives.
        class_id: Native id of the class.
        title: Title (Classroom ``title``, Graph ``displayName``).
        instructions: Instructions as plain text or HTML (Graph), possibly empty.
        state: Normalized state; ``platform_state`` keeps the platform's string.
        platform_state: The platform's own state string.
        due: Deadline: an aware datetime in UTC, or a ``date`` for a date-only deadline,
            or ``None`` for none.
        max_points: Maximum points; ``None`` for ungraded homework.
        materials: Attached links, files, videos, forms.
        category_ids: Native ids of its categories (Classroom: at most one topic).
        assignee_mode: Whole class or listed students.
        student_ids: Native ids of the students it is for, with ``INDIVIDUAL_STUDENTS``.
        created_at: Creation time (UTC).
        updated_at: Last update time (UTC).
        published_at: When students got it (Graph ``assignedDateTime``), if known.
        scheduled_at: When it will be published, if scheduled.
        close_at: After this, no more turn-ins (Graph ``closeDateTime``).
        allow_late: Whether late turn-ins are accepted, if the platform says.
        creator_id: Native id of the teacher who created it, if known.
        web_link: URL of the homework in the platform's UI.
        created_by_this_app: Classroom ``associatedWithDeveloper``: only homework created
            by this app's developer project may be modified or graded through the API.
    """

    ref: Ref
    class_id: str
    title: str = title_field("title")
    instructions: str = ""
    state: AssignmentState = AssignmentState.UNKNOWN
    platform_state: str | None = None
    due: dt.datetime | dt.date | None = due_field()
    max_points: float | None = points_field("max_points", _positive_or_none)
    materials: tuple[Material, ...] = attrs.field(default=(), converter=_materials)
    category_ids: tuple[str, ...] = attrs.field(default=(), converter=_ids)
    assignee_mode: AssigneeMode = AssigneeMode.WHOLE_CLASS
    student_ids: tuple[str, ...] = attrs.field(default=(), converter=_ids)
    created_at: dt.datetime | None = when_field("created_at")
    updated_at: dt.datetime | None = when_field("updated_at")
    published_at: dt.datetime | None = when_field("published_at")
    scheduled_at: dt.datetime | None = when_field("scheduled_at")
    close_at: dt.datetime | None = when_field("close_at")
    allow_late: bool | None = None
    creator_id: str | None = None
    web_link: str | None = None
    created_by_this_app: bool | None = None
    extra: Extra = extra_field()

    @property
    def is_graded(self) -> bool:
        """True when the homework carries points."""
        return self.max_points is not None

    def __attrs_post_init__(self) -> None:
        if self.assignee_mode is AssigneeMode.INDIVIDUAL_STUDENTS and not self.student_ids:
            raise ValidationError(
                "homework for individual students needs at least one student id",
                field="student_ids",
            )


@attrs.frozen(kw_only=True)
class RubricLevel:
    """One level of a rubric criterion (Classroom ``Level``, Graph ``rubricLevel``)."""

    id: str
    title: str
    description: str = ""
    points: float | None = points_field("points")


@attrs.frozen(kw_only=True)
class RubricCriterion:
    """One criterion of a rubric (Classroom ``Criterion``, Graph ``rubricQuality``)."""

    id: str
    title: str
    description: str = ""
    levels: tuple[RubricLevel, ...] = attrs.field(default=(), converter=_levels)
    weight: float | None = None


@attrs.frozen(kw_only=True)
class Rubric:
    """A grading rubric attached to homework. Read-only in unified_edu.

    Attributes:
        ref: Where it lives.
        class_id: Native id of the class.
        assignment_id: Native id of the homework it grades.
        title: Its title (Graph ``displayName``; Classroom rubrics have none).
        criteria: The criteria with their levels.
    """

    ref: Ref
    class_id: str
    assignment_id: str
    title: str | None = None
    criteria: tuple[RubricCriterion, ...] = attrs.field(default=(), converter=_criteria)
    created_at: dt.datetime | None = when_field("created_at")
    updated_at: dt.datetime | None = when_field("updated_at")
    extra: Extra = extra_field()

    @property
    def max_points(self) -> float | None:
        """Sum of each criterion's best level, or ``None`` for an unscored rubric."""
        best = [
            max(level.points for level in c.levels if level.points is not None)
            for c in self.criteria
            if any(level.points is not None for level in c.levels)
        ]
        return sum(best) if best else None
