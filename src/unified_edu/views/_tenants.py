"""Is every tenant reachable? Build each provider, make one cheap authenticated read.

:func:`check_tenants` never raises for one tenant's failure: each tenant gets a
:class:`TenantStatus` with its error, so one bad credential does not hide the others.

This module must not import any platform client.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import attrs

from unified_edu.config import CityConfig, Config, TenantConfig
from unified_edu.errors import UnifiedEduError
from unified_edu.providers.base import Capability, Provider
from unified_edu.registry import get_provider_class

__all__ = ["TenantStatus", "check_tenants", "status_record"]


@attrs.frozen(kw_only=True)
class TenantStatus:
    """One tenant's check.

    Attributes:
        tenant: The tenant's name.
        provider: The backend's registry name.
        credential_kind: The ``kind`` of its ``[tenants.credentials]``.
        mode: ``"app_only"`` or ``"delegated"`` where the provider knows (Microsoft),
            else ``None``.
        error: Why the check failed, ``None`` when it passed.
        capabilities: What the provider can do with these credentials (empty when it
            could not be built).
        missing: Each capability it cannot do, with the provider's reason (may be "").
        narrowed: The capabilities the backend has but these credentials do not allow
            (e.g. Graph with an app-only token).
    """

    tenant: str
    provider: str
    credential_kind: str
    mode: str | None = None
    error: UnifiedEduError | None = attrs.field(default=None, eq=False)
    capabilities: frozenset[Capability] = frozenset()
    missing: tuple[tuple[Capability, str], ...] = ()
    narrowed: frozenset[Capability] = frozenset()

    @property
    def ok(self) -> bool:
        """True when the provider was built and the read succeeded."""
        return self.error is None

    @property
    def reason(self) -> str:
        """The error's one-line message ("" when ok)."""
        if self.error is None:
            return ""
        return f"{type(self.error).__name__}: {self.error.message}".splitlines()[0]


def status_record(result: TenantStatus) -> dict[str, Any]:
    """One tenant's check as a JSON-ready dict."""
    return {
        "tenant": result.tenant,
        "provider": result.provider,
        "status": "ok" if result.ok else "error",
        "error": result.reason or None,
        "credential_kind": result.credential_kind,
        "mode": result.mode,
        "capabilities": sorted(c.value for c in result.capabilities),
        "missing": {c.value: why for c, why in result.missing},
        "narrowed_by_credentials": sorted(c.value for c in result.narrowed),
    }


def check_tenants(config: Config, *, workers: int = 8) -> list[TenantStatus]:
    """Check every tenant of ``config`` concurrently; results in configuration order."""
    if not config.tenants:
        return []
    size = max(1, min(workers, len(config.tenants)))
    with ThreadPoolExecutor(max_workers=size, thread_name_prefix="unified-edu-check") as pool:
        return list(pool.map(lambda t: check_tenant(t, config.city), config.tenants))


def check_tenant(tenant: TenantConfig, city: CityConfig) -> TenantStatus:
    """Build one tenant's provider and list the first page of its classes."""
    base = TenantStatus(
        tenant=tenant.name, provider=tenant.provider, credential_kind=tenant.credentials.kind
    )
    try:
        provider = get_provider_class(tenant.provider).from_config(tenant, city)
    except UnifiedEduError as exc:
        return attrs.evolve(base, error=exc)
    with provider:
        described = _describe(base, provider)
        try:
            _first_class(provider)
        except UnifiedEduError as exc:
            return attrs.evolve(described, error=exc)
        return described


def _describe(base: TenantStatus, provider: Provider) -> TenantStatus:
    capabilities = provider.capabilities
    mode = getattr(provider, "mode", None)
    return attrs.evolve(
        base,
        mode=str(mode) if mode is not None else None,
        capabilities=capabilities,
        missing=tuple(
            (cap, provider.unsupported_reason(cap)) for cap in Capability if cap not in capabilities
        ),
        narrowed=provider.CAPABILITIES - capabilities,
    )


def _first_class(provider: Provider) -> None:
    classes: Iterator[object] = provider.iter_classes()
    try:
        next(classes, None)
    finally:
        close = getattr(classes, "close", None)
        if close is not None:
            close()
