"""Fixtures of the Google provider's tests.

``sandbox`` serves the small scenario school (``google_scenario.py``) on loopback, fresh
for each test (it starts in milliseconds); ``provider`` is a domain-wide-delegation
provider for its main domain, built from the sandbox's own service-account key.
JSON fixtures live in ``fixtures/`` and are named after the scenario they show.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from classroom_schema import Discovery, discovery
from google_scenario import scenario_city
from google_support import delegated

from unified_edu.providers.google import GoogleClassroomProvider
from unified_edu.sandbox import Sandbox
from unified_edu.sandbox.classroom import ClassroomApp

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def schema() -> Discovery:
    return discovery()


@pytest.fixture
def fixture_json() -> Callable[[str], Any]:
    """``fixture_json("course_active")``: a fixture file's JSON."""

    def load(name: str) -> Any:
        return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))

    return load


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    city = scenario_city()
    with Sandbox.start(city=city, apps=[ClassroomApp(city)]) as sb:
        yield sb


@pytest.fixture
def provider(sandbox: Sandbox) -> Iterator[GoogleClassroomProvider]:
    with delegated(sandbox, school_name="СУ „Христо Ботев“") as built:
        yield built
