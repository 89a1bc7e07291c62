"""Run independent iterators concurrently and merge what they yield.

The city client reads each tenant on its own thread (a Google domain and a Microsoft tenant
have separate quotas, so reading them side by side halves the wall time) and hands the
caller one stream. A bounded queue keeps memory flat: a fast producer waits for the
consumer instead of buffering a whole tenant. An error in one producer stops the others
and is re-raised in the consumer. Closing the merged iterator early stops the producers.

This module must not import any platform client.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TypeVar

__all__ = ["merge"]

T = TypeVar("T")

_DONE = object()


class _Failure:
    def __init__(self, error: BaseException) -> None:
        self.error = error


def merge(
    sources: Sequence[Callable[[], Iterable[T]]], *, buffer: int = 256, name: str = "fanout"
) -> Iterator[T]:
    """Yield the items of every source, each source read on its own thread.

    Args:
        sources: Zero-argument callables returning iterables (called on the worker thread,
            so even the first request runs concurrently).
        buffer: Items held at most between producers and the consumer.
        name: Thread name prefix (shows up in debuggers and thread dumps).

    Raises:
        The first error any source raised, after stopping the others.
    """
    if not sources:
        return
    if len(sources) == 1:
        yield from sources[0]()
        return
    items: queue.Queue[object] = queue.Queue(maxsize=buffer)
    stop = threading.Event()

    def put(item: object) -> bool:
        while not stop.is_set():
            try:
                items.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce(source: Callable[[], Iterable[T]]) -> None:
        try:
            for item in source():
                if not put(item):
                    return
        except BaseException as exc:
            put(_Failure(exc))
        finally:
            put(_DONE)

    threads = [
        threading.Thread(target=produce, args=(s,), name=f"{name}-{i}", daemon=True)
        for i, s in enumerate(sources)
    ]
    for thread in threads:
        thread.start()
    remaining = len(threads)
    try:
        while remaining:
            item = items.get()
            if item is _DONE:
                remaining -= 1
            elif isinstance(item, _Failure):
                raise item.error
            else:
                yield item  # type: ignore[misc]
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=5)
