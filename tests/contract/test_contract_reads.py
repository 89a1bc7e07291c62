"""The provider contract, reads: the same behaviour from every backend, live and replayed.

Each test runs for Google and Microsoft, against the sandbox and from its cassette. The
seeded city is the oracle: what the platforms answer for the chosen class must be what
the city says it holds, in the unified model.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from contract_env import Scenario
from contract_target import Target, Traits

from unified_edu.errors import NotFoundError, UnsupportedOperationError
from unified_edu.models import (
    AssignmentSpec,
    AssignmentState,
    ClassState,
    ClassUpdate,
    GuardianLinkState,
    Role,
    SubmissionState,
    normalize,
)
from unified_edu.providers.base import Capability, Provider

UNKNOWN_ID = "404404404404"


def _refs_are_ours(provider: Provider, items: list[Any]) -> None:
    for item in items:
        assert item.ref.provider == provider.name
        assert item.ref.tenant == provider.tenant
        assert item.ref.id


def _emails(target: Target, keys: tuple[str, ...]) -> set[str]:
    return {target.person(k).email for k in keys}


def test_schools_listed(provider: Provider, target: Target) -> None:
    schools = provider.list_schools()

    _refs_are_ours(provider, schools)
    assert target.school.name in {s.name for s in schools}
    assert len({s.ref.id for s in schools}) == len(schools)


def test_classes_listed(provider: Provider, target: Target) -> None:
    classes = provider.list_classes(school_id=target.school_id)

    _refs_are_ours(provider, classes)
    assert {c.school_id for c in classes} == {target.school_id}
    city = [k for k in target.city.classes if k.school_key == target.school.key]
    assert {c.name for c in classes} <= {k.name for k in city}
    (chosen,) = [c for c in classes if c.ref.id == target.class_id]
    assert chosen.name == target.klass.name
    assert chosen.subject == target.klass.subject
    assert chosen.state is ClassState.ACTIVE


def test_get_class_round_trips(provider: Provider, target: Target) -> None:
    listed = next(
        c for c in provider.iter_classes(school_id=target.school_id) if c.ref.id == target.class_id
    )

    got = provider.get_class(target.class_id)

    # The school comes with a single read too (Graph: GET …/schools in the same $batch).
    assert got.school_id is not None
    assert got == listed


def test_enrollments_of_a_class(provider: Provider, target: Target) -> None:
    enrollments = provider.list_enrollments(target.class_id)

    _refs_are_ours(provider, enrollments)
    assert {e.class_id for e in enrollments} == {target.class_id}
    by_role = {
        role: {target.email_of(e.person_id) for e in enrollments if e.role is role}
        for role in (Role.TEACHER, Role.STUDENT)
    }
    assert by_role[Role.TEACHER] == _emails(target, target.klass.teacher_keys)
    assert by_role[Role.STUDENT] == _emails(target, target.klass.student_keys)
    assert len(enrollments) == len(target.klass.teacher_keys) + len(target.klass.student_keys)
    owners = [e for e in enrollments if e.is_owner]
    assert len(owners) <= 1
    assert all(e.role is Role.TEACHER for e in owners)
    for e in enrollments:
        assert e.person is None or e.person.ref.id == e.person_id

    students = provider.list_enrollments(target.class_id, role=Role.STUDENT)
    assert {e.person_id for e in students} == {
        e.person_id for e in enrollments if e.role is Role.STUDENT
    }


def test_people_of_a_class(provider: Provider, target: Target) -> None:
    people = provider.list_people(class_ids=target.class_id)

    _refs_are_ours(provider, people)
    assert len({p.ref.id for p in people}) == len(people)  # each person once
    teachers = {p.email for p in people if p.role is Role.TEACHER}
    students = {p.email for p in people if p.role is Role.STUDENT}
    assert teachers == _emails(target, target.klass.teacher_keys)
    assert students == _emails(target, target.klass.student_keys)
    for person in people:
        city = next(c for c in target.city.people if c.email == person.email)
        assert person.name == city.full_name

    only = provider.list_people(class_ids=target.class_id, role=Role.TEACHER)
    assert {p.email for p in only} == teachers


def test_assignments_with_drafts(provider: Provider, target: Target, traits: Traits) -> None:
    assignments = provider.list_assignments(target.class_id)

    _refs_are_ours(provider, assignments)
    assert {a.class_id for a in assignments} == {target.class_id}
    city = [h for h in target.homework() if h.state != "deleted"]
    assert Counter((a.title, a.max_points) for a in assignments) == Counter(
        (h.title, h.max_points) for h in city
    )
    for a in assignments:
        assert isinstance(a.platform_state, str)
        assert a.state is normalize(
            traits.assignment_states, a.platform_state, AssignmentState.UNKNOWN
        )
        assert a.state not in (AssignmentState.UNKNOWN, AssignmentState.DELETED)
    drafts = [a for a in assignments if a.state is AssignmentState.DRAFT]
    assert Counter((a.title, a.max_points) for a in drafts) == Counter(
        (h.title, h.max_points) for h in city if h.state == "draft"
    )

    only = provider.list_assignments(target.class_id, states={AssignmentState.DRAFT})
    assert [a.ref for a in only] == [a.ref for a in drafts]


def test_categories_of_a_class(provider: Provider, target: Target) -> None:
    categories = provider.list_categories(target.class_id)
    assignments = provider.list_assignments(target.class_id)

    _refs_are_ours(provider, categories)
    assert {c.class_id for c in categories} == {target.class_id}
    used = {h.category for h in target.homework() if h.category and h.state != "deleted"}
    names = {c.ref.id: c.name for c in categories}
    assert used <= set(names.values())
    got = Counter(
        (a.title, a.max_points, tuple(sorted(names[c] for c in a.category_ids)))
        for a in assignments
    )
    expected = Counter(
        (h.title, h.max_points, (h.category,) if h.category else ())
        for h in target.homework()
        if h.state != "deleted"
    )
    assert got == expected


def test_submissions_with_grades(provider: Provider, target: Target, traits: Traits) -> None:
    assignments = {a.ref.id: a for a in provider.list_assignments(target.class_id)}
    submissions = provider.list_submissions(target.class_id)

    _refs_are_ours(provider, submissions)
    assert {s.class_id for s in submissions} == {target.class_id}
    assert {s.assignment_id for s in submissions} <= set(assignments)
    students = {target.person_ids[k] for k in target.klass.student_keys}
    assert {s.student_id for s in submissions} <= students
    for s in submissions:
        assert isinstance(s.platform_state, str)
        assert s.state is normalize(
            traits.submission_states, s.platform_state, SubmissionState.UNKNOWN
        )
        assert s.state is not SubmissionState.UNKNOWN
        assert s.draft_grade is None or not s.draft_grade.released
        assert s.released_grade is None or s.released_grade.released
    # Every grade, draft and released apart, is the one the city holds.
    got = Counter(
        (
            assignments[s.assignment_id].title,
            assignments[s.assignment_id].max_points,
            target.email_of(s.student_id),
            s.draft_grade.points if s.draft_grade else None,
            s.released_grade.points if s.released_grade else None,
        )
        for s in submissions
    )
    homework = {h.key: h for h in target.homework()}
    emails = {k: target.person(k).email for k in target.klass.student_keys}
    expected = Counter(
        (
            homework[w.homework_key].title,
            homework[w.homework_key].max_points,
            emails[w.student_key],
            w.draft_points,
            w.released_points,
        )
        for w in target.city.work
        if w.homework_key in homework and homework[w.homework_key].state != "deleted"
    )
    assert got == expected
    assert any(s.draft_grade and not s.released_grade for s in submissions)
    assert any(s.released_grade for s in submissions)


def test_guardians_links_and_invitations(
    provider: Provider, target: Target, traits: Traits
) -> None:
    links = provider.list_guardians(student_ids=target.guardian_student_id)

    _refs_are_ours(provider, links)
    assert {g.student_id for g in links} == {target.guardian_student_id}
    city = [g for g in target.city.guardians if g.student_key == target.guardian_student.key]

    def emails(state: str) -> set[str]:
        return {target.person(g.guardian_key).email for g in city if g.state == state}

    active = {g.guardian_email for g in links if g.state is GuardianLinkState.ACTIVE}
    assert active == emails("active")
    invited = {g.guardian_email for g in links if g.state is GuardianLinkState.INVITED}
    if traits.guardian_invitations:
        assert invited == emails("invited")
        assert invited  # the chosen student has one
    else:
        assert [g.state for g in links] == [GuardianLinkState.ACTIVE] * len(links)


def test_iteration_is_lazy(provider: Provider, target: Target, scenario: Scenario) -> None:
    provider.get_class(target.class_id)  # signed in: token requests are not counted below
    before = scenario.requests()
    pending = provider.iter_categories(target.class_ids)
    assert scenario.requests() == before  # nothing sent until the first item is asked for

    first = next(pending)
    after_first = scenario.requests()
    pending.close()
    assert scenario.requests() == after_first  # nothing more once closed

    everything = provider.list_categories(target.class_ids)
    assert after_first - before < scenario.requests() - after_first
    assert everything[0] == first
    assert {c.class_id for c in everything} == set(target.class_ids)


_PAIRS: dict[str, Callable[[Provider, Target], tuple[list[Any], list[Any]]]] = {
    "schools": lambda p, t: (p.list_schools(), list(p.iter_schools())),
    "guardians": lambda p, t: (
        p.list_guardians(student_ids=t.guardian_student_id),
        list(p.iter_guardians(student_ids=t.guardian_student_id)),
    ),
    "categories": lambda p, t: (
        p.list_categories(t.class_id),
        list(p.iter_categories(t.class_id)),
    ),
    "assignments": lambda p, t: (
        p.list_assignments(t.class_id),
        list(p.iter_assignments(t.class_id)),
    ),
}


def test_list_equals_iter(provider: Provider, target: Target) -> None:
    # Small collections only (cassette size); enrollments and people read the same way.
    for name, read in _PAIRS.items():
        listed, iterated = read(provider, target)
        assert listed, name
        assert listed == iterated, name


def test_not_found(provider: Provider, target: Target) -> None:
    with pytest.raises(NotFoundError):
        provider.get_class(UNKNOWN_ID)
    with pytest.raises(NotFoundError):
        provider.get_assignment(target.class_id, UNKNOWN_ID)


# One call per capability; each would reach the platform if the check were missing.
_CALLS: dict[Capability, Callable[[Provider, Target], object]] = {
    Capability.READ_SCHOOLS: lambda p, t: p.list_schools(),
    Capability.READ_CLASSES: lambda p, t: p.get_class(t.class_id),
    Capability.READ_PEOPLE: lambda p, t: p.list_people(class_ids=t.class_id),
    Capability.READ_ENROLLMENTS: lambda p, t: p.list_enrollments(t.class_id),
    Capability.READ_GUARDIANS: lambda p, t: p.list_guardians(student_ids=t.guardian_student_id),
    Capability.READ_CATEGORIES: lambda p, t: p.list_categories(t.class_id),
    Capability.READ_ASSIGNMENTS: lambda p, t: p.list_assignments(t.class_id),
    Capability.READ_SUBMISSIONS: lambda p, t: p.list_submissions(t.class_id),
    Capability.READ_RUBRICS: lambda p, t: p.get_rubric(t.class_id, UNKNOWN_ID),
    Capability.WRITE_CLASSES: lambda p, t: p.update_class(t.class_id, ClassUpdate(name="x")),
    Capability.WRITE_ENROLLMENTS: lambda p, t: p.remove_enrollment(
        t.class_id, t.guardian_student_id, Role.STUDENT
    ),
    Capability.WRITE_CATEGORIES: lambda p, t: p.create_category(t.class_id, "x"),
    Capability.WRITE_ASSIGNMENTS: lambda p, t: p.create_assignment(
        t.class_id, AssignmentSpec(title="x", publish=False)
    ),
    Capability.PUBLISH_ASSIGNMENTS: lambda p, t: p.publish_assignment(t.class_id, UNKNOWN_ID),
    Capability.GRADE: lambda p, t: p.set_grade(t.class_id, UNKNOWN_ID, UNKNOWN_ID, points=1),
    Capability.FEEDBACK: lambda p, t: p.set_feedback(t.class_id, UNKNOWN_ID, UNKNOWN_ID, text="x"),
    Capability.RETURN: lambda p, t: p.return_submission(t.class_id, UNKNOWN_ID, UNKNOWN_ID),
    Capability.EXCUSE: lambda p, t: p.excuse_submission(t.class_id, UNKNOWN_ID, UNKNOWN_ID),
    Capability.REASSIGN: lambda p, t: p.reassign_submission(t.class_id, UNKNOWN_ID, UNKNOWN_ID),
    Capability.INVITE_GUARDIANS: lambda p, t: p.invite_guardian(
        t.guardian_student_id, "someone@mail.example"
    ),
}


def test_every_capability_has_a_call() -> None:
    assert set(_CALLS) == set(Capability)


@pytest.mark.parametrize("who", ["provider", "writer"])
def test_unsupported_fails_before_any_request(
    who: str, target: Target, scenario: Scenario, request: pytest.FixtureRequest
) -> None:
    built: Provider = request.getfixturevalue(who)
    missing = sorted(set(Capability) - built.capabilities)
    if not missing:
        pytest.skip(f"{built!r} supports every capability")
    before = scenario.requests()
    for capability in missing:
        assert not built.supports(capability)
        with pytest.raises(UnsupportedOperationError) as raised:
            _CALLS[capability](built, target)
        assert raised.value.capability == capability.value
    assert scenario.requests() == before


def test_classes_of_a_pupil(provider: Provider, target: Target) -> None:
    pupil = target.klass.student_keys[0]
    found = list(provider.iter_classes_of(target.person_ids[pupil]))

    _refs_are_ours(provider, found)
    expected = {c.key for c in target.city.classes if pupil in c.student_keys}
    assert {c.name for c in found} == {c.name for c in target.city.classes if c.key in expected}
    assert target.class_id in {c.ref.id for c in found}
    assert len({c.ref.id for c in found}) == len(found)  # each class once
