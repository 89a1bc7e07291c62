"""Client-side rate limiting: keep a tenant under the platform's quotas.

A :class:`RateLimiter` enforces one or more sliding windows at once (Graph's
assignment service: 500 requests per 10 s and 15,000 per hour per app per tenant;
Classroom: 1,200 per minute per user and 3,000 per minute per project). Every call
counts, including each call inside a batch, so a batch acquires its size. The clock and
the sleep are injectable. Thread-safe, with an async twin for the Graph backend.

A call may be counted when it is sent (:meth:`RateLimiter.acquire`) or *held* while it
is in flight and counted when its answer arrives (:meth:`RateLimiter.holding`, and
:meth:`RateLimiter.hold` for threads). The
server counts a call somewhere between the two; when answers are slow (a busy server
works through a backlog of batches), calls counted at sending reach it bunched
together, later than the client thought, and a window the client kept can overflow at
the server. Counting held calls as "now" until they finish is the safe side.

This module must not import any platform client.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import threading
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterable, Iterator

import attrs

from unified_edu.errors import ValidationError

__all__ = ["RateLimiter", "Window"]


@attrs.frozen
class Window:
    """At most ``limit`` calls in any ``seconds``-long window."""

    limit: int = attrs.field(validator=attrs.validators.gt(0))
    seconds: float = attrs.field(validator=attrs.validators.gt(0))

    def scaled(self, share: float) -> Window:
        """The same window with ``share`` of the limit (a safety margin)."""
        return Window(max(1, int(self.limit * share)), self.seconds)


class RateLimiter:
    """Sliding-window limiter over several windows.

    Args:
        windows: The limits to respect together.
        clock: Monotonic seconds (inject for tests).
        sleep: Blocking sleep (inject for tests).
    """

    def __init__(
        self,
        windows: Iterable[Window],
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.windows = tuple(windows)
        if not self.windows:
            raise ValidationError("a rate limiter needs at least one window", field="windows")
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        # One log of call times shared by all windows; trimmed to the longest window.
        self._log: deque[float] = deque()
        self._horizon = max(w.seconds for w in self.windows)
        self._held = 0  # calls in flight, counted in every window until they finish
        self.waited = 0.0  # total seconds callers were held back

    #: How long to wait when only calls still in flight fill a window, seconds.
    POLL = 0.05

    def _delay(self, cost: int, now: float) -> float:
        while self._log and self._log[0] <= now - self._horizon:
            self._log.popleft()
        delay = 0.0
        for window in self.windows:
            if cost > window.limit:
                raise ValidationError(
                    f"{cost} calls at once exceed the window of {window.limit}", field="cost"
                )
            # The log is sorted: calls in this window are those after `first`.
            first = bisect.bisect_right(self._log, now - window.seconds)
            finished = len(self._log) - first
            excess = finished + self._held + cost - window.limit
            if excess > finished:
                # Calls still in flight fill the window: wait for answers.
                delay = max(delay, self.POLL)
            elif excess > 0:
                # The call may go once the oldest `excess` calls have left the window.
                delay = max(delay, self._log[first + excess - 1] + window.seconds - now)
        return delay

    def try_acquire(self, cost: int = 1, *, hold: bool = False) -> float:
        """Take ``cost`` calls if allowed now and return 0, else return seconds to wait.

        With ``hold`` the calls count as in flight until :meth:`release`.
        """
        with self._lock:
            now = self._clock()
            delay = self._delay(cost, now)
            if delay <= 0:
                if hold:
                    self._held += cost
                else:
                    self._log.extend([now] * cost)
            return delay

    def release(self, cost: int) -> None:
        """Count ``cost`` held calls as made now (their answers arrived)."""
        with self._lock:
            self._held = max(0, self._held - cost)
            self._log.extend([self._clock()] * cost)

    def acquire(self, cost: int = 1, *, hold: bool = False) -> None:
        """Block until ``cost`` calls fit in every window, then take them (with ``hold``,
        as in flight until :meth:`release`)."""
        while (delay := self.try_acquire(cost, hold=hold)) > 0:
            self.waited += delay
            self._sleep(delay)

    @contextlib.contextmanager
    def hold(self, cost: int = 1) -> Iterator[None]:
        """Sync twin of :meth:`holding`: block until ``cost`` calls fit, hold them while
        the block runs, and count them as made when it ends, however it ends."""
        if cost <= 0:
            yield
            return
        self.acquire(cost, hold=True)
        try:
            yield
        finally:
            self.release(cost)

    async def aacquire(self, cost: int = 1, *, hold: bool = False) -> None:
        """Async twin of :meth:`acquire` (waits without blocking the loop)."""
        while (delay := self.try_acquire(cost, hold=hold)) > 0:
            self.waited += delay
            await asyncio.sleep(delay)

    @contextlib.asynccontextmanager
    async def holding(self, cost: int = 1) -> AsyncIterator[None]:
        """Wait until ``cost`` calls fit, hold them while the block runs (the calls are
        in flight), and count them as made when it ends, however it ends."""
        if cost <= 0:
            yield
            return
        await self.aacquire(cost, hold=True)
        try:
            yield
        finally:
            self.release(cost)
