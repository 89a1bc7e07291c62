"""Test support for the Classroom emulator: a tiny hand-made city and a direct client.

The tiny city covers every case the loader maps (two Google domains and a Microsoft
school it must skip; active, archived and provisioned classes; published, inactive, draft
and deleted homework; UI- and app-made homework; timed, date-only and missing dues;
individual assignees; every work state; active, invited and closed guardian links).
:class:`Direct` calls an app's ``authenticate`` + ``handle`` without a server, with a
context that dispatches batch parts back into the app.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

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
from unified_edu.sandbox._core import Context, PlatformApp, SandboxRequest, SandboxResponse

__all__ = ["G1", "G2", "Direct", "Reply", "tiny_city"]

G1 = "g1.school.example"
G2 = "g2.school.example"
UTC = dt.UTC


def _at(month: int, day: int, hour: int = 12) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=UTC)


def _person(
    key: str, school: str | None, role: str, given: str, family: str, email: str
) -> CityPerson:
    return CityPerson(
        key=key,
        school_key=school,
        role=role,  # type: ignore[arg-type]
        given_name=given,
        family_name=family,
        email=email,
    )


def _people() -> list[CityPerson]:
    people = [
        _person("g1-admin", "g1", "admin", "Жасмина", "Петрова", f"admin@{G1}"),
        _person("g1-t1", "g1", "teacher", "Мария", "Иванова", f"maria.ivanova@{G1}"),
        _person("g1-t2", "g1", "teacher", "Георги", "Димитров", f"georgi.dimitrov@{G1}"),
        _person("g2-admin", "g2", "admin", "Борислава", "Колева", f"admin@{G2}"),
        _person("g2-t1", "g2", "teacher", "Стоян", "Стоянов", f"stoyan.stoyanov@{G2}"),
        _person("m1-t1", "m1", "teacher", "Елена", "Маринова", "elena@city.example"),
        _person("m1-s1", "m1", "student", "Ива", "Маринова", "iva@city.example"),
    ]
    names = ["Алекс Ангелов", "Божидар Борисов", "Виктория Василева", "Галина Георгиева"]
    for n, name in enumerate(names, start=1):
        given, family = name.split()
        people.append(_person(f"g1-s{n}", "g1", "student", given, family, f"s{n}@{G1}"))
    for n in (1, 2):
        people.append(_person(f"g2-s{n}", "g2", "student", "Ученик", f"Втори{n}", f"s{n}@{G2}"))
    for n in (1, 2, 3):
        people.append(
            _person(f"gu{n}", None, "guardian", "Родител", f"Номер{n}", f"parent{n}@mail.example")
        )
    return people


def _classes() -> list[CityClass]:
    g1_students = ("g1-s1", "g1-s2", "g1-s3", "g1-s4")
    rows = [
        ("g1-c1", "g1", "Математика 5А", ("g1-t1", "g1-t2"), g1_students, "active"),
        ("g1-c2", "g1", "История 6Б", ("g1-t2",), ("g1-s1", "g1-s2"), "archived"),
        ("g1-c3", "g1", "Химия 7В", ("g1-t1",), (), "provisioned"),
        ("g2-c1", "g2", "Физика 8Г", ("g2-t1",), ("g2-s1", "g2-s2"), "active"),
        ("m1-c1", "m1", "Музика 1А", ("m1-t1",), ("m1-s1",), "active"),
    ]
    return [
        CityClass(
            key=key,
            school_key=school,
            name=name,
            section=name.split()[-1],
            subject=name.split()[0],
            description=f"Описание на {name}",
            teacher_keys=teachers,
            student_keys=students,
            state=state,  # type: ignore[arg-type]
            created_at=_at(9, 1 + i),
        )
        for i, (key, school, name, teachers, students, state) in enumerate(rows)
    ]


def _homework(key: str, class_key: str, **changes: Any) -> CityHomework:
    values: dict[str, Any] = {
        "key": key,
        "class_key": class_key,
        "title": f"Задача {key}",
        "description": "Решете задачите от учебника.",
        "created_at": _at(10, 1),
        "published_at": _at(10, 1),
        "due": dt.datetime(2026, 10, 5, 20, 59, tzinfo=UTC),
        "max_points": 10.0,
        "state": "published",
        "category": "Домашна работа",
        "creator_key": "g1-t1",
    }
    values.update(changes)
    return CityHomework(**values)


def _all_homework() -> list[CityHomework]:
    materials = (
        CityMaterial(kind="link", url="https://bg.wikipedia.org/wiki/Питагор", title="Питагор"),
        CityMaterial(
            kind="file", url="https://drive.google.example/file/d/AbC123/view", title="Лист.pdf"
        ),
        CityMaterial(kind="video", url="https://www.youtube.com/watch?v=UiIu5jvrn6k", title="Урок"),
        CityMaterial(
            kind="form", url="https://docs.google.example/forms/d/e/F1/viewform", title="Тест"
        ),
    )
    return [
        _homework("h1", "g1-c1", materials=materials, title="📐 Уравнения"),
        _homework(
            "h2",
            "g1-c1",
            created_by_app=False,
            due=dt.date(2026, 10, 10),
            max_points=100.0,
            category="Тест",
            created_at=_at(10, 2),
            published_at=_at(10, 2),
        ),
        _homework("h3", "g1-c1", state="draft", due=None, max_points=None, published_at=None),
        _homework("h4", "g1-c1", state="deleted", created_at=_at(9, 20)),
        _homework(
            "h5",
            "g1-c1",
            state="inactive",
            student_keys=("g1-s1", "g1-s2"),
            created_at=_at(10, 3),
            published_at=_at(10, 3),
        ),
        _homework("h6", "g1-c2", creator_key="g1-t2", category=None),
        _homework("h7", "g2-c1", creator_key="g2-t1", category=None),
        _homework("h8", "m1-c1", creator_key="m1-t1"),
    ]


def _work(key: str, homework: str, student: str, state: str, **changes: Any) -> CityWork:
    values: dict[str, Any] = {
        "key": key,
        "homework_key": homework,
        "student_key": student,
        "state": state,
        "updated_at": _at(10, 4),
    }
    if state in ("turned_in", "returned", "reclaimed"):
        values["turned_in_at"] = _at(10, 4)
    if state == "returned":
        values["returned_at"] = _at(10, 6)
    if state == "excused":
        values["excused_at"] = _at(10, 6)
    values.update(changes)
    return CityWork(**values)


def _all_work() -> list[CityWork]:
    return [
        _work("w1", "h1", "g1-s1", "new"),
        _work("w2", "h1", "g1-s2", "in_progress"),
        _work("w3", "h1", "g1-s3", "turned_in", draft_points=8.0),
        _work("w4", "h1", "g1-s4", "returned", draft_points=9.0, released_points=9.0),
        _work("w5", "h2", "g1-s1", "turned_in", late=True),
        _work("w6", "h2", "g1-s2", "returned", released_points=95.5),
        _work("w7", "h2", "g1-s3", "reclaimed"),
        _work("w8", "h2", "g1-s4", "excused"),
        _work("w9", "h5", "g1-s1", "new"),
        _work("w10", "h5", "g1-s2", "turned_in", late=True),
        _work("w11", "h6", "g1-s1", "returned", draft_points=7.0, released_points=7.0),
        _work("w12", "h7", "g2-s1", "turned_in"),
        _work("w13", "h7", "g2-s2", "new"),
        _work("w14", "h8", "m1-s1", "turned_in"),
    ]


def tiny_city() -> City:
    """A small city with every case the Classroom loader maps."""
    schools = (
        CitySchool(
            key="g1", name="СУ „Първо“", platform="google", tenant=G1, domain=G1, external_id="1"
        ),
        CitySchool(
            key="g2", name="ОУ „Второ“", platform="google", tenant=G2, domain=G2, external_id="2"
        ),
        CitySchool(
            key="m1",
            name="ПГ „Трето“",
            platform="microsoft",
            tenant="city.onmicrosoft.example",
            domain="city.example",
            external_id="3",
        ),
    )
    links = (
        ("l1", "g1-s1", "gu1", "active"),
        ("l2", "g1-s1", "gu2", "invited"),
        ("l3", "g1-s2", "gu3", "closed"),
        ("l4", "g2-s1", "gu1", "active"),
        ("l5", "m1-s1", "gu2", "active"),
    )
    guardians = tuple(
        CityGuardian(
            key=key,
            student_key=student,
            guardian_key=guardian,
            relationship="parent",
            state=state,  # type: ignore[arg-type]
            created_at=_at(9, 5 + n),
        )
        for n, (key, student, guardian, state) in enumerate(links)
    )
    return City(
        seed=7,
        scale=1,
        as_of=dt.datetime(2026, 11, 27, 13, tzinfo=UTC),
        school_year_start=dt.date(2026, 9, 15),
        time_zone="Europe/Sofia",
        microsoft_tenant="city.onmicrosoft.example",
        schools=schools,
        people=tuple(_people()),
        classes=tuple(_classes()),
        homework=tuple(_all_homework()),
        work=tuple(_all_work()),
        guardians=guardians,
    )


@attrs.frozen
class Reply:
    """An answer: status, headers and the parsed JSON body (``None`` if not JSON)."""

    status: int
    headers: Mapping[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


class _LoopContext(Context):
    def __init__(self, app: PlatformApp) -> None:
        self._app = app

    def dispatch(self, request: SandboxRequest) -> SandboxResponse:
        return _run(self._app, request)

    @property
    def request_id(self) -> str:
        return "test-request"


def _run(app: PlatformApp, request: SandboxRequest) -> SandboxResponse:
    principal = app.authenticate(request)
    if isinstance(principal, SandboxResponse):
        return principal
    return app.handle(request, principal, _LoopContext(app))


class Direct:
    """Calls an app in-process as one user.

    Args:
        app: The emulator.
        token: The bearer token to send (``None``: no Authorization header).
    """

    def __init__(self, app: PlatformApp, token: str | None) -> None:
        self.app = app
        self.token = token

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        headers: Mapping[str, str] | None = None,
        raw: bytes | None = None,
        **query: str | int | Sequence[str],
    ) -> Reply:
        """One call; repeated query values as lists."""
        values = {
            k: tuple(str(x) for x in v) if isinstance(v, list | tuple) else (str(v),)
            for k, v in query.items()
        }
        sent = dict(headers or {})
        if self.token:
            sent.setdefault("Authorization", f"Bearer {self.token}")
        payload = (
            raw if raw is not None else (json.dumps(body).encode() if body is not None else b"")
        )
        request = SandboxRequest(method=method, path=path, query=values, headers=sent, body=payload)
        response = _run(self.app, request)
        return Reply(status=response.status, headers=response.headers, body=response.body)

    def get(self, path: str, **query: Any) -> Reply:
        return self.call("GET", path, **query)

    def post(self, path: str, body: Any = None, **query: Any) -> Reply:
        return self.call("POST", path, body if body is not None else {}, **query)

    def patch(self, path: str, body: Any, **query: Any) -> Reply:
        return self.call("PATCH", path, body, **query)

    def delete(self, path: str, **query: Any) -> Reply:
        return self.call("DELETE", path, **query)
