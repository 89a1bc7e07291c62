"""Homework of one seeded class: about 1–2 pieces a week from the start of its window.

Deadlines are set in Sofia local time (23:59, 08:00, midnight, ...) and stored as aware
UTC datetimes; a few are date-only or missing. Each school's first ("showcase") class
always carries the legal oddities a client must survive: an emoji title, a title just
under Classroom's 3,000-character limit, an empty description, a date-only and a missing
deadline, ungraded work and homework for individual students. Imports only the neutral
city types, the word lists and the other ``_seed_*`` helpers.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from typing import Literal
from urllib.parse import quote

import attrs

from unified_edu.sandbox._city import CityHomework, CityMaterial, CitySchool
from unified_edu.sandbox._names import DESCRIPTIONS, LONG_TITLE_PHRASE, TOPICS
from unified_edu.sandbox._seed_school import ClassPlan
from unified_edu.sandbox._seed_time import sofia_to_utc, utc_to_sofia

__all__ = ["CLASSROOM_TITLE_LIMIT", "LONG_TITLE", "make_homework"]

#: Classroom rejects longer coursework titles; Graph documents no limit.
CLASSROOM_TITLE_LIMIT = 3000
_long = (LONG_TITLE_PHRASE * (CLASSROOM_TITLE_LIMIT // len(LONG_TITLE_PHRASE) + 1))[:2999]
LONG_TITLE = _long[: _long.rfind(" ")] + "."

_ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_DUE_TIMES = (
    (0.45, dt.time(23, 59)),
    (0.70, dt.time(8, 0)),
    (0.80, dt.time(0, 0)),  # "by midnight": the UTC date is the day before
    (0.90, dt.time(20, 0)),
    (1.00, dt.time(18, 0)),
)
# (cumulative share, category, max_points choices)
_KINDS: tuple[tuple[float, str | None, tuple[float | None, ...]], ...] = (
    (0.55, "Домашна работа", (10.0, 10.0, 10.0, 20.0, 20.0, 20.0, None)),
    (0.70, "Тест", (100.0, 100.0, 20.0)),
    (0.78, "Проект", (100.0, 100.0, 100.0, None)),
    (1.00, None, (10.0, 100.0, 100.0, 6.0, None)),  # 6: the Bulgarian 2-6 marks
)


def _weeks(rng: random.Random, first: dt.date, until: dt.datetime) -> list[dt.datetime]:
    """Creation instants, 1–2 per school week, none after ``until``."""
    last = utc_to_sofia(until).date()
    monday = first - dt.timedelta(days=first.weekday())
    out: list[dt.datetime] = []
    while monday <= last:
        for _ in range(2 if rng.random() < 0.15 else 1):
            day = max(first, monday + dt.timedelta(days=rng.randrange(5)))
            wall = dt.datetime.combine(day, dt.time(rng.randint(13, 20), rng.randrange(60)))
            created = sofia_to_utc(wall)
            if created <= until:
                out.append(created)
        monday += dt.timedelta(days=7)
    out.sort()
    return out


def _due(rng: random.Random, published: dt.datetime) -> dt.datetime | dt.date | None:
    """A deadline 1–7 local days after publishing."""
    draw = rng.random()
    day = utc_to_sofia(published).date()
    if draw < 0.05:
        return None
    if draw < 0.09:
        return day + dt.timedelta(days=rng.randint(2, 7))
    when = rng.random()
    at = next(time for share, time in _DUE_TIMES if when < share)
    return sofia_to_utc(dt.datetime.combine(day + dt.timedelta(days=rng.randint(1, 7)), at))


@functools.cache  # a few dozen topics, thousands of links
def _wiki(topic: str) -> str:
    return "https://bg.wikipedia.org/wiki/" + quote(topic.replace(" ", "_"))


def _token(rng: random.Random, length: int) -> str:
    return "".join(rng.choices(_ID_CHARS, k=length))


def _material(rng: random.Random, topic: str, school: CitySchool, class_key: str) -> CityMaterial:
    draw = rng.random()
    google = school.platform == "google"
    if draw < 0.45:
        return CityMaterial(kind="link", url=_wiki(topic), title=f"{topic} – Уикипедия")
    if draw < 0.70:
        url = f"https://www.youtube.com/watch?v={_token(rng, 11)}"
        return CityMaterial(kind="video", url=url, title=f"{topic} – видеоурок")
    if draw < 0.90:
        title = f"Работен лист – {topic}.{'pdf' if google else 'docx'}"
        if google:
            url = f"https://drive.google.example/file/d/{_token(rng, 33)}/view"
        else:
            url = (
                f"https://plovdivedu.sharepoint.example/sites/{class_key}/"
                f"Shared%20Documents/{quote(title)}"
            )
        return CityMaterial(kind="file", url=url, title=title)
    if google:
        url = f"https://docs.google.example/forms/d/e/{_token(rng, 40)}/viewform"
    else:
        url = f"https://forms.office.example/r/{_token(rng, 10)}"
    return CityMaterial(kind="form", url=url, title=f"Въпросник: {topic}")


def _one(
    rng: random.Random,
    key: str,
    plan: ClassPlan,
    school: CitySchool,
    *,
    created: dt.datetime,
    as_of: dt.datetime,
) -> CityHomework:
    """One piece of homework."""
    city_class = plan.city_class
    draw = rng.random()
    state: Literal["published", "draft", "deleted", "inactive"] = "published"
    if draw < 0.05:
        state = "draft"
    elif draw < 0.08:
        state = "deleted"
    elif draw < 0.12 and school.platform == "microsoft":
        state = "inactive"
    published = created
    if rng.random() < 0.2:  # scheduled a few hours ahead
        later = created + dt.timedelta(hours=rng.randint(1, 12))
        published = later if later <= as_of else created
    kind = rng.random()
    _, category, points = next(k for k in _KINDS if kind < k[0])
    topic = rng.choice(TOPICS.get(city_class.subject, ("Упражнение",)))
    prefix = category or rng.choice(("Упражнение", "Задача", ""))
    description = rng.choice(DESCRIPTIONS).format(page=rng.randint(5, 180))
    if rng.random() < 0.04:
        description = ""
    count = rng.random()
    materials = 0 if count < 0.45 else 1 if count < 0.80 else 2 if count < 0.95 else 3
    students: tuple[str, ...] = ()
    enrolled = city_class.student_keys
    if len(enrolled) >= 3 and rng.random() < 0.05:
        picks = sorted(rng.sample(range(len(enrolled)), rng.randint(1, min(4, len(enrolled)))))
        students = tuple(enrolled[i] for i in picks)
    teachers = city_class.teacher_keys
    creator = teachers[1] if len(teachers) > 1 and rng.random() < 0.3 else teachers[0]
    return CityHomework(
        key=key,
        class_key=city_class.key,
        title=f"{prefix}: {topic}" if prefix else topic,
        description=description,
        created_at=created,
        published_at=None if state == "draft" else published,
        due=_due(rng, published),
        max_points=rng.choice(points),
        state=state,
        category=category,
        materials=tuple(_material(rng, topic, school, city_class.key) for _ in range(materials)),
        student_keys=students,
        created_by_app=rng.random() >= 0.10,  # about one in ten made in the UI
        creator_key=creator,
    )


def _showcase(
    rng: random.Random, index: int, homework: CityHomework, enrolled: tuple[str, ...]
) -> CityHomework:
    """Force one oddity on the showcase class's ``index``-th homework, and publish it."""
    if index > 6:
        return homework
    published = homework.published_at or homework.created_at
    homework = attrs.evolve(homework, state="published", published_at=published)
    if index == 0:
        homework = attrs.evolve(homework, title="📐 Геометрия – " + homework.title)
    elif index == 1:
        homework = attrs.evolve(homework, title=LONG_TITLE)
    elif index == 2:
        homework = attrs.evolve(homework, description="")
    elif index == 3:
        day = utc_to_sofia(published).date() + dt.timedelta(days=3)
        homework = attrs.evolve(homework, due=day)
    elif index == 4:
        homework = attrs.evolve(homework, due=None)
    elif index == 5:
        homework = attrs.evolve(homework, max_points=None)
    elif len(enrolled) >= 2:
        picked = tuple(sorted(rng.sample(enrolled, 2)))
        homework = attrs.evolve(homework, student_keys=picked)
    return homework


def make_homework(
    rng: random.Random, plan: ClassPlan, school: CitySchool, as_of: dt.datetime
) -> list[CityHomework]:
    """The homework of one class, oldest first, keys ``<class key>-h01``..."""
    if plan.homework_from is None:
        return []
    until = min(as_of, plan.homework_until)
    out: list[CityHomework] = []
    for index, created in enumerate(_weeks(rng, plan.homework_from, until)):
        key = f"{plan.city_class.key}-h{index + 1:02d}"
        homework = _one(rng, key, plan, school, created=created, as_of=as_of)
        if plan.showcase:
            homework = _showcase(rng, index, homework, plan.city_class.student_keys)
        out.append(homework)
    return out
