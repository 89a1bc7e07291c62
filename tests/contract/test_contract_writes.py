"""The provider contract, writes: homework and grading, the same on every backend.

``writer`` writes (Google: domain-wide delegation as the class's teacher; Microsoft: the
delegated teacher); ``provider`` (Google: the admin; Microsoft: app-only) reads the
result back, so each write is checked from a second credential too. Each scenario
cleans up the homework it created. Live, the writes go to their own sandbox, so the
read scenarios' oracle (the city) is never disturbed.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from contract_target import Target, Traits

from unified_edu.errors import NotFoundError
from unified_edu.models import (
    AssignmentSpec,
    AssignmentState,
    AssignmentUpdate,
    SubmissionState,
    normalize,
)
from unified_edu.providers.base import Capability, Provider

#: Live, these scenarios write to their own sandbox (see contract_env.py).
CONTRACT_SANDBOX = "writes"

DUE = dt.datetime(2027, 6, 1, 12, 0, tzinfo=dt.UTC)
DUE_DAY = dt.date(2027, 6, 1)


def _states(traits: Traits, platform_state: str | None) -> AssignmentState:
    return normalize(traits.assignment_states, platform_state, AssignmentState.UNKNOWN)


def test_draft_created_updated_deleted(
    writer: Provider, provider: Provider, target: Target, traits: Traits
) -> None:
    spec = AssignmentSpec(
        title="Контракт: чернова",
        instructions="Проверка на договора.",
        due=DUE_DAY,
        max_points=10,
        publish=False,
    )

    draft = writer.create_assignment(target.class_id, spec)

    assert (draft.ref.provider, draft.ref.tenant) == (writer.name, writer.tenant)
    assert draft.class_id == target.class_id
    assert draft.title == spec.title
    assert draft.state is AssignmentState.DRAFT
    assert _states(traits, draft.platform_state) is AssignmentState.DRAFT
    assert draft.max_points == 10
    # A date-only deadline ends at the end of that day in the provider's time zone.
    assert isinstance(draft.due, dt.datetime)
    local = draft.due.astimezone(ZoneInfo(target.city.time_zone))
    assert (local.date(), local.hour, local.minute) == (DUE_DAY, 23, 59)

    drafts = provider.list_assignments(target.class_id, states={AssignmentState.DRAFT})
    assert draft.ref in {a.ref for a in drafts}
    assert draft.ref in {a.ref for a in provider.iter_assignments(target.class_id)}

    renamed = writer.update_assignment(
        target.class_id, draft.ref.id, AssignmentUpdate(title="Контракт: чернова (нова)")
    )
    assert renamed.title == "Контракт: чернова (нова)"
    assert renamed.state is AssignmentState.DRAFT
    assert provider.get_assignment(target.class_id, draft.ref.id).title == renamed.title

    writer.delete_assignment(target.class_id, draft.ref.id)

    assert draft.ref not in {a.ref for a in provider.iter_assignments(target.class_id)}
    if traits.deleted_assignment_tombstone:
        gone = provider.get_assignment(target.class_id, draft.ref.id)
        assert gone.state is AssignmentState.DELETED
    else:
        with pytest.raises(NotFoundError):
            provider.get_assignment(target.class_id, draft.ref.id)


def test_published_then_graded(
    writer: Provider, provider: Provider, target: Target, traits: Traits
) -> None:
    if not writer.supports(Capability.PUBLISH_ASSIGNMENTS):
        pytest.skip(f"{writer!r} cannot publish")
    spec = AssignmentSpec(title="Контракт: публикувано", due=DUE, max_points=10)

    published = writer.create_assignment(target.class_id, spec)

    assert published.state is AssignmentState.PUBLISHED
    assert _states(traits, published.platform_state) is AssignmentState.PUBLISHED
    assert published.due == DUE
    listed = {a.ref: a for a in provider.iter_assignments(target.class_id)}
    assert listed[published.ref].state is AssignmentState.PUBLISHED

    submissions = provider.list_submissions(target.class_id, assignment_id=published.ref.id)
    students = [target.person_ids[k] for k in target.klass.student_keys]
    assert sorted(s.student_id for s in submissions) == sorted(students)
    for s in submissions:
        assert s.state in (SubmissionState.NEW, SubmissionState.IN_PROGRESS)
        assert s.draft_grade is None
        assert s.released_grade is None
    first = next(s for s in submissions if s.student_id == students[0])

    graded = writer.set_grade(target.class_id, published.ref.id, first.ref.id, points=7)

    assert graded.ref == first.ref
    assert graded.draft_grade is not None
    assert (graded.draft_grade.points, graded.draft_grade.released) == (7, False)
    assert graded.released_grade is None
    seen = provider.get_submission(target.class_id, published.ref.id, first.ref.id)
    assert seen.draft_grade is not None
    assert seen.draft_grade.points == 7
    assert seen.released_grade is None

    writer.delete_assignment(target.class_id, published.ref.id)


def test_return_releases_the_grade(writer: Provider, provider: Provider, target: Target) -> None:
    # Work a student turned in, not graded yet, on gradable homework (the city says which).
    homework = {h.key: h for h in target.homework()}
    names = Counter((h.title, h.max_points) for h in homework.values() if h.state != "deleted")
    work = next(
        w
        for w in target.city.work
        if w.homework_key in homework
        and names[homework[w.homework_key].title, homework[w.homework_key].max_points] == 1
        and homework[w.homework_key].state == "published"
        and homework[w.homework_key].max_points
        and homework[w.homework_key].created_by_app
        and w.state == "turned_in"
        and w.draft_points is None
        and w.released_points is None
    )
    chosen = homework[work.homework_key]
    assignment = next(
        a
        for a in provider.iter_assignments(target.class_id)
        if (a.title, a.max_points) == (chosen.title, chosen.max_points)
    )
    student = target.person_ids[work.student_key]
    submission = next(
        s
        for s in provider.iter_submissions(target.class_id, assignment_id=assignment.ref.id)
        if s.student_id == student
    )
    assert submission.state is SubmissionState.TURNED_IN
    points = min(7.0, assignment.max_points or 7.0)

    graded = writer.set_grade(target.class_id, assignment.ref.id, submission.ref.id, points=points)
    assert graded.draft_grade is not None
    assert graded.draft_grade.points == points
    assert graded.released_grade is None

    returned = writer.return_submission(target.class_id, assignment.ref.id, submission.ref.id)

    assert returned.state is SubmissionState.RETURNED
    assert returned.released_grade is not None
    assert (returned.released_grade.points, returned.released_grade.released) == (points, True)
    seen = provider.get_submission(target.class_id, assignment.ref.id, submission.ref.id)
    assert seen.state is SubmissionState.RETURNED
    assert seen.released_grade is not None
    assert seen.released_grade.points == points
