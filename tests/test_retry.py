"""The shared retry policy: Retry-After, backoff, caps, idempotency, no real sleeping."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from unified_edu import (
    NotFoundError,
    RateLimitedError,
    RetryPolicy,
    ServiceUnavailableError,
    TransportError,
    parse_retry_after,
)


def failing(errors: list[BaseException], result: str = "ok"):  # type: ignore[no-untyped-def]
    calls = {"n": 0}

    def fn() -> str:
        calls["n"] += 1
        if errors:
            raise errors.pop(0)
        return result

    return fn, calls


def test_parse_retry_after_seconds_and_fractions() -> None:
    assert parse_retry_after("2") == 2.0
    assert parse_retry_after("2.128") == pytest.approx(2.128)
    assert parse_retry_after(" 0 ") == 0.0
    assert parse_retry_after("-5") == 0.0
    assert parse_retry_after(None) is None
    assert parse_retry_after("") is None
    assert parse_retry_after("soon") is None
    assert parse_retry_after("nan") is None


def test_parse_retry_after_http_date() -> None:
    now = dt.datetime(2026, 11, 28, 10, 0, 0, tzinfo=dt.UTC)
    assert parse_retry_after("Sat, 28 Nov 2026 10:00:30 GMT", now=now) == 30.0
    assert parse_retry_after("Sat, 28 Nov 2026 09:59:00 GMT", now=now) == 0.0


def test_retry_after_is_honoured_exactly() -> None:
    waits: list[float] = []
    policy = RetryPolicy(sleep=waits.append)
    fn, calls = failing(
        [
            RateLimitedError("x", provider="microsoft", retry_after=2.128),
            RateLimitedError("x", provider="microsoft", retry_after=0.5),
        ]
    )
    assert policy.call(fn) == "ok"
    assert calls["n"] == 3
    assert waits == [2.128, 0.5]


def test_exponential_backoff_with_jitter_and_cap() -> None:
    waits: list[float] = []
    policy = RetryPolicy(
        sleep=waits.append, rng=lambda: 1.0, initial_backoff=0.5, max_backoff=3.0, max_attempts=6
    )
    fn, _ = failing([ServiceUnavailableError("x", provider="google", status=503) for _ in range(5)])
    assert policy.call(fn) == "ok"
    assert waits == [0.5, 1.0, 2.0, 3.0, 3.0]


def test_attempt_cap_reraises_the_last_error() -> None:
    policy = RetryPolicy.no_wait(max_attempts=3)
    fn, calls = failing([TransportError(f"reset {i}") for i in range(5)])
    with pytest.raises(TransportError, match="reset 2"):
        policy.call(fn)
    assert calls["n"] == 3


def test_total_time_cap_stops_before_a_long_wait() -> None:
    waits: list[float] = []
    policy = RetryPolicy(sleep=waits.append, max_total_seconds=10)
    fn, calls = failing([RateLimitedError("x", provider="google", retry_after=60)])
    with pytest.raises(RateLimitedError):
        policy.call(fn)
    assert calls["n"] == 1
    assert waits == []


def test_non_retryable_errors_pass_through_at_once() -> None:
    policy = RetryPolicy.no_wait()
    fn, calls = failing([NotFoundError("gone", provider="google", status=404)])
    with pytest.raises(NotFoundError):
        policy.call(fn)
    assert calls["n"] == 1


def test_non_idempotent_calls_retry_only_rate_limits() -> None:
    policy = RetryPolicy.no_wait()
    fn, calls = failing(
        [ServiceUnavailableError("maybe created", provider="microsoft", status=503)]
    )
    with pytest.raises(ServiceUnavailableError):
        policy.call(fn, idempotent=False)
    assert calls["n"] == 1
    fn, calls = failing([RateLimitedError("not executed", provider="microsoft", retry_after=0)])
    assert policy.call(fn, idempotent=False) == "ok"
    assert calls["n"] == 2


def test_async_twin_uses_the_injected_async_sleep() -> None:
    waits: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        waits.append(seconds)

    policy = RetryPolicy(async_sleep=fake_sleep)
    state = {"n": 0}

    async def fn() -> int:
        state["n"] += 1
        if state["n"] == 1:
            raise RateLimitedError("x", provider="microsoft", retry_after=1.25)
        return 7

    assert asyncio.run(policy.acall(fn)) == 7
    assert waits == [1.25]
