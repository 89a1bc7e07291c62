"""The embedded sandbox: Google Classroom and Microsoft Graph education APIs on loopback.

A seeded synthetic city served in both platforms' real wire formats, so the unmodified
google-api-python-client and msgraph-sdk work against it; with the platforms' quotas,
reproducible fault injection, counters and a request log. See ``docs/sandbox.md``.

    with Sandbox.start(seed=2026, scale=1) as sb:
        ...  # point a client at sb.google_endpoint or sb.graph_base_url

Importing this package imports no platform client and no emulator: :meth:`Sandbox.start`
loads them.
"""

from unified_edu.sandbox._core import (
    Context,
    PlatformApp,
    Principal,
    QuotaRule,
    SandboxRequest,
    SandboxResponse,
    TenantInfo,
)
from unified_edu.sandbox._faults import FaultConfig, FaultInjector, FaultKind
from unified_edu.sandbox._remote import RemoteSandbox
from unified_edu.sandbox._sandbox import Sandbox
from unified_edu.sandbox._stats import LogEntry, StatsSnapshot
from unified_edu.sandbox._trim import trim_city

__all__ = [
    "Context",
    "FaultConfig",
    "FaultInjector",
    "FaultKind",
    "LogEntry",
    "PlatformApp",
    "Principal",
    "QuotaRule",
    "RemoteSandbox",
    "Sandbox",
    "SandboxRequest",
    "SandboxResponse",
    "StatsSnapshot",
    "TenantInfo",
    "trim_city",
]
