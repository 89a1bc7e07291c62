"""Batched, paginated reading: the one scheduler both backends use.

Reading a city means thousands of independent list calls (per class: roster, homework,
submissions), each possibly spanning pages. Pages of one listing cannot share a batch (a
page needs the previous page's token), but pages of *different* listings can. The
scheduler packs first pages into batches of at most ``batch_size`` calls (Classroom 50,
Graph 20), and queues each continuation (next page token or link) for a later batch. A
call whose part of a batch failed with a retryable error (429, 5xx) is queued again after
the retry policy's backoff; other errors are handed to the caller on the page, so one bad
listing never loses the others. Pages are yielded as they arrive, so nothing is held whole.
Listings that a page makes possible (the per-course listings named on a page of courses)
join the same run through ``follow``, so they share batches with the continuations of
listings already running instead of waiting for them to end.

The wire format of a batch is the backend's: ``send`` turns a list of :class:`Call` into
one :class:`Page` per call. This module must not import any platform client.
"""

from __future__ import annotations

import asyncio
import collections
import concurrent.futures
import time
from collections.abc import AsyncGenerator, Awaitable, Callable, Iterable, Iterator, Sequence
from typing import Any, Generic, TypeVar

import attrs

from unified_edu._retry import RetryPolicy
from unified_edu.errors import RateLimitedError, ServiceUnavailableError, TransportError

__all__ = ["Call", "Page", "aiter_batched", "iter_batched"]

K = TypeVar("K")


@attrs.frozen
class Call(Generic[K]):
    """One page request of one listing.

    Attributes:
        key: What the listing is for, as the backend needs it (e.g. ``("students", id)``).
        token: ``None`` for the first page, else the next-page token or link.
        attempt: How many times this page was tried already.
    """

    key: K
    token: str | None = None
    attempt: int = 0


@attrs.frozen
class Page(Generic[K]):
    """One answer: the items of a page, the continuation, or the error."""

    call: Call[K]
    items: Sequence[Any] = ()
    next_token: str | None = None
    error: BaseException | None = None


def _retryable(error: BaseException | None) -> bool:
    return isinstance(error, RateLimitedError | ServiceUnavailableError | TransportError)


Follow = Callable[[Page[K]], Iterable[Call[K]]]


class _Plan(Generic[K]):
    """The queue of pending calls and the retry bookkeeping, shared by both drivers."""

    def __init__(
        self,
        calls: Iterable[Call[K]],
        batch_size: int,
        retry: RetryPolicy,
        follow: Follow[K] | None = None,
    ) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.pending: collections.deque[Call[K]] = collections.deque(calls)
        self.batch_size = batch_size
        self.retry = retry
        self.follow = follow
        self.delay = 0.0  # the longest backoff asked for by the calls re-queued last round

    def next_batch(self) -> list[Call[K]]:
        batch: list[Call[K]] = []
        while self.pending and len(batch) < self.batch_size:
            batch.append(self.pending.popleft())
        return batch

    def settle(self, page: Page[K]) -> Page[K] | None:
        """Queue what follows ``page``; return it if the caller should see it."""
        call = page.call
        if page.error is not None:
            attempt = call.attempt + 1
            if _retryable(page.error) and attempt < self.retry.max_attempts:
                self.delay = max(self.delay, self.retry.backoff(attempt, page.error))
                self.pending.append(attrs.evolve(call, attempt=attempt))
                return None
            return page
        if page.next_token:
            # Continuations go first: a long listing is a chain of dependent pages, and
            # the read can end no sooner than its last page, so chains must not wait
            # behind first pages that could go in any batch.
            self.pending.appendleft(Call(call.key, page.next_token))
        if self.follow is not None:
            self.pending.extend(self.follow(page))
        return page

    def take_delay(self) -> float:
        delay, self.delay = self.delay, 0.0
        return delay


def iter_batched(
    calls: Iterable[Call[K]],
    send: Callable[[list[Call[K]]], Sequence[Page[K]]],
    *,
    batch_size: int,
    retry: RetryPolicy | None = None,
    concurrency: int = 1,
    follow: Follow[K] | None = None,
) -> Iterator[Page[K]]:
    """Run listings through batches and yield every page (sync driver).

    Args:
        calls: The first-page calls, one per listing.
        send: Sends one batch; returns one page per call (in any order). It must not
            raise for a per-call failure: it puts the error on that call's page. An
            exception it raises (the whole batch failed) propagates.
        batch_size: Calls per batch at most.
        retry: Backoff for retryable per-call errors (default ``RetryPolicy()``).
        concurrency: Batches in flight at once (``send`` must be thread-safe if > 1).
        follow: Called with each page that arrived (before it is yielded); returns the
            first-page calls of listings that page makes possible, queued behind the
            calls already pending. Not called for pages whose error is final.

    Yields:
        Pages with items, and pages whose error is final. Order across listings is not
        defined; pages of one listing come in order.
    """
    policy = retry or RetryPolicy()
    plan = _Plan(calls, batch_size, policy, follow)
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        while plan.pending:
            if delay := plan.take_delay():
                policy.sleep(delay)
            batches = [b for b in (plan.next_batch() for _ in range(concurrency)) if b]
            for pages in pool.map(send, batches):
                for page in pages:
                    if (shown := plan.settle(page)) is not None:
                        yield shown


async def aiter_batched(
    calls: Iterable[Call[K]],
    send: Callable[[list[Call[K]]], Awaitable[Sequence[Page[K]]]],
    *,
    batch_size: int,
    retry: RetryPolicy | None = None,
    concurrency: int = 4,
    follow: Follow[K] | None = None,
) -> AsyncGenerator[Page[K], None]:
    """Async twin of :func:`iter_batched`: up to ``concurrency`` batches in flight.

    A new batch starts as soon as one finishes, so continuations keep the pipe full.
    """
    policy = retry or RetryPolicy()
    plan = _Plan(calls, batch_size, policy, follow)
    running: set[asyncio.Task[Sequence[Page[K]]]] = set()
    ready_at = 0.0
    try:
        while plan.pending or running:
            if delay := plan.take_delay():
                ready_at = max(ready_at, time.monotonic() + delay)
            while plan.pending and len(running) < concurrency:
                if (wait := ready_at - time.monotonic()) > 0:
                    if running:
                        break  # let a running batch finish while we back off
                    await policy.async_sleep(wait)
                    ready_at = 0.0
                running.add(asyncio.ensure_future(send(plan.next_batch())))
            if not running:
                continue
            done, running = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                for page in task.result():
                    if (shown := plan.settle(page)) is not None:
                        yield shown
    finally:
        for task in running:
            task.cancel()
