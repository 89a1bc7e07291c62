"""Server-side quotas of the sandbox: sliding windows keyed by what the platform emulator says.

Each platform emulator names the quotas a call counts against
(:meth:`PlatformApp.quota_rules`, with the platform's real numbers); this module only
counts. A call is admitted when every one of its windows has room, and then counts in all
of them. A rejected call consumes nothing (the real platforms count throttled calls too,
but a client that backs off correctly behaves the same either way, and tests stay simple).

This module must not import any platform client.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence

import attrs

from unified_edu.errors import ValidationError
from unified_edu.sandbox._core import QuotaRule

__all__ = ["QuotaExceeded", "QuotaTracker"]


@attrs.frozen(kw_only=True)
class QuotaExceeded:
    """Why a call was rejected.

    Attributes:
        rule: The exhausted quota that frees last.
        limit: Its limit after scaling.
        retry_after: Seconds until every exhausted window has a free slot, rounded up
            to milliseconds.
    """

    rule: QuotaRule
    limit: int
    retry_after: float


class QuotaTracker:
    """Sliding-window counters for every quota key seen so far.

    Args:
        scale: Multiplies every limit (``0.1``: ten times fewer calls); at least 1 remains.
        clock: Monotonic seconds (inject for tests).
    """

    def __init__(self, *, scale: float = 1.0, clock: Callable[[], float] = time.monotonic) -> None:
        if scale <= 0:
            raise ValidationError("quota_scale must be positive", field="quota_scale")
        self.scale = scale
        self._clock = clock
        self._lock = threading.Lock()
        # One deque of admission times per (key, window length): a key may carry
        # several windows (Graph: 500 per 10 s and 15,000 per hour).
        self._windows: dict[tuple[str, float], deque[float]] = {}

    def limit(self, rule: QuotaRule) -> int:
        """The rule's limit after scaling."""
        # The epsilon keeps 3 * 0.1 from flooring to 0.29999... -> 0 -> 1 by accident.
        return max(1, math.floor(rule.limit * self.scale + 1e-9))

    def admit(self, rules: Sequence[QuotaRule]) -> QuotaExceeded | None:
        """Count one call against ``rules``; ``None`` when admitted, else why not."""
        if not rules:
            return None
        with self._lock:
            now = self._clock()
            worst: tuple[float, QuotaRule, int] | None = None
            for rule in rules:
                window = self._window(rule, now)
                limit = self.limit(rule)
                if len(window) >= limit:
                    # A slot frees when the oldest call that keeps the window full expires.
                    frees_in = window[len(window) - limit] + rule.seconds - now
                    if worst is None or frees_in > worst[0]:
                        worst = (frees_in, rule, limit)
            if worst is not None:
                wait, rule, limit = worst
                retry_after = max(0.001, math.ceil(wait * 1000) / 1000)
                return QuotaExceeded(rule=rule, limit=limit, retry_after=retry_after)
            for rule in rules:
                self._windows[(rule.key, rule.seconds)].append(now)
            return None

    def reset(self) -> None:
        """Forget every counted call."""
        with self._lock:
            self._windows.clear()

    def _window(self, rule: QuotaRule, now: float) -> deque[float]:
        window = self._windows.setdefault((rule.key, rule.seconds), deque())
        horizon = now - rule.seconds
        while window and window[0] <= horizon:
            window.popleft()
        return window
