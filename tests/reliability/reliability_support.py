"""Helpers of the reliability tests: a small seeded city, its client, the issue's faults.

The faults are the issue's mix: 10 % 503, 5 % 429, 2 % connection resets (half before the
handler runs, half after it, when the answer of a write that happened is lost) and 1 %
truncated bodies, with a 50 ms ``Retry-After`` on injected 429s. Providers are built by
hand (as ``tests/homework`` does) with the default retry policy's shape but millisecond
backoffs, so a test takes seconds; the sandbox's quotas stay on.
"""

from __future__ import annotations

from functools import cache

from unified_edu._retry import RetryPolicy
from unified_edu.client import Municipality
from unified_edu.config import CityConfig
from unified_edu.providers.base import Provider
from unified_edu.providers.google import GoogleClassroomProvider
from unified_edu.providers.microsoft import MicrosoftEducationProvider, PollPolicy
from unified_edu.sandbox import FaultConfig, Sandbox
from unified_edu.sandbox._city import City
from unified_edu.sandbox._seed import generate_city
from unified_edu.sandbox._trim import trim_city

__all__ = ["ZONE", "faults", "municipality", "small_city"]

ZONE = "Europe/Sofia"
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
    built: list[Provider] = []
    for info in sb.tenants:
        if info.platform == "google":
            assert info.service_account is not None
            built.append(
                GoogleClassroomProvider.from_service_account_info(
                    info.service_account,
                    admin=info.admin,
                    tenant=info.tenant,
                    endpoint=sb.google_endpoint,
                    time_zone=ZONE,
                    retry=RETRY,
                )
            )
        else:
            built.append(
                MicrosoftEducationProvider.from_token(
                    info.tenant,
                    info.tokens["app"],
                    base_url=sb.graph_base_url,
                    time_zone=ZONE,
                    retry=RETRY,
                    poll=POLL,
                )
            )
    return Municipality(built, city=CityConfig(name="Пловдив", time_zone=ZONE))
