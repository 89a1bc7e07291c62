"""Client-side rate limiting: keep a tenant under the platform's quotas.

A :class:`RateLimiter` enforces one or more sliding windows at once (Graph's
assignment service: 500 requests per 10 s and 15,000 per hour per app per tenant;
Classroom: 1,200 per minute per user and 3,000 per minute per project). Every call
counts, including each call inside a batch, so a batch acquires its size. The clock and
the sleep are injectable. Thread-safe, with an async twin for the Graph backend.

This module must not import any platform client.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable

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
        self.waited = 0.0  # total seconds callers were held back

    def _delay(self, cost: int, now: float) -> float:
        while self._log and self._log[0] <= now - self._horizon:
            self._log.popleft()
        delay = 0.0
        for window in self.windows:
            if cost > window.limit:
                raise ValidationError(
                    f"{cost} calls at once exceed the window of {window.limit}", field="cost"
                )
            in_window = [t for t in self._log if t > now - window.seconds]
            excess = len(in_window) + cost - window.limit
            if excess > 0:
                # The call may go once the oldest `excess` calls have left the window.
                delay = max(delay, in_window[excess - 1] + window.seconds - now)
        return delay

    def try_acquire(self, cost: int = 1) -> float:
        """Take ``cost`` calls if allowed now and return 0, else return seconds to wait."""
        with self._lock:
            now = self._clock()
            delay = self._delay(cost, now)
            if delay <= 0:
                self._log.extend([now] * cost)
            return delay

    def acquire(self, cost: int = 1) -> None:
        """Block until ``cost`` calls fit in every window, then take them."""
        while (delay := self.try_acquire(cost)) > 0:
            self.waited += delay
            self._sleep(delay)

    async def aacquire(self, cost: int = 1) -> None:
        """Async twin of :meth:`acquire` (waits without blocking the loop)."""
        while (delay := self.try_acquire(cost)) > 0:
            self.waited += delay
            await asyncio.sleep(delay)
