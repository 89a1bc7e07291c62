"""Shared fixtures of the CLI tests: one sandbox city per session and the real entry point.

``sandbox`` serves the seeded city (seed 2026, scale 1) on both platforms; ``tenants_file``
is its tenants TOML, its ``[city]`` table naming a pseudonym key file beside it (so no
test touches ``~/.config``); ``run_cli(*args)`` invokes the real typer
app with that file as ``UNIFIED_EDU_CONFIG`` and returns click's ``Result`` (``stdout``,
``stderr`` and ``exit_code`` apart).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from unified_edu.cli import app
from unified_edu.providers.base import Provider
from unified_edu.registry import get_provider_class
from unified_edu.sandbox import Sandbox

RunCli = Callable[..., Result]

KEY_LINE = 'pseudonym_key_file = "pseudonym.key"'


def buildable_platforms() -> set[str]:
    """The platforms whose provider can be built from a tenants file in this checkout."""
    found = set()
    for name in ("google", "microsoft"):
        cls = get_provider_class(name)
        if cls.from_config.__func__ is not Provider.from_config.__func__:  # type: ignore[attr-defined]
            found.add(name)
    return found


def _keep_tenants(text: str, platforms: set[str]) -> str:
    """Drop the ``[[tenants]]`` tables of providers not in ``platforms``."""
    head, *tables = text.split("[[tenants]]")
    kept = [t for t in tables if any(f'provider = "{p}"' in t for p in platforms)]
    return head + "".join(f"[[tenants]]{t}" for t in kept)


@pytest.fixture(scope="session")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox.start(seed=2026, scale=1) as sb:
        yield sb


@pytest.fixture(scope="session")
def platforms() -> set[str]:
    """The platforms ``tenants_file`` covers."""
    return buildable_platforms()


@pytest.fixture(scope="session")
def tenants_file(
    sandbox: Sandbox, platforms: set[str], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    path = sandbox.tenants_config_toml(tmp_path_factory.mktemp("city"))
    text = _keep_tenants(path.read_text(encoding="utf-8"), platforms)
    if "pseudonym_key_file" not in text:
        if "\n[city]\n" in text:
            text = text.replace("\n[city]\n", f"\n[city]\n{KEY_LINE}\n", 1)
        else:
            text = f'[city]\ntime_zone = "Europe/Sofia"\n{KEY_LINE}\n\n{text}'
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def run_cli(tenants_file: Path) -> RunCli:
    """``run_cli("classes", "list", "--json")``; ``env=`` adds or overrides variables."""
    runner = CliRunner()

    def run(*args: str, env: Mapping[str, str] | None = None) -> Result:
        variables = {
            "UNIFIED_EDU_CONFIG": str(tenants_file),
            "UNIFIED_EDU_PSEUDONYM_KEY": "",  # the city's key file, not the developer's
            "COLUMNS": "250",  # wide tables: cells are not folded
            **(env or {}),
        }
        root = logging.getLogger()
        handlers, level = root.handlers[:], root.level  # the app reconfigures logging
        try:
            return runner.invoke(app, list(args), env=variables)
        finally:
            root.handlers[:] = handlers
            root.setLevel(level)

    return run
