"""``student_progress``: a pupil's homework across the city, checked against the seed."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from zoneinfo import ZoneInfo

import pytest

from unified_edu.client import Municipality
from unified_edu.errors import NotFoundError, ValidationError
from unified_edu.models import SubmissionState
from unified_edu.reports._period import end_of_local_day
from unified_edu.sandbox._city import City, CityPerson
from unified_edu.views import Labeler, StudentProgress, progress_document, student_progress

SOFIA = ZoneInfo("Europe/Sofia")
POSTED = ("published", "inactive")


def a_pupil_with_a_draft_grade(seeded: City, platform: str) -> CityPerson:
    """A pupil of an active class on ``platform`` whose teacher holds a draft grade."""
    classes = {
        k.key: k
        for k in seeded.classes
        if k.state == "active"
        and next(s.platform for s in seeded.schools if s.key == k.school_key) == platform
    }
    homework = {h.key: h.class_key for h in seeded.homework if h.class_key in classes}
    key = next(
        w.student_key
        for w in seeded.work
        if w.homework_key in homework and w.draft_points is not None and w.released_points is None
    )
    return next(p for p in seeded.people if p.key == key)


@pytest.fixture(scope="module", params=["google", "microsoft"])
def case(
    request: pytest.FixtureRequest, city: Municipality, seeded: City, platforms: set[str]
) -> tuple[CityPerson, StudentProgress]:
    if request.param not in platforms:
        pytest.skip(f"{request.param} tenants cannot be built from a tenants file yet")
    pupil = a_pupil_with_a_draft_grade(seeded, request.param)
    return pupil, student_progress(city, pupil.email.upper(), as_of=seeded.as_of)


def test_every_piece_of_homework_set_for_the_pupil(
    case: tuple[CityPerson, StudentProgress], seeded: City
) -> None:
    pupil, progress = case
    classes = {
        k.key: k.name for k in seeded.classes if k.state == "active" and pupil.key in k.student_keys
    }
    expected = [
        (classes[h.class_key], h.title)
        for h in seeded.homework
        if h.class_key in classes
        and h.state in POSTED
        and (not h.student_keys or pupil.key in h.student_keys)
    ]
    assert Counter((r.class_name, r.title) for r in progress.rows) == Counter(expected)
    assert progress.email == pupil.email
    assert progress.name == pupil.full_name
    assert sorted(progress.classes) == sorted(set(classes.values()))
    assert progress.time_zone == "Europe/Sofia"


def test_rows_are_by_deadline_in_the_citys_zone(case: tuple[CityPerson, StudentProgress]) -> None:
    _, progress = case
    instants = []
    for row in progress.rows:
        if isinstance(row.due, dt.datetime):
            assert row.due.tzinfo == SOFIA
            instants.append(row.due)
        elif isinstance(row.due, dt.date):
            instants.append(end_of_local_day(row.due, SOFIA))
        if row.turned_in_at is not None:
            assert row.turned_in_at.tzinfo == SOFIA
    assert instants == sorted(instants)
    assert all(row.due is None for row in progress.rows[len(instants) :])


def test_only_released_grades_and_feedback(
    case: tuple[CityPerson, StudentProgress], seeded: City
) -> None:
    pupil, progress = case
    works = [w for w in seeded.work if w.student_key == pupil.key]
    assert any(w.draft_points is not None and w.released_points is None for w in works)
    released = sorted(w.released_points for w in works if w.released_points is not None)
    assert sorted(r.points for r in progress.rows if r.points is not None) == released
    assert progress.count("graded") == len(released)
    assert not hasattr(progress.rows[0], "draft_points")


def test_missing_follows_the_report_rule(
    case: tuple[CityPerson, StudentProgress], seeded: City
) -> None:
    _, progress = case
    for row in progress.rows:
        deadline = row.due if isinstance(row.due, dt.datetime) else None
        if isinstance(row.due, dt.date) and not isinstance(row.due, dt.datetime):
            deadline = end_of_local_day(row.due, SOFIA)
        should = (
            not row.turned_in
            and row.status is not SubmissionState.EXCUSED
            and deadline is not None
            and deadline <= seeded.as_of
        )
        assert row.missing == should
    assert progress.count("missing") == sum(r.missing for r in progress.rows)


def test_the_document_is_pseudonymous_unless_names(
    case: tuple[CityPerson, StudentProgress], config_key: Labeler
) -> None:
    pupil, progress = case
    document = progress_document(progress, config_key)
    assert document["student"] == config_key.alias("", "", pupil.email)
    assert "email" not in document
    assert len(document["homework"]) == len(progress.rows)
    named = progress_document(progress, Labeler())
    assert named["student"] == pupil.full_name
    assert named["email"] == pupil.email


def test_an_unknown_or_malformed_address(city: Municipality) -> None:
    with pytest.raises(NotFoundError, match="no one has"):
        student_progress(city, "nobody@nowhere.example")
    with pytest.raises(ValidationError, match="not an e-mail"):
        student_progress(city, "nobody")


def test_count_names_what_it_counts(case: tuple[CityPerson, StudentProgress]) -> None:
    _, progress = case
    with pytest.raises(ValidationError):
        progress.count("everything")


@pytest.fixture(scope="module")
def config_key(city: Municipality) -> Labeler:
    return Labeler.for_city(city.city, names=False)
