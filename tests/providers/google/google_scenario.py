"""A small Google school for write tests: one sandbox per test, started in milliseconds.

Two Workspace domains (``botev.example`` with classes, ``vazov.example`` with one student,
for cross-domain adds), an admin who teaches nothing, two teachers, four students, app-
and UI-made homework (the latter cannot be graded through the API), every submission
state the flows need, and guardian links of each kind.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from unified_edu.sandbox._city import (
    City,
    CityClass,
    CityGuardian,
    CityHomework,
    CityMaterial,
    CityPerson,
    CitySchool,
    CityWork,
)

__all__ = ["DOMAIN", "OTHER_DOMAIN", "scenario_city"]

DOMAIN = "botev.example"
OTHER_DOMAIN = "vazov.example"
UTC = dt.UTC


def _at(month: int, day: int, hour: int = 12) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=UTC)


def _person(key: str, school: str | None, role: str, name: str, email: str) -> CityPerson:
    given, family = name.split()
    return CityPerson(
        key=key,
        school_key=school,
        role=role,  # type: ignore[arg-type]
        given_name=given,
        family_name=family,
        email=email,
    )


PEOPLE = (
    _person("a", "g1", "admin", "Жана Админова", f"admin@{DOMAIN}"),
    _person("t1", "g1", "teacher", "Мария Петрова", f"maria.petrova@{DOMAIN}"),
    _person("t2", "g1", "teacher", "Иван Георгиев", f"ivan.georgiev@{DOMAIN}"),
    _person("s1", "g1", "student", "Алекс Ангелов", f"alex@{DOMAIN}"),
    _person("s2", "g1", "student", "Бояна Борисова", f"boyana@{DOMAIN}"),
    _person("s3", "g1", "student", "Виктор Василев", f"viktor@{DOMAIN}"),
    _person("s4", "g1", "student", "Галя Генова", f"galya@{DOMAIN}"),
    _person("s5", "g1", "student", "Дани Денев", f"dani@{DOMAIN}"),
    _person("a2", "g2", "admin", "Вера Админова", f"admin@{OTHER_DOMAIN}"),
    _person("x1", "g2", "student", "Елена Енева", f"elena@{OTHER_DOMAIN}"),
    _person("gu1", None, "guardian", "Петър Ангелов", "petar.angelov@mail.example"),
    _person("gu2", None, "guardian", "Рая Ангелова", "raya.angelova@mail.example"),
)

CLASSES = (
    CityClass(
        key="c1",
        school_key="g1",
        name="Математика 7А",
        section="7А",
        subject="Математика",
        description="Домашните по математика",
        teacher_keys=("t1", "t2"),
        student_keys=("s1", "s2", "s3", "s4"),
        created_at=_at(9, 15),
    ),
    CityClass(
        key="c2",
        school_key="g1",
        name="История 7А",
        section="7А",
        subject="История",
        description="",
        teacher_keys=("t2",),
        student_keys=("s1", "s2"),
        state="archived",
        created_at=_at(9, 16),
    ),
)


def _homework(key: str, **changes: Any) -> CityHomework:
    values: dict[str, Any] = {
        "key": key,
        "class_key": "c1",
        "title": f"Задача {key}",
        "description": "Решете задачите от учебника.",
        "created_at": _at(10, 1),
        "published_at": _at(10, 1),
        "due": dt.datetime(2026, 10, 5, 20, 59, tzinfo=UTC),
        "max_points": 10.0,
        "state": "published",
        "category": "Домашна работа",
        "creator_key": "t1",
    }
    values.update(changes)
    return CityHomework(**values)


HOMEWORK = (
    _homework(
        "h1",
        title="Уравнения",
        materials=(
            CityMaterial(
                kind="link", url="https://bg.wikipedia.org/wiki/Уравнение", title="Уикипедия"
            ),
            CityMaterial(
                kind="video", url="https://www.youtube.com/watch?v=UiIu5jvrn6k", title="Урок"
            ),
        ),
    ),
    _homework(
        "h2",
        title="Тест от учебника",
        created_by_app=False,
        max_points=20.0,
        due=dt.date(2026, 10, 10),
    ),
    _homework("h3", title="Чернова", state="draft", due=None, max_points=None, published_at=None),
    _homework("h4", title="Изтрита", state="deleted", created_at=_at(9, 20)),
)


def _work(key: str, homework: str, student: str, state: str, **changes: Any) -> CityWork:
    values: dict[str, Any] = {
        "key": key,
        "homework_key": homework,
        "student_key": student,
        "state": state,
        "updated_at": _at(10, 4),
    }
    if state in ("turned_in", "returned"):
        values["turned_in_at"] = _at(10, 4)
    if state == "returned":
        values["returned_at"] = _at(10, 6)
    values.update(changes)
    return CityWork(**values)


WORK = (
    _work("w1", "h1", "s1", "new"),
    _work("w2", "h1", "s2", "in_progress"),
    _work("w3", "h1", "s3", "turned_in", draft_points=8.0),
    _work("w4", "h1", "s4", "returned", draft_points=9.0, released_points=9.0),
    _work("w5", "h2", "s1", "turned_in"),
    _work("w6", "h2", "s2", "returned", draft_points=18.0, released_points=18.0),
)

GUARDIANS = (
    CityGuardian(
        key="l1",
        student_key="s1",
        guardian_key="gu1",
        relationship="parent",
        state="active",
        created_at=_at(9, 20),
    ),
    CityGuardian(
        key="l2",
        student_key="s1",
        guardian_key="gu2",
        relationship="parent",
        state="invited",
        created_at=_at(9, 21),
    ),
    CityGuardian(
        key="l3",
        student_key="s2",
        guardian_key="gu1",
        relationship="parent",
        state="closed",
        created_at=_at(9, 22),
    ),
)


def scenario_city() -> City:
    """The small school (see the module docstring)."""
    schools = (
        CitySchool(
            key="g1",
            name="СУ „Христо Ботев“",
            platform="google",
            tenant=DOMAIN,
            domain=DOMAIN,
            external_id="1601",
        ),
        CitySchool(
            key="g2",
            name="ОУ „Иван Вазов“",
            platform="google",
            tenant=OTHER_DOMAIN,
            domain=OTHER_DOMAIN,
            external_id="1602",
        ),
    )
    return City(
        seed=11,
        scale=1,
        as_of=_at(11, 27, 13),
        school_year_start=dt.date(2026, 9, 15),
        time_zone="Europe/Sofia",
        microsoft_tenant="unused.onmicrosoft.example",
        schools=schools,
        people=PEOPLE,
        classes=CLASSES,
        homework=HOMEWORK,
        work=WORK,
        guardians=GUARDIANS,
    )
