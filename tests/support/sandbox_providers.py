"""Providers for every tenant of a running sandbox, built by hand (no tenants file).

Shared by the homework and reliability tests: Google by domain-wide delegation as the
tenant's admin, Microsoft with one of the tenant's ready-made tokens (app-only ``"app"``
or the delegated ``"teacher"``), with the retry and poll policies a test chooses.
"""

from __future__ import annotations

from typing import Literal

from unified_edu._retry import RetryPolicy
from unified_edu.client import Municipality
from unified_edu.config import CityConfig
from unified_edu.providers.base import Provider
from unified_edu.providers.google import GoogleClassroomProvider
from unified_edu.providers.microsoft import MicrosoftEducationProvider, PollPolicy
from unified_edu.sandbox import Sandbox

__all__ = ["ZONE", "sandbox_municipality", "sandbox_providers"]

ZONE = "Europe/Sofia"


def sandbox_providers(
    sb: Sandbox,
    *,
    retry: RetryPolicy,
    poll: PollPolicy,
    microsoft: Literal["app", "teacher"] = "app",
) -> list[Provider]:
    """One provider per sandbox tenant, in the sandbox's order."""
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
                    retry=retry,
                )
            )
        else:
            built.append(
                MicrosoftEducationProvider.from_token(
                    info.tenant,
                    info.tokens[microsoft],
                    base_url=sb.graph_base_url,
                    time_zone=ZONE,
                    retry=retry,
                    poll=poll,
                )
            )
    return built


def sandbox_municipality(
    sb: Sandbox,
    *,
    retry: RetryPolicy,
    poll: PollPolicy,
    microsoft: Literal["app", "teacher"] = "app",
) -> Municipality:
    """The city client of every sandbox tenant (see :func:`sandbox_providers`)."""
    return Municipality(
        sandbox_providers(sb, retry=retry, poll=poll, microsoft=microsoft),
        city=CityConfig(name="Пловдив", time_zone=ZONE),
    )
