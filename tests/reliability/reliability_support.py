"""Helpers of the reliability tests: a small seeded city, its client, the issue's faults.

The faults are the issue's mix: 10 % 503, 5 % 429, 2 % connection resets (half before the
handler runs, half after it, when the answer of a write that happened is lost) and 1 %
truncated bodies, with a 50 ms ``Retry-After`` on injected 429s. Providers are built by
hand (as ``tests/homework`` does) with the default retry policy's shape but millisecond
backoffs, so a test takes seconds; the sandbox's quotas stay on.
"""

from __future__ import annotations

from functools import cache

from sandbox_providers import ZONE, sandbox_municipality

from unified_edu._retry import RetryPolicy
from unified_edu.client import Municipality
from unified_edu.providers.microsoft import PollPolicy
from unified_edu.sandbox import FaultConfig, Sandbox
from unified_edu.sandbox._city import City
from unified_edu.sandbox._seed import generate_city
from unified_edu.sandbox._trim import trim_city

__all__ = ["ZONE", "faults", "municipality", "small_city"]

RETRY = RetryPolicy(initial_backoff=0.01, max_backoff=0.05)
POLL = PollPolicy(attempts=20, first_delay=0.01, max_delay=0.05)


def faults(seed: int) -> FaultConfig:
    """The issue's fault mix, reproducible from ``seed``."""
    return FaultConfig(
        rate_503=0.10,
        rate_429=0.05,
        rate_reset=0.02,
        rate_truncate=0.01,
        retry_after=0.05,
        seed=seed,
    )


@cache
def small_city(
    schools: tuple[str, ...], classes_per_school: int, *, with_work: bool = True
) -> City:
    """The seeded scale-1 city with only ``schools`` and their first classes (and,
    unless ``with_work`` is False, the pupils' work on their homework)."""
    return trim_city(
        generate_city(2026, 1),
        schools=schools,
        classes_per_school=classes_per_school,
        with_work=with_work,
    )


def municipality(sb: Sandbox) -> Municipality:
    """Every sandbox tenant: Google by domain-wide delegation, Microsoft app-only (as the
    sandbox's tenants file configures them)."""
    return sandbox_municipality(sb, retry=RETRY, poll=POLL)
