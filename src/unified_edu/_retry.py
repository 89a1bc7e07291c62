"""The one retry policy both backends use (built on tenacity).

Retries rate limits (429), platform failures (5xx) and transport failures with
exponential backoff and full jitter, honours ``Retry-After`` (seconds, possibly
fractional, or an HTTP-date), and caps both attempts and total waiting time. A
non-idempotent call (a create) is only retried after a 429, which the platform did not
execute; other ambiguous failures are left to the backend, which checks whether the
object exists before trying again. The sleep is injectable, so tests never sleep.

This module must not import any platform client.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import logging
import math
import random
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

import attrs
import tenacity

from unified_edu.errors import RateLimitedError, ServiceUnavailableError, TransportError

__all__ = ["RetryPolicy", "parse_retry_after"]

T = TypeVar("T")
log = logging.getLogger("unified_edu.retry")


def parse_retry_after(value: str | None, *, now: dt.datetime | None = None) -> float | None:
    """Parse a ``Retry-After`` header into seconds to wait.

    Args:
        value: ``"2"``, ``"2.128"`` (Graph sends fractions) or an HTTP-date.
        now: The current time, for HTTP-dates (default: the clock).

    Returns:
        Seconds (never negative), or ``None`` when absent or unparseable.
    """
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
        seconds = (when - (now or dt.datetime.now(dt.UTC))).total_seconds()
    if not math.isfinite(seconds):
        return None
    return max(0.0, seconds)


def _retryable(error: BaseException, *, idempotent: bool) -> bool:
    if isinstance(error, RateLimitedError):
        return True
    if not idempotent:
        return False
    return isinstance(error, ServiceUnavailableError | TransportError)


@attrs.frozen(kw_only=True)
class RetryPolicy:
    """How failed calls are retried.

    Attributes:
        max_attempts: Attempts in all, the first included.
        max_total_seconds: Stop once the waits would add up to more than this.
        initial_backoff: First backoff ceiling, seconds; doubles each attempt.
        max_backoff: Backoff ceiling, seconds (a longer ``Retry-After`` is still honoured).
        sleep: Called with the seconds to wait (sync calls); inject for tests.
        async_sleep: Awaited with the seconds to wait (async calls); inject for tests.
        rng: Source of jitter in [0, 1).
    """

    max_attempts: int = attrs.field(default=6, validator=attrs.validators.ge(1))
    max_total_seconds: float = attrs.field(default=120.0, validator=attrs.validators.ge(0))
    initial_backoff: float = 0.5
    max_backoff: float = 30.0
    sleep: Callable[[float], None] = time.sleep
    async_sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    rng: Callable[[], float] = random.random

    @classmethod
    def no_wait(cls, *, max_attempts: int = 6) -> RetryPolicy:
        """A policy that retries without sleeping (tests)."""

        async def no_async_sleep(_: float) -> None:
            return None

        return cls(max_attempts=max_attempts, sleep=lambda _: None, async_sleep=no_async_sleep)

    def backoff(self, attempt: int, error: BaseException | None) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1-based)."""
        if isinstance(error, RateLimitedError) and error.retry_after is not None:
            return error.retry_after
        ceiling = min(self.max_backoff, self.initial_backoff * (2 ** (attempt - 1)))
        return float(ceiling * self.rng())

    def _kwargs(self, idempotent: bool) -> dict[str, object]:
        def wait(state: tenacity.RetryCallState) -> float:
            error = state.outcome.exception() if state.outcome else None
            return self.backoff(state.attempt_number, error)

        def stop(state: tenacity.RetryCallState) -> bool:
            if state.attempt_number >= self.max_attempts:
                return True
            upcoming = float(state.upcoming_sleep or 0.0)
            return float(state.idle_for) + upcoming > self.max_total_seconds

        def before_sleep(state: tenacity.RetryCallState) -> None:
            error = state.outcome.exception() if state.outcome else None
            log.info(
                "retrying in %.2f s after attempt %d: %s",
                state.upcoming_sleep,
                state.attempt_number,
                error,
            )

        return {
            "retry": tenacity.retry_if_exception(lambda e: _retryable(e, idempotent=idempotent)),
            "wait": wait,
            "stop": stop,
            "before_sleep": before_sleep,
            "reraise": True,
        }

    def call(self, fn: Callable[[], T], *, idempotent: bool = True) -> T:
        """Call ``fn`` until it succeeds, a non-retryable error or the caps.

        Raises:
            UnifiedEduError: The last error, unchanged, once retries are exhausted.
        """
        retrying = tenacity.Retrying(sleep=self.sleep, **self._kwargs(idempotent))  # type: ignore[arg-type]
        return retrying(fn)

    async def acall(self, fn: Callable[[], Awaitable[T]], *, idempotent: bool = True) -> T:
        """Async twin of :meth:`call`; ``fn`` makes a fresh awaitable each attempt."""
        retrying = tenacity.AsyncRetrying(sleep=self.async_sleep, **self._kwargs(idempotent))  # type: ignore[arg-type]
        return await retrying(fn)
