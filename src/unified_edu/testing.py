"""A pytest plugin for projects that test against the embedded sandbox.

Enable it in the top-level ``conftest.py``::

    pytest_plugins = ["unified_edu.testing"]

    def test_courses(edu_sandbox):
        ...  # edu_sandbox.google_endpoint, edu_sandbox.tenants, edu_sandbox.stats()

``edu_sandbox`` is one session-wide :class:`~unified_edu.sandbox.Sandbox` (seed 2026,
scale 1, no latency, quotas on). :func:`sandbox_fixture` makes fixtures with other
settings. This module imports pytest, so unified_edu itself never imports it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Literal

import pytest

from unified_edu.sandbox import Sandbox

__all__ = ["edu_sandbox", "sandbox_fixture"]

Scope = Literal["session", "package", "module", "class", "function"]


def sandbox_fixture(
    *, scope: Scope = "session", name: str | None = None, **start_kwargs: Any
) -> Callable[..., Iterator[Sandbox]]:
    """A pytest fixture yielding a started sandbox, stopped when the scope ends.

    Assign it in a ``conftest.py``; the variable's name is the fixture's name unless
    ``name`` is given::

        flaky_sandbox = sandbox_fixture(
            scope="module", quota_scale=0.1, faults=FaultConfig(rate_503=0.1, seed=1)
        )

    Args:
        scope: The pytest scope.
        name: The fixture's name (default: the name it is assigned to).
        **start_kwargs: Arguments of :meth:`Sandbox.start`.
    """

    def fixture() -> Iterator[Sandbox]:
        with Sandbox.start(**start_kwargs) as sandbox:
            yield sandbox

    fixture.__doc__ = f"A unified_edu sandbox started with {start_kwargs or 'the defaults'}."
    return pytest.fixture(scope=scope, name=name)(fixture)


edu_sandbox = sandbox_fixture(seed=2026, scale=1)
