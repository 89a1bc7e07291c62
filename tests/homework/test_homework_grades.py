"""Importing grades: every row checked first, then draft grades, feedback and returns."""

from __future__ import annotations

from pathlib import Path

import pytest
from homework_support import active_classes, writes

from unified_edu.client import Municipality
from unified_edu.errors import ValidationError
from unified_edu.homework import (
    AssignmentRef,
    GradeRow,
    GradeStatus,
    apply_plan,
    check_grades,
    import_grades,
    plan_assignment,
    read_grades_csv,
)
from unified_edu.models import Assignment, AssignmentSpec, Role, Submission, SubmissionState
from unified_edu.sandbox import Sandbox

TURNED_IN = (SubmissionState.TURNED_IN, SubmissionState.RETURNED)


def seeded_homework(city: Municipality, platform: str) -> tuple[Assignment, list[Submission]]:
    """Published, graded homework made by this app, with work both turned in and not."""
    for klass in active_classes(city, platform):
        provider = city.provider(klass.ref.tenant)
        for assignment in provider.iter_assignments(klass.ref.id):
            if (
                assignment.state.value != "published"
                or assignment.max_points is None
                or assignment.created_by_this_app is False
            ):
                continue
            work = provider.list_submissions(klass.ref.id, assignment_id=assignment.ref.id)
            back = [s for s in work if s.state in TURNED_IN][:4]
            out = [s for s in work if s.state not in TURNED_IN][:4]
            if len(back) + len(out) >= 6 and back and out:  # a few rows keep tests quick
                return assignment, sorted(back + out, key=lambda s: s.ref.id)
    raise AssertionError(f"no suitable seeded homework on {platform}")


def emails(city: Municipality, assignment: Assignment) -> dict[str, str]:
    """Student id → e-mail in the homework's class."""
    provider = city.provider(assignment.ref.tenant)
    people = provider.iter_people(class_ids=assignment.class_id, role=Role.STUDENT)
    return {p.ref.id: str(p.email) for p in people}


def rows_for(
    city: Municipality, assignment: Assignment, work: list[Submission], **extra: str
) -> list[GradeRow]:
    mail = emails(city, assignment)
    maximum = int(assignment.max_points or 0)
    return [
        GradeRow(
            row=index + 2,
            student=mail[s.student_id].upper() if index % 2 else mail[s.student_id],
            points=f"{(index % maximum)},5" if index % 3 == 0 else str(index % maximum),
            **extra,  # type: ignore[arg-type]
        )
        for index, s in enumerate(work)
    ]


def test_google_grades_then_returns_what_was_turned_in(
    sandbox: Sandbox, city: Municipality
) -> None:
    assignment, work = seeded_homework(city, "google")
    rows = rows_for(city, assignment, work)
    result = import_grades(city, assignment, rows, release=True)
    assert result.ok, [str(r.error) for r in result.failed]
    provider = city.provider(assignment.ref.tenant)
    after = {
        s.ref.id: s
        for s in provider.list_submissions(assignment.class_id, assignment_id=assignment.ref.id)
    }
    for item in result.results:
        submission = after[item.step.submission.ref.id]
        assert submission.draft_grade is not None
        assert submission.draft_grade.points == item.step.points
        if item.step.submission.state in TURNED_IN:
            assert item.status is GradeStatus.RETURNED
            assert submission.state is SubmissionState.RETURNED
            assert submission.released_grade is not None
            assert submission.released_grade.points == item.step.points
        else:
            assert item.status is GradeStatus.GRADED
            assert item.step.note is not None
            assert "not turned in" in item.step.note

    sandbox.reset_stats()
    again = import_grades(city, assignment, rows, release=True)
    assert {r.status for r in again.results} == {GradeStatus.UNCHANGED}
    assert writes(sandbox) == []


def test_microsoft_grades_feedback_and_return(sandbox: Sandbox, city: Municipality) -> None:
    assignment, work = seeded_homework(city, "microsoft")
    rows = rows_for(city, assignment, work, feedback="Браво, продължавай така!")
    result = import_grades(city, AssignmentRef.of(assignment), rows, release=True)
    assert result.ok, [str(r.error) for r in result.failed]
    assert {r.status for r in result.results} == {GradeStatus.RETURNED}
    provider = city.provider(assignment.ref.tenant)
    graded = {s.ref.id for s in work}
    for submission in provider.list_submissions(
        assignment.class_id, assignment_id=assignment.ref.id
    ):
        if submission.ref.id in graded:
            shown = submission.released_grade
            assert shown is not None
            assert shown.feedback == "Браво, продължавай така!"
            assert submission.state is SubmissionState.RETURNED
    sandbox.reset_stats()
    again = import_grades(city, assignment, rows, release=True)
    assert {r.status for r in again.results} == {GradeStatus.UNCHANGED}
    assert writes(sandbox) == []


def test_every_bad_row_is_listed_and_nothing_is_written(
    sandbox: Sandbox, city: Municipality
) -> None:
    assignment, work = seeded_homework(city, "google")
    mail = emails(city, assignment)
    first, second, third = (mail[s.student_id] for s in work[:3])
    rows = [
        GradeRow(row=2, student=first, points="8"),
        GradeRow(row=3, student="stranger@other.example", points="5"),
        GradeRow(row=4, student=second, points="осем"),
        GradeRow(row=5, student=third, points="-1"),
        GradeRow(row=6, student=work[0].student_id, points="7"),  # first again, by id
        GradeRow(row=7, student=mail[work[3].student_id], points="10,5"),
        GradeRow(row=8, student=mail[work[4].student_id], points="5", feedback="Добре"),
        GradeRow(row=9, student=mail[work[5].student_id]),
        GradeRow(row=10, student="  ", points="5"),
    ]
    maximum = f"{assignment.max_points:g}"
    with pytest.raises(ValidationError) as caught:
        import_grades(city, assignment, rows, release=True)
    assert list(caught.value.problems) == [
        "row 3: stranger@other.example is not a student of this class",
        "row 4: points 'осем' is not a number",
        "row 5: points '-1' must not be negative",
        f"row 6: {work[0].student_id} is already in row 2",
        *(
            [f"row 7: 10.5 points exceed the maximum of {maximum}"]
            if assignment.max_points is not None and assignment.max_points < 10.5
            else []
        ),
        "row 8: Google Classroom keeps no feedback from this app (the Classroom API has no "
        "feedback or comments on submissions (private comments exist only in the web UI); "
        "grades are numbers only)",
        "row 9: neither points nor feedback",
        "row 10: no student e-mail or id",
    ]
    assert caught.value.message.startswith("no grades were written:")
    assert writes(sandbox) == []


def test_homework_that_cannot_take_these_grades(city: Municipality, sandbox: Sandbox) -> None:
    klass = active_classes(city, "google")[0]
    plan = plan_assignment(
        city,
        [klass],
        AssignmentSpec(title="Без оценка", max_points=None),
    )
    ungraded = apply_plan(city, plan).results[0].assignment
    draft_plan = plan_assignment(
        city, [klass], AssignmentSpec(title="Чернова", max_points=10, publish=False)
    )
    draft = apply_plan(city, draft_plan).results[0].assignment
    assert ungraded is not None
    assert draft is not None
    student = next(iter(emails(city, ungraded).values()))
    with pytest.raises(ValidationError, match="the homework is ungraded"):
        import_grades(city, ungraded, [GradeRow(row=2, student=student, points="5")])
    with pytest.raises(ValidationError, match="the homework is a draft"):
        check_grades(city, draft, [GradeRow(row=2, student=student, points="5")])
    sandbox.reset_stats()
    missing = AssignmentRef(tenant=klass.ref.tenant, class_id=klass.ref.id, assignment_id="404")
    with pytest.raises(ValidationError, match="no homework"):
        import_grades(city, missing, [GradeRow(row=2, student=student, points="5")])
    with pytest.raises(ValidationError, match="no rows"):
        import_grades(city, ungraded, [])
    assert writes(sandbox) == []


def test_homework_made_in_classroom_itself_is_refused(city: Municipality) -> None:
    for klass in active_classes(city, "google"):
        provider = city.provider(klass.ref.tenant)
        made_in_ui = [
            a
            for a in provider.iter_assignments(klass.ref.id)
            if a.created_by_this_app is False and a.max_points and a.state.value == "published"
        ]
        if made_in_ui:
            break
    else:
        pytest.skip("the seeded city has no UI-made graded homework here")
    student = next(iter(emails(city, made_in_ui[0]).values()))
    with pytest.raises(ValidationError, match="made in Classroom's own app"):
        check_grades(city, made_in_ui[0], [GradeRow(row=2, student=student, points="1")])


def test_a_failed_row_is_reported_and_a_rerun_completes(
    sandbox: Sandbox, city: Municipality
) -> None:
    assignment, work = seeded_homework(city, "microsoft")
    rows = rows_for(city, assignment, work)
    victim = work[1].ref.id
    sandbox.faults.add(
        "503", method="PATCH", path_regex=f"/submissions/{victim}/outcomes/", times=50
    )
    result = import_grades(city, assignment, rows)
    assert [r.step.row.row for r in result.failed] == [3]
    assert result.failed[0].error is not None
    others = {r.status for r in result.results if r.step.row.row != 3}
    assert GradeStatus.GRADED in others
    assert others <= {GradeStatus.GRADED, GradeStatus.UNCHANGED}  # some seeded grades match
    sandbox.faults.clear()
    rerun = import_grades(city, assignment, rows)
    assert rerun.ok
    assert [r.step.row.row for r in rerun.results if r.status is GradeStatus.GRADED] == [3]


def test_from_a_bulgarian_excel_file(tmp_path: Path, city: Municipality) -> None:
    assignment, work = seeded_homework(city, "google")
    mail = emails(city, assignment)
    lines = ["Имейл;Точки"] + [f"{mail[s.student_id]};{i % 5},5" for i, s in enumerate(work)]
    path = tmp_path / "оценки.csv"
    path.write_bytes(("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8"))
    result = import_grades(city, str(AssignmentRef.of(assignment)), read_grades_csv(path))
    assert result.ok
    assert [r.step.points for r in result.results] == [i % 5 + 0.5 for i in range(len(work))]


def test_assignment_ref() -> None:
    ref = AssignmentRef.parse("ou-botev.plovdiv.example:123:456")
    assert (ref.tenant, ref.class_id, ref.assignment_id) == (
        "ou-botev.plovdiv.example",
        "123",
        "456",
    )
    assert str(ref) == "ou-botev.plovdiv.example:123:456"
    assert AssignmentRef.parse("google:ou-botev.plovdiv.example:123:456") == ref
    for bad in ("123:456", "a::456", "", "a:b:c:d:e"):
        with pytest.raises(ValidationError, match="tenant:class_id:assignment_id"):
            AssignmentRef.parse(bad)
