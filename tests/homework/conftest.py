"""Fixtures of the homework tests.

``sandbox`` serves the small two-school city (``homework_support.small_city``: one Google
domain, the Microsoft tenant) afresh for each test, since the tests write; ``city`` is the
city client on it with the Microsoft tenant's app-only token (as the sandbox's tenants file
gives it), ``teacher_city`` the same with a delegated teacher's token.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from homework_support import municipality, small_city

from unified_edu.client import Municipality
from unified_edu.sandbox import Sandbox


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox.start(city=small_city()) as sb:
        yield sb


@pytest.fixture
def city(sandbox: Sandbox) -> Iterator[Municipality]:
    with municipality(sandbox) as built:
        yield built


@pytest.fixture
def teacher_city(sandbox: Sandbox) -> Iterator[Municipality]:
    with municipality(sandbox, microsoft="teacher") as built:
        yield built
