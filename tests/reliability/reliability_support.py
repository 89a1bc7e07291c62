"""Helpers of the reliability tests: a small seeded city, its client, the issue's faults.

The faults are the issue's mix: 10 % 503, 5 % 429, 2 % connection resets (half before the
handler runs, half after it, when the answer of a write that happened is lost) and 1 %
truncated bodies, with a 50 ms ``Retry-After`` on injected 429s. Providers are built by
hand (as ``tests/homework`` does) with the default retry policy's shape but millisecond
backoffs, so a test takes seconds; the sandbox's quotas stay on.
"""

from __future__ import annotations

from functools import cache

import attrs

from unified_edu._retry import RetryPolicy
from unified_edu.client import Municipality
from unified_edu.config import CityConfig
from unified_edu.providers.base import Provider
from unified_edu.providers.google import GoogleClassroomProvider
from unified_edu.providers.microsoft import MicrosoftEducationProvider, PollPolicy
from unified_edu.sandbox import FaultConfig, Sandbox
from unified_edu.sandbox._city import City
from unified_edu.sandbox._seed import generate_city

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
    city = generate_city(2026, 1)
    kept = [s for s in city.schools if s.key in schools]
    keys = {s.key for s in kept}
    classes = [
        c
        for school in kept
        for c in [c for c in city.classes if c.school_key == school.key][:classes_per_school]
    ]
    class_keys = {c.key for c in classes}
    homework = [h for h in city.homework if h.class_key in class_keys]
    homework_keys = {h.key for h in homework}
    people = [p for p in city.people if p.school_key in keys or p.school_key is None]
    people_keys = {p.key for p in people}
    return attrs.evolve(
        city,
        schools=tuple(kept),
        classes=tuple(classes),
        homework=tuple(homework),
        work=tuple(w for w in city.work if with_work and w.homework_key in homework_keys),
        people=tuple(people),
        guardians=tuple(
            g
            for g in city.guardians
            if g.student_key in people_keys and g.guardian_key in people_keys
        ),
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
