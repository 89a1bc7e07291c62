"""The client-side limiter keeps every window, with an injected clock and sleep."""

from __future__ import annotations

import pytest

from unified_edu import RateLimiter, ValidationError, Window


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_calls_within_the_limit_do_not_wait() -> None:
    clock = FakeClock()
    limiter = RateLimiter([Window(500, 10)], clock=clock, sleep=clock.sleep)
    for _ in range(500):
        limiter.acquire()
    assert clock.slept == []


def test_the_next_call_waits_until_the_oldest_leaves_the_window() -> None:
    clock = FakeClock()
    limiter = RateLimiter([Window(3, 10)], clock=clock, sleep=clock.sleep)
    limiter.acquire()
    clock.now += 4
    limiter.acquire(2)
    limiter.acquire()
    assert clock.slept == [pytest.approx(6.0)]
    assert limiter.waited == pytest.approx(6.0)


def test_batches_count_each_call_and_several_windows_hold() -> None:
    clock = FakeClock()
    limiter = RateLimiter([Window(50, 1), Window(120, 60)], clock=clock, sleep=clock.sleep)
    for _ in range(3):
        limiter.acquire(40)  # a batch of 40 calls
    assert limiter.try_acquire(1) > 0
    # Over a simulated minute no window is ever exceeded.
    log: list[float] = []
    clock2 = FakeClock()
    limiter2 = RateLimiter([Window(50, 1), Window(120, 60)], clock=clock2, sleep=clock2.sleep)
    for _ in range(30):
        limiter2.acquire(10)
        log.extend([clock2.now] * 10)
    for t in log:
        assert sum(1 for u in log if t - 1 < u <= t) <= 50
        assert sum(1 for u in log if t - 60 < u <= t) <= 120


def test_a_batch_larger_than_a_window_is_refused() -> None:
    limiter = RateLimiter([Window(20, 10)])
    with pytest.raises(ValidationError):
        limiter.acquire(21)
    with pytest.raises(ValidationError):
        RateLimiter([])


def test_scaled_window_keeps_a_margin() -> None:
    assert Window(1200, 60).scaled(0.9) == Window(1080, 60)
    assert Window(1, 1).scaled(0.1) == Window(1, 1)


def test_held_calls_fill_the_window_until_their_answers_arrive() -> None:
    clock = FakeClock()
    limiter = RateLimiter([Window(3, 10)], clock=clock, sleep=clock.sleep)
    assert limiter.try_acquire(3, hold=True) == 0  # a batch of 3 in flight
    assert limiter.try_acquire(1) == RateLimiter.POLL  # only answers free the window
    clock.now += 5
    limiter.release(3)  # the answer arrives 5 s later: the server counted them by then
    clock.now += 5
    # Counted at sending, the window would be free again now, but the server may have
    # admitted the batch as late as t = 5: the next call waits until t = 15.
    assert limiter.try_acquire(1) == pytest.approx(5.0)
    clock.now += 5
    assert limiter.try_acquire(1) == 0


def test_holding_releases_even_when_the_call_fails() -> None:
    import asyncio

    clock = FakeClock()
    limiter = RateLimiter([Window(2, 10)], clock=clock, sleep=clock.sleep)

    async def failing_call() -> None:
        async with limiter.holding(2):
            assert limiter.try_acquire(1) > 0
            raise RuntimeError("connection reset")

    with pytest.raises(RuntimeError):
        asyncio.run(failing_call())
    clock.now += 10.001
    assert limiter.try_acquire(2) == 0  # released at failure, then left the window


def test_hold_is_the_threads_twin_of_holding() -> None:
    clock = FakeClock()
    limiter = RateLimiter([Window(2, 10)], clock=clock, sleep=clock.sleep)

    def failing_call() -> None:
        with limiter.hold(2):
            assert limiter.try_acquire(1) == RateLimiter.POLL  # in flight: wait for answers
            clock.now += 4  # the answer (an error) comes 4 s after sending
            raise RuntimeError("connection reset")

    with pytest.raises(RuntimeError):
        failing_call()
    # Counted when the answer came (t = 4), so the window frees at t = 14, not 10.
    with limiter.hold(1):
        pass
    assert sum(clock.slept) == pytest.approx(10.0)
    assert limiter.waited == pytest.approx(10.0)
