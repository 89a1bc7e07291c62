"""The deterministic seeded municipality: a Plovdiv-like city in platform-neutral form.

:func:`generate_city` is the one entry point. At scale 1 the city has seven schools, four
on Google Classroom (each its own Workspace domain) and three in one Microsoft tenant,
about 80 teachers, 2,000 students, their guardians, classes, a school year of homework
up to ``as_of`` and the students' work. Scale grows it linearly.

Determinism: only ``random.Random`` instances seeded from ``seed`` are used, never the
global generator, and nothing depends on set or dict iteration of hashed values. Each
school draws from its own stream, so school ``s1`` is identical at every scale. Pure
data, no I/O; imports only the neutral city types and the ``_seed_*`` helpers.
"""

from __future__ import annotations

import datetime as dt
import random

from unified_edu.sandbox._city import City, CityHomework, CityPerson, CityWork
from unified_edu.sandbox._seed_homework import make_homework
from unified_edu.sandbox._seed_people import EmailBook, GuardianFactory
from unified_edu.sandbox._seed_school import MICROSOFT_TENANT, TEMPLATES, build_school
from unified_edu.sandbox._seed_time import DEFAULT_AS_OF, SCHOOL_YEAR_START, TIME_ZONE
from unified_edu.sandbox._seed_work import make_work

__all__ = ["DEFAULT_AS_OF", "generate_city"]


def _stream(seed: int, *parts: str) -> random.Random:
    """An independent random stream; string seeds are hashed with SHA-512, not ``hash()``."""
    # Synthetic test data, not security: a seeded PRNG is the point.
    return random.Random("/".join(("unified-edu", str(seed), *parts)))  # noqa: S311


def generate_city(seed: int = 2026, scale: int = 1, *, as_of: dt.datetime | None = None) -> City:
    """Generate the seeded city.

    Args:
        seed: Any integer; the same ``(seed, scale, as_of)`` gives an identical city.
        scale: Number of seven-school units (1 → 7 schools, 10 → 70).
        as_of: "Today" for the data (aware); nothing is created, turned in or returned
            after it. Defaults to 2026-11-27 15:00 in Sofia.

    Returns:
        The city, every datetime aware UTC.

    Raises:
        ValueError: ``scale`` below 1, or a naive ``as_of``.
    """
    if scale < 1:
        raise ValueError(f"scale must be at least 1, got {scale}")
    if as_of is None:
        as_of = DEFAULT_AS_OF
    elif as_of.utcoffset() is None:
        raise ValueError("as_of must be timezone-aware, e.g. datetime(..., tzinfo=UTC)")
    as_of = as_of.astimezone(dt.UTC)
    book = EmailBook()
    guardians = GuardianFactory(book, year_start=SCHOOL_YEAR_START, as_of=as_of)
    schools = []
    people: list[CityPerson] = []
    classes = []
    homework: list[CityHomework] = []
    work: list[CityWork] = []
    for index in range(scale * len(TEMPLATES)):
        plan = build_school(
            _stream(seed, f"s{index + 1}"), index, book=book, guardians=guardians, as_of=as_of
        )
        school = plan.school
        schools.append(school)
        people.extend(plan.people)
        # Homework and work draw from a second stream: changing a class's homework rules
        # then leaves the roster (names, e-mails, guardians) of every school unchanged.
        rng = _stream(seed, school.key, "homework")
        for class_plan in plan.classes:
            classes.append(class_plan.city_class)
            enrolled = class_plan.city_class.student_keys
            for piece in make_homework(rng, class_plan, school, as_of):
                homework.append(piece)
                work.extend(make_work(rng, piece, enrolled, school.platform, as_of))
    return City(
        seed=seed,
        scale=scale,
        as_of=as_of,
        school_year_start=SCHOOL_YEAR_START,
        time_zone=TIME_ZONE,
        microsoft_tenant=MICROSOFT_TENANT,
        schools=tuple(schools),
        people=(*people, *guardians.people),
        classes=tuple(classes),
        homework=tuple(homework),
        work=tuple(work),
        guardians=tuple(guardians.links),
    )
