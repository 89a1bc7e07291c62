"""Fixtures for the Graph emulator's tests.

``city`` is a small slice of the seeded municipality (every school, one class each with
a few students and homework of every state: msgraph-sdk parses ~10 ms per entity, so the
end-to-end listing must stay small); ``seeded_city`` is the whole municipality;
``app`` a fresh emulator over it; ``app_client``/``teacher``/``student`` call that app
in-process with the app-only token, a delegated teacher (``EduAssignments.ReadWrite
EduRoster.ReadBasic``, the tenant's ready-made token) and a delegated student.
``sandbox`` serves a fresh emulator through the real sandbox server and pipeline.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from graph_support import Direct, small_city

from unified_edu.sandbox import Sandbox
from unified_edu.sandbox._city import City
from unified_edu.sandbox._seed import generate_city
from unified_edu.sandbox.graph import GraphApp

STUDENT_SCOPES = frozenset({"EduAssignments.ReadWrite", "EduRoster.ReadBasic"})


@pytest.fixture(scope="session")
def seeded_city() -> City:
    return generate_city(2026, 1)


@pytest.fixture(scope="session")
def city(seeded_city: City) -> City:
    return small_city(seeded_city)


@pytest.fixture
def app(city: City) -> GraphApp:
    return GraphApp(city)


@pytest.fixture
def app_client(app: GraphApp) -> Direct:
    return Direct(app, app.tenant_infos()[0].tokens["app"])


@pytest.fixture
def teacher(app: GraphApp) -> Direct:
    return Direct(app, app.tenant_infos()[0].tokens["teacher"])


@pytest.fixture
def teacher_id(teacher: Direct) -> str:
    reply = teacher.get("/education/me")
    assert reply.status == 200
    return str(reply.json["id"])


@pytest.fixture
def taught_class(app: GraphApp, teacher_id: str) -> str:
    """A class the ready-made teacher teaches."""
    return app.store.classes_of_user(teacher_id, teaching_only=True)[0]


@pytest.fixture
def student_id(app: GraphApp, taught_class: str) -> str:
    state = app.store.class_states[taught_class]
    return next(m for m in state.members if m not in state.teachers)


@pytest.fixture
def student(app: GraphApp, student_id: str) -> Direct:
    token = app.issue_token(app.store.tenant, student_id, scopes=STUDENT_SCOPES)
    return Direct(app, token)


@pytest.fixture
def sandbox(city: City) -> Iterator[Sandbox]:
    with Sandbox.start(city=city, apps=[GraphApp(city)], quotas=False) as sb:
        yield sb
