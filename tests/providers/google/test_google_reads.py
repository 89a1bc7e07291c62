"""Reads of the small scenario school: filters, single objects, rubrics, guardians."""

from __future__ import annotations

import datetime as dt

import pytest
from google_scenario import DOMAIN

from unified_edu import (
    AssignmentState,
    ClassState,
    GuardianLinkState,
    NotFoundError,
    Role,
    SubmissionState,
)
from unified_edu.providers.google import GoogleClassroomProvider
from unified_edu.sandbox import Sandbox

pytestmark = pytest.mark.block_network(allowed_hosts=[r"127\.0\.0\.1$"])


def class_id(provider: GoogleClassroomProvider, name: str) -> str:
    return next(c.ref.id for c in provider.list_classes() if c.name == name)


def test_school_is_the_domain(provider: GoogleClassroomProvider) -> None:
    (school,) = provider.list_schools()
    assert (school.ref.id, school.name) == (DOMAIN, "СУ „Христо Ботев“")
    assert provider.stats.calls == 0  # no call: Classroom has no school entity


def test_class_filters(sandbox: Sandbox, provider: GoogleClassroomProvider) -> None:
    assert [c.name for c in provider.list_classes(states=[ClassState.ARCHIVED])] == ["История 7А"]
    assert provider.list_classes(school_id="other.example") == []
    assert provider.list_classes(states=[ClassState.UNKNOWN]) == []
    assert sandbox.stats().by_operation == {"oauth.token": 1, "classroom.courses.list": 1}
    classes = provider.list_classes(school_id=DOMAIN)
    assert {c.school_id for c in classes} == {DOMAIN}
    assert {c.state for c in classes} == {ClassState.ACTIVE, ClassState.ARCHIVED}


def test_homework_states_are_always_sent(provider: GoogleClassroomProvider) -> None:
    math = class_id(provider, "Математика 7А")
    default = {a.title: a.state for a in provider.list_assignments(math)}
    assert default == {
        "Уравнения": AssignmentState.PUBLISHED,
        "Тест от учебника": AssignmentState.PUBLISHED,
        "Чернова": AssignmentState.DRAFT,
    }
    deleted = provider.list_assignments(math, states=[AssignmentState.DELETED])
    assert [a.title for a in deleted] == ["Изтрита"]
    assert provider.list_assignments(math, states=[AssignmentState.PUBLISHING]) == []


def test_single_objects(provider: GoogleClassroomProvider) -> None:
    math = class_id(provider, "Математика 7А")
    work = next(a for a in provider.list_assignments(math) if a.title == "Уравнения")
    assert provider.get_assignment(math, work.ref.id).materials == work.materials
    subs = provider.list_submissions(math, assignment_id=work.ref.id)
    returned = next(s for s in subs if s.state is SubmissionState.RETURNED)
    again = provider.get_submission(math, work.ref.id, returned.ref.id)
    assert again == returned
    assert again.released_grade is not None
    assert (again.released_grade.points, again.released_grade.max_points) == (9, 10)
    assert again.returned_at == dt.datetime(2026, 10, 6, 12, tzinfo=dt.UTC)
    with pytest.raises(NotFoundError):
        provider.get_assignment(math, "999999999999")


def test_rubrics(provider: GoogleClassroomProvider) -> None:
    math = class_id(provider, "Математика 7А")
    items = {a.title: a for a in provider.list_assignments(math)}
    rubric = provider.get_rubric(math, items["Уравнения"].ref.id)
    assert rubric is not None
    assert rubric.assignment_id == items["Уравнения"].ref.id
    assert [len(c.levels) for c in rubric.criteria] == [4, 4, 4]
    # The seeded rubric splits the homework's 10 points in three: 3 × 3.33.
    assert rubric.max_points == pytest.approx(9.99)
    assert provider.get_rubric(math, items["Тест от учебника"].ref.id) is None


def test_guardians_of_everyone_and_of_some(provider: GoogleClassroomProvider) -> None:
    everyone = provider.list_guardians()
    assert sorted(g.state for g in everyone) == sorted(
        [GuardianLinkState.ACTIVE, GuardianLinkState.INVITED, GuardianLinkState.INVITATION_CLOSED]
    )
    assert {g.guardian_email for g in everyone} == {
        "petar.angelov@mail.example",
        "raya.angelova@mail.example",
    }
    students = [
        p.ref.id
        for p in provider.list_people(
            class_ids=class_id(provider, "Математика 7А"), role=Role.STUDENT
        )
        if p.email == f"boyana@{DOMAIN}"
    ]
    (closed,) = provider.list_guardians(student_ids=students)
    assert closed.state is GuardianLinkState.INVITATION_CLOSED


def test_unknown_class_is_not_found(provider: GoogleClassroomProvider) -> None:
    with pytest.raises(NotFoundError):
        provider.list_enrollments("123456789012")
    with pytest.raises(NotFoundError):
        provider.get_class("p:no-such-alias")
