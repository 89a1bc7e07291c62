"""A parent's view: one pupil's homework across every class, tenant and platform.

:func:`student_progress` finds the pupil by e-mail in every tenant, then their classes,
the homework set for them and their own submissions, and returns plain frozen rows.
Only what the pupil can see is read into a row: released grades and released feedback,
never a draft grade.

This module must not import any platform client.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import attrs

from unified_edu.errors import NotFoundError, ValidationError
from unified_edu.models import (
    AssigneeMode,
    Assignment,
    Class,
    ClassState,
    Person,
    Role,
    Submission,
    SubmissionState,
)
from unified_edu.reports._metrics import POSTED_STATES
from unified_edu.views._time import Due, due_instant, local, local_due

if TYPE_CHECKING:
    from unified_edu.client import Municipality

__all__ = ["ProgressRow", "StudentProgress", "student_progress"]


@attrs.frozen(kw_only=True)
class ProgressRow:
    """One piece of homework set for the pupil, as the pupil sees it.

    Attributes:
        tenant: The tenant of the class.
        provider: ``"google"`` or ``"microsoft"``.
        class_id: Native id of the class.
        class_name: The class's name.
        assignment_id: Native id of the homework.
        title: The homework's title.
        due: The deadline in the city's zone (a ``date`` for a date-only deadline).
        status: The submission's normalized state; ``None`` when the platform holds no
            submission for the pupil.
        turned_in_at: When it was last turned in, in the city's zone.
        late: The platform's late flag, else turned in after the deadline.
        missing: Not turned in, not excused, and the deadline has passed.
        points: The released grade's points (never a draft grade).
        max_points: The released grade's maximum, else the homework's.
        feedback: The released feedback, if any (Graph only).
        web_link: The homework in the platform's UI.
    """

    tenant: str
    provider: str
    class_id: str
    class_name: str
    assignment_id: str
    title: str
    due: Due
    status: SubmissionState | None
    turned_in_at: dt.datetime | None
    late: bool | None
    missing: bool
    points: float | None
    max_points: float | None
    feedback: str | None
    web_link: str | None = None

    @property
    def turned_in(self) -> bool:
        """True once the work was turned in (even if since returned)."""
        return self.turned_in_at is not None or self.status is SubmissionState.TURNED_IN

    @property
    def graded(self) -> bool:
        """True when a released grade with points is there."""
        return self.points is not None


@attrs.frozen(kw_only=True)
class StudentProgress:
    """A pupil's homework across the city.

    Attributes:
        email: The e-mail address the pupil was found by.
        people: The pupil as each tenant knows them (one per tenant they are in).
        time_zone: The city's zone; every time in ``rows`` is in it.
        as_of: "Now" for ``missing``.
        rows: The homework, by deadline (no deadline last).
    """

    email: str
    people: tuple[Person, ...]
    time_zone: str
    as_of: dt.datetime
    rows: tuple[ProgressRow, ...]

    @property
    def name(self) -> str | None:
        """The pupil's name as the first tenant knows it."""
        return self.people[0].name if self.people else None

    @property
    def classes(self) -> list[str]:
        """The names of the pupil's classes with homework, each once."""
        return list(dict.fromkeys(row.class_name for row in self.rows))

    def count(self, what: str) -> int:
        """How many rows are ``turned_in``, ``missing``, ``late`` or ``graded``."""
        if what not in {"turned_in", "missing", "late", "graded"}:
            raise ValidationError(f"cannot count {what!r}", field="what")
        return sum(bool(getattr(row, what)) for row in self.rows)


def student_progress(
    city: Municipality,
    email: str,
    *,
    as_of: dt.datetime | None = None,
    class_states: Collection[ClassState] | None = (ClassState.ACTIVE,),
) -> StudentProgress:
    """A pupil's homework across every class they are a student of, on every platform.

    Args:
        city: The city client.
        email: The pupil's e-mail address (every tenant is asked).
        as_of: "Now" for ``missing`` (default: the clock).
        class_states: Only classes in these states (default: active); ``None``: all.

    Raises:
        ValidationError: for something that is not an e-mail address.
        NotFoundError: when no tenant knows the address.
    """
    address = email.strip().lower()
    if "@" not in address:
        raise ValidationError(f"not an e-mail address: {email!r}", field="student")
    now = as_of or dt.datetime.now(dt.UTC)
    zone = ZoneInfo(city.city.time_zone)
    people = sorted(city.find_person(address), key=lambda p: city.tenants.index(p.ref.tenant))
    if not people:
        providers = ",".join(sorted({p.name for p in city.providers.values()}))
        raise NotFoundError(
            f"no one has the e-mail address {email!r} in any tenant", provider=providers
        )
    me = {p.ref.tenant: p.ref.id for p in people}
    classes = {
        (k.ref.tenant, k.ref.id): k
        for k in city.iter_classes(tenants=me.keys(), states=class_states)
    }
    mine = _pupils_classes(city, classes, me)
    rows: list[ProgressRow] = []
    if mine:
        posted = list(city.iter_assignments(mine, states=POSTED_STATES))
        work = {
            (s.ref.tenant, s.assignment_id): s
            for s in city.iter_submissions_of(posted)
            if s.student_id == me[s.ref.tenant]
        }
        for assignment in posted:
            tenant = assignment.ref.tenant
            if not _set_for(assignment, me[tenant]):
                continue
            klass = classes[(tenant, assignment.class_id)]
            submission = work.get((tenant, assignment.ref.id))
            rows.append(_row(klass, assignment, submission, zone, now))
    rows.sort(key=lambda r: _order(r, zone))
    return StudentProgress(
        email=address, people=tuple(people), time_zone=zone.key, as_of=now, rows=tuple(rows)
    )


def _pupils_classes(
    city: Municipality, classes: Mapping[tuple[str, str], Class], me: Mapping[str, str]
) -> list[Class]:
    # The platforms list a pupil's classes directly (Classroom's studentId filter, Graph's
    # /users/{id}/classes): no roster of every class is read. The listed classes keep
    # their school and the state filter.
    if not classes:
        return []
    keys = {(k.ref.tenant, k.ref.id) for k in city.iter_classes_of(me, role=Role.STUDENT)}
    return [klass for key, klass in classes.items() if key in keys]


def _set_for(assignment: Assignment, student_id: str) -> bool:
    return (
        assignment.assignee_mode is AssigneeMode.WHOLE_CLASS or student_id in assignment.student_ids
    )


def _row(
    klass: Class,
    assignment: Assignment,
    submission: Submission | None,
    zone: ZoneInfo,
    now: dt.datetime,
) -> ProgressRow:
    deadline = due_instant(assignment.due, zone)
    grade = submission.released_grade if submission else None  # never the draft grade
    turned_in_at = submission.turned_in_at if submission else None
    turned_in = turned_in_at is not None or (
        submission is not None and submission.state is SubmissionState.TURNED_IN
    )
    excused = submission is not None and submission.state is SubmissionState.EXCUSED
    late = submission.late if submission else None
    if late is None and turned_in_at is not None and deadline is not None:
        late = turned_in_at > deadline
    return ProgressRow(
        tenant=klass.ref.tenant,
        provider=klass.ref.provider,
        class_id=klass.ref.id,
        class_name=klass.name,
        assignment_id=assignment.ref.id,
        title=assignment.title,
        due=local_due(assignment.due, zone),
        status=submission.state if submission else None,
        turned_in_at=local(turned_in_at, zone),
        late=late,
        missing=not turned_in and not excused and deadline is not None and deadline <= now,
        points=grade.points if grade else None,
        max_points=(grade.max_points if grade else None) or assignment.max_points,
        feedback=grade.feedback if grade else None,
        web_link=assignment.web_link,
    )


def _order(row: ProgressRow, zone: ZoneInfo) -> tuple[bool, dt.datetime, str, str]:
    deadline = due_instant(row.due, zone)
    return (
        deadline is None,
        deadline or dt.datetime.max.replace(tzinfo=dt.UTC),
        row.class_name,
        row.title,
    )
