"""Run independent iterators concurrently and merge what they yield.

The city client reads each tenant on its own thread (a Google domain and a Microsoft tenant
have separate quotas, so reading them side by side halves the wall time) and hands the
caller one stream. Each source has its own small buffer and the consumer takes from them
in turn: memory stays flat (a fast producer waits for the consumer instead of buffering a
whole tenant), and a fast tenant cannot crowd a slow, quota-bound one out of the
consumer's attention (with one shared queue, a Microsoft tenant waited for whole seconds
behind Google's pages and lost that time of its hourly quota). An error in one producer
stops the others and is re-raised in the consumer. Closing the merged iterator early
stops the producers.

This module must not import any platform client.
"""

from __future__ import annotations

import collections
import threading
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from typing import TypeVar

__all__ = ["merge"]

T = TypeVar("T")

_DONE = object()


class _Failure:
    def __init__(self, error: BaseException) -> None:
        self.error = error


class _Lanes:
    """One bounded FIFO per source, read in turn (round robin) by the consumer."""

    def __init__(self, count: int, size: int) -> None:
        self._ready = threading.Condition()
        self._lanes: list[collections.deque[object]] = [collections.deque() for _ in range(count)]
        self._size = size
        self._turn = 0
        self.stopped = False

    def put(self, lane: int, item: object) -> bool:
        """Append ``item`` once its lane has room; False when the merge was stopped."""
        with self._ready:
            while len(self._lanes[lane]) >= self._size and not self.stopped:
                self._ready.wait()
            if self.stopped:
                return False
            self._lanes[lane].append(item)
            self._ready.notify_all()
            return True

    def take(self) -> object:
        """The next item, from the next lane in turn that has one (waits for one)."""
        with self._ready:
            count = len(self._lanes)
            while True:
                for step in range(count):
                    lane = (self._turn + step) % count
                    if self._lanes[lane]:
                        self._turn = lane + 1
                        item = self._lanes[lane].popleft()
                        self._ready.notify_all()
                        return item
                self._ready.wait()

    def stop(self) -> None:
        with self._ready:
            self.stopped = True
            self._ready.notify_all()


def merge(
    sources: Sequence[Callable[[], Iterable[T]]],
    *,
    buffer: int = 16,
    name: str = "fanout",
    groups: Sequence[Hashable] | None = None,
    per_group: int | Mapping[Hashable, int] | None = None,
) -> Iterator[T]:
    """Yield the items of every source, each source read on its own thread.

    Args:
        sources: Zero-argument callables returning iterables (called on the worker thread,
            so even the first request runs concurrently).
        buffer: Items held at most per source between its producer and the consumer.
        name: Thread name prefix (shows up in debuggers and thread dumps).
        groups: One key per source (e.g. its platform); with ``per_group``, at most that
            many sources of one group are read at once, the others wait their turn
            (sources sharing one quota gain nothing from running all together, and each
            running source holds its pages in memory).
        per_group: See ``groups``: one limit for every group, or a limit per group key
            (groups it does not name have no limit); ``None``: no limit.

    Raises:
        The first error any source raised, after stopping the others.
    """
    if not sources:
        return
    if len(sources) == 1:
        yield from sources[0]()
        return
    # A lane holds one more than `buffer`: room for the end marker or the failure.
    lanes = _Lanes(len(sources), buffer + 1)

    keys = list(groups) if groups is not None else [None] * len(sources)
    if len(keys) != len(sources):
        raise ValueError("groups must name one key per source")

    def limit(key: Hashable) -> int:
        if isinstance(per_group, Mapping):
            return per_group.get(key) or len(sources)
        return per_group or len(sources)

    turns = {key: threading.BoundedSemaphore(limit(key)) for key in dict.fromkeys(keys)}

    def produce(lane: int, source: Callable[[], Iterable[T]]) -> None:
        turn = turns[keys[lane]]
        while not turn.acquire(timeout=0.1):
            if lanes.stopped:
                return
        try:
            for item in source():
                if not lanes.put(lane, item):
                    return
        except BaseException as exc:
            lanes.put(lane, _Failure(exc))
        finally:
            turn.release()
            lanes.put(lane, _DONE)

    threads = [
        threading.Thread(target=produce, args=(i, s), name=f"{name}-{i}", daemon=True)
        for i, s in enumerate(sources)
    ]
    for thread in threads:
        thread.start()
    remaining = len(threads)
    try:
        while remaining:
            item = lanes.take()
            if item is _DONE:
                remaining -= 1
            elif isinstance(item, _Failure):
                raise item.error
            else:
                yield item  # type: ignore[misc]
    finally:
        lanes.stop()
        for thread in threads:
            thread.join(timeout=5)
