"""Fixtures of the view tests: one sandbox city per session and a city client over it.

``seeded`` is the generated city (the truth the views are checked against); ``city`` is
a :class:`Municipality` over every tenant the sandbox serves whose provider can be built
from a tenants file.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

from unified_edu.client import Municipality
from unified_edu.config import Config, load_config
from unified_edu.providers.base import Provider
from unified_edu.registry import get_provider_class
from unified_edu.sandbox import Sandbox
from unified_edu.sandbox._city import City


def _buildable(name: str) -> bool:
    cls = get_provider_class(name)
    return cls.from_config.__func__ is not Provider.from_config.__func__  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def views_sandbox() -> Iterator[Sandbox]:
    with Sandbox.start(seed=2026, scale=1) as sb:
        yield sb


@pytest.fixture(scope="session")
def seeded(views_sandbox: Sandbox) -> City:
    assert views_sandbox.city is not None
    return views_sandbox.city


@pytest.fixture(scope="session")
def platforms() -> set[str]:
    return {name for name in ("google", "microsoft") if _buildable(name)}


@pytest.fixture(scope="session")
def config(
    views_sandbox: Sandbox, platforms: set[str], tmp_path_factory: pytest.TempPathFactory
) -> Config:
    directory = tmp_path_factory.mktemp("views-city")
    loaded = load_config(views_sandbox.tenants_config_toml(directory))
    city = attrs.evolve(loaded.city, pseudonym_key_file=Path(directory, "pseudonym.key"))
    tenants = tuple(t for t in loaded.tenants if t.provider in platforms)
    return attrs.evolve(loaded, city=city, tenants=tenants)


@pytest.fixture(scope="session")
def city(config: Config) -> Iterator[Municipality]:
    with Municipality.from_config(config) as built:
        yield built
