"""The emulated Classroom's state: users, courses, rosters, coursework, submissions,
topics, rubrics, guardians and invitations, with the lookups the handlers need.

Records are mutable (handlers change them in place under the app's lock) and keep native
values (datetimes, floats); ``_wire.py`` renders them as JSON. Every record gets a ``seq``
number when it is added: it orders lists stably and is the key page tokens resume from.

This module must not import any platform client.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

import attrs

from unified_edu.sandbox._city import CityWork

__all__ = [
    "Course",
    "CourseInvitation",
    "CourseWork",
    "Guardian",
    "GuardianInvitation",
    "Rubric",
    "Store",
    "Submission",
    "Topic",
    "User",
]

Role = Literal["teacher", "student", "guardian", "admin"]


@attrs.define
class User:
    """A Google account: ``tenant`` is its school's domain ("" for outside accounts)."""

    id: str
    email: str
    given_name: str
    family_name: str
    role: Role
    tenant: str
    key: str = ""

    @property
    def full_name(self) -> str:
        """Given then family name, as Classroom's ``Name.fullName``."""
        return f"{self.given_name} {self.family_name}".strip()

    @property
    def can_create_courses(self) -> bool:
        """The ``CREATE_COURSE`` global permission (teachers and admins)."""
        return self.role in ("teacher", "admin")


@attrs.define
class Course:
    """A course with its roster (``teacher_ids[0]`` is not necessarily the owner)."""

    id: str
    tenant: str
    name: str
    owner_id: str
    state: str
    creation_time: dt.datetime
    update_time: dt.datetime
    enrollment_code: str
    section: str = ""
    description: str = ""
    description_heading: str = ""
    room: str = ""
    subject: str = ""
    levels: str = ""
    teacher_group_email: str = ""
    course_group_email: str = ""
    calendar_id: str = ""
    teacher_folder_id: str = ""
    guardians_enabled: bool = False
    teacher_ids: list[str] = attrs.Factory(list)
    student_ids: list[str] = attrs.Factory(list)
    seq: int = 0


@attrs.define
class Topic:
    """A topic; ``project`` is the developer project that created it ("" for the UI)."""

    id: str
    course_id: str
    name: str
    update_time: dt.datetime
    project: str = ""
    seq: int = 0


@attrs.define
class CourseWork:
    """A courseWork item; ``project`` "" means it was made in the Classroom UI."""

    id: str
    course_id: str
    title: str
    state: str
    creator_id: str
    creation_time: dt.datetime
    update_time: dt.datetime
    project: str
    description: str = ""
    work_type: str = "ASSIGNMENT"
    materials: list[dict[str, Any]] = attrs.Factory(list)
    due_date: dict[str, int] | None = None
    due_time: dict[str, int] | None = None
    max_points: float | None = None
    assignee_mode: str = "ALL_STUDENTS"
    student_ids: list[str] = attrs.Factory(list)
    topic_id: str = ""
    scheduled_time: dt.datetime | None = None
    submission_modification_mode: str = "MODIFIABLE_UNTIL_TURNED_IN"
    choices: list[str] = attrs.Factory(list)
    seq: int = 0

    def due_instant(self) -> dt.datetime | None:
        """``dueDate`` + ``dueTime`` as one UTC instant (absent parts count as zero)."""
        if not self.due_date:
            return None
        time = self.due_time or {}
        return dt.datetime(
            self.due_date.get("year", 0),
            self.due_date.get("month", 0),
            self.due_date.get("day", 0),
            time.get("hours", 0),
            time.get("minutes", 0),
            time.get("seconds", 0),
            tzinfo=dt.UTC,
        )

    def assigned_to(self, user_id: str) -> bool:
        """Whether ``user_id`` (a student of the course) is an assignee."""
        return self.assignee_mode != "INDIVIDUAL_STUDENTS" or user_id in self.student_ids


@attrs.define
class Submission:
    """A student's submission.

    ``history`` holds the rendered ``SubmissionHistory`` entries added through the API,
    after those of the seeded ``origin``, if any.
    """

    id: str
    course_id: str
    course_work_id: str
    user_id: str
    state: str
    creation_time: dt.datetime | None = None
    update_time: dt.datetime | None = None
    late: bool = False
    draft_grade: float | None = None
    assigned_grade: float | None = None
    history: list[dict[str, Any]] = attrs.Factory(list)
    origin: CityWork | None = None  # the seeded record, whose history is rendered lazily
    origin_actor: str = ""  # the teacher who graded and returned a seeded submission
    seq: int = 0


@attrs.define
class Rubric:
    """A rubric with its criteria already in wire form (ids, levels, points)."""

    id: str
    course_id: str
    course_work_id: str
    criteria: list[dict[str, Any]]
    creation_time: dt.datetime
    update_time: dt.datetime
    seq: int = 0


@attrs.define
class Guardian:
    """An active guardian link."""

    student_id: str
    guardian_id: str
    invited_email: str
    seq: int = 0


@attrs.define
class GuardianInvitation:
    """A guardian invitation: ``PENDING`` or ``COMPLETE``."""

    id: str
    student_id: str
    invited_email: str
    state: str
    creation_time: dt.datetime
    seq: int = 0


@attrs.define
class CourseInvitation:
    """An invitation to join a course as ``STUDENT``, ``TEACHER`` or ``OWNER``."""

    id: str
    course_id: str
    user_id: str
    role: str
    seq: int = 0


@attrs.define
class Store:
    """Everything the emulator knows, indexed by native id."""

    users: dict[str, User] = attrs.Factory(dict)
    users_by_email: dict[str, User] = attrs.Factory(dict)
    courses: dict[str, Course] = attrs.Factory(dict)
    aliases: dict[str, tuple[str, str]] = attrs.Factory(dict)  # alias -> (course id, project)
    topics: dict[str, Topic] = attrs.Factory(dict)
    course_work: dict[str, CourseWork] = attrs.Factory(dict)
    work_by_course: dict[str, list[str]] = attrs.Factory(dict)  # in creation order
    submissions: dict[str, Submission] = attrs.Factory(dict)
    # courseWork id -> user id -> submission id: one submission per student and item.
    submission_index: dict[str, dict[str, str]] = attrs.Factory(dict)
    rubrics: dict[str, Rubric] = attrs.Factory(dict)
    guardians: list[Guardian] = attrs.Factory(list)
    guardian_invitations: dict[str, GuardianInvitation] = attrs.Factory(dict)
    invitations: dict[str, CourseInvitation] = attrs.Factory(dict)
    admins: dict[str, str] = attrs.Factory(dict)  # tenant -> admin user id
    _seq: int = 0

    def next_seq(self) -> int:
        """A new ordering number (monotonic over the store's life)."""
        self._seq += 1
        return self._seq

    def add_user(self, user: User) -> User:
        """Index a user by id and by lower-cased e-mail."""
        self.users[user.id] = user
        self.users_by_email[user.email.lower()] = user
        return user

    def add_course(self, course: Course) -> Course:
        """Add a course."""
        course.seq = self.next_seq()
        self.courses[course.id] = course
        return course

    def add_topic(self, topic: Topic) -> Topic:
        """Add a topic."""
        topic.seq = self.next_seq()
        self.topics[topic.id] = topic
        return topic

    def add_course_work(self, work: CourseWork) -> CourseWork:
        """Add a courseWork item."""
        work.seq = self.next_seq()
        self.course_work[work.id] = work
        self.work_by_course.setdefault(work.course_id, []).append(work.id)
        self.submission_index.setdefault(work.id, {})
        return work

    def add_submission(self, submission: Submission) -> Submission:
        """Add a submission (one per student and courseWork)."""
        submission.seq = self.next_seq()
        self.submissions[submission.id] = submission
        self.submission_index.setdefault(submission.course_work_id, {})[submission.user_id] = (
            submission.id
        )
        return submission

    def add_rubric(self, rubric: Rubric) -> Rubric:
        """Add a rubric."""
        rubric.seq = self.next_seq()
        self.rubrics[rubric.id] = rubric
        return rubric

    def add_guardian(self, guardian: Guardian) -> Guardian:
        """Add an active guardian link."""
        guardian.seq = self.next_seq()
        self.guardians.append(guardian)
        return guardian

    def add_guardian_invitation(self, invitation: GuardianInvitation) -> GuardianInvitation:
        """Add a guardian invitation."""
        invitation.seq = self.next_seq()
        self.guardian_invitations[invitation.id] = invitation
        return invitation

    def add_invitation(self, invitation: CourseInvitation) -> CourseInvitation:
        """Add a course invitation."""
        invitation.seq = self.next_seq()
        self.invitations[invitation.id] = invitation
        return invitation

    def user_by_email(self, email: str) -> User | None:
        """The user with this e-mail (case-insensitive), if any."""
        return self.users_by_email.get(email.lower())

    def work_of(self, course_id: str) -> list[CourseWork]:
        """A course's courseWork in creation order."""
        return [self.course_work[i] for i in self.work_by_course.get(course_id, [])]

    def submissions_of(self, course_work_id: str) -> list[Submission]:
        """One courseWork's submissions in creation order."""
        ids = self.submission_index.get(course_work_id, {}).values()
        return sorted((self.submissions[i] for i in ids), key=lambda s: s.seq)

    def submission_for(self, course_work_id: str, user_id: str) -> Submission | None:
        """The submission of one student for one courseWork, if any."""
        sid = self.submission_index.get(course_work_id, {}).get(user_id)
        return self.submissions.get(sid) if sid else None

    def topics_of(self, course_id: str) -> list[Topic]:
        """A course's topics in creation order."""
        return [t for t in self.topics.values() if t.course_id == course_id]

    def delete_course(self, course_id: str) -> None:
        """Forget a course and everything inside it."""
        self.courses.pop(course_id, None)
        for alias in [a for a, (cid, _) in self.aliases.items() if cid == course_id]:
            del self.aliases[alias]
        for topic in self.topics_of(course_id):
            del self.topics[topic.id]
        for work in self.work_of(course_id):
            for sid in self.submission_index.pop(work.id, {}).values():
                self.submissions.pop(sid, None)
            del self.course_work[work.id]
        self.work_by_course.pop(course_id, None)
        for rid in [r.id for r in self.rubrics.values() if r.course_id == course_id]:
            del self.rubrics[rid]
        for iid in [i.id for i in self.invitations.values() if i.course_id == course_id]:
            del self.invitations[iid]
