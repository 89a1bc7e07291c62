"""Composite reads of the Microsoft provider: submissions of homework already read, and
the whole-tenant snapshot, against the Graph sandbox (app-only token)."""

from __future__ import annotations

import collections
import math
from collections.abc import Iterator

import pytest
from conftest import provider_for

from unified_edu import (
    Assignment,
    AssignmentState,
    Category,
    Class,
    Enrollment,
    GuardianLink,
    Role,
    Submission,
    ValidationError,
)
from unified_edu.providers.microsoft import MicrosoftEducationProvider
from unified_edu.sandbox import Sandbox, trim_city
from unified_edu.sandbox._city import City
from unified_edu.sandbox.graph import GraphApp

#: Graph's largest submissions page in the sandbox (``$top`` cap, docs/performance.md).
SUBMISSIONS_PAGE = 100


def _key(item: object) -> tuple[str, str, str]:
    ref = item.ref  # type: ignore[attr-defined]
    return type(item).__name__, ref.tenant, ref.id


def test_submissions_of_homework_skip_the_homework_listing(
    app: MicrosoftEducationProvider,
) -> None:
    classes = [c.ref.id for c in app.list_classes()][:6]
    homework = app.list_assignments(classes, states=set(AssignmentState))
    expected = sorted(map(_key, app.list_submissions(classes)))

    before = app.request_counts()["calls"]
    got = list(app.iter_submissions_of(homework))
    calls = app.request_counts()["calls"] - before

    assert sorted(map(_key, got)) == expected
    # One submissions listing per posted homework (plus continuation pages), and no
    # listing of the classes' homework: iter_submissions would add one per class.
    per_item = collections.Counter(s.assignment_id for s in got)
    posted = [a for a in homework if a.state is not AssignmentState.DRAFT]
    assert calls == sum(max(1, math.ceil(per_item[a.ref.id] / SUBMISSIONS_PAGE)) for a in posted)
    # Maximum points travel from the homework onto the grades.
    maxima = {a.ref.id: a.max_points for a in homework}
    grades = [g for s in got for g in (s.draft_grade, s.released_grade) if g is not None]
    assert grades
    assert all(
        g.max_points == maxima[s.assignment_id]
        for s in got
        for g in (s.draft_grade, s.released_grade)
        if g is not None
    )


def test_submissions_of_refuses_homework_of_another_tenant(
    app: MicrosoftEducationProvider,
) -> None:
    klass = app.list_classes()[0]
    item = app.list_assignments(klass.ref.id)[0]
    foreign = Assignment(
        ref=type(item.ref)(provider="google", tenant="elsewhere.example", id="1"),
        class_id=item.class_id,
        title=item.title,
        state=item.state,
    )
    with pytest.raises(ValidationError, match=r"belongs to google:elsewhere\.example"):
        list(app.iter_submissions_of([item, foreign]))


@pytest.fixture(scope="module")
def small_app(msgraph_city: City) -> Iterator[MicrosoftEducationProvider]:
    """An app-only provider on a cut of the city: every Microsoft school, 4 classes each."""
    schools = [s.key for s in msgraph_city.schools_on("microsoft")]
    city = trim_city(msgraph_city, schools=schools, classes_per_school=4)
    with (
        Sandbox.start(city=city, apps=[GraphApp(city)]) as sb,
        provider_for(sb, "app") as provider,
    ):
        yield provider


def test_snapshot_has_everything_in_a_usable_order(
    small_app: MicrosoftEducationProvider,
) -> None:
    app = small_app
    classes = app.list_classes()
    ids = [c.ref.id for c in classes]
    expected = sorted(
        map(
            _key,
            [
                *classes,
                *app.list_enrollments(ids),
                *app.list_categories(ids),
                *app.list_assignments(ids, states=set(AssignmentState)),
                *app.list_submissions(ids),
                *app.list_guardians(),
            ],
        )
    )

    seen_classes: set[str] = set()
    seen_homework: set[str] = set()
    got = []
    for item in app.iter_snapshot():
        got.append(item)
        if isinstance(item, Class):
            seen_classes.add(item.ref.id)
        elif isinstance(item, Enrollment | Category | Assignment | Submission):
            assert item.class_id in seen_classes  # every class before anything of it
            if isinstance(item, Assignment):
                seen_homework.add(item.ref.id)
            if isinstance(item, Submission):
                assert item.assignment_id in seen_homework  # homework before submissions
        else:
            assert isinstance(item, GuardianLink)
    assert sorted(map(_key, got)) == expected
    kinds = collections.Counter(type(i).__name__ for i in got)
    assert kinds["Submission"] > 1000
    assert kinds["GuardianLink"] > 0


def test_classes_of_a_pupil_and_a_teacher_in_one_listing(
    small_app: MicrosoftEducationProvider,
) -> None:
    app = small_app
    ids = [c.ref.id for c in app.list_classes()]
    enrollments = app.list_enrollments(ids)
    pupil = next(e.person_id for e in enrollments if e.role is Role.STUDENT)
    teacher = next(e.person_id for e in enrollments if e.role is Role.TEACHER)

    def expected(person: str, role: Role) -> set[str]:
        return {e.class_id for e in enrollments if e.person_id == person and e.role is role}

    before = app.request_counts()["http_requests"]
    mine = [c.ref.id for c in app.iter_classes_of(pupil)]
    assert app.request_counts()["http_requests"] == before + 1  # no roster is read
    assert sorted(mine) == sorted(expected(pupil, Role.STUDENT))
    taught = {c.ref.id for c in app.iter_classes_of(teacher, role=Role.TEACHER)}
    assert taught == expected(teacher, Role.TEACHER)
    with pytest.raises(ValidationError, match="students and teachers"):
        app.iter_classes_of(pupil, role=Role.GUARDIAN)
