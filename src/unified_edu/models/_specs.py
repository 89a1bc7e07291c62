"""What callers send to create or change things: specs and updates. Pure data, no I/O.

Specs are validated when built, so a bad value fails before the first request.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from unified_edu.models._base import UNSET, Unset, due_value, non_empty, points_value
from unified_edu.models._coursework import Material, _ids, _materials, _positive_or_none
from unified_edu.models._fields import due_field, points_field, title_field
from unified_edu.models._states import AssigneeMode

__all__ = ["AssignmentSpec", "AssignmentUpdate", "ClassSpec", "ClassUpdate"]


@attrs.frozen(kw_only=True)
class ClassSpec:
    """A class to create.

    Attributes:
        name: Display name.
        owner_id: Primary teacher (Classroom ``ownerId``: id or e-mail); required on Google.
        section: Section or grade text.
        description: Free text.
        subject: Subject.
        external_id: The city's registry id (Graph ``externalId``; a ``d:`` alias on Google).
        school_id: The school to attach it to (Graph), if any.
        mail_nickname: Graph ``mailNickname``; derived from the name when omitted.
        active: Create it active (Classroom otherwise starts ``PROVISIONED``).
    """

    name: str = title_field("name")
    owner_id: str | None = None
    section: str | None = None
    description: str | None = None
    subject: str | None = None
    external_id: str | None = None
    school_id: str | None = None
    mail_nickname: str | None = None
    active: bool = True


@attrs.frozen(kw_only=True)
class ClassUpdate:
    """Changes to a class; fields left ``UNSET`` are not touched."""

    name: str | Unset = UNSET
    section: str | Unset | None = UNSET
    description: str | Unset | None = UNSET
    subject: str | Unset | None = UNSET
    archived: bool | Unset = UNSET

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.name, Unset):
            non_empty(self.name, "name")

    def changed(self) -> dict[str, Any]:
        """The fields that are set, by name."""
        return {k: v for k, v in attrs.asdict(self, recurse=False).items() if v is not UNSET}


@attrs.frozen(kw_only=True)
class AssignmentSpec:
    """A piece of homework to create.

    Attributes:
        title: Title (1..3000 characters on Classroom).
        instructions: Plain-text instructions.
        due: Aware datetime (kept in UTC) or a date-only deadline, or ``None``.
        max_points: Maximum points, or ``None`` for ungraded homework.
        materials: Links and files to attach.
        category_ids: Category ids (Classroom: at most one topic).
        student_ids: Only for these students; empty means the whole class.
        publish: Publish at once (default) or keep it as a draft.
        allow_late: Accept late turn-ins (Graph ``allowLateSubmissions``).
        client_key: An idempotency key: re-creating with the same key finds the
            existing homework instead of creating a duplicate.
    """

    title: str = title_field("title")
    instructions: str = ""
    due: dt.datetime | dt.date | None = due_field()
    max_points: float | None = points_field("max_points", _positive_or_none)
    materials: tuple[Material, ...] = attrs.field(default=(), converter=_materials)
    category_ids: tuple[str, ...] = attrs.field(default=(), converter=_ids)
    student_ids: tuple[str, ...] = attrs.field(default=(), converter=_ids)
    publish: bool = True
    allow_late: bool = True
    client_key: str | None = None

    @property
    def assignee_mode(self) -> AssigneeMode:
        """Whole class, or the listed students."""
        return AssigneeMode.INDIVIDUAL_STUDENTS if self.student_ids else AssigneeMode.WHOLE_CLASS


@attrs.frozen(kw_only=True)
class AssignmentUpdate:
    """Changes to a piece of homework; fields left ``UNSET`` are not touched."""

    title: str | Unset = UNSET
    instructions: str | Unset = UNSET
    due: dt.datetime | dt.date | Unset | None = UNSET
    max_points: float | Unset | None = UNSET

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.title, Unset):
            non_empty(self.title, "title")
        if not isinstance(self.due, Unset):
            object.__setattr__(self, "due", due_value(self.due))
        if not isinstance(self.max_points, Unset):
            points = points_value(self.max_points, "max_points")
            _positive_or_none(self, attrs.fields(AssignmentUpdate).max_points, points)
            object.__setattr__(self, "max_points", points)

    def changed(self) -> dict[str, Any]:
        """The fields that are set, by name."""
        return {k: v for k, v in attrs.asdict(self, recurse=False).items() if v is not UNSET}
