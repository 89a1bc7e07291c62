"""One school of the seeded city: its record, admin, students, teachers and classes.

Seven school templates repeat as the city scales (four on Google, three on Microsoft);
each school draws from its own random stream, so a school is the same at every scale.
Homework is not made here (see ``_seed_homework``). Imports only the neutral city types,
the word lists and the other ``_seed_*`` helpers.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Literal

import attrs

from unified_edu.sandbox._city import CityClass, CityPerson, CitySchool, PlatformName
from unified_edu.sandbox._names import CLASS_DESCRIPTIONS, GRADE_SUBJECTS, PATRONS
from unified_edu.sandbox._seed_people import EmailBook, Family, GuardianFactory, random_name
from unified_edu.sandbox._seed_time import SCHOOL_YEAR_START, sofia_to_utc

__all__ = [
    "CITY_DOMAIN",
    "MICROSOFT_TENANT",
    "TEMPLATES",
    "ClassPlan",
    "SchoolPlan",
    "build_school",
]

CITY_DOMAIN = "plovdiv.example"
MICROSOFT_TENANT = "plovdiv-edu.example"

_MATH = "Математика"
_BEL = "Български език и литература"
_IT = "Информационни технологии"
_LETTERS = "АБВГДЕ"
_SIBLING_RATE = 0.06
_CLASSES_PER_TEACHER = 3.2
_CLUB_SIZE = 120


@attrs.frozen(kw_only=True)
class _Template:
    kind: str  # abbreviation in the school's name
    slug: str  # its Latin form in the domain
    platform: PlatformName
    bands: tuple[tuple[int, int, int], ...]  # (first grade, last grade, sections per grade)
    club: bool = False  # a 120-student programming club spanning grades
    provisioned: bool = False  # a class its teacher has not accepted yet


#: 85 grade sections of 20-27 students: about 2,000 students per seven schools.
TEMPLATES: tuple[_Template, ...] = (
    _Template(kind="СУ", slug="su", platform="google", bands=((1, 7, 1), (8, 12, 2)), club=True),
    _Template(kind="ОУ", slug="ou", platform="google", bands=((1, 7, 2),)),
    _Template(kind="ПМГ", slug="pmg", platform="google", bands=((8, 12, 2),), provisioned=True),
    _Template(kind="ОУ", slug="ou", platform="google", bands=((1, 7, 1),)),
    _Template(
        kind="СУ",
        slug="su",
        platform="microsoft",
        bands=((1, 7, 1), (8, 8, 2), (9, 12, 1)),
        club=True,
    ),
    _Template(kind="ОУ", slug="ou", platform="microsoft", bands=((1, 7, 2),)),
    _Template(kind="ЕГ", slug="eg", platform="microsoft", bands=((8, 12, 2),)),
)

_Kind = Literal["regular", "club", "empty", "archived", "provisioned"]


@attrs.define(kw_only=True)
class ClassPlan:
    """A class and the window its homework falls in (``None``: no homework)."""

    city_class: CityClass
    kind: _Kind
    homework_from: dt.date | None
    homework_until: dt.datetime  # also capped at as_of
    showcase: bool = False  # carries the guaranteed homework oddities


@attrs.define(kw_only=True)
class SchoolPlan:
    """Everything about one school except homework and work."""

    school: CitySchool
    people: list[CityPerson]
    classes: list[ClassPlan]


@attrs.define
class _Draft:
    """A class before teachers and keys are assigned."""

    kind: _Kind
    name: str
    section: str
    subject: str
    grade: int
    students: tuple[str, ...]
    teachers: tuple[str, ...] = ()


def _school(index: int) -> CitySchool:
    template = TEMPLATES[index % len(TEMPLATES)]
    number = index + 1
    patron, patron_slug = PATRONS[index % len(PATRONS)]
    name = f"{template.kind} „{patron}“"
    host = f"{template.slug}-{patron_slug}"
    if index >= len(PATRONS):  # patrons repeat on big cities: tell the schools apart
        name = f"{number} {name}"
        host = f"{host}-{number}"
    google = template.platform == "google"
    domain = f"{host}.{CITY_DOMAIN}" if google else MICROSOFT_TENANT
    return CitySchool(
        key=f"s{number}",
        name=name,
        platform=template.platform,
        tenant=domain,
        domain=domain,
        external_id=str(1_600_100 + number),
    )


def _local(rng: random.Random, first: dt.date, days: int, as_of: dt.datetime) -> dt.datetime:
    """A random UTC instant on one of ``days`` days from ``first``, 09:00-17:59 local."""
    day = first + dt.timedelta(days=rng.randrange(days))
    wall = dt.datetime.combine(day, dt.time(rng.randint(9, 17), rng.randrange(60)))
    return min(sofia_to_utc(wall), as_of)


def _extras(grade: int) -> tuple[str, ...]:
    return next(subjects for lo, hi, subjects in GRADE_SUBJECTS if lo <= grade <= hi)


def _people(
    rng: random.Random,
    school: CitySchool,
    template: _Template,
    book: EmailBook,
    guardians: GuardianFactory,
) -> tuple[list[CityPerson], list[tuple[str, int, tuple[str, ...]]]]:
    """The admin and students, and the grade sections as (name, grade, student keys)."""
    given, family = random_name(rng, female=rng.random() < 0.6)
    local = "admin" if school.platform == "google" else f"admin.{school.key}"
    people = [
        CityPerson(
            key=f"{school.key}-admin",
            school_key=school.key,
            role="admin",
            given_name=given,
            family_name=family,
            email=book.allocate(given, family, school.domain, local=local),
        )
    ]
    families: list[Family] = []
    sections: list[tuple[str, int, tuple[str, ...]]] = []
    for first, last, count in template.bands:
        for grade in range(first, last + 1):
            for letter in _LETTERS[:count]:
                keys: list[str] = []
                for _ in range(rng.randint(20, 27)):
                    if families and rng.random() < _SIBLING_RATE:
                        household = rng.choice(families)
                    else:
                        household = guardians.new_family(rng)
                        families.append(household)
                    female = rng.random() < 0.5
                    given, family = random_name(rng, female=female, root=household.root)
                    key = f"{school.key}-st{len(people):04d}"  # people[0] is the admin
                    people.append(
                        CityPerson(
                            key=key,
                            school_key=school.key,
                            role="student",
                            given_name=given,
                            family_name=family,
                            email=book.allocate(given, family, school.domain),
                            grade=grade,
                        )
                    )
                    guardians.link(rng, key, household)
                    keys.append(key)
                sections.append((f"{grade}{letter}", grade, tuple(keys)))
    return people, sections


def _drafts(
    rng: random.Random,
    template: _Template,
    sections: list[tuple[str, int, tuple[str, ...]]],
    students: list[CityPerson],
) -> list[_Draft]:
    """Regular subject classes per section, then the odd ones."""
    drafts: list[_Draft] = []
    for section, grade, keys in sections:
        extras = _extras(grade)
        # Three classes per section on the platform keep ~70,000 work items per scale unit.
        for subject in (_MATH, _BEL, rng.choice(extras)):
            drafts.append(_Draft("regular", f"{subject} {section}", section, subject, grade, keys))
    grades = {grade for _, grade, _ in sections}
    # The national exams (НВО) are in grades 4, 7 and 10.
    exam_grade = max((g for g in (4, 7, 10) if g in grades), default=max(grades))
    exam = "Подготовка за НВО"  # made by its teacher, students not added yet
    section = f"{exam_grade}А"
    drafts.append(_Draft("empty", f"{exam} {section}", section, exam, exam_grade, ()))
    # Last year's class of students who stayed in this school, older ones if there are.
    stayed = [s for s in sections if s[1] > sections[0][1]]
    section, grade, keys = next((s for s in stayed if s[1] >= 5), stayed[0])
    last_year = f"{grade - 1}{section[-1]}"
    years = f"{SCHOOL_YEAR_START.year - 1}/{SCHOOL_YEAR_START.year}"
    drafts.append(
        _Draft("archived", f"{_MATH} {last_year} ({years})", last_year, _MATH, grade - 1, keys)
    )
    if template.club:
        pool = [p for p in students if p.grade is not None and p.grade >= 5]
        chosen = sorted(rng.sample(pool, min(_CLUB_SIZE, len(pool))), key=lambda p: p.key)
        span = f"{min(p.grade or 0 for p in pool)}–{max(p.grade or 0 for p in pool)}"
        club = "Клуб по програмиране"
        drafts.append(_Draft("club", club, span, club, 0, tuple(p.key for p in chosen)))
    if template.provisioned:
        section = sections[-1][0]
        drafts.append(_Draft("provisioned", f"Астрономия {section}", section, "Астрономия", 0, ()))
    return drafts


def _staff(
    rng: random.Random, school: CitySchool, drafts: list[_Draft], book: EmailBook
) -> list[CityPerson]:
    """Teachers, each teaching a run of same-subject classes; sets every draft's teachers."""
    regular = [d for d in drafts if d.kind == "regular"]
    count = max(3, round(len(regular) / _CLASSES_PER_TEACHER))
    teachers: list[CityPerson] = []
    for number in range(1, count + 1):
        given, family = random_name(rng, female=rng.random() < 0.8)
        teachers.append(
            CityPerson(
                key=f"{school.key}-t{number:03d}",
                school_key=school.key,
                role="teacher",
                given_name=given,
                family_name=family,
                email=book.allocate(given, family, school.domain),
            )
        )
    keys = [t.key for t in teachers]
    ranked = sorted(regular, key=lambda d: (d.subject, d.grade, d.section))
    for rank, draft in enumerate(ranked):
        owner = keys[rank * count // len(ranked)]
        draft.teachers = (owner,)
        if rng.random() < 0.08:  # a co-teacher: a second teacher, never the owner
            draft.teachers += (rng.choice([k for k in keys if k != owner]),)
    owners = {(d.subject, d.section): d.teachers[0] for d in regular}
    first_it = next((d.teachers[0] for d in ranked if d.subject == _IT), keys[0])
    for draft in drafts:
        if draft.kind == "club":
            draft.teachers = (first_it,)
        elif draft.kind == "empty":
            draft.teachers = (owners.get((_MATH, draft.section), keys[0]),)
        elif draft.kind == "archived":
            this_year = f"{draft.grade + 1}{draft.section[-1]}"
            draft.teachers = (owners.get((_MATH, this_year), keys[0]),)
        elif draft.kind == "provisioned":
            draft.teachers = (rng.choice(keys),)
    return teachers


_ClassState = Literal["active", "archived", "provisioned"]


def _schedule(
    rng: random.Random, kind: _Kind, as_of: dt.datetime
) -> tuple[_ClassState, dt.datetime, dt.date | None, dt.datetime]:
    """A class's state, creation instant and homework window (first day, last instant)."""
    year = SCHOOL_YEAR_START
    # Homework stops at the end of the school year even when as_of is later.
    year_end = sofia_to_utc(dt.datetime(year.year + 1, 6, 30, 18))
    if kind == "regular":  # set up in the two weeks before the first school day
        created = _local(rng, year - dt.timedelta(days=14), 14, as_of)
        return "active", created, year, year_end
    if kind == "archived":  # last year's, with homework from its last weeks
        created = _local(rng, dt.date(year.year - 1, 9, 1), 14, as_of)
        last = sofia_to_utc(dt.datetime(year.year, 6, 12, 18))
        return "archived", created, dt.date(year.year, 5, 4), last
    if kind == "provisioned":  # recent: its teacher has not accepted it yet
        created = _local(rng, year + dt.timedelta(days=48), 24, as_of)
        return "provisioned", created, None, year_end
    created = _local(rng, year + dt.timedelta(days=1 if kind == "club" else 16), 5, as_of)
    return "active", created, max(year, created.date() + dt.timedelta(days=1)), year_end


def build_school(
    rng: random.Random,
    index: int,
    *,
    book: EmailBook,
    guardians: GuardianFactory,
    as_of: dt.datetime,
) -> SchoolPlan:
    """The school at ``index`` (0-based) with its people and classes."""
    template = TEMPLATES[index % len(TEMPLATES)]
    school = _school(index)
    people, sections = _people(rng, school, template, book, guardians)
    drafts = _drafts(rng, template, sections, people[1:])
    teachers = _staff(rng, school, drafts, book)
    plans: list[ClassPlan] = []
    for number, draft in enumerate(drafts, start=1):
        state, created, homework_from, until = _schedule(rng, draft.kind, as_of)
        city_class = CityClass(
            key=f"{school.key}-c{number:03d}",
            school_key=school.key,
            name=draft.name,
            section=draft.section,
            subject=draft.subject,
            description=rng.choice(CLASS_DESCRIPTIONS),
            teacher_keys=draft.teachers,
            student_keys=draft.students,
            state=state,
            created_at=created,
        )
        plans.append(
            ClassPlan(
                city_class=city_class,
                kind=draft.kind,
                homework_from=homework_from,
                homework_until=until,
                showcase=number == 1,  # the first section's Математика: it has students
            )
        )
    return SchoolPlan(school=school, people=[people[0], *teachers, *people[1:]], classes=plans)
