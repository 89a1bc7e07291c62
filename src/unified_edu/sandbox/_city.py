"""The seeded city in platform-neutral form: what the generator produces and each
platform emulator loads into its own wire-format store.

Keys are stable, human-readable, platform-neutral strings (``"s1"``, ``"s1-t003"``,
``"s1-c012"``); each emulator assigns its own native ids (Classroom numeric strings,
Graph GUIDs) deterministically from the seed. Pure data, no I/O.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

import attrs

__all__ = [
    "City",
    "CityClass",
    "CityGuardian",
    "CityHomework",
    "CityMaterial",
    "CityPerson",
    "CitySchool",
    "CityWork",
    "PlatformName",
]

PlatformName = Literal["google", "microsoft"]


@attrs.frozen(kw_only=True)
class CitySchool:
    """A school and where it runs.

    Attributes:
        key: Neutral key, ``"s1"``..``"sN"``.
        name: Display name in Bulgarian (``"СУ „Иван Вазов“"``).
        platform: ``"google"`` or ``"microsoft"``.
        tenant: Tenant name: the school's Workspace domain on Google (each school its own
            domain), the city's single Microsoft tenant name on Microsoft.
        domain: E-mail domain of the school's users.
        external_id: The school's number in the national registry (НЕИСПУО code).
    """

    key: str
    name: str
    platform: PlatformName
    tenant: str
    domain: str
    external_id: str


@attrs.frozen(kw_only=True)
class CityPerson:
    """A teacher, student or guardian (synthetic; names in Cyrillic)."""

    key: str
    school_key: str | None  # guardians belong to no school
    role: Literal["teacher", "student", "guardian", "admin"]
    given_name: str
    family_name: str
    email: str
    grade: int | None = None  # students: 1..12

    @property
    def full_name(self) -> str:
        """Given name then family name."""
        return f"{self.given_name} {self.family_name}"


@attrs.frozen(kw_only=True)
class CityClass:
    """A class: its teachers (the first is the owner) and students."""

    key: str
    school_key: str
    name: str  # e.g. "Математика 5А"
    section: str  # e.g. "5А"
    subject: str
    description: str
    teacher_keys: tuple[str, ...]
    student_keys: tuple[str, ...]
    state: Literal["active", "archived", "provisioned"] = "active"
    created_at: dt.datetime


@attrs.frozen(kw_only=True)
class CityMaterial:
    """A link, file, video or form attached to homework."""

    kind: Literal["link", "file", "video", "form"]
    url: str
    title: str


@attrs.frozen(kw_only=True)
class CityHomework:
    """A piece of homework as the teacher set it.

    Attributes:
        due: Aware UTC datetime, a date (date-only deadline), or ``None``.
        max_points: ``None`` for ungraded work.
        state: ``"published"``, ``"draft"`` or ``"deleted"`` (deleted: Classroom keeps a
            tombstone; Graph forgets it) or ``"inactive"`` (Graph only; Classroom loads
            it as published).
        category: A category / topic name, or ``None``.
        student_keys: Empty for the whole class, else only these students.
        created_by_app: True when created through the API by the SDK's own app / developer
            project (gradable through the API on Classroom); False for homework the
            teacher made in the platform's UI.
    """

    key: str
    class_key: str
    title: str
    description: str
    created_at: dt.datetime
    published_at: dt.datetime | None
    due: dt.datetime | dt.date | None
    max_points: float | None
    state: Literal["published", "draft", "deleted", "inactive"]
    category: str | None = None
    materials: tuple[CityMaterial, ...] = ()
    student_keys: tuple[str, ...] = ()
    created_by_app: bool = True
    creator_key: str = ""


@attrs.frozen(kw_only=True)
class CityWork:
    """One student's work on one piece of (published) homework.

    Attributes:
        state: ``"new"`` (never opened), ``"in_progress"``, ``"turned_in"``,
            ``"returned"``, ``"reclaimed"``, ``"excused"`` or ``"reassigned"``
            (the last two: Graph only; Classroom loads them as ``returned``/``created``).
        late: Turned in after the deadline, or not turned in and past it.
        draft_points: The teacher's private grade.
        released_points: The grade the student sees (set on return).
        feedback: Teacher's feedback text (Graph only).
    """

    key: str
    homework_key: str
    student_key: str
    state: Literal[
        "new", "in_progress", "turned_in", "returned", "reclaimed", "excused", "reassigned"
    ]
    updated_at: dt.datetime
    turned_in_at: dt.datetime | None = None
    returned_at: dt.datetime | None = None
    excused_at: dt.datetime | None = None
    late: bool = False
    draft_points: float | None = None
    released_points: float | None = None
    feedback: str | None = None


@attrs.frozen(kw_only=True)
class CityGuardian:
    """A guardian link of a student: active, or an invitation."""

    key: str
    student_key: str
    guardian_key: str  # a CityPerson with role "guardian"
    relationship: Literal["parent", "guardian", "relative"]
    state: Literal["active", "invited", "closed"]
    created_at: dt.datetime


@attrs.frozen(kw_only=True)
class City:
    """A whole municipality, deterministic for a given seed and scale.

    Attributes:
        seed: The generator's seed.
        scale: 1 → 7 schools (~80 teachers, ~2,000 students); grows linearly.
        as_of: "Today" for the data: nothing happens after it.
        school_year_start: First day of the school year the data covers.
        time_zone: IANA zone of the city (``"Europe/Sofia"``).
        microsoft_tenant: Name of the city's Microsoft tenant.
    """

    seed: int
    scale: int
    as_of: dt.datetime
    school_year_start: dt.date
    time_zone: str
    microsoft_tenant: str
    schools: tuple[CitySchool, ...]
    people: tuple[CityPerson, ...]
    classes: tuple[CityClass, ...]
    homework: tuple[CityHomework, ...]
    work: tuple[CityWork, ...]
    guardians: tuple[CityGuardian, ...]

    def schools_on(self, platform: PlatformName) -> tuple[CitySchool, ...]:
        """The schools that run on ``platform``."""
        return tuple(s for s in self.schools if s.platform == platform)
