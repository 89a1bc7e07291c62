"""Sync-over-async: a plain script, several threads, and inside a running loop (Jupyter)."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest

from unified_edu import AsyncRunner, run_sync


async def double(x: int) -> int:
    await asyncio.sleep(0)
    return 2 * x


def test_plain_script() -> None:
    with AsyncRunner() as runner:
        assert runner.run(double(21)) == 42
        assert run_sync(double(5)) == 10


def test_many_threads_share_one_loop() -> None:
    runner = AsyncRunner()
    loops: set[int] = set()
    results: list[int] = []
    lock = threading.Lock()

    async def which_loop(x: int) -> int:
        with lock:
            loops.add(id(asyncio.get_running_loop()))
        await asyncio.sleep(0.001)
        return x

    def worker(n: int) -> None:
        for i in range(20):
            value = runner.run(which_loop(n * 100 + i))
            with lock:
                results.append(value)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    runner.close()
    assert sorted(results) == sorted(n * 100 + i for n in range(8) for i in range(20))
    assert len(loops) == 1  # a loop-bound client (httpx) stays valid across calls


def test_inside_a_running_event_loop_like_jupyter() -> None:
    runner = AsyncRunner()

    async def notebook_cell() -> int:
        # A notebook cell runs inside a loop; asyncio.run() would refuse here.
        coro = double(1)
        with pytest.raises(RuntimeError):
            asyncio.run(coro)
        coro.close()
        return runner.run(double(4)) + run_sync(double(1))

    assert asyncio.run(notebook_cell()) == 10
    runner.close()


def test_calling_from_its_own_loop_is_refused_not_deadlocked() -> None:
    runner = AsyncRunner()

    async def reenter() -> int:
        return runner.run(double(1))

    with pytest.raises(RuntimeError, match="own loop"):
        runner.run(reenter())
    runner.close()


def test_errors_and_timeouts_propagate() -> None:
    runner = AsyncRunner()

    async def boom() -> None:
        raise KeyError("x")

    async def slow() -> None:
        await asyncio.sleep(5)

    with pytest.raises(KeyError):
        runner.run(boom())
    with pytest.raises(TimeoutError):
        runner.run(slow(), timeout=0.05)
    runner.close()


def test_async_iterators_become_lazy_sync_iterators() -> None:
    produced: list[int] = []

    async def pages() -> AsyncIterator[int]:
        for i in range(5):
            produced.append(i)
            yield i

    with AsyncRunner() as runner:
        iterator = runner.iterate(pages())
        assert next(iterator) == 0
        assert produced == [0]  # nothing read ahead
        assert list(iterator) == [1, 2, 3, 4]


def test_chunks_are_flattened_one_thread_hop_per_chunk() -> None:
    produced: list[int] = []

    async def pages() -> AsyncIterator[list[int]]:
        for page in ([0, 1, 2], [], [3, 4]):
            produced.append(len(page))
            yield page

    with AsyncRunner() as runner:
        hops = 0
        run = runner.run

        def counted(coro: Any, **kwargs: Any) -> Any:
            nonlocal hops
            hops += 1
            return run(coro, **kwargs)

        runner.run = counted  # type: ignore[method-assign]
        iterator = runner.iterate_chunks(pages())
        assert next(iterator) == 0
        assert produced == [3]  # the first page only
        assert list(iterator) == [1, 2, 3, 4]
        assert hops == 4  # three pages and the end, not one per item


def test_read_ahead_reads_without_being_asked_and_stops_when_closed() -> None:
    produced: list[int] = []
    closed = threading.Event()

    async def pages() -> AsyncIterator[list[int]]:
        try:
            for page in range(100):
                produced.append(page)
                yield [page]
        finally:
            closed.set()

    with AsyncRunner() as runner:
        assert list(runner.iterate_chunks(pages(), read_ahead=3)) == list(range(100))
        produced.clear()
        closed.clear()
        iterator = runner.iterate_chunks(pages(), read_ahead=3)
        assert produced == []  # nothing before the first item is asked for
        assert next(iterator) == 0
        deadline = time.monotonic() + 5
        while len(produced) < 7 and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.05)
        # Ahead of the caller, but bounded: what the caller took at once (up to 3), three
        # queued and one waiting to go in.
        assert len(produced) == 7
        iterator.close()
        assert closed.wait(5)  # the reading was stopped and the generator closed
        assert len(produced) == 7


def test_read_ahead_hands_errors_to_the_caller() -> None:
    async def pages() -> AsyncIterator[list[int]]:
        yield [1]
        raise ValueError("page two is broken")

    with AsyncRunner() as runner:
        iterator = runner.iterate_chunks(pages(), read_ahead=4)
        assert next(iterator) == 1
        with pytest.raises(ValueError, match="page two"):
            next(iterator)


def test_close_releases_the_thread_and_refuses_new_work() -> None:
    runner = AsyncRunner(name="unified-edu-test-close")
    runner.run(double(1))
    runner.close()
    runner.close()  # idempotent
    assert not any(t.name == "unified-edu-test-close" for t in threading.enumerate())
    coro = double(1)
    with pytest.raises(RuntimeError, match="closed"):
        runner.run(coro)
    assert coro.cr_frame is None  # closed by run(): no "never awaited" warning
