"""Writes against the sandbox: classes, rosters, homework, grading, whom each call runs as,
capability errors before any request, and creates that never duplicate."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from google.oauth2.credentials import Credentials
from google_scenario import DOMAIN, OTHER_DOMAIN
from google_support import delegated, token_provider
from googleapiclient.discovery import build

from unified_edu import (
    Assignment,
    AssignmentSpec,
    AssignmentState,
    AssignmentUpdate,
    Class,
    ClassSpec,
    ClassState,
    ClassUpdate,
    ConflictError,
    GuardianLinkState,
    Material,
    MaterialKind,
    NotFoundError,
    PermissionDeniedError,
    Role,
    SubmissionState,
    TransportError,
    UnsupportedOperationError,
    ValidationError,
)
from unified_edu.providers.google import GoogleClassroomProvider
from unified_edu.sandbox import Sandbox

pytestmark = pytest.mark.block_network(allowed_hosts=[r"127\.0\.0\.1$"])

ADMIN = f"admin@{DOMAIN}"
TEACHER = f"maria.petrova@{DOMAIN}"
UTC = dt.UTC


def math(provider: GoogleClassroomProvider) -> Class:
    return next(c for c in provider.list_classes() if c.name == "Математика 7А")


def student_id(provider: GoogleClassroomProvider, class_id: str, email: str) -> str:
    people = provider.list_people(class_ids=class_ids_of(class_id), role=Role.STUDENT)
    return next(p.ref.id for p in people if p.email == email)


def class_ids_of(class_id: str) -> list[str]:
    return [class_id]


def turn_in(sb: Sandbox, email: str, sub: Any) -> None:
    """The student turns the work in (only the owning student may)."""
    token = sb.issue_token("google", DOMAIN, email)
    service = build(
        "classroom",
        "v1",
        credentials=Credentials(token),
        static_discovery=True,
        client_options={"api_endpoint": sb.google_endpoint},
    )
    service.courses().courseWork().studentSubmissions().turnIn(
        courseId=sub.class_id, courseWorkId=sub.assignment_id, id=sub.ref.id, body={}
    ).execute()


def homework_titled(
    provider: GoogleClassroomProvider, class_id: str, title: str
) -> list[Assignment]:
    return [a for a in provider.list_assignments(class_id) if a.title == title]


# -- classes and rosters ----------------------------------------------------------------


def test_class_lifecycle(provider: GoogleClassroomProvider) -> None:
    created = provider.create_class(
        ClassSpec(name="Физика 8Б", owner_id=TEACHER, section="8Б", subject="Физика")
    )
    assert created.state is ClassState.ACTIVE
    assert created.owner_id is not None
    assert provider.get_class(created.ref.id).name == "Физика 8Б"
    renamed = provider.update_class(created.ref.id, ClassUpdate(name="Физика 8В", section=None))
    assert (renamed.name, renamed.section) == ("Физика 8В", None)
    archived = provider.update_class(created.ref.id, ClassUpdate(archived=True))
    assert archived.state is ClassState.ARCHIVED
    # An archived course accepts only a state change: un-archive first, then rename.
    back = provider.update_class(created.ref.id, ClassUpdate(archived=False, name="Физика 9"))
    assert (back.state, back.name) == (ClassState.ACTIVE, "Физика 9")
    provider.delete_class(created.ref.id)
    with pytest.raises(NotFoundError):
        provider.get_class(created.ref.id)


def test_external_id_is_a_domain_alias(provider: GoogleClassroomProvider) -> None:
    spec = ClassSpec(name="Биология 5А", owner_id=TEACHER, external_id="sis-5a-bio")
    created = provider.create_class(spec)
    assert created.external_id == "sis-5a-bio"
    assert provider.get_class("d:sis-5a-bio").ref == created.ref
    with pytest.raises(ConflictError):
        provider.create_class(spec)  # the alias exists: never a second course


def test_ambiguous_course_create_finds_the_course_by_its_alias(
    sandbox: Sandbox, provider: GoogleClassroomProvider
) -> None:
    before = len(provider.list_classes())
    sandbox.faults.add("reset_after", method="POST", path_regex=r"/v1/courses$")
    created = provider.create_class(ClassSpec(name="Музика 6А", owner_id=TEACHER))
    assert sandbox.stats().faults == {"reset_after": 1}
    names = [c.name for c in provider.list_classes()]
    assert len(names) == before + 1
    assert names.count("Музика 6А") == 1
    assert created.name == "Музика 6А"


def test_enrollments(provider: GoogleClassroomProvider) -> None:
    class_id = math(provider).ref.id
    added = provider.add_enrollment(class_id, f"dani@{DOMAIN}", Role.STUDENT)
    assert added.role is Role.STUDENT
    assert added.person is not None
    assert added.person.email == f"dani@{DOMAIN}"
    with pytest.raises(ConflictError):
        provider.add_enrollment(class_id, f"dani@{DOMAIN}", Role.STUDENT)
    roster = provider.list_enrollments(class_id)
    owner = [e for e in roster if e.is_owner]
    assert len(owner) == 1
    assert owner[0].person is not None
    assert owner[0].person.email == TEACHER
    assert sum(e.role is Role.STUDENT for e in roster) == 5
    provider.remove_enrollment(class_id, f"dani@{DOMAIN}", Role.STUDENT)
    assert sum(e.role is Role.STUDENT for e in provider.list_enrollments(class_id)) == 4


def test_cross_domain_add_needs_an_invitation(provider: GoogleClassroomProvider) -> None:
    class_id = math(provider).ref.id
    with pytest.raises(PermissionDeniedError) as caught:
        provider.add_enrollment(class_id, f"elena@{OTHER_DOMAIN}", Role.STUDENT)
    assert caught.value.code == "CannotDirectAddUser"
    assert "invite_to_class" in caught.value.message
    assert provider.invite_to_class(class_id, f"elena@{OTHER_DOMAIN}", Role.STUDENT)


def test_topics(provider: GoogleClassroomProvider) -> None:
    class_id = math(provider).ref.id
    assert [c.name for c in provider.list_categories(class_id)] == ["Домашна работа"]
    created = provider.create_category(class_id, "  Контролни   работи ")
    assert created.name == "Контролни работи"
    assert len(provider.list_categories(class_id)) == 2


def test_invite_guardian(provider: GoogleClassroomProvider) -> None:
    class_id = math(provider).ref.id
    student = student_id(provider, class_id, f"viktor@{DOMAIN}")
    link = provider.invite_guardian(student, "Baba.Vasileva@mail.example")
    assert link.state is GuardianLinkState.INVITED
    assert link.guardian_email == "baba.vasileva@mail.example"
    mine = provider.list_guardians(student_ids=student)
    assert [g.state for g in mine] == [GuardianLinkState.INVITED]


# -- homework ---------------------------------------------------------------------------


def test_homework_lifecycle_runs_as_a_teacher(provider: GoogleClassroomProvider) -> None:
    class_id = math(provider).ref.id
    topic = provider.list_categories(class_id)[0].ref.id
    spec = AssignmentSpec(
        title="Дроби",
        instructions="Задачи 1–5.",
        due=dt.datetime(2026, 12, 3, 20, 0, tzinfo=UTC),
        max_points=10,
        materials=(Material(kind=MaterialKind.LINK, url="https://bg.wikipedia.org/wiki/Дроб"),),
        category_ids=(topic,),
        publish=False,
    )
    draft = provider.create_assignment(class_id, spec)
    assert draft.state is AssignmentState.DRAFT
    assert draft.created_by_this_app
    assert (draft.due, draft.max_points, draft.category_ids) == (spec.due, 10, (topic,))
    changed = provider.update_assignment(
        class_id, draft.ref.id, AssignmentUpdate(title="Дроби и проценти", due=None)
    )
    assert (changed.title, changed.due) == ("Дроби и проценти", None)
    published = provider.publish_assignment(class_id, draft.ref.id)
    assert published.state is AssignmentState.PUBLISHED
    assert len(provider.list_submissions(class_id, assignment_id=draft.ref.id)) == 4
    provider.delete_assignment(class_id, draft.ref.id)
    assert provider.get_assignment(class_id, draft.ref.id).state is AssignmentState.DELETED
    # Admin for the class and roster reads, the owning teacher for every homework write.
    users = provider.stats.by_user
    assert set(users) == {ADMIN, TEACHER}
    writes = ("create", "patch", "delete")
    teacher_methods = {m for m in provider.stats.by_method if m.rsplit(".", 1)[-1] in writes}
    assert teacher_methods == {
        "classroom.courses.courseWork.create",
        "classroom.courses.courseWork.patch",
        "classroom.courses.courseWork.delete",
    }
    assert users[TEACHER] == 4  # create, update, publish, delete


def test_an_admin_who_does_not_teach_cannot_create_homework(sandbox: Sandbox) -> None:
    admin_only = token_provider(sandbox, ADMIN)
    class_id = math(admin_only).ref.id
    with pytest.raises(PermissionDeniedError) as caught:
        admin_only.create_assignment(class_id, AssignmentSpec(title="Нещо"))
    assert caught.value.code == "PERMISSION_DENIED"


def test_ambiguous_homework_create_never_duplicates(
    sandbox: Sandbox, provider: GoogleClassroomProvider
) -> None:
    class_id = math(provider).ref.id
    sandbox.faults.add("reset_after", method="POST", path_regex=r"/courseWork$", times=1)
    spec = AssignmentSpec(title="Есе за есента", max_points=20)
    created = provider.create_assignment(class_id, spec)
    assert sandbox.stats().faults == {"reset_after": 1}
    assert sandbox.stats().by_operation["classroom.courses.courseWork.create"] == 1
    assert [a.ref.id for a in homework_titled(provider, class_id, spec.title)] == [created.ref.id]


def test_a_create_lost_before_it_ran_is_sent_again(
    sandbox: Sandbox, provider: GoogleClassroomProvider
) -> None:
    class_id = math(provider).ref.id
    sandbox.faults.add("reset_before", method="POST", path_regex=r"/courseWork$", times=1)
    created = provider.create_assignment(class_id, AssignmentSpec(title="Преговор"))
    assert sandbox.stats().by_operation["classroom.courses.courseWork.create"] == 2
    assert [a.ref.id for a in homework_titled(provider, class_id, "Преговор")] == [created.ref.id]


def test_a_create_that_failed_with_a_5xx_is_checked_then_sent_again(
    sandbox: Sandbox, provider: GoogleClassroomProvider
) -> None:
    class_id = math(provider).ref.id
    sandbox.faults.add("503", method="POST", path_regex=r"/courseWork$", times=1)
    created = provider.create_assignment(class_id, AssignmentSpec(title="След срив"))
    assert sandbox.stats().faults == {"503": 1}
    assert [a.ref.id for a in homework_titled(provider, class_id, "След срив")] == [created.ref.id]


def test_people(provider: GoogleClassroomProvider) -> None:
    teacher = provider.get_person(TEACHER)
    assert (teacher.name, teacher.role, teacher.email) == ("Мария Петрова", Role.TEACHER, TEACHER)
    with pytest.raises(NotFoundError):
        provider.get_person("nobody@botev.example")
    everyone = provider.list_people()
    assert len(everyone) == 2 + 4  # rosters of both classes, each person once
    guardians = provider.list_people(class_ids=math(provider).ref.id, role=Role.GUARDIAN)
    assert [g.name for g in guardians] == ["Петър Ангелов"]


def test_identical_homework_twice_is_two_items_but_a_client_key_is_one(
    provider: GoogleClassroomProvider,
) -> None:
    class_id = math(provider).ref.id
    spec = AssignmentSpec(title="Упражнение")
    first, second = (
        provider.create_assignment(class_id, spec),
        provider.create_assignment(class_id, spec),
    )
    assert first.ref != second.ref
    keyed = AssignmentSpec(title="С ключ", client_key="lesson-42")
    assert (
        provider.create_assignment(class_id, keyed).ref
        == provider.create_assignment(class_id, keyed).ref
    )
    assert len(homework_titled(provider, class_id, "С ключ")) == 1


# -- grading ----------------------------------------------------------------------------


def graded_homework(provider: GoogleClassroomProvider, class_id: str) -> Assignment:
    return next(a for a in provider.list_assignments(class_id) if a.title == "Уравнения")


def test_grade_and_return(sandbox: Sandbox, provider: GoogleClassroomProvider) -> None:
    class_id = math(provider).ref.id
    work = graded_homework(provider, class_id)
    subs = {s.state: s for s in provider.list_submissions(class_id, assignment_id=work.ref.id)}
    turned_in = subs[SubmissionState.TURNED_IN]
    graded = provider.set_grade(class_id, work.ref.id, turned_in.ref.id, points=7.5)
    assert graded.draft_grade is not None
    assert graded.draft_grade.points == 7.5
    assert graded.draft_grade.max_points == 10
    assert graded.released_grade is None  # a draft: only teachers see it
    returned = provider.return_submission(class_id, work.ref.id, turned_in.ref.id)
    assert returned.state is SubmissionState.RETURNED
    assert returned.released_grade is not None
    assert returned.released_grade.points == 7.5
    assert returned.returned_at is not None
    # The student works on, turns in again, and gets a new grade back.
    turn_in(sandbox, f"viktor@{DOMAIN}", returned)
    provider.set_grade(class_id, work.ref.id, turned_in.ref.id, points=9)
    again = provider.return_submission(class_id, work.ref.id, turned_in.ref.id)
    assert again.released_grade is not None
    assert again.released_grade.points == 9
    # Reads ran as the admin; every grading call as the class's teacher: per grade one
    # patch, per return a get, the release patch, :return and a get.
    assert set(provider.stats.by_user) == {ADMIN, TEACHER}
    assert provider.stats.by_user[TEACHER] == 2 * (1 + 4)


def test_a_refused_return_releases_no_grade(provider: GoogleClassroomProvider) -> None:
    class_id = math(provider).ref.id
    work = graded_homework(provider, class_id)
    untouched = next(
        s
        for s in provider.list_submissions(class_id, assignment_id=work.ref.id)
        if s.state in {SubmissionState.NEW, SubmissionState.IN_PROGRESS}
    )
    provider.set_grade(class_id, work.ref.id, untouched.ref.id, points=6)
    with pytest.raises(ConflictError):
        provider.return_submission(class_id, work.ref.id, untouched.ref.id)
    after = provider.get_submission(class_id, work.ref.id, untouched.ref.id)
    assert after.released_grade is None  # nothing half-applied
    assert after.draft_grade is not None


def test_grade_validation_happens_before_any_patch(provider: GoogleClassroomProvider) -> None:
    class_id = math(provider).ref.id
    work = graded_homework(provider, class_id)
    sub = provider.list_submissions(class_id, assignment_id=work.ref.id)[0]
    calls = provider.stats.calls
    with pytest.raises(ValidationError, match="allow_extra_credit"):
        provider.set_grade(class_id, work.ref.id, sub.ref.id, points=11)
    with pytest.raises(ValidationError):
        provider.set_grade(class_id, work.ref.id, sub.ref.id, points=-1)
    assert provider.stats.calls == calls  # the maximum was cached by the listing


def test_extra_credit_when_allowed(sandbox: Sandbox) -> None:
    provider = delegated(sandbox, allow_extra_credit=True)
    class_id = math(provider).ref.id
    work = graded_homework(provider, class_id)
    sub = provider.list_submissions(class_id, assignment_id=work.ref.id)[0]
    graded = provider.set_grade(class_id, work.ref.id, sub.ref.id, points=12)
    assert graded.draft_grade is not None
    assert graded.draft_grade.points == 12


def test_ungraded_homework_takes_no_grade(provider: GoogleClassroomProvider) -> None:
    class_id = math(provider).ref.id
    work = provider.create_assignment(class_id, AssignmentSpec(title="Без оценка"))
    sub = provider.list_submissions(class_id, assignment_id=work.ref.id)[0]
    with pytest.raises(ValidationError, match="ungraded"):
        provider.set_grade(class_id, work.ref.id, sub.ref.id, points=1)


def test_ui_made_homework_cannot_be_graded(provider: GoogleClassroomProvider) -> None:
    class_id = math(provider).ref.id
    ui_made = next(a for a in provider.list_assignments(class_id) if not a.created_by_this_app)
    assert ui_made.title == "Тест от учебника"
    assert ui_made.due == dt.date(2026, 10, 10)
    sub = provider.list_submissions(class_id, assignment_id=ui_made.ref.id)[0]
    with pytest.raises(PermissionDeniedError) as caught:
        provider.set_grade(class_id, ui_made.ref.id, sub.ref.id, points=15)
    assert caught.value.code == "ProjectPermissionDenied"
    assert "only the developer project that created" in caught.value.message


@pytest.mark.parametrize(
    ("call", "capability"),
    [
        (lambda p: p.excuse_submission("1", "2", "3"), "excuse"),
        (lambda p: p.reassign_submission("1", "2", "3"), "reassign"),
        (lambda p: p.set_feedback("1", "2", "3", text="Браво"), "feedback"),
    ],
)
def test_unsupported_operations_fail_before_any_request(
    sandbox: Sandbox, provider: GoogleClassroomProvider, call: Any, capability: str
) -> None:
    before = sandbox.stats().http_requests
    with pytest.raises(UnsupportedOperationError) as caught:
        call(provider)
    assert caught.value.capability == capability
    assert "Classroom" in caught.value.message
    assert sandbox.stats().http_requests == before == 0
    assert provider.stats.calls == 0


def test_failed_writes_surface_as_unified_errors(
    sandbox: Sandbox, provider: GoogleClassroomProvider
) -> None:
    class_id = math(provider).ref.id
    sandbox.faults.add("reset_after", method="POST", path_regex=r"/students$", times=1)
    # The student was added before the connection dropped: found, not added twice.
    added = provider.add_enrollment(class_id, f"dani@{DOMAIN}", Role.STUDENT)
    assert added.person_id
    sandbox.faults.add("reset_before", method="POST", path_regex=r"/invitations$", times=1)
    with pytest.raises(TransportError):
        provider.invite_to_class(class_id, f"elena@{OTHER_DOMAIN}", Role.STUDENT)
