"""Client-side limits and counts of Graph calls, per tenant and app.

Owns which calls the assignment service serves (throttled at 500 per 10 s and 15,000
per hour per app per tenant, reference §4.1) and which rostering (35,000 per 10 s), the
process-wide limiters shared by every provider of one (tenant, app), with a small
margin, and the request counter a provider exposes. Each call inside a ``$batch``
counts. This module must not import msgraph.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import AsyncIterator, Sequence
from urllib.parse import urlsplit

import attrs

from unified_edu._ratelimit import RateLimiter, Window

__all__ = [
    "ASSIGNMENT_WINDOWS",
    "ROSTER_WINDOWS",
    "Limits",
    "RequestCounter",
    "assignment_service",
    "limits_for",
]

#: Assignment service, per app per tenant (reference §4.1), in full. Calls are held from
#: sending until their answer arrives (:meth:`Limits.holding`), and why that needs no
#: margin: the server counts call i at its arrival a_i, for the window [a_i, a_i + W);
#: the client counts it over [sent_i, answered_i + W), which covers that window because
#: sent_i <= a_i <= answered_i. So the calls the server counts at any instant are among
#: those the client counts then, and the client's count only grows when it admits a call,
#: which it does only within the limit. (Counted at sending, a 10 % margin was not
#: enough: answers from a busy server bunched the next calls together and got 429s.)
ASSIGNMENT_WINDOWS = (Window(500, 10.0), Window(15_000, 3600.0))
#: Rostering, per app per tenant (the Feb-2023 figure of reference §4.1), 10 % margin.
ROSTER_WINDOWS = (Window(35_000, 10.0).scaled(0.9),)
# Path segments served by the assignment service (throttled apart from rostering).
_ASSIGNMENT_SEGMENTS = frozenset(
    {
        "assignments",
        "assignmentCategories",
        "assignmentDefaults",
        "assignmentSettings",
        "submissions",
        "outcomes",
        "resources",
        "rubric",
        "rubrics",
        "modules",
    }
)


def assignment_service(url: str) -> bool:
    """True when ``url`` (relative or absolute) is served by the assignment service."""
    path = urlsplit(url).path
    return any(segment.split("(")[0] in _ASSIGNMENT_SEGMENTS for segment in path.split("/"))


@attrs.frozen
class Limits:
    """The client-side limiters of one (tenant, app): assignment service and rostering."""

    assignments: RateLimiter
    roster: RateLimiter

    @contextlib.asynccontextmanager
    async def holding(self, urls: Sequence[str]) -> AsyncIterator[None]:
        """Wait until every call in ``urls`` fits its service's windows and hold them
        while they are in flight; they count as made when the answer arrives."""
        heavy = sum(1 for url in urls if assignment_service(url))
        async with self.assignments.holding(heavy), self.roster.holding(len(urls) - heavy):
            yield


_limits: dict[tuple[str, str], Limits] = {}
_limits_lock = threading.Lock()


def limits_for(tenant: str, app: str) -> Limits:
    """The one :class:`Limits` of ``(tenant, app)`` in this process: providers of the same
    tenant and app share it, since Graph's quotas count per app per tenant."""
    with _limits_lock:
        found = _limits.get((tenant, app))
        if found is None:
            found = _limits[(tenant, app)] = Limits(
                RateLimiter(ASSIGNMENT_WINDOWS), RateLimiter(ROSTER_WINDOWS)
            )
        return found


@attrs.define
class RequestCounter:
    """What this provider sent: HTTP requests (direct + ``$batch`` envelopes), calls
    (direct + batch parts: what Graph's quotas count) and batches."""

    http_requests: int = 0
    calls: int = 0
    batches: int = 0
    batch_parts: int = 0
    _lock: threading.Lock = attrs.field(factory=threading.Lock, repr=False, eq=False)

    def add(self, *, parts: int | None = None) -> None:
        """Count one HTTP request: a direct call, or a batch of ``parts`` calls."""
        with self._lock:
            self.http_requests += 1
            if parts is None:
                self.calls += 1
            else:
                self.calls += parts
                self.batches += 1
                self.batch_parts += parts

    def snapshot(self) -> dict[str, int]:
        """The counts now."""
        with self._lock:
            return {
                "http_requests": self.http_requests,
                "calls": self.calls,
                "batches": self.batches,
                "batch_parts": self.batch_parts,
            }
