"""Fixtures for the Classroom emulator's tests.

``app`` is a fresh emulator over the tiny hand-made city (cheap: the RSA key is shared);
``seeded_sandbox`` serves the seeded municipality through the real sandbox server and
pipeline (session-wide, read-only by convention); ``tiny_sandbox`` serves the tiny city
for end-to-end tests that change things.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from classroom_schema import Discovery, discovery
from classroom_support import G1, G2, Direct, tiny_city

from unified_edu.sandbox import Sandbox
from unified_edu.sandbox._city import City
from unified_edu.sandbox._seed import generate_city
from unified_edu.sandbox.classroom import ClassroomApp


@pytest.fixture(scope="session")
def schema() -> Discovery:
    return discovery()


@pytest.fixture
def app() -> ClassroomApp:
    return ClassroomApp(tiny_city())


@pytest.fixture
def as_user(app: ClassroomApp) -> Callable[..., Direct]:
    """``as_user(email, scopes=..., project=...)``: a direct client for that user."""

    def make(email: str, **options: Any) -> Direct:
        tenant = G2 if email.endswith(G2) else G1
        return Direct(app, app.issue_token(tenant, email, **options))

    return make


@pytest.fixture
def admin(as_user: Callable[..., Direct]) -> Direct:
    return as_user(f"admin@{G1}")


@pytest.fixture
def teacher(as_user: Callable[..., Direct]) -> Direct:
    return as_user(f"maria.ivanova@{G1}")


@pytest.fixture
def student(as_user: Callable[..., Direct]) -> Direct:
    return as_user(f"s2@{G1}")


@pytest.fixture(scope="session")
def seeded_city() -> City:
    return generate_city(2026, 1)


@pytest.fixture(scope="session")
def seeded_sandbox(seeded_city: City) -> Iterator[Sandbox]:
    """The seeded city's Google side on the real server; tests must not change it."""
    with Sandbox.start(city=seeded_city, apps=[ClassroomApp(seeded_city)], quotas=False) as sb:
        yield sb


@pytest.fixture
def tiny_sandbox() -> Iterator[Sandbox]:
    city = tiny_city()
    with Sandbox.start(city=city, apps=[ClassroomApp(city)], quotas=False) as sb:
        yield sb
