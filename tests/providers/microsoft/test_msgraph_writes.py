"""Writes, publishing and grading against the real sandbox (quotas on).

The delegated teacher is the tenant's ready-made teacher token; app-only is the ready-made
application token. Each test works on homework or classes it creates itself.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from conftest import provider_for
from msgraph_support import microsoft

from unified_edu import (
    AssigneeMode,
    AssignmentSpec,
    AssignmentState,
    AssignmentUpdate,
    ClassSpec,
    ClassUpdate,
    Material,
    MaterialKind,
    NotFoundError,
    Role,
    SubmissionState,
    UnsupportedOperationError,
    ValidationError,
)
from unified_edu._retry import RetryPolicy
from unified_edu.providers.microsoft import MicrosoftEducationProvider
from unified_edu.sandbox import FaultConfig, Sandbox

SOFIA = zoneinfo.ZoneInfo("Europe/Sofia")


def _class(teacher: MicrosoftEducationProvider, index: int = 0) -> str:
    return sorted(c.ref.id for c in teacher.list_classes())[index]


def _publish(teacher: MicrosoftEducationProvider, class_id: str, title: str, **kw: object):
    spec = AssignmentSpec(title=title, instructions="Решете задачите", max_points=20, **kw)  # type: ignore[arg-type]
    return teacher.create_assignment(class_id, spec)


def test_create_and_publish_with_a_delegated_teacher(
    teacher: MicrosoftEducationProvider, graph_sandbox: Sandbox
) -> None:
    class_id = _class(teacher)
    category = teacher.create_category(class_id, "Проекти")
    spec = AssignmentSpec(
        title="Проект: Пловдив",
        instructions="Снимки и текст за Стария град",
        due=dt.date(2027, 3, 2),
        max_points=50,
        materials=(
            Material(kind=MaterialKind.LINK, url="https://bg.wikipedia.org/", title="Уики"),
        ),
        category_ids=(category.ref.id,),
    )
    assignment = teacher.create_assignment(class_id, spec)
    assert assignment.state is AssignmentState.PUBLISHED
    assert assignment.platform_state == "assigned"  # waited past the transient "published"
    # A date-only deadline ends at 23:59:59 in Sofia (UTC+2 in March).
    assert assignment.due == dt.datetime(2027, 3, 2, 23, 59, 59, tzinfo=SOFIA)
    assert assignment.max_points == 50
    assert assignment.instructions == spec.instructions
    assert [(m.kind, m.url, m.title) for m in assignment.materials] == [
        (MaterialKind.LINK, "https://bg.wikipedia.org/", "Уики")
    ]
    assert assignment.category_ids == (category.ref.id,)
    assert assignment.creator_id == teacher.credentials.subject
    submissions = teacher.list_submissions(class_id, assignment_id=assignment.ref.id)
    assert submissions
    assert {s.state for s in submissions} == {SubmissionState.IN_PROGRESS}
    assert all(s.draft_grade is None for s in submissions)


def test_draft_then_publish_and_individual_students(teacher: MicrosoftEducationProvider) -> None:
    class_id = _class(teacher)
    students = [e.person_id for e in teacher.list_enrollments(class_id, role=Role.STUDENT)][:2]
    draft = teacher.create_assignment(
        class_id, AssignmentSpec(title="Само за двама", student_ids=tuple(students), publish=False)
    )
    assert draft.state is AssignmentState.DRAFT
    assert draft.max_points is None
    assert draft.assignee_mode is AssigneeMode.INDIVIDUAL_STUDENTS
    assert set(draft.student_ids) == set(students)
    published = teacher.publish_assignment(class_id, draft.ref.id)
    assert published.state is AssignmentState.PUBLISHED
    subs = teacher.list_submissions(class_id, assignment_id=draft.ref.id)
    assert sorted(s.student_id for s in subs) == sorted(students)


def test_app_only_publish_is_refused_before_any_request(
    app: MicrosoftEducationProvider, teacher: MicrosoftEducationProvider, graph_sandbox: Sandbox
) -> None:
    class_id = _class(teacher)
    before = graph_sandbox.stats().http_requests
    with pytest.raises(UnsupportedOperationError, match="delegated") as caught:
        app.create_assignment(class_id, AssignmentSpec(title="Публикувай ме"))
    assert "from_device_code" in str(caught.value)
    with pytest.raises(UnsupportedOperationError):
        app.publish_assignment(class_id, "any")
    with pytest.raises(UnsupportedOperationError, match="updating assignments"):
        app.update_assignment(class_id, "any", AssignmentUpdate(title="x"))
    with pytest.raises(UnsupportedOperationError, match="deleting assignments"):
        app.delete_assignment(class_id, "any")
    material = Material(kind=MaterialKind.LINK, url="https://example.org")
    with pytest.raises(ValidationError, match="delegated"):
        app.create_assignment(
            class_id, AssignmentSpec(title="x", publish=False, materials=(material,))
        )
    assert graph_sandbox.stats().http_requests == before
    assert app.request_counts()["http_requests"] == 0
    draft = app.create_assignment(
        class_id, AssignmentSpec(title="Чернова от приложение", publish=False)
    )
    assert draft.state is AssignmentState.DRAFT
    assert draft.created_by_this_app is None


def test_grade_feedback_return_releases_the_grade(teacher: MicrosoftEducationProvider) -> None:
    class_id = _class(teacher)
    assignment = _publish(teacher, class_id, "Контролна работа 1")
    sub = teacher.list_submissions(class_id, assignment_id=assignment.ref.id)[0]
    with pytest.raises(ValidationError, match="maximum"):
        teacher.set_grade(class_id, assignment.ref.id, sub.ref.id, points=21)
    graded = teacher.set_grade(class_id, assignment.ref.id, sub.ref.id, points=17.5)
    assert graded.draft_grade is not None
    assert graded.draft_grade.points == 17.5
    assert graded.draft_grade.max_points == 20
    assert graded.released_grade is None
    noted = teacher.set_feedback(class_id, assignment.ref.id, sub.ref.id, text="Много добре!")
    assert noted.draft_grade is not None
    assert noted.draft_grade.feedback == "Много добре!"
    returned = teacher.return_submission(class_id, assignment.ref.id, sub.ref.id)
    assert returned.state is SubmissionState.RETURNED
    assert returned.released_grade is not None
    assert (returned.released_grade.points, returned.released_grade.feedback) == (
        17.5,
        "Много добре!",
    )
    again = teacher.get_submission(class_id, assignment.ref.id, sub.ref.id)
    assert again.released_grade == returned.released_grade
    assert again.returned_at is not None


def test_excuse_and_reassign_read_true_with_prefer(teacher: MicrosoftEducationProvider) -> None:
    class_id = _class(teacher)
    assignment = _publish(teacher, class_id, "Есе")
    first, second = teacher.list_submissions(class_id, assignment_id=assignment.ref.id)[:2]
    excused = teacher.excuse_submission(class_id, assignment.ref.id, first.ref.id)
    assert excused.state is SubmissionState.EXCUSED
    assert excused.excused_at is not None
    submitted = teacher.submit_submission(class_id, assignment.ref.id, second.ref.id)
    assert submitted.state is SubmissionState.TURNED_IN
    reassigned = teacher.reassign_submission(class_id, assignment.ref.id, second.ref.id)
    assert reassigned.state is SubmissionState.REASSIGNED
    assert reassigned.extra["reassignedDateTime"]
    states = {
        s.ref.id: s.state
        for s in teacher.list_submissions(class_id, assignment_id=assignment.ref.id)
    }
    assert states[first.ref.id] is SubmissionState.EXCUSED  # not "returned": Prefer was sent
    assert states[second.ref.id] is SubmissionState.REASSIGNED


def test_submit_and_unsubmit(teacher: MicrosoftEducationProvider) -> None:
    class_id = _class(teacher)
    assignment = _publish(teacher, class_id, "Упражнение")
    sub = teacher.list_submissions(class_id, assignment_id=assignment.ref.id)[0]
    done = teacher.submit_submission(class_id, assignment.ref.id, sub.ref.id)
    assert done.state is SubmissionState.TURNED_IN
    assert done.turned_in_at is not None
    undone = teacher.unsubmit_submission(class_id, assignment.ref.id, sub.ref.id)
    assert undone.state is SubmissionState.IN_PROGRESS


def test_update_deactivate_activate_delete(teacher: MicrosoftEducationProvider) -> None:
    class_id = _class(teacher)
    assignment = _publish(teacher, class_id, "Стара тема")
    due = dt.datetime(2027, 4, 1, 12, 30, tzinfo=dt.UTC)
    changed = teacher.update_assignment(
        class_id,
        assignment.ref.id,
        AssignmentUpdate(title="Нова тема", due=due, max_points=30, instructions="Ново"),
    )
    assert (changed.title, changed.due, changed.max_points, changed.instructions) == (
        "Нова тема",
        due,
        30,
        "Ново",
    )
    assert (
        teacher.deactivate_assignment(class_id, assignment.ref.id).state is AssignmentState.INACTIVE
    )
    assert teacher.get_assignment(class_id, assignment.ref.id).state is AssignmentState.INACTIVE
    assert (
        teacher.activate_assignment(class_id, assignment.ref.id).state is AssignmentState.PUBLISHED
    )
    teacher.delete_assignment(class_id, assignment.ref.id)
    with pytest.raises(NotFoundError) as caught:
        teacher.get_assignment(class_id, assignment.ref.id)
    assert caught.value.code == "20241"
    assert caught.value.request_id


def test_ambiguous_create_never_duplicates(
    teacher: MicrosoftEducationProvider, graph_sandbox: Sandbox
) -> None:
    class_id = _class(teacher, 1)
    title = "Двойна ли ще е?"
    faults_before = graph_sandbox.stats().faults.get("reset_after", 0)
    graph_sandbox.faults.add(
        kind="reset_after", method="POST", path_regex=r".*/assignments$", times=1
    )
    created = teacher.create_assignment(class_id, AssignmentSpec(title=title, publish=False))
    assert graph_sandbox.stats().faults.get("reset_after", 0) == faults_before + 1
    assert not graph_sandbox.faults.pending()
    same = [a for a in teacher.list_assignments(class_id) if a.title == title]
    assert [a.ref.id for a in same] == [created.ref.id]  # exactly one exists


def test_ambiguous_category_create_never_duplicates(
    teacher: MicrosoftEducationProvider, graph_sandbox: Sandbox
) -> None:
    class_id = _class(teacher, 2)
    name = "Само една категория"
    graph_sandbox.faults.add(
        kind="reset_after", method="POST", path_regex=r"/assignmentCategories$", times=1
    )
    created = teacher.create_category(class_id, name)
    assert not graph_sandbox.faults.pending()  # the POST was applied, its answer lost
    same = [c.ref.id for c in teacher.list_categories(class_id) if c.name == name]
    assert same == [created.ref.id]  # found, not posted again


def test_ambiguous_class_create_finds_the_class(
    app: MicrosoftEducationProvider, graph_sandbox: Sandbox
) -> None:
    graph_sandbox.faults.add(
        kind="reset_after", method="POST", path_regex=r"/education/classes$", times=1
    )
    created = app.create_class(ClassSpec(name="Математика 12В", external_id="ext-12v"))
    assert not graph_sandbox.faults.pending()
    twins = [c for c in app.list_classes() if c.external_id == "ext-12v"]
    assert [c.ref.id for c in twins] == [created.ref.id]


def test_class_and_roster_writes_app_only(
    app: MicrosoftEducationProvider, graph_sandbox: Sandbox
) -> None:
    school = app.list_schools()[0]
    people = app.list_people()
    teacher_id = next(p.ref.id for p in people if p.role is Role.TEACHER)
    student = next(p for p in people if p.role is Role.STUDENT)
    created = app.create_class(
        ClassSpec(
            name="Информатика 8А",
            owner_id=teacher_id,
            school_id=school.ref.id,
            section="8",
            subject="Информатика",
            description="Избираем",
        )
    )
    class_id = created.ref.id
    assert (created.name, created.section, created.subject) == (
        "Информатика 8А",
        "8",
        "Информатика",
    )
    assert created.extra["mailNickname"].startswith("informatika-8a-")
    assert created.school_id == school.ref.id
    assert class_id in {c.ref.id for c in app.list_classes(school_id=school.ref.id)}
    enrollment = app.add_enrollment(class_id, student.email or student.ref.id, Role.STUDENT)
    assert enrollment.person_id == student.ref.id
    assert enrollment.ref.id == f"{class_id}/{student.ref.id}"
    roster = {(e.person_id, e.role) for e in app.list_enrollments(class_id)}
    assert roster == {(teacher_id, Role.TEACHER), (student.ref.id, Role.STUDENT)}
    app.remove_enrollment(class_id, student.ref.id, Role.STUDENT)
    app.remove_enrollment(class_id, teacher_id, Role.TEACHER)
    assert app.list_enrollments(class_id) == []
    renamed = app.update_class(class_id, ClassUpdate(name="Информатика 8Б", description=None))
    assert renamed.name == "Информатика 8Б"
    assert renamed.description is None
    with pytest.raises(UnsupportedOperationError, match="archive"):
        app.update_class(class_id, ClassUpdate(archived=True))
    app.delete_class(class_id)
    with pytest.raises(NotFoundError):
        app.get_class(class_id)


def test_delegated_roster_writes_are_refused(teacher: MicrosoftEducationProvider) -> None:
    with pytest.raises(UnsupportedOperationError, match=r"EduRoster\.ReadWrite\.All"):
        teacher.create_class(ClassSpec(name="x"))
    with pytest.raises(UnsupportedOperationError):
        teacher.add_enrollment("c", "p", Role.STUDENT)
    assert teacher.request_counts()["http_requests"] == 0


def test_delta_rounds(teacher: MicrosoftEducationProvider, app: MicrosoftEducationProvider) -> None:
    class_id = _class(teacher, 2)
    first = teacher.sync_assignments(class_id)
    assert first.changed
    assert first.delta_link.startswith("http")
    assert teacher.sync_assignments(class_id, first.delta_link).changed == ()
    made = teacher.create_assignment(class_id, AssignmentSpec(title="Делта", publish=False))
    second = teacher.sync_assignments(class_id, first.delta_link)
    assert [a.ref.id for a in second.changed] == [made.ref.id]
    teacher.delete_assignment(class_id, made.ref.id)
    third = teacher.sync_assignments(class_id, second.delta_link)
    assert third.removed == (made.ref.id,)
    classes = app.sync_classes()
    assert len(classes.changed) >= 118
    assert classes.removed == ()


def test_single_reads(teacher: MicrosoftEducationProvider, app: MicrosoftEducationProvider) -> None:
    class_id = _class(teacher)
    klass = teacher.get_class(class_id)
    assert klass.ref.id == class_id
    assert klass.code
    # The school comes with the class (GET …/schools in the same $batch).
    listed = {c.ref.id: c.school_id for c in app.iter_classes()}
    assert klass.school_id is not None
    assert klass.school_id == listed[class_id]
    assert {p.role for p in app.list_people(class_ids=[class_id], role=Role.TEACHER)} == {
        Role.TEACHER
    }
    me = app.get_person(teacher.credentials.subject or "")
    assert me.role is Role.TEACHER
    assert me.email
    assert app.get_person(me.email or "").ref.id == me.ref.id  # by UPN too
    with pytest.raises(NotFoundError):
        app.get_person("00000000-0000-0000-0000-000000000000")
    links = app.list_guardians(
        student_ids=[e.person_id for e in app.list_enrollments(class_id, role=Role.STUDENT)][:5]
    )
    assert all(link.student_id and link.relationship for link in links)
    classes = [c.ref.id for c in app.list_classes()][:10]
    graded = [a for a in app.iter_assignments(classes) if a.is_graded and a.published_at]
    rubrics = (app.get_rubric(a.class_id, a.ref.id) for a in graded)
    rubric = next(r for r in rubrics if r is not None)  # every 7th graded homework has one
    assert rubric.criteria
    assert rubric.criteria[0].levels
    assert rubric.ref.provider == "microsoft"
    assert rubric.title


def test_tenant_info_matches(graph_sandbox: Sandbox, app: MicrosoftEducationProvider) -> None:
    assert app.tenant == microsoft(graph_sandbox).tenant
    assert all(s.ref.tenant == app.tenant for s in app.list_schools())


def test_inner_and_direct_429_are_retried_after_fractional_retry_after(
    graph_sandbox: Sandbox,
) -> None:
    waits: list[float] = []

    async def record(seconds: float) -> None:
        waits.append(seconds)

    provider = provider_for(graph_sandbox, "app", retry=RetryPolicy(async_sleep=record))
    old = graph_sandbox.faults.config
    graph_sandbox.faults.configure(FaultConfig(retry_after=0.25))
    try:
        class_ids = sorted(c.ref.id for c in provider.list_classes())[:3]
        expected = len(provider.list_enrollments(class_ids))
        throttled = graph_sandbox.stats().throttled
        # Two batch parts answer 429: the scheduler retries just those parts.
        graph_sandbox.faults.add(kind="429", path_regex=r"/members$", times=2)
        assert len(provider.list_enrollments(class_ids)) == expected
        # A direct call answering 429 is retried too (a create: 429 means "not executed").
        graph_sandbox.faults.add(kind="429", method="POST", path_regex=r"/assignmentCategories$")
        assert provider.create_category(class_ids[0], "След 429").name == "След 429"
        assert graph_sandbox.stats().throttled == throttled + 3
        assert 0.25 in waits
    finally:
        graph_sandbox.faults.configure(old)
        provider.close()


def test_client_key_returns_the_existing_homework(teacher: MicrosoftEducationProvider) -> None:
    class_id = _class(teacher, 1)
    spec = AssignmentSpec(title="Ключ за повторение", publish=False, client_key="k-1")
    first = teacher.create_assignment(class_id, spec)
    again = teacher.create_assignment(class_id, spec)
    assert again.ref.id == first.ref.id
    assert [a.ref.id for a in teacher.list_assignments(class_id) if a.title == spec.title] == [
        first.ref.id
    ]
