"""The emulated tenant's state, held as Graph wire-format JSON objects.

Owns the tables of schools, classes, users, rubrics and, per class, its roster links,
categories and assignments (with their resources, submissions and outcomes), plus the
change sequence that delta queries read. Entities are stored as the dicts Graph would
send with their true values; per-caller views (``Prefer`` enum mapping, ``$select``,
``$expand``) are computed when answering. No HTTP, no permissions here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import attrs

from unified_edu.sandbox.graph._errors import not_found
from unified_edu.sandbox.graph._ids import guid, raw_guid

__all__ = [
    "AssignmentState",
    "ClassState",
    "Row",
    "Store",
    "SubmissionState",
    "Table",
]

Json = dict[str, Any]


@attrs.define
class Row:
    """One stored entity and the change number that last touched it."""

    data: Json
    seq: int


@attrs.define
class Table:
    """An insertion-ordered collection with tombstones for delta queries."""

    rows: dict[str, Row] = attrs.field(factory=dict)
    removed: dict[str, int] = attrs.field(factory=dict)

    def get(self, item_id: str) -> Json | None:
        """The entity, or ``None``."""
        row = self.rows.get(item_id)
        return None if row is None else row.data

    def put(self, data: Json, seq: int) -> Json:
        """Insert or replace ``data`` (keyed by its ``id``)."""
        self.rows[data["id"]] = Row(data, seq)
        self.removed.pop(data["id"], None)
        return data

    def touch(self, item_id: str, seq: int) -> None:
        """Record that ``item_id`` changed."""
        self.rows[item_id].seq = seq

    def delete(self, item_id: str, seq: int) -> Json | None:
        """Remove the entity, leaving a tombstone."""
        row = self.rows.pop(item_id, None)
        if row is not None:
            self.removed[item_id] = seq
        return None if row is None else row.data

    def values(self) -> list[Json]:
        """Every entity in insertion order."""
        return [row.data for row in self.rows.values()]

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[str]:
        return iter(self.rows)


@attrs.define
class SubmissionState:
    """Children of one submission."""

    outcomes: Table = attrs.field(factory=Table)
    resources: Table = attrs.field(factory=Table)
    submitted_resources: Table = attrs.field(factory=Table)


@attrs.define
class AssignmentState:
    """Children and bookkeeping of one assignment.

    Attributes:
        settle_left: Reads left before a ``published`` assignment reads ``assigned``
            (the emulated background distribution of publish, reference §3.2).
    """

    class_id: str
    categories: list[str] = attrs.field(factory=list)
    resources: Table = attrs.field(factory=Table)
    rubric_id: str | None = None
    settle_left: int = 0
    #: Builds the seeded submissions on first use (loading them all up front is slow).
    loader: Callable[[AssignmentState], None] | None = None
    _submissions: Table = attrs.field(factory=Table, init=False)
    _subs: dict[str, SubmissionState] = attrs.field(factory=dict, init=False)

    @property
    def submissions(self) -> Table:
        """The submissions, one per recipient once published."""
        self._load()
        return self._submissions

    @property
    def subs(self) -> dict[str, SubmissionState]:
        """Each submission's outcomes and resources, by submission id."""
        self._load()
        return self._subs

    def _load(self) -> None:
        if self.loader is not None:
            loader, self.loader = self.loader, None
            loader(self)


@attrs.define
class ClassState:
    """Roster links and assignment-service data of one class."""

    members: list[str] = attrs.field(factory=list)
    teachers: list[str] = attrs.field(factory=list)
    categories: Table = attrs.field(factory=Table)
    assignments: Table = attrs.field(factory=Table)
    assignment_states: dict[str, AssignmentState] = attrs.field(factory=dict)
    defaults: Json = attrs.field(factory=dict)
    settings: Json = attrs.field(factory=dict)


class Store:
    """The whole tenant.

    Args:
        seed: The city's seed (ids of objects created later derive from it too).
        tenant: Tenant name.
        tenant_id: Tenant GUID.
        clock: "Now" for every change.
        time_zone: The city's IANA zone.
    """

    def __init__(
        self,
        *,
        seed: int,
        tenant: str,
        tenant_id: str,
        clock: Callable[[], dt.datetime],
        time_zone: str,
    ) -> None:
        self.seed = seed
        self.tenant = tenant
        self.tenant_id = tenant_id
        self.clock = clock
        self.time_zone = time_zone
        self.seq = 0
        self._created = 0
        self.schools = Table()
        self.classes = Table()
        self.users = Table()
        self.rubrics = Table()
        self.class_states: dict[str, ClassState] = {}
        self.school_classes: dict[str, list[str]] = {}
        self.school_users: dict[str, list[str]] = {}
        self.assignment_class: dict[str, str] = {}
        self.upn_index: dict[str, str] = {}
        # Delta rounds in progress by key (see _delta); lost on restart, as a real
        # service's skip tokens expire.
        self.delta_rounds: dict[str, object] = {}

    # -- change bookkeeping ---------------------------------------------------------

    def next_seq(self) -> int:
        """A new change number (delta tokens are change numbers)."""
        self.seq += 1
        return self.seq

    def new_id(self, kind: str, *, raw: bool = False) -> str:
        """A fresh, seed-determined id for an object created through the API."""
        self._created += 1
        make = raw_guid if raw else guid
        return make(self.seed, "created", kind, self._created)

    # -- lookups raising Graph's 404 --------------------------------------------------

    def school(self, school_id: str) -> Json:
        """A school or 404."""
        found = self.schools.get(school_id)
        if found is None:
            raise not_found("School", school_id)
        return found

    def klass(self, class_id: str) -> Json:
        """A class or 404."""
        found = self.classes.get(class_id)
        if found is None:
            raise not_found("Class", class_id)
        return found

    def user(self, user_id: str) -> Json:
        """A user (by id or UPN) or 404."""
        found = self.users.get(self.upn_index.get(user_id.lower(), user_id))
        if found is None:
            raise not_found("User", user_id)
        return found

    def class_state(self, class_id: str) -> ClassState:
        """The class's links and assignment data (404 for an unknown class)."""
        self.klass(class_id)
        return self.class_states[class_id]

    def assignment(self, class_id: str, assignment_id: str) -> tuple[Json, AssignmentState]:
        """An assignment of a class and its state, or the assignment service's 404."""
        state = self.class_state(class_id)
        found = state.assignments.get(assignment_id)
        if found is None:
            raise not_found("Assignment", assignment_id, assignment_service=True)
        return found, state.assignment_states[assignment_id]

    def submission(
        self, class_id: str, assignment_id: str, submission_id: str
    ) -> tuple[Json, SubmissionState, AssignmentState]:
        """A submission, its children and its assignment's state, or 404."""
        _, a_state = self.assignment(class_id, assignment_id)
        found = a_state.submissions.get(submission_id)
        if found is None:
            raise not_found("Submission", submission_id, assignment_service=True)
        return found, a_state.subs[submission_id], a_state

    def rubric(self, rubric_id: str) -> Json:
        """A rubric or 404."""
        found = self.rubrics.get(rubric_id)
        if found is None:
            raise not_found("Rubric", rubric_id, assignment_service=True)
        return found

    # -- roster relations -------------------------------------------------------------

    def classes_of_user(self, user_id: str, *, teaching_only: bool = False) -> list[str]:
        """Ids of the classes where the user is a member (or, optionally, a teacher)."""
        out = []
        for class_id, state in self.class_states.items():
            if user_id in state.teachers or (not teaching_only and user_id in state.members):
                out.append(class_id)
        return out

    def schools_of_class(self, class_id: str) -> list[str]:
        """Ids of the schools a class belongs to."""
        return [s for s, classes in self.school_classes.items() if class_id in classes]

    def schools_of_user(self, user_id: str) -> list[str]:
        """Ids of the schools a user belongs to."""
        return [s for s, users in self.school_users.items() if user_id in users]

    def add_class(self, data: Json) -> None:
        """Insert a new class with empty links."""
        self.classes.put(data, self.next_seq())
        # Class defaults as a new Teams class has them (assignmentDefaults resource).
        self.class_states[data["id"]] = ClassState(
            defaults={
                "addedStudentAction": "none",
                "addToCalendarAction": "none",
                "dueTime": "23:59:00",
                "notificationChannelUrl": None,
            },
            settings={"submissionAnimationDisabled": False},
        )

    def remove_class(self, class_id: str) -> None:
        """Delete a class and everything beneath it."""
        self.classes.delete(class_id, self.next_seq())
        state = self.class_states.pop(class_id)
        for assignment_id in state.assignment_states:
            self.assignment_class.pop(assignment_id, None)
        for classes in self.school_classes.values():
            if class_id in classes:
                classes.remove(class_id)

    def add_assignment(self, class_id: str, data: Json) -> AssignmentState:
        """Insert a new assignment into a class."""
        state = self.class_states[class_id]
        state.assignments.put(data, self.next_seq())
        a_state = AssignmentState(class_id=class_id)
        state.assignment_states[data["id"]] = a_state
        self.assignment_class[data["id"]] = class_id
        return a_state

    def touch_assignment(self, class_id: str, assignment_id: str) -> None:
        """Record a change of an assignment for delta queries."""
        self.class_states[class_id].assignments.touch(assignment_id, self.next_seq())

    def iter_assignments(self) -> Iterator[tuple[str, Json, AssignmentState]]:
        """Every assignment of the tenant with its class id and state."""
        for class_id, state in self.class_states.items():
            for assignment_id, row in state.assignments.rows.items():
                yield class_id, row.data, state.assignment_states[assignment_id]
