"""The municipal progress report's arithmetic: streaming, pure, exact.

:class:`ProgressReportBuilder` is fed model objects (classes, enrollments, homework, then
the homework's submissions) and keeps only counters, sets of ids and one float per
returned submission, never the submissions themselves. Definitions are in
``docs/report.md``; each counter below names its rule. Draft grades are never read.
"""

from __future__ import annotations

import datetime as dt
import statistics
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable
from fractions import Fraction

import attrs

from unified_edu.models import (
    Assignment,
    AssignmentState,
    Class,
    Enrollment,
    Role,
    School,
    Submission,
    SubmissionState,
)
from unified_edu.reports._period import Period, end_of_local_day
from unified_edu.reports._report import Level, ProgressReport, ReportRow, WeekRow

__all__ = ["ProgressReportBuilder"]

POSTED_STATES = frozenset(
    {AssignmentState.PUBLISHED, AssignmentState.PUBLISHING, AssignmentState.INACTIVE}
)

ScopeKey = tuple[str, ...]  # ("city",), ("school", tenant, id), ("class", tenant, id)


@attrs.define
class _Tally:
    """Running counters for one scope (the city, a school or a class)."""

    classes_active: set[tuple[str, str]] = attrs.field(factory=set)
    # (tenant, person id): turned into the counting key (e-mail when known) only when the
    # report is built, so enrollments may come after the homework.
    teachers_active: set[tuple[str, str]] = attrs.field(factory=set)
    students: set[tuple[str, str]] = attrs.field(factory=set)
    assignments_posted: int = 0
    submissions_expected: int = 0
    turned_in: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    excused: int = 0
    graded: int = 0
    returned: int = 0
    return_hours: array[float] = attrs.field(factory=lambda: array("d"))
    # Exact: tenants arrive on threads in any order, and a float sum would differ in its
    # last bits from run to run; a Fraction sum is the same whatever the order.
    grade_share_sum: Fraction = Fraction(0)
    grade_share_count: int = 0


@attrs.frozen
class _ClassInfo:
    tenant: str
    provider: str
    school_key: ScopeKey
    name: str
    owner: str | None


@attrs.frozen
class _HomeworkInfo:
    class_key: ScopeKey
    due: dt.datetime | None
    max_points: float | None


def _tenant_scoped(tenant: str, person_id: str) -> str:
    return f"{tenant}:{person_id}"


class ProgressReportBuilder:
    """Accumulate a :class:`ProgressReport` from a stream of model objects.

    Feed schools and classes first; then enrollments, homework and submissions in any
    order, except that homework comes before its submissions (a submission of homework
    the builder has not seen is not part of the report). People are counted by e-mail
    when an enrollment gave one, whenever it came.

    Args:
        period: The reporting period (local dates in the city's zone).
        as_of: "Now": work due after it is not missing yet (default: the period's end).
        person_key: Turns a (tenant, person id) into the key a person is counted by when
            no e-mail is known for them (people with an e-mail are counted by it).
    """

    def __init__(
        self,
        period: Period,
        *,
        as_of: dt.datetime | None = None,
        person_key: Callable[[str, str], str] | None = None,
    ) -> None:
        self.period = period
        self.as_of = min(as_of or period.ends_at, period.ends_at)
        self._person_key = person_key or _tenant_scoped
        # People met with a profile are counted by e-mail, so one person in two tenants
        # (a teacher working in two schools) counts once for the city.
        self._emails: dict[tuple[str, str], str] = {}
        self._tallies: dict[ScopeKey, _Tally] = defaultdict(_Tally)
        self._schools: dict[ScopeKey, tuple[str, str, str]] = {}  # key → (tenant, provider, name)
        self._classes: dict[ScopeKey, _ClassInfo] = {}
        self._homework: dict[tuple[str, str, str], _HomeworkInfo] = {}
        self._weeks: dict[tuple[ScopeKey, str], int] = defaultdict(int)
        self.skipped = 0

    # -- feeding ----------------------------------------------------------------------

    def add_school(self, school: School) -> None:
        """Register a school (its name labels the school rows)."""
        key = ("school", school.ref.tenant, school.ref.id)
        self._schools[key] = (school.ref.tenant, school.ref.provider, school.name)
        self._tallies[key]

    def add_class(self, klass: Class) -> None:
        """Register a class; its ``school_id`` ties it to a school row."""
        tenant = klass.ref.tenant
        school_key: ScopeKey = ("school", tenant, klass.school_id or tenant)
        self._schools.setdefault(
            school_key, (tenant, klass.ref.provider, klass.school_id or tenant)
        )
        key = ("class", tenant, klass.ref.id)
        self._classes[key] = _ClassInfo(
            tenant, klass.ref.provider, school_key, klass.name, klass.owner_id
        )
        self._tallies[key]

    def add_enrollments(self, enrollments: Iterable[Enrollment]) -> None:
        """Count students (teachers are counted when they post homework)."""
        for enrollment in enrollments:
            if enrollment.person is not None and enrollment.person.email:
                self._emails[(enrollment.ref.tenant, enrollment.person_id)] = (
                    enrollment.person.email
                )
            if enrollment.role is not Role.STUDENT:
                continue
            info = self._classes.get(("class", enrollment.ref.tenant, enrollment.class_id))
            if info is None:
                self.skipped += 1
                continue
            student = (enrollment.ref.tenant, enrollment.person_id)
            for scope in self._scopes(("class", info.tenant, enrollment.class_id), info):
                self._tallies[scope].students.add(student)

    def add_assignments(self, assignments: Iterable[Assignment]) -> None:
        """Register homework; homework posted in the period is counted."""
        zone = self.period.zone
        for assignment in assignments:
            tenant = assignment.ref.tenant
            class_key: ScopeKey = ("class", tenant, assignment.class_id)
            info = self._classes.get(class_key)
            if info is None:
                self.skipped += 1
                continue
            posted_at = assignment.published_at or assignment.scheduled_at or assignment.created_at
            if assignment.state not in POSTED_STATES or not self.period.contains(posted_at):
                continue
            assert posted_at is not None
            due = assignment.due
            due_at = end_of_local_day(due, zone) if type(due) is dt.date else due
            self._homework[(tenant, assignment.class_id, assignment.ref.id)] = _HomeworkInfo(
                class_key,
                due_at if isinstance(due_at, dt.datetime) else None,
                assignment.max_points,
            )
            teacher = assignment.creator_id or info.owner
            year, week, _ = self.period.local_date(posted_at).isocalendar()
            for scope in self._scopes(class_key, info):
                tally = self._tallies[scope]
                tally.assignments_posted += 1
                tally.classes_active.add((tenant, assignment.class_id))
                if teacher:
                    tally.teachers_active.add((tenant, teacher))
                if scope[0] != "class":
                    self._weeks[(scope, f"{year}-W{week:02d}")] += 1

    def add_submissions(self, submissions: Iterable[Submission]) -> None:
        """Count students' work on homework posted in the period."""
        for submission in submissions:
            tenant = submission.ref.tenant
            homework = self._homework.get((tenant, submission.class_id, submission.assignment_id))
            if homework is None:
                continue  # not posted in the period (or a draft): not part of the report
            info = self._classes[homework.class_key]
            outcome = self._classify(submission, homework)
            for scope in self._scopes(homework.class_key, info):
                self._count(self._tallies[scope], outcome)

    # -- rules --------------------------------------------------------------------------

    def _who(self, tenant: str, person_id: str) -> str:
        email = self._emails.get((tenant, person_id))
        return f"email:{email}" if email else self._person_key(tenant, person_id)

    def _classify(self, s: Submission, homework: _HomeworkInfo) -> _Outcome:
        excused = s.state is SubmissionState.EXCUSED
        turned_in = s.turned_in_at is not None or s.state is SubmissionState.TURNED_IN
        late = False
        if turned_in and homework.due is not None:
            late = s.turned_in_at > homework.due if s.turned_in_at else bool(s.late)
        missing = (
            not turned_in
            and not excused
            and homework.due is not None
            and homework.due <= self.as_of
        )
        returned = s.returned_at is not None or s.state is SubmissionState.RETURNED
        hours = None
        if s.turned_in_at and s.returned_at and s.returned_at >= s.turned_in_at:
            hours = (s.returned_at - s.turned_in_at).total_seconds() / 3600
        share = None
        grade = s.released_grade  # draft grades never enter a report
        if grade is not None and grade.points is not None:
            maximum = grade.max_points or homework.max_points
            if maximum:
                share = grade.points / maximum
        graded = grade is not None and grade.points is not None
        return _Outcome(excused, turned_in, late, missing, returned, hours, graded, share)

    @staticmethod
    def _count(tally: _Tally, o: _Outcome) -> None:
        tally.submissions_expected += 1
        tally.excused += o.excused
        tally.turned_in += o.turned_in
        tally.on_time += o.turned_in and not o.late
        tally.late += o.turned_in and o.late
        tally.missing += o.missing
        tally.returned += o.returned
        tally.graded += o.graded
        if o.hours is not None:
            tally.return_hours.append(o.hours)
        if o.share is not None:
            tally.grade_share_sum += Fraction(o.share)
            tally.grade_share_count += 1

    def _scopes(self, class_key: ScopeKey, info: _ClassInfo) -> tuple[ScopeKey, ...]:
        return (class_key, info.school_key, ("city",))

    # -- result -------------------------------------------------------------------------

    def build(self) -> ProgressReport:
        """The report as it stands: city row first, then each school and its classes."""
        rows: list[ReportRow] = [
            self._row(("city",), Level.CITY, tenant="", provider="", school="", name="")
        ]
        for school_key in sorted(self._schools, key=lambda k: self._schools[k][2]):
            tenant, provider, name = self._schools[school_key]
            rows.append(
                self._row(
                    school_key, Level.SCHOOL, tenant=tenant, provider=provider, school=name, name=""
                )
            )
            classes = [k for k, v in self._classes.items() if v.school_key == school_key]
            for class_key in sorted(classes, key=lambda k: self._classes[k].name):
                info = self._classes[class_key]
                rows.append(
                    self._row(
                        class_key,
                        Level.CLASS,
                        tenant=tenant,
                        provider=info.provider,
                        school=name,
                        name=info.name,
                    )
                )
        weeks = [
            WeekRow(
                level=Level.CITY if scope == ("city",) else Level.SCHOOL,
                school="" if scope == ("city",) else self._schools[scope][2],
                week=week,
                assignments_posted=count,
            )
            for (scope, week), count in sorted(
                self._weeks.items(), key=lambda kv: (kv[0][0], kv[0][1])
            )
        ]
        return ProgressReport(
            period=self.period, as_of=self.as_of, rows=tuple(rows), weeks=tuple(weeks)
        )

    def _row(
        self, key: ScopeKey, level: Level, *, tenant: str, provider: str, school: str, name: str
    ) -> ReportRow:
        t = self._tallies[key]
        return ReportRow(
            level=level,
            tenant=tenant,
            provider=provider,
            school=school,
            class_name=name,
            class_id=key[2] if level is Level.CLASS else "",
            classes_active=len(t.classes_active),
            teachers_active=len({self._who(*person) for person in t.teachers_active}),
            students=len({self._who(*person) for person in t.students}),
            assignments_posted=t.assignments_posted,
            submissions_expected=t.submissions_expected,
            turned_in=t.turned_in,
            on_time=t.on_time,
            late=t.late,
            missing=t.missing,
            excused=t.excused,
            graded=t.graded,
            returned=t.returned,
            median_return_hours=statistics.median(t.return_hours) if t.return_hours else None,
            average_grade_share=(
                float(t.grade_share_sum / t.grade_share_count) if t.grade_share_count else None
            ),
        )


@attrs.frozen
class _Outcome:
    excused: bool
    turned_in: bool
    late: bool
    missing: bool
    returned: bool
    hours: float | None
    graded: bool
    share: float | None
