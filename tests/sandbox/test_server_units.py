"""The sandbox server's parts without sockets: quotas, fault decisions, the bounded log."""

from __future__ import annotations

import pytest

from unified_edu.errors import ValidationError
from unified_edu.sandbox import FaultConfig, FaultInjector, LogEntry, QuotaRule
from unified_edu.sandbox._quotas import QuotaTracker
from unified_edu.sandbox._stats import Recorder


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_every_window_must_have_room_and_retry_after_names_the_slowest() -> None:
    clock = Clock()
    quotas = QuotaTracker(clock=clock)
    rules = [
        QuotaRule(key="app@tenant", limit=2, seconds=10),
        QuotaRule(key="app@tenant", limit=3, seconds=3600),
    ]
    assert quotas.admit(rules) is None
    clock.now += 1
    assert quotas.admit(rules) is None
    clock.now += 1.5
    exceeded = quotas.admit(rules)
    assert exceeded is not None
    assert (exceeded.limit, exceeded.retry_after) == (2, 7.5)  # The first call frees at 110.
    clock.now = 110.0
    assert quotas.admit(rules) is None  # The rejected call consumed nothing.
    exceeded = quotas.admit(rules)
    assert exceeded is not None
    assert exceeded.rule.seconds == 3600
    assert exceeded.retry_after == 3590.0


def test_retry_after_is_rounded_up_to_milliseconds_and_never_zero() -> None:
    clock = Clock()
    quotas = QuotaTracker(clock=clock)
    rule = [QuotaRule(key="u", limit=1, seconds=0.3)]
    assert quotas.admit(rule) is None
    clock.now += 0.1234
    assert quotas.admit(rule).retry_after == 0.177  # type: ignore[union-attr]
    clock.now = 100.3 - 1e-7
    assert quotas.admit(rule).retry_after == 0.001  # type: ignore[union-attr]


def test_quota_scale_floors_limits_but_keeps_at_least_one() -> None:
    quotas = QuotaTracker(scale=0.1)
    assert quotas.limit(QuotaRule(key="k", limit=1200, seconds=60)) == 120
    assert quotas.limit(QuotaRule(key="k", limit=30, seconds=60)) == 3
    assert quotas.limit(QuotaRule(key="k", limit=5, seconds=60)) == 1
    with pytest.raises(ValidationError):
        QuotaTracker(scale=0)


def test_scripted_faults_fire_in_order_for_eligible_calls_only() -> None:
    faults = FaultInjector()
    faults.add("reset_after", method="post", path_regex=r"/courses$")
    faults.add("503", path_regex=r"/courses", times=2)
    assert faults.decide("POST", "/v1/courses", "part") == "503"  # Resets skip parts.
    assert faults.decide("GET", "/v1/courses", "batch") is None  # Envelopes get no 503.
    assert faults.decide("POST", "/v1/courses", "direct") == "reset_after"
    assert faults.decide("GET", "/v1/courses/1", "direct") == "503"
    assert faults.decide("GET", "/v1/courses/1", "direct") is None
    assert faults.pending() == []


def test_fault_arguments_are_checked() -> None:
    with pytest.raises(ValidationError):
        FaultConfig(rate_503=0.6, rate_reset=0.5)
    with pytest.raises(ValueError, match="rate_429"):
        FaultConfig(rate_429=1.5)
    faults = FaultInjector()
    with pytest.raises(ValidationError):
        faults.add("explode")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        faults.add("503", times=0)


def test_random_draws_follow_the_seed_and_configure_restarts_it() -> None:
    config = FaultConfig(rate_503=0.3, rate_reset=0.3, seed=3)
    faults = FaultInjector(config)
    first = [faults.decide("GET", "/v1/x", "direct") for _ in range(50)]
    faults.configure(config)
    assert [faults.decide("GET", "/v1/x", "direct") for _ in range(50)] == first
    assert {"503", "reset_before", "reset_after", None} == set(first)
    # A batch part can only get 503 or 429.
    assert {faults.decide("GET", "/v1/x", "part") for _ in range(50)} <= {"503", None}


def entry(n: int) -> LogEntry:
    return LogEntry(
        time="t",
        platform="google",
        tenant="-",
        method="GET",
        path=f"/v1/{n}",
        operation="op",
        status=200,
        in_batch=False,
        duration_ms=0.0,
    )


def test_the_log_is_bounded_and_the_counters_are_not() -> None:
    recorder = Recorder(log_size=3)
    for n in range(5):
        recorder.record(entry(n), scope="direct")
    assert [e.path for e in recorder.entries()] == ["/v1/2", "/v1/3", "/v1/4"]
    assert [e.path for e in recorder.entries(1)] == ["/v1/4"]
    assert recorder.entries(0) == []
    assert recorder.snapshot().calls == 5
