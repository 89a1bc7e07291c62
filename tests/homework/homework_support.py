"""Helpers of the homework tests: a small seeded city and a city client on the sandbox.

``small_city`` keeps a few schools of the seeded scale-1 city (one Google domain and the
Microsoft tenant by default) with their first classes, so a sandbox starts and is read
in moments. ``municipality`` builds a :class:`Municipality` with providers made by hand
(the tenants file is the CLI tests' business), with retries and polls that never sleep.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Literal

from sandbox_providers import sandbox_municipality, sandbox_providers

from unified_edu._retry import RetryPolicy
from unified_edu.client import Municipality
from unified_edu.models import Class, ClassState
from unified_edu.providers.base import Provider
from unified_edu.providers.microsoft import PollPolicy
from unified_edu.sandbox import Sandbox
from unified_edu.sandbox._city import City
from unified_edu.sandbox._seed import generate_city
from unified_edu.sandbox._trim import trim_city

__all__ = ["FAST_POLL", "active_classes", "municipality", "providers", "small_city", "writes"]


async def _no_sleep(_: float) -> None:
    return None


FAST_POLL = PollPolicy(attempts=10, sleep=_no_sleep)


@cache
def _seeded(seed: int) -> City:
    return generate_city(seed, 1)


@cache
def small_city(
    seed: int = 2026, schools: tuple[str, ...] = ("s1", "s5"), classes_per_school: int = 6
) -> City:
    """The seeded city with only ``schools`` and their first ``classes_per_school`` classes."""
    return trim_city(_seeded(seed), schools=schools, classes_per_school=classes_per_school)


def providers(
    sb: Sandbox,
    *,
    microsoft: Literal["app", "teacher"] = "app",
    retry: RetryPolicy | None = None,
) -> list[Provider]:
    """One provider per sandbox tenant: Google by domain-wide delegation, Microsoft with
    the tenant's ready-made app-only (``"app"``) or delegated teacher token."""
    return sandbox_providers(
        sb, retry=retry or RetryPolicy.no_wait(), poll=FAST_POLL, microsoft=microsoft
    )


def municipality(
    sb: Sandbox,
    *,
    microsoft: Literal["app", "teacher"] = "app",
    retry: RetryPolicy | None = None,
) -> Municipality:
    """The city client of the sandbox (see :func:`providers`)."""
    return sandbox_municipality(
        sb, retry=retry or RetryPolicy.no_wait(), poll=FAST_POLL, microsoft=microsoft
    )


def active_classes(
    city: Municipality, platform: str | None = None, *, tenants: Iterable[str] | None = None
) -> list[Class]:
    """The active classes, of one platform or both, in a stable order."""
    found = [
        c
        for c in city.list_classes(tenants=list(tenants) if tenants is not None else None)
        if c.state is ClassState.ACTIVE and (platform is None or c.ref.provider == platform)
    ]
    return sorted(found, key=lambda c: (c.ref.provider, c.ref.tenant, c.ref.id))


_NOT_WRITES = frozenset({"POST /$batch", "batch", "oauth.token"})


def writes(sb: Sandbox) -> list[str]:
    """The write calls the sandbox has served (``"METHOD operation"``), oldest first."""
    return [
        f"{e.method} {e.operation}"
        for e in sb.log()
        if e.method != "GET" and e.operation not in _NOT_WRITES
    ]
