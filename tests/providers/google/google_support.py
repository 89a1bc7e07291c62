"""Helpers of the Google provider's tests: sandbox tenants and providers built on them."""

from __future__ import annotations

from typing import Any

from google_scenario import DOMAIN

from unified_edu._retry import RetryPolicy
from unified_edu.providers.google import GoogleClassroomProvider
from unified_edu.sandbox import Sandbox, TenantInfo

__all__ = ["delegated", "tenant", "token_provider"]


def tenant(sb: Sandbox, domain: str = DOMAIN) -> TenantInfo:
    """The sandbox's Google tenant of ``domain``."""
    return next(t for t in sb.tenants if t.platform == "google" and t.tenant == domain)


def delegated(sb: Sandbox, domain: str = DOMAIN, **options: Any) -> GoogleClassroomProvider:
    """A domain-wide-delegation provider of ``domain`` against the sandbox."""
    info = tenant(sb, domain)
    assert info.service_account is not None
    options.setdefault("retry", RetryPolicy.no_wait())
    return GoogleClassroomProvider.from_service_account_info(
        info.service_account, admin=info.admin, endpoint=sb.google_endpoint, **options
    )


def token_provider(
    sb: Sandbox, email: str, domain: str = DOMAIN, **options: Any
) -> GoogleClassroomProvider:
    """A provider running every call as ``email`` with a static sandbox token."""
    options.setdefault("retry", RetryPolicy.no_wait())
    token = sb.issue_token("google", domain, email)
    return GoogleClassroomProvider.from_token(
        token, tenant=domain, endpoint=sb.google_endpoint, **options
    )
