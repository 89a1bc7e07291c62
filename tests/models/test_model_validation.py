"""The domain model validates at construction, before any network call."""

from __future__ import annotations

import datetime as dt
import math
from zoneinfo import ZoneInfo

import attrs
import pytest

from unified_edu import (
    UNSET,
    AssigneeMode,
    Assignment,
    AssignmentSpec,
    AssignmentUpdate,
    Class,
    ClassUpdate,
    Enrollment,
    Grade,
    Material,
    MaterialKind,
    Person,
    Ref,
    Role,
    Rubric,
    RubricCriterion,
    RubricLevel,
    Submission,
    SubmissionState,
    Term,
    ValidationError,
)

REF = Ref(provider="google", tenant="ou-vazov.plovdiv.example", id="123")
SOFIA = ZoneInfo("Europe/Sofia")


def homework(**overrides: object) -> Assignment:
    fields: dict[str, object] = {"ref": REF, "class_id": "c1", "title": "Домашна работа №1"}
    fields.update(overrides)
    return Assignment(**fields)  # type: ignore[arg-type]


def test_models_are_frozen_and_keyword_only() -> None:
    a = homework()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        a.title = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        Ref("google", "t", "1")  # type: ignore[misc]


@pytest.mark.parametrize("title", ["", "   ", "\n\t"])
def test_empty_title_is_refused(title: str) -> None:
    with pytest.raises(ValidationError) as info:
        homework(title=title)
    assert info.value.field == "title"


def test_naive_datetime_is_refused_and_aware_is_kept_in_utc() -> None:
    with pytest.raises(ValidationError, match="timezone-aware"):
        homework(due=dt.datetime(2026, 12, 1, 23, 59))
    local = dt.datetime(2026, 12, 1, 0, 30, tzinfo=SOFIA)  # 22:30 UTC the day before
    a = homework(due=local)
    assert a.due == local
    assert isinstance(a.due, dt.datetime)
    assert a.due.tzinfo == dt.UTC
    assert a.due.date() == dt.date(2026, 11, 30)


def test_date_only_due_is_kept_as_a_date() -> None:
    assert homework(due=dt.date(2026, 12, 1)).due == dt.date(2026, 12, 1)


@pytest.mark.parametrize("points", [-1, -0.01, math.inf, math.nan])
def test_bad_max_points_are_refused(points: float) -> None:
    with pytest.raises(ValidationError):
        homework(max_points=points)


def test_zero_max_points_is_refused_none_means_ungraded() -> None:
    with pytest.raises(ValidationError, match="ungraded"):
        homework(max_points=0)
    assert not homework(max_points=None).is_graded
    assert homework(max_points=10).is_graded


def test_bool_is_not_a_number_of_points() -> None:
    with pytest.raises(ValidationError):
        homework(max_points=True)


def test_individual_students_need_ids() -> None:
    with pytest.raises(ValidationError):
        homework(assignee_mode=AssigneeMode.INDIVIDUAL_STUDENTS)
    a = homework(assignee_mode=AssigneeMode.INDIVIDUAL_STUDENTS, student_ids=["s1", "s2"])
    assert a.student_ids == ("s1", "s2")


def test_extra_is_read_only_and_ignored_by_equality() -> None:
    a = homework(extra={"workType": "ASSIGNMENT"})
    with pytest.raises(TypeError):
        a.extra["workType"] = "x"  # type: ignore[index]
    assert a == homework(extra={"other": 1})
    assert "workType" not in repr(a)


def test_grade_needs_points_or_feedback_and_share() -> None:
    with pytest.raises(ValidationError):
        Grade(points=None)
    assert Grade(points=None, feedback="Браво!").points is None
    assert Grade(points=8, max_points=10).share == pytest.approx(0.8)
    assert Grade(points=8).share is None
    with pytest.raises(ValidationError):
        Grade(points=-1)


def test_submission_grade_slots_are_consistent() -> None:
    base = {
        "ref": REF,
        "class_id": "c",
        "assignment_id": "a",
        "student_id": "s",
        "state": SubmissionState.RETURNED,
    }
    with pytest.raises(ValidationError):
        Submission(**base, released_grade=Grade(points=5, released=False))  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        Submission(**base, draft_grade=Grade(points=5, released=True))  # type: ignore[arg-type]
    ok = Submission(
        **base, draft_grade=Grade(points=6), released_grade=Grade(points=5, released=True)
    )  # type: ignore[arg-type]
    assert ok.released_grade is not None


def test_person_email_is_normalized() -> None:
    p = Person(
        ref=REF, name="Мария Петрова", role=Role.STUDENT, email="  Maria.Petrova@School.Example "
    )
    assert p.email == "maria.petrova@school.example"
    assert Person(ref=REF, name="x", role=Role.TEACHER, email="").email is None


def test_enrollment_role_is_teacher_or_student() -> None:
    with pytest.raises(ValidationError):
        Enrollment(ref=REF, class_id="c", person_id="p", role=Role.GUARDIAN)


def test_term_order_and_class_name() -> None:
    with pytest.raises(ValidationError):
        Term(start=dt.date(2027, 1, 1), end=dt.date(2026, 9, 15))
    with pytest.raises(ValidationError):
        Class(ref=REF, name=" ")


def test_material_needs_a_url() -> None:
    with pytest.raises(ValidationError):
        Material(kind=MaterialKind.LINK, url="")


def test_rubric_max_points_sums_best_levels() -> None:
    rubric = Rubric(
        ref=REF,
        class_id="c",
        assignment_id="a",
        criteria=[
            RubricCriterion(
                id="1",
                title="Точност",
                levels=[
                    RubricLevel(id="a", title="ok", points=2),
                    RubricLevel(id="b", title="top", points=5),
                ],
            ),
            RubricCriterion(
                id="2", title="Оформление", levels=[RubricLevel(id="c", title="x", points=3)]
            ),
            RubricCriterion(id="3", title="Без точки", levels=[RubricLevel(id="d", title="y")]),
        ],
    )
    assert rubric.max_points == 8
    assert Rubric(ref=REF, class_id="c", assignment_id="a").max_points is None


def test_specs_validate_before_any_request() -> None:
    with pytest.raises(ValidationError):
        AssignmentSpec(title="")
    with pytest.raises(ValidationError):
        AssignmentSpec(title="x", max_points=0)
    with pytest.raises(ValidationError):
        AssignmentSpec(title="x", due=dt.datetime(2026, 1, 1))
    spec = AssignmentSpec(title="x", student_ids=["s1"])
    assert spec.assignee_mode is AssigneeMode.INDIVIDUAL_STUDENTS
    assert AssignmentSpec(title="x").assignee_mode is AssigneeMode.WHOLE_CLASS


def test_updates_know_what_changed() -> None:
    assert AssignmentUpdate().changed() == {}
    update = AssignmentUpdate(title="Ново", max_points=None)
    assert update.changed() == {"title": "Ново", "max_points": None}
    assert update.due is UNSET
    with pytest.raises(ValidationError):
        AssignmentUpdate(title=" ")
    with pytest.raises(ValidationError):
        AssignmentUpdate(due=dt.datetime(2026, 1, 1))
    with pytest.raises(ValidationError):
        AssignmentUpdate(max_points=-3)
    local = dt.datetime(2026, 12, 1, 8, 0, tzinfo=SOFIA)
    due = AssignmentUpdate(due=local).due
    assert isinstance(due, dt.datetime)
    assert due.tzinfo == dt.UTC
    assert ClassUpdate(archived=True).changed() == {"archived": True}
