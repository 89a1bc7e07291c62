"""Classroom JSON → the unified model (homework, materials, submissions, rubrics): pure.

The same conventions as ``_mapping.py`` (whose helpers it uses):

- ``maxPoints`` 0 or absent means ungraded: ``max_points=None``;
- ``associatedWithDeveloper`` → ``created_by_this_app``; ``gradeCategory``, ``workType``
  and the other Classroom-only fields → ``extra``;
- a submission's ``turned_in_at``/``returned_at`` are the last ``TURNED_IN``/``RETURNED``
  entries of ``submissionHistory[].stateHistory``; a grade's ``graded_at``/``graded_by``
  the last ``gradeHistory`` entry of its kind (draft or assigned), and its
  ``max_points`` the maximum recorded there (the maximum at grading time).

This module must not import googleapiclient or any other platform client.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from unified_edu.models import (
    GOOGLE_ASSIGNMENT_STATES,
    GOOGLE_SUBMISSION_STATES,
    AssigneeMode,
    Assignment,
    AssignmentState,
    Grade,
    Material,
    MaterialKind,
    Rubric,
    RubricCriterion,
    RubricLevel,
    Submission,
    SubmissionState,
    normalize,
)
from unified_edu.providers.google._mapping import (
    Json,
    RefMaker,
    extra,
    parse_time,
    seq,
    to_due,
)

__all__ = ["to_assignment", "to_material", "to_rubric", "to_submission"]

_DRAFT_CHANGE = "DRAFT_GRADE_POINTS_EARNED_CHANGE"
_ASSIGNED_CHANGE = "ASSIGNED_GRADE_POINTS_EARNED_CHANGE"


def to_material(material: Json, ref: RefMaker) -> Material:
    """A ``Material`` union member as a :class:`Material`.

    ``link`` → LINK, ``driveFile`` → FILE (ref: the Drive file id; ``shareMode`` in
    extra), ``youtubeVideo`` → VIDEO (ref: the video id), ``form`` → FORM,
    ``gem``/``notebook`` → OTHER. A URL Classroom leaves out is rebuilt from the id.
    """
    if link := material.get("link"):
        return Material(kind=MaterialKind.LINK, url=link["url"], title=link.get("title"))
    if shared := material.get("driveFile"):
        drive = shared.get("driveFile") or {}
        file_id = drive.get("id", "")
        return Material(
            kind=MaterialKind.FILE,
            url=drive.get("alternateLink") or f"https://drive.google.com/open?id={file_id}",
            title=drive.get("title"),
            ref=ref(file_id) if file_id else None,
            extra=extra(shared, ("shareMode",)),
        )
    if video := material.get("youtubeVideo"):
        video_id = video.get("id", "")
        return Material(
            kind=MaterialKind.VIDEO,
            url=video.get("alternateLink") or f"https://www.youtube.com/watch?v={video_id}",
            title=video.get("title"),
            ref=ref(video_id) if video_id else None,
        )
    if form := material.get("form"):
        return Material(
            kind=MaterialKind.FORM,
            url=form["formUrl"],
            title=form.get("title"),
            extra=extra(form, ("responseUrl",)),
        )
    for name in ("gem", "notebook"):
        if other := material.get(name):
            return Material(
                kind=MaterialKind.OTHER,
                url=other.get("url") or name,
                title=other.get("title"),
                ref=ref(other["id"]) if other.get("id") else None,
                extra={"type": name},
            )
    # A union member newer than this code: keep it whole rather than drop it.
    return Material(kind=MaterialKind.OTHER, url="about:blank", extra=dict(material))


def to_assignment(course_work: Json, ref: RefMaker) -> Assignment:
    """A ``CourseWork`` as an :class:`Assignment`.

    ``maxPoints`` 0/absent → ``None``; ``topicId`` → ``category_ids``;
    ``associatedWithDeveloper`` → ``created_by_this_app``; ``gradeCategory``, ``workType``
    and the other Classroom-only fields → ``extra``.
    """
    state = course_work.get("state")
    individual = course_work.get("assigneeMode") == "INDIVIDUAL_STUDENTS"
    students = tuple((course_work.get("individualStudentsOptions") or {}).get("studentIds", ()))
    topic = course_work.get("topicId")
    return Assignment(
        ref=ref(course_work["id"]),
        class_id=course_work["courseId"],
        title=course_work["title"],
        instructions=course_work.get("description", ""),
        state=normalize(GOOGLE_ASSIGNMENT_STATES, state, AssignmentState.UNKNOWN),
        platform_state=state,
        due=to_due(course_work.get("dueDate"), course_work.get("dueTime")),
        max_points=course_work.get("maxPoints") or None,
        materials=seq(to_material(m, ref) for m in course_work.get("materials", ())),
        category_ids=(topic,) if topic else (),
        # Classroom refuses INDIVIDUAL_STUDENTS without students (@EmptyAssignees).
        assignee_mode=(
            AssigneeMode.INDIVIDUAL_STUDENTS
            if individual and students
            else AssigneeMode.WHOLE_CLASS
        ),
        student_ids=students if individual else (),
        created_at=parse_time(course_work.get("creationTime")),
        updated_at=parse_time(course_work.get("updateTime")),
        scheduled_at=parse_time(course_work.get("scheduledTime")),
        creator_id=course_work.get("creatorUserId") or None,
        web_link=course_work.get("alternateLink") or None,
        created_by_this_app=bool(course_work.get("associatedWithDeveloper", False)),
        extra=extra(
            course_work,
            (
                "workType",
                "gradeCategory",
                "gradingPeriodId",
                "submissionModificationMode",
                "multipleChoiceQuestion",
                "assignment",
                "learningGoals",
                "assigneeMode",
            ),
        ),
    )


def _history(submission: Json) -> tuple[list[Json], list[Json]]:
    states: list[Json] = []
    grades: list[Json] = []
    for entry in submission.get("submissionHistory", ()):
        if "stateHistory" in entry:
            states.append(entry["stateHistory"])
        if "gradeHistory" in entry:
            grades.append(entry["gradeHistory"])
    return states, grades


def _last_state(states: list[Json], state: str) -> dt.datetime | None:
    times = [parse_time(s.get("stateTimestamp")) for s in states if s.get("state") == state]
    known = [t for t in times if t is not None]
    return max(known) if known else None


def _grade(
    points: float | None, change: str, grades: list[Json], max_points: float | None
) -> Grade | None:
    if points is None:
        return None
    entries = [g for g in grades if g.get("gradeChangeType") == change]
    last = max(entries, key=lambda g: g.get("gradeTimestamp", ""), default=None)
    # The history's maxPoints is the maximum at grading time, which is what Grade holds.
    at_grading = (last or {}).get("maxPoints")
    return Grade(
        points=points,
        max_points=at_grading if at_grading else max_points,
        released=change == _ASSIGNED_CHANGE,
        graded_at=parse_time((last or {}).get("gradeTimestamp")),
        graded_by=(last or {}).get("actorUserId"),
    )


def to_submission(
    student_submission: Json, ref: RefMaker, *, max_points: float | None
) -> Submission:
    """A ``StudentSubmission`` as a :class:`Submission`.

    Args:
        student_submission: The submission JSON.
        ref: The ref maker.
        max_points: The homework's current maximum, used when the grade history does not
            say what it was at grading time (``None`` when unknown or ungraded).

    ``draftGrade`` (teachers only) → ``draft_grade``; ``assignedGrade`` → ``released_grade``.
    """
    sub = student_submission
    states, grades = _history(sub)
    state = sub.get("state")
    answer = extra(
        sub, ("assignmentSubmission", "shortAnswerSubmission", "multipleChoiceSubmission")
    )
    return Submission(
        ref=ref(sub["id"]),
        class_id=sub["courseId"],
        assignment_id=sub["courseWorkId"],
        student_id=sub["userId"],
        state=normalize(GOOGLE_SUBMISSION_STATES, state, SubmissionState.UNKNOWN),
        platform_state=state,
        # proto3 leaves out false; Classroom always computes late, so absent is False.
        late=bool(sub.get("late", False)),
        turned_in_at=_last_state(states, "TURNED_IN"),
        returned_at=_last_state(states, "RETURNED"),
        updated_at=parse_time(sub.get("updateTime")),
        draft_grade=_grade(sub.get("draftGrade"), _DRAFT_CHANGE, grades, max_points),
        released_grade=_grade(sub.get("assignedGrade"), _ASSIGNED_CHANGE, grades, max_points),
        web_link=sub.get("alternateLink") or None,
        extra={
            **extra(
                sub,
                (
                    "courseWorkType",
                    "associatedWithDeveloper",
                    "creationTime",
                    "draftRubricGrades",
                    "assignedRubricGrades",
                ),
            ),
            **answer,
        },
    )


def _levels(criterion: Json) -> Any:
    levels = criterion.get("levels", ())
    # Levels are all scored or all unscored; proto3 leaves out a 0, so in a scored
    # criterion a level without points is worth 0.
    scored = any("points" in level for level in levels)
    return seq(
        RubricLevel(
            id=level.get("id", ""),
            title=level.get("title", ""),
            description=level.get("description", ""),
            points=level.get("points", 0.0) if scored else None,
        )
        for level in levels
    )


def to_rubric(rubric: Json, ref: RefMaker) -> Rubric:
    """A ``Rubric`` (``criteria[].levels[]``) as a :class:`Rubric` (Classroom has no title)."""
    return Rubric(
        ref=ref(rubric["id"]),
        class_id=rubric["courseId"],
        assignment_id=rubric["courseWorkId"],
        criteria=seq(
            RubricCriterion(
                id=criterion.get("id", ""),
                title=criterion.get("title", ""),
                description=criterion.get("description", ""),
                levels=_levels(criterion),
            )
            for criterion in rubric.get("criteria", ())
        ),
        created_at=parse_time(rubric.get("creationTime")),
        updated_at=parse_time(rubric.get("updateTime")),
    )
