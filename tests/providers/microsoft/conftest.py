"""Fixtures of the Microsoft provider's tests.

``msgraph_city`` is the seeded scale-1 city (generated once). ``graph_sandbox`` serves it
with the Graph emulator only, quotas on, shared by the write, grading and sync-over-async
tests (they each touch their own objects); the full-city read builds its own sandbox so
that its counters and quotas start clean. ``teacher``/``app`` are providers with the
tenant's ready-made delegated teacher and app-only tokens, with a fast poll.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from msgraph_support import microsoft

from unified_edu._retry import RetryPolicy
from unified_edu.providers.microsoft import MicrosoftEducationProvider, PollPolicy
from unified_edu.sandbox import Sandbox
from unified_edu.sandbox._city import City
from unified_edu.sandbox._seed import generate_city
from unified_edu.sandbox.graph import GraphApp


async def _no_sleep(_: float) -> None:
    return None


FAST_POLL = PollPolicy(attempts=10, sleep=_no_sleep)


@pytest.fixture(scope="session")
def msgraph_city() -> City:
    return generate_city(2026, 1)


@pytest.fixture(scope="session")
def graph_sandbox(msgraph_city: City) -> Iterator[Sandbox]:
    with Sandbox.start(city=msgraph_city, apps=[GraphApp(msgraph_city)]) as sb:
        yield sb


def provider_for(sb: Sandbox, label: str, **options: object) -> MicrosoftEducationProvider:
    """A provider with one of the tenant's ready-made tokens (``"app"``/``"teacher"``)."""
    info = microsoft(sb)
    options.setdefault("poll", FAST_POLL)
    options.setdefault("retry", RetryPolicy.no_wait())
    return MicrosoftEducationProvider.from_token(
        info.tenant, info.tokens[label], base_url=sb.graph_base_url, **options
    )


@pytest.fixture
def teacher(graph_sandbox: Sandbox) -> Iterator[MicrosoftEducationProvider]:
    provider = provider_for(graph_sandbox, "teacher")
    yield provider
    provider.close()


@pytest.fixture
def app(graph_sandbox: Sandbox) -> Iterator[MicrosoftEducationProvider]:
    provider = provider_for(graph_sandbox, "app")
    yield provider
    provider.close()
