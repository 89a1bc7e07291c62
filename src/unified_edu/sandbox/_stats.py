"""The sandbox's counters and request log.

Owns what is remembered about each call: one :class:`LogEntry` per direct call, batch
envelope and batch part (a bounded deque), and counters that a test or a benchmark reads
as a frozen :class:`StatsSnapshot`. Paths are stored with their query string passed
through :func:`unified_edu.errors.redact`; headers and bodies are never stored, so no
token reaches the log.

This module must not import any platform client.
"""

from __future__ import annotations

import threading
from collections import Counter, deque
from collections.abc import Mapping
from typing import Any

import attrs

from unified_edu.sandbox._faults import CallScope

__all__ = ["LogEntry", "Recorder", "StatsSnapshot"]


@attrs.frozen(kw_only=True)
class LogEntry:
    """One call as the server saw it.

    Attributes:
        time: When it started, ISO 8601 UTC with milliseconds.
        platform: ``"google"``, ``"microsoft"`` or ``"-"`` (no emulator owns the path).
        tenant: The caller's tenant, ``"-"`` when unauthenticated.
        method: HTTP method.
        path: Path with query string, credentials redacted.
        operation: The emulator's operation name (``"unknown"`` if unrouted).
        status: The status the server produced; ``0`` when the connection was reset
            before any answer.
        in_batch: True for a part of a batch.
        duration_ms: Time spent in the server (the latency included, for outer calls).
        fault: The injected fault kind, if any.
        request_id: The id the emulator was given for this call.
    """

    time: str
    platform: str
    tenant: str
    method: str
    path: str
    operation: str
    status: int
    in_batch: bool
    duration_ms: float
    fault: str | None = None
    request_id: str = ""

    def as_dict(self) -> dict[str, Any]:
        """The entry as a JSON-ready dict."""
        return attrs.asdict(self)


@attrs.frozen(kw_only=True)
class StatsSnapshot:
    """The counters at one moment (since start or the last reset).

    The ``by_*`` counters count every logged call: direct calls, batch envelopes and
    batch parts alike.

    Attributes:
        http_requests: Outer HTTP requests (direct calls and batch envelopes; the
            ``/_sandbox/`` control endpoints are not counted).
        calls: Direct calls plus batch parts: what quotas count.
        batches: Batch envelopes.
        batch_parts: Calls made inside batches.
        throttled: 429 answers (quota or injected).
        quota_rejections: 429 answers produced by the server's quotas.
        by_operation: Calls by emulator operation name.
        by_platform: Calls by platform (``"-"``: no emulator owns the path).
        by_tenant: Calls by tenant (``"-"``: unauthenticated).
        by_status: Calls by answer status (``0``: reset before an answer).
        faults: Injected faults by kind.
    """

    http_requests: int = 0
    calls: int = 0
    batches: int = 0
    batch_parts: int = 0
    throttled: int = 0
    quota_rejections: int = 0
    by_operation: Mapping[str, int] = attrs.field(factory=dict)
    by_platform: Mapping[str, int] = attrs.field(factory=dict)
    by_tenant: Mapping[str, int] = attrs.field(factory=dict)
    by_status: Mapping[int, int] = attrs.field(factory=dict)
    faults: Mapping[str, int] = attrs.field(factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The snapshot as a JSON-ready dict (status codes become string keys)."""
        data = attrs.asdict(self)
        data["by_status"] = {str(status): n for status, n in sorted(self.by_status.items())}
        return data


class Recorder:
    """Thread-safe counters plus the bounded request log.

    Args:
        log_size: How many entries the log keeps (oldest dropped first).
    """

    def __init__(self, *, log_size: int = 10_000) -> None:
        self._lock = threading.Lock()
        self._log: deque[LogEntry] = deque(maxlen=log_size)
        self._totals: Counter[str] = Counter()
        self._by: dict[str, Counter[Any]] = {}
        self.reset()

    def record(self, entry: LogEntry, *, scope: CallScope, quota_rejected: bool = False) -> None:
        """Remember one call."""
        with self._lock:
            self._log.append(entry)
            totals = self._totals
            if scope != "part":
                totals["http_requests"] += 1
            if scope != "batch":
                totals["calls"] += 1
            if scope == "batch":
                totals["batches"] += 1
            elif scope == "part":
                totals["batch_parts"] += 1
            if entry.status == 429:
                totals["throttled"] += 1
            if quota_rejected:
                totals["quota_rejections"] += 1
            self._by["operation"][entry.operation] += 1
            self._by["platform"][entry.platform] += 1
            self._by["tenant"][entry.tenant] += 1
            self._by["status"][entry.status] += 1
            if entry.fault:
                self._by["faults"][entry.fault] += 1

    def snapshot(self) -> StatsSnapshot:
        """The counters now."""
        with self._lock:
            totals = self._totals
            return StatsSnapshot(
                http_requests=totals["http_requests"],
                calls=totals["calls"],
                batches=totals["batches"],
                batch_parts=totals["batch_parts"],
                throttled=totals["throttled"],
                quota_rejections=totals["quota_rejections"],
                by_operation=dict(self._by["operation"]),
                by_platform=dict(self._by["platform"]),
                by_tenant=dict(self._by["tenant"]),
                by_status=dict(self._by["status"]),
                faults=dict(self._by["faults"]),
            )

    def entries(self, limit: int | None = None) -> list[LogEntry]:
        """The most recent ``limit`` log entries (all when ``None``), oldest first."""
        with self._lock:
            entries = list(self._log)
        if limit is None:
            return entries
        return entries[-limit:] if limit > 0 else []

    def reset(self) -> None:
        """Zero the counters and empty the log."""
        with self._lock:
            self._log.clear()
            self._totals = Counter()
            self._by = {
                name: Counter() for name in ("operation", "platform", "tenant", "status", "faults")
            }
