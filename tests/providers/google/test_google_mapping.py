"""Classroom JSON ↔ model: the pure mapping functions, from JSON fixtures, with no HTTP.

Every fixture is first validated against the discovery document, so the mapping is
tested on JSON Classroom can really send; every request body built is validated too, so
no field is invented.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from classroom_schema import Discovery

from unified_edu import (
    AssigneeMode,
    AssignmentSpec,
    AssignmentState,
    AssignmentUpdate,
    ClassSpec,
    ClassState,
    ClassUpdate,
    GuardianLinkState,
    Material,
    MaterialKind,
    Ref,
    Role,
    SubmissionState,
    ValidationError,
)
from unified_edu.providers.google import _bodies as bodies
from unified_edu.providers.google import _mapping as mapping
from unified_edu.providers.google import _mapping_work as work

FIXTURES = Path(__file__).parent / "fixtures"
ref = mapping.ref_maker("botev.example")
UTC = dt.UTC
Load = Callable[[str], Any]

# Fixture file → the discovery schema it is an instance of.
SCHEMAS = {
    "course_active": "Course",
    "course_provisioned_minimal": "Course",
    "teacher_owner": "Teacher",
    "student_without_email_scope": "Student",
    "user_profile_verified_teacher": "UserProfile",
    "coursework_published_timed_with_materials": "CourseWork",
    "coursework_ui_made_date_only": "CourseWork",
    "coursework_draft_ungraded": "CourseWork",
    "coursework_individual_students": "CourseWork",
    "submission_returned_regraded": "StudentSubmission",
    "submission_new_never_opened": "StudentSubmission",
    "submission_zero_draft_late": "StudentSubmission",
    "guardian_active": "Guardian",
    "guardian_invitation_pending": "GuardianInvitation",
    "guardian_invitation_complete_seen_by_teacher": "GuardianInvitation",
    "topic": "Topic",
    "rubric_scored": "Rubric",
}


def test_every_fixture_is_listed() -> None:
    assert {p.stem for p in FIXTURES.glob("*.json")} == set(SCHEMAS)


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_fixture_is_valid_classroom_json(name: str, fixture_json: Load, schema: Discovery) -> None:
    schema.validate(fixture_json(name), SCHEMAS[name])


def test_course(fixture_json: Load) -> None:
    course = mapping.to_class(fixture_json("course_active"), ref, school_id="botev.example")
    assert course.ref == Ref(provider="google", tenant="botev.example", id="815145477868")
    assert (course.name, course.section, course.subject) == ("Математика 7А", "7А", "Математика")
    assert course.state is ClassState.ACTIVE
    assert course.platform_state == "ACTIVE"
    assert course.code == "935a0y5"
    assert course.owner_id == "135099587254825916005"
    assert course.school_id == "botev.example"
    assert course.created_at == dt.datetime(2026, 9, 15, 6, 30, 0, 123000, tzinfo=UTC)
    assert course.updated_at == dt.datetime(2026, 10, 2, 13, 52, 0, 456789, tzinfo=UTC)
    assert course.web_link == "https://classroom.google.com/c/ODE1MTQ1NDc3ODY4"
    assert course.extra["room"] == "301"
    assert course.extra["guardiansEnabled"] is True
    assert course.extra["gradebookSettings"]["calculationType"] == "TOTAL_POINTS"


def test_minimal_course_leaves_absent_fields_none(fixture_json: Load) -> None:
    course = mapping.to_class(fixture_json("course_provisioned_minimal"), ref)
    assert course.state is ClassState.PROVISIONED
    assert course.section is None
    assert course.description is None
    assert course.subject is None
    assert dict(course.extra) == {}


def test_unknown_course_state_keeps_the_platform_string() -> None:
    course = mapping.to_class({"id": "1", "name": "X", "courseState": "NEW_STATE"}, ref)
    assert course.state is ClassState.UNKNOWN
    assert course.platform_state == "NEW_STATE"


def test_roster_rows(fixture_json: Load) -> None:
    owner = fixture_json("teacher_owner")
    teacher = mapping.to_enrollment(owner, Role.TEACHER, ref, owner_id=owner["userId"])
    assert teacher.ref.id == "815145477868/135099587254825916005"
    assert teacher.is_owner
    assert teacher.role is Role.TEACHER
    assert teacher.person is not None
    assert teacher.person.email == "maria.petrova@botev.example"  # lower-cased
    assert teacher.person.extra["verifiedTeacher"] is True
    student = mapping.to_enrollment(
        fixture_json("student_without_email_scope"), Role.STUDENT, ref, owner_id=None
    )
    assert not student.is_owner
    assert student.person is not None
    assert student.person.email is None  # classroom.profile.emails not granted
    assert (student.person.given_name, student.person.family_name) == ("Алекс", "Ангелов")


def test_person_falls_back_to_given_and_family_name() -> None:
    person = mapping.to_person(
        {"id": "1", "name": {"givenName": "Ива", "familyName": "Маринова"}}, Role.STUDENT, ref
    )
    assert person.name == "Ива Маринова"


def test_guardians(fixture_json: Load) -> None:
    active = mapping.to_guardian_link(fixture_json("guardian_active"), ref)
    assert active.state is GuardianLinkState.ACTIVE
    assert active.ref.id == "117263548190726354819/104958372615049583726"
    assert active.guardian is not None
    assert active.guardian.role is Role.GUARDIAN
    assert active.guardian_email == "petar.angelov@mail.example"
    pending = mapping.to_guardian_invitation(fixture_json("guardian_invitation_pending"), ref)
    assert pending.state is GuardianLinkState.INVITED
    assert pending.platform_state == "PENDING"
    assert pending.created_at == dt.datetime(2026, 9, 21, 12, tzinfo=UTC)
    closed = mapping.to_guardian_invitation(
        fixture_json("guardian_invitation_complete_seen_by_teacher"), ref
    )
    assert closed.state is GuardianLinkState.INVITATION_CLOSED
    assert closed.guardian_email is None  # invitedEmailAddress is for admins only


def test_topic(fixture_json: Load) -> None:
    category = mapping.to_category(fixture_json("topic"), ref)
    assert (category.ref.id, category.class_id, category.name) == (
        "501234567890",
        "815145477868",
        "Домашна работа",
    )
    assert category.updated_at == dt.datetime(2026, 10, 1, 12, 0, 0, 500000, tzinfo=UTC)


def test_timed_coursework_with_materials(fixture_json: Load) -> None:
    item = work.to_assignment(fixture_json("coursework_published_timed_with_materials"), ref)
    assert item.state is AssignmentState.PUBLISHED
    assert item.due == dt.datetime(2026, 10, 5, 20, 59, 30, tzinfo=UTC)
    assert item.max_points == 10
    assert item.category_ids == ("501234567890",)
    assert item.created_by_this_app is True
    assert item.creator_id == "135099587254825916005"
    assert item.extra["gradeCategory"]["name"] == "Домашни"
    assert item.extra["workType"] == "ASSIGNMENT"
    # Nanoseconds are cut to microseconds.
    assert item.updated_at == dt.datetime(2026, 10, 1, 12, 5, 30, 123456, tzinfo=UTC)
    kinds = [(m.kind, m.url, m.ref.id if m.ref else None) for m in item.materials]
    assert kinds == [
        (MaterialKind.LINK, "https://bg.wikipedia.org/wiki/Уравнение", None),
        (
            MaterialKind.FILE,
            "https://drive.google.com/file/d/1AbCdEfGhIjKlMnOpQrStUvWxYz/view",
            "1AbCdEfGhIjKlMnOpQrStUvWxYz",
        ),
        (MaterialKind.VIDEO, "https://www.youtube.com/watch?v=UiIu5jvrn6k", "UiIu5jvrn6k"),
        (MaterialKind.FORM, "https://docs.google.com/forms/d/e/1FAIpQLSd/viewform", None),
    ]
    assert item.materials[1].extra["shareMode"] == "STUDENT_COPY"


def test_ui_made_coursework_with_a_date_only_deadline(fixture_json: Load) -> None:
    item = work.to_assignment(fixture_json("coursework_ui_made_date_only"), ref)
    assert item.due == dt.date(2026, 10, 10)
    assert item.created_by_this_app is False  # associatedWithDeveloper absent = false
    assert item.instructions == ""


def test_draft_ungraded_coursework(fixture_json: Load) -> None:
    item = work.to_assignment(fixture_json("coursework_draft_ungraded"), ref)
    assert item.state is AssignmentState.DRAFT
    assert item.max_points is None
    assert not item.is_graded
    assert item.due is None
    assert item.web_link is None
    assert item.extra["workType"] == "SHORT_ANSWER_QUESTION"


def test_individual_assignees(fixture_json: Load) -> None:
    item = work.to_assignment(fixture_json("coursework_individual_students"), ref)
    assert item.assignee_mode is AssigneeMode.INDIVIDUAL_STUDENTS
    assert item.student_ids == ("117263548190726354819", "118374659201837465920")
    assert item.scheduled_at == dt.datetime(2026, 10, 4, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    ("due_date", "due_time", "expected"),
    [
        (None, None, None),
        ({"year": 2026, "month": 12, "day": 1}, None, dt.date(2026, 12, 1)),
        ({"year": 2026, "month": 12, "day": 1}, {}, dt.date(2026, 12, 1)),
        (
            {"year": 2026, "month": 12, "day": 1},
            {"minutes": 30},
            dt.datetime(2026, 12, 1, 0, 30, tzinfo=UTC),
        ),
        ({"year": 2026, "month": 0, "day": 1}, {"hours": 3}, None),
    ],
)
def test_due(due_date: Any, due_time: Any, expected: Any) -> None:
    assert mapping.to_due(due_date, due_time) == expected


def test_returned_submission_history(fixture_json: Load) -> None:
    sub = work.to_submission(fixture_json("submission_returned_regraded"), ref, max_points=None)
    assert sub.state is SubmissionState.RETURNED
    assert sub.turned_in_at == dt.datetime(2026, 10, 5, 11, tzinfo=UTC)  # the last turn-in
    assert sub.returned_at == dt.datetime(2026, 10, 6, 10, tzinfo=UTC)
    assert sub.late is False
    draft, released = sub.draft_grade, sub.released_grade
    assert draft is not None
    assert released is not None
    assert (draft.points, draft.released, draft.max_points) == (9, False, 10)
    assert draft.graded_at == dt.datetime(2026, 10, 6, 9, 30, tzinfo=UTC)  # the last draft
    assert draft.graded_by == "135099587254825916005"
    assert (released.points, released.released) == (9, True)
    assert released.graded_at == dt.datetime(2026, 10, 6, 10, tzinfo=UTC)
    assert sub.extra["assignmentSubmission"]["attachments"][0]["driveFile"]["id"] == "1ZyX"


def test_new_submission_has_no_times_or_grades(fixture_json: Load) -> None:
    sub = work.to_submission(fixture_json("submission_new_never_opened"), ref, max_points=10)
    assert sub.state is SubmissionState.NEW
    assert sub.turned_in_at is None
    assert sub.updated_at is None
    assert sub.draft_grade is None
    assert sub.released_grade is None


def test_zero_draft_grade_is_a_grade(fixture_json: Load) -> None:
    sub = work.to_submission(fixture_json("submission_zero_draft_late"), ref, max_points=100)
    assert sub.late is True
    assert sub.draft_grade is not None
    assert sub.draft_grade.points == 0
    # The history has no maxPoints: the homework's current maximum is used.
    assert sub.draft_grade.max_points == 100
    assert sub.released_grade is None


def test_rubric_unscored_level_in_a_scored_criterion_is_zero(fixture_json: Load) -> None:
    rubric = work.to_rubric(fixture_json("rubric_scored"), ref)
    assert (rubric.class_id, rubric.assignment_id) == ("815145477868", "627384950112")
    assert [level.points for level in rubric.criteria[0].levels] == [0, 3, 6]
    assert rubric.max_points == 10


def test_material_of_a_union_member_newer_than_the_code() -> None:
    material = work.to_material({"newThing": {"x": 1}}, ref)
    assert material.kind is MaterialKind.OTHER
    assert material.extra["newThing"] == {"x": 1}


# -- the reverse direction ------------------------------------------------------------


def test_course_body(schema: Discovery) -> None:
    spec = ClassSpec(
        name="Физика 8Б", owner_id="maria.petrova@botev.example", section="8Б", subject="Физика"
    )
    body = bodies.course_body(spec, alias="p:unified-edu-1")
    schema.validate(body, "Course")
    assert body == {
        "name": "Физика 8Б",
        "ownerId": "maria.petrova@botev.example",
        "courseState": "ACTIVE",
        "section": "8Б",
        "subject": "Физика",
        "id": "p:unified-edu-1",
    }
    assert bodies.course_body(ClassSpec(name="X", owner_id="me", active=False), alias=None)[
        "courseState"
    ] == ("PROVISIONED")


def test_course_body_needs_an_owner_and_a_short_name() -> None:
    with pytest.raises(ValidationError, match="owner_id"):
        bodies.course_body(ClassSpec(name="X"), alias=None)
    with pytest.raises(ValidationError, match="750"):
        bodies.course_body(ClassSpec(name="X" * 751, owner_id="me"), alias=None)


def test_course_patch(schema: Discovery) -> None:
    body, mask = bodies.course_patch(ClassUpdate(name="Нов", section=None, archived=True))
    schema.validate(body, "Course")
    assert body == {"name": "Нов", "courseState": "ARCHIVED"}
    assert mask == "name,section,courseState"  # section named and absent: cleared
    assert bodies.course_patch(ClassUpdate(archived=False)) == (
        {"courseState": "ACTIVE"},
        "courseState",
    )


def test_coursework_body(schema: Discovery) -> None:
    spec = AssignmentSpec(
        title="Проект",
        instructions="Опишете опита.",
        due=dt.datetime(2026, 12, 1, 23, 59, 30, tzinfo=ZoneInfo("Europe/Sofia")),
        max_points=20,
        materials=(
            Material(kind=MaterialKind.LINK, url="https://example.org/a"),
            Material(
                kind=MaterialKind.FILE, url="https://drive.google.com/file/d/1AbCdEfGhIjK/view"
            ),
            Material(kind=MaterialKind.VIDEO, url="https://youtu.be/UiIu5jvrn6k"),
            Material(kind=MaterialKind.FILE, url="https://files.example/x.pdf"),
        ),
        category_ids=("501234567890",),
        student_ids=("117263548190726354819",),
        publish=False,
    )
    body = bodies.coursework_body(spec, zone=UTC)
    schema.validate(body, "CourseWork")
    assert body["state"] == "DRAFT"
    assert body["workType"] == "ASSIGNMENT"
    # 23:59:30 in Sofia (UTC+2 in December) is 21:59:30 UTC.
    assert body["dueDate"] == {"year": 2026, "month": 12, "day": 1}
    assert body["dueTime"] == {"hours": 21, "minutes": 59, "seconds": 30}
    assert body["maxPoints"] == 20
    assert body["materials"] == [
        {"link": {"url": "https://example.org/a"}},
        {"driveFile": {"driveFile": {"id": "1AbCdEfGhIjK"}, "shareMode": "VIEW"}},
        {"youtubeVideo": {"id": "UiIu5jvrn6k"}},
        {"link": {"url": "https://files.example/x.pdf"}},  # no Drive id: Classroom upgrades
    ]
    assert body["topicId"] == "501234567890"
    assert body["assigneeMode"] == "INDIVIDUAL_STUDENTS"
    assert body["individualStudentsOptions"] == {"studentIds": ["117263548190726354819"]}


def test_date_only_deadline_is_end_of_day_in_the_providers_zone() -> None:
    spec = AssignmentSpec(title="X", due=dt.date(2026, 12, 1))
    sofia = bodies.coursework_body(spec, zone=ZoneInfo("Europe/Sofia"))
    assert (sofia["dueDate"], sofia["dueTime"]) == (
        {"year": 2026, "month": 12, "day": 1},
        {"hours": 21, "minutes": 59},
    )
    utc = bodies.coursework_body(spec, zone=UTC)
    assert utc["dueTime"] == {"hours": 23, "minutes": 59}


@pytest.mark.parametrize(
    ("spec", "field"),
    [
        (AssignmentSpec(title="x" * 3001), "title"),
        (AssignmentSpec(title="x", max_points=2.5), "max_points"),
        (AssignmentSpec(title="x", category_ids=("a", "b")), "category_ids"),
        (
            AssignmentSpec(
                title="x", materials=(Material(kind=MaterialKind.FORM, url="https://f"),)
            ),
            "materials",
        ),
        (
            AssignmentSpec(
                title="x",
                materials=tuple(
                    Material(kind=MaterialKind.LINK, url=f"https://e/{i}") for i in range(21)
                ),
            ),
            "materials",
        ),
    ],
)
def test_coursework_body_refuses_what_classroom_would(spec: AssignmentSpec, field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        bodies.coursework_body(spec, zone=UTC)
    assert caught.value.field == field


def test_coursework_patch(schema: Discovery) -> None:
    body, mask = bodies.coursework_patch(
        AssignmentUpdate(title="Ново", due=None, max_points=None), zone=UTC
    )
    schema.validate(body, "CourseWork")
    assert body == {"title": "Ново"}
    assert mask == "title,due_date,due_time,max_points"  # cleared: named, absent
    body, mask = bodies.coursework_patch(
        AssignmentUpdate(instructions="Нови указания", max_points=15), zone=UTC
    )
    assert (body, mask) == (
        {"description": "Нови указания", "maxPoints": 15},
        "description,max_points",
    )


def test_round_trip_of_a_created_body(schema: Discovery) -> None:
    spec = AssignmentSpec(
        title="Есе",
        due=dt.datetime(2026, 12, 2, 18, 0, tzinfo=UTC),
        max_points=10,
        materials=(Material(kind=MaterialKind.LINK, url="https://example.org"),),
    )
    body = bodies.coursework_body(spec, zone=UTC)
    echoed = {**body, "id": "1", "courseId": "2", "associatedWithDeveloper": True}
    schema.validate(echoed, "CourseWork")
    item = work.to_assignment(echoed, ref)
    assert (item.title, item.due, item.max_points) == (spec.title, spec.due, spec.max_points)
    assert item.materials[0].url == "https://example.org"
    assert item.state is AssignmentState.PUBLISHED
