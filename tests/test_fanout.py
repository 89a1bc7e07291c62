"""Concurrent merge of independent streams."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from unified_edu._fanout import merge


def slow(tag: str, n: int, delay: float = 0.0) -> Iterator[str]:
    for i in range(n):
        if delay:
            time.sleep(delay)
        yield f"{tag}{i}"


def test_everything_arrives_once() -> None:
    out = list(merge([lambda: slow("a", 50), lambda: slow("b", 70), lambda: slow("c", 0)]))
    assert sorted(out) == sorted([f"a{i}" for i in range(50)] + [f"b{i}" for i in range(70)])
    assert list(merge([lambda: slow("x", 3)])) == ["x0", "x1", "x2"]
    assert list(merge([])) == []


def test_sources_run_concurrently() -> None:
    started = time.monotonic()
    list(
        merge([lambda: slow("a", 5, 0.02), lambda: slow("b", 5, 0.02), lambda: slow("c", 5, 0.02)])
    )
    # Sequentially this would take >= 0.3 s.
    assert time.monotonic() - started < 0.25


def test_an_error_stops_the_others_and_reaches_the_consumer() -> None:
    def broken() -> Iterator[str]:
        yield "ok"
        raise KeyError("tenant down")

    with pytest.raises(KeyError, match="tenant down"):
        list(merge([broken, lambda: slow("b", 10_000, 0.001)]))
    time.sleep(0.2)
    assert not [t for t in threading.enumerate() if t.name.startswith("fanout-")]


def test_closing_early_stops_the_producers() -> None:
    merged = merge([lambda: slow("a", 10**9), lambda: slow("b", 10**9)], buffer=4, name="early")
    assert next(merged)
    merged.close()
    time.sleep(0.3)
    assert not [t for t in threading.enumerate() if t.name.startswith("early-")]


def test_at_most_per_group_sources_of_a_group_run_at_once() -> None:
    running: dict[str, int] = {"google": 0, "microsoft": 0}
    most: dict[str, int] = {"google": 0, "microsoft": 0}
    lock = threading.Lock()

    def source(group: str, tag: str) -> Iterator[str]:
        with lock:
            running[group] += 1
            most[group] = max(most[group], running[group])
        try:
            yield from slow(tag, 3, 0.01)
        finally:
            with lock:
                running[group] -= 1

    groups = ["google"] * 6 + ["microsoft"]
    sources = [(lambda g=g, i=i: source(g, f"{g}{i}-")) for i, g in enumerate(groups)]
    out = list(merge(sources, groups=groups, per_group=2))
    assert len(out) == 3 * len(groups)
    assert most == {"google": 2, "microsoft": 1}  # each group limited on its own
    with pytest.raises(ValueError, match="one key per source"):
        list(merge(sources, groups=["google"], per_group=2))
    for key in most:
        most[key] = 0
    out = list(merge(sources, groups=groups, per_group={"google": 1}))
    assert len(out) == 3 * len(groups)
    assert most == {"google": 1, "microsoft": 1}  # a limit for the group named
