"""The progress report's definitions (docs/report.md), on a small hand-made city."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import attrs
import pytest

from unified_edu import (
    Assignment,
    AssignmentState,
    Class,
    Enrollment,
    Grade,
    Ref,
    Role,
    School,
    Submission,
    SubmissionState,
    ValidationError,
)
from unified_edu.reports import Level, Period, ProgressReportBuilder, school_year

SOFIA = ZoneInfo("Europe/Sofia")
UTC = dt.UTC
PERIOD = Period(start=dt.date(2026, 9, 1), end=dt.date(2027, 8, 31))
AS_OF = dt.datetime(2026, 11, 27, 13, 0, tzinfo=UTC)


def ref(tenant: str, id_: str, provider: str = "google") -> Ref:
    return Ref(provider=provider, tenant=tenant, id=id_)


def at(day: int, hour: int = 12, month: int = 11) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=UTC)


def homework(
    id_: str, *, due: dt.datetime | dt.date | None, max_points: float | None = 10, **kw: object
) -> Assignment:
    fields: dict[str, object] = {
        "ref": ref("g.example", id_),
        "class_id": "c1",
        "title": f"Домашна {id_}",
        "state": AssignmentState.PUBLISHED,
        "created_at": at(2),
        "due": due,
        "max_points": max_points,
        "creator_id": "t1",
    }
    fields.update(kw)
    return Assignment(**fields)  # type: ignore[arg-type]


def work(id_: str, hw: str, student: str, state: SubmissionState, **kw: object) -> Submission:
    return Submission(
        ref=ref("g.example", id_),
        class_id="c1",
        assignment_id=hw,
        student_id=student,
        state=state,
        **kw,  # type: ignore[arg-type]
    )


@pytest.fixture
def report():  # type: ignore[no-untyped-def]
    builder = ProgressReportBuilder(PERIOD, as_of=AS_OF)
    builder.add_school(School(ref=ref("g.example", "g.example"), name="ОУ „Христо Ботев“"))
    builder.add_class(
        Class(
            ref=ref("g.example", "c1"), name="Математика 5А", school_id="g.example", owner_id="t1"
        )
    )
    builder.add_class(Class(ref=ref("g.example", "c2"), name="Празен клас", school_id="g.example"))
    builder.add_enrollments(
        Enrollment(ref=ref("g.example", f"c1/{p}"), class_id="c1", person_id=p, role=role)
        for p, role in [
            ("t1", Role.TEACHER),
            ("s1", Role.STUDENT),
            ("s2", Role.STUDENT),
            ("s3", Role.STUDENT),
        ]
    )
    builder.add_assignments(
        [
            homework("h1", due=at(10)),
            # Date-only deadline: 20 Nov in Sofia ends at 22:00 UTC on 20 Nov.
            homework("h2", due=dt.date(2026, 11, 20), max_points=None),
            homework("h3", due=at(30)),  # due after "now": nothing missing yet
            homework("draft", due=at(10), state=AssignmentState.DRAFT),
            homework("old", due=at(10, month=6), created_at=dt.datetime(2026, 6, 1, tzinfo=UTC)),
        ]
    )
    builder.add_submissions(
        [
            # h1: on time + returned with a released grade; late; missing.
            work(
                "w1",
                "h1",
                "s1",
                SubmissionState.RETURNED,
                turned_in_at=at(9),
                returned_at=at(11),
                released_grade=Grade(points=8, max_points=10, released=True),
                draft_grade=Grade(points=1),
            ),
            work("w2", "h1", "s2", SubmissionState.TURNED_IN, turned_in_at=at(10, 13)),
            work("w3", "h1", "s3", SubmissionState.NEW),
            # h2: turned in at 23:30 Sofia on the due date (21:30 UTC) is on time; excused.
            work(
                "w4",
                "h2",
                "s1",
                SubmissionState.TURNED_IN,
                turned_in_at=dt.datetime(2026, 11, 20, 21, 30, tzinfo=UTC),
            ),
            work("w5", "h2", "s2", SubmissionState.EXCUSED),
            work("w6", "h2", "s3", SubmissionState.IN_PROGRESS),
            # h3: not due yet.
            work("w7", "h3", "s1", SubmissionState.IN_PROGRESS),
            # Draft-only grade never counts; homework outside the period is ignored.
            work(
                "w8",
                "h3",
                "s2",
                SubmissionState.TURNED_IN,
                turned_in_at=at(20),
                draft_grade=Grade(points=3),
            ),
            work("w9", "old", "s1", SubmissionState.TURNED_IN, turned_in_at=at(1, month=6)),
        ]
    )
    return builder.build()


def test_city_figures_follow_the_definitions(report) -> None:  # type: ignore[no-untyped-def]
    city = report.city
    assert city.level is Level.CITY
    assert city.assignments_posted == 3  # h1, h2, h3 (not the draft, not June's)
    assert city.classes_active == 1
    assert city.teachers_active == 1
    assert city.students == 3
    assert city.submissions_expected == 8
    assert city.turned_in == 4  # w1, w2, w4, w8
    assert city.on_time == 3
    assert city.late == 1  # w2: 13:00 > 12:00 due
    assert city.missing == 2  # w3 (h1 past due), w6 (h2 past due); w5 excused; h3 not due
    assert city.excused == 1
    assert city.returned == 1
    assert city.graded == 1  # released grades only
    assert city.median_return_hours == pytest.approx(48.0)
    assert city.average_grade_share == pytest.approx(0.8)  # the draft 1/10 and 3/10 never count


def test_rows_per_school_and_class_and_weeks(report) -> None:  # type: ignore[no-untyped-def]
    schools = report.schools()
    assert [s.school for s in schools] == ["ОУ „Христо Ботев“"]
    classes = report.classes()
    assert [c.class_name for c in classes] == ["Математика 5А", "Празен клас"]
    assert classes[1].submissions_expected == 0
    assert classes[1].median_return_hours is None
    assert classes[0].turned_in == report.city.turned_in
    weeks = {(w.level, w.week): w.assignments_posted for w in report.weeks}
    assert weeks[(Level.CITY, "2026-W45")] == 3


def test_turn_in_rate_excludes_excused(report) -> None:  # type: ignore[no-untyped-def]
    assert report.city.turn_in_rate == pytest.approx(4 / 7)


def test_people_in_two_tenants_count_once_by_email() -> None:
    from unified_edu import Person

    builder = ProgressReportBuilder(PERIOD, as_of=AS_OF)
    for tenant, provider in (("g.example", "google"), ("m.example", "microsoft")):
        builder.add_class(Class(ref=ref(tenant, "c1", provider), name=f"Клас {tenant}"))
        builder.add_enrollments(
            [
                Enrollment(
                    ref=ref(tenant, "c1/x", provider),
                    class_id="c1",
                    person_id=f"{tenant}-id",
                    role=Role.STUDENT,
                    person=Person(
                        ref=ref(tenant, f"{tenant}-id", provider),
                        name="Иван Петров",
                        role=Role.STUDENT,
                        email="Ivan.Petrov@Mail.Example",
                    ),
                )
            ]
        )
    report = builder.build()
    assert report.city.students == 1
    assert [s.students for s in report.schools()] == [1, 1]


def test_a_teacher_is_counted_by_email_even_when_the_roster_comes_last() -> None:
    from unified_edu import Person

    builder = ProgressReportBuilder(PERIOD, as_of=AS_OF)
    for tenant, provider in (("g.example", "google"), ("m.example", "microsoft")):
        builder.add_class(Class(ref=ref(tenant, "c1", provider), name=f"Клас {tenant}"))
        builder.add_assignments(
            [attrs.evolve(homework("h1", due=at(10)), ref=ref(tenant, "h1", provider))]
        )
    for tenant, provider in (("g.example", "google"), ("m.example", "microsoft")):
        builder.add_enrollments(
            [
                Enrollment(
                    ref=ref(tenant, "c1/t", provider),
                    class_id="c1",
                    person_id="t1",
                    role=Role.TEACHER,
                    person=Person(
                        ref=ref(tenant, "t1", provider),
                        name="Мария Петрова",
                        role=Role.TEACHER,
                        email="maria@city.example",
                    ),
                )
            ]
        )
    report = builder.build()
    assert report.city.teachers_active == 1  # one person in two tenants, by e-mail
    assert [s.teachers_active for s in report.schools()] == [1, 1]


def test_unknown_classes_are_counted_as_skipped_not_lost() -> None:
    builder = ProgressReportBuilder(PERIOD)
    builder.add_assignments([homework("h1", due=None)])
    assert builder.skipped == 1


def test_school_year_and_period_rules() -> None:
    assert school_year(dt.date(2026, 11, 28)) == Period(
        start=dt.date(2026, 9, 1), end=dt.date(2027, 8, 31)
    )
    assert school_year(dt.date(2027, 3, 1)).start == dt.date(2026, 9, 1)
    with pytest.raises(ValidationError):
        Period(start=dt.date(2027, 1, 1), end=dt.date(2026, 1, 1))
    with pytest.raises(ValidationError):
        Period(start=dt.date(2026, 1, 1), end=dt.date(2026, 2, 1), time_zone="Mars/Olympus")
    period = Period(start=dt.date(2026, 10, 1), end=dt.date(2026, 10, 31))
    # 00:30 on 1 October in Sofia is still 30 September in UTC, and belongs to October.
    assert period.contains(dt.datetime(2026, 10, 1, 0, 30, tzinfo=SOFIA))
    assert not period.contains(dt.datetime(2026, 11, 1, 0, 30, tzinfo=SOFIA))
    assert not period.contains(None)
