"""The batch scheduler: packing, continuations, per-call errors and retries."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence

import pytest

from unified_edu import NotFoundError, RateLimitedError, RetryPolicy
from unified_edu._batch import Call, Page, aiter_batched, iter_batched

# Three listings with 3, 1 and 5 pages; page n of listing k has items (k, n).
PAGES = {"a": 3, "b": 1, "c": 5}


class FakePlatform:
    def __init__(self, failures: dict[tuple[str, str | None], list[BaseException]] | None = None):
        self.batches: list[list[Call[str]]] = []
        self.failures = failures or {}
        self.lock = threading.Lock()

    def answer(self, call: Call[str]) -> Page[str]:
        queue = self.failures.get((call.key, call.token))
        if queue:
            return Page(call, error=queue.pop(0))
        n = int(call.token or 0)
        last = PAGES[call.key] - 1
        return Page(call, items=[(call.key, n)], next_token=str(n + 1) if n < last else None)

    def send(self, batch: list[Call[str]]) -> Sequence[Page[str]]:
        with self.lock:
            self.batches.append(batch)
        return list(reversed([self.answer(c) for c in batch]))  # any order

    async def asend(self, batch: list[Call[str]]) -> Sequence[Page[str]]:
        await asyncio.sleep(0)
        return self.send(batch)


def items(pages: list[Page[str]]) -> list[tuple[str, int]]:
    return sorted(i for p in pages for i in p.items)


EXPECTED = sorted((k, n) for k, count in PAGES.items() for n in range(count))


def test_every_page_of_every_listing_is_read_with_few_batches() -> None:
    platform = FakePlatform()
    pages = list(iter_batched([Call(k) for k in PAGES], platform.send, batch_size=2))
    assert items(pages) == EXPECTED
    assert all(len(b) <= 2 for b in platform.batches)
    # 9 pages in batches of <= 2 need at least 5 requests; continuations share batches.
    assert len(platform.batches) <= 6


def test_pages_of_one_listing_arrive_in_order() -> None:
    platform = FakePlatform()
    pages = list(iter_batched([Call(k) for k in PAGES], platform.send, batch_size=3))
    c_pages = [p.items[0][1] for p in pages if p.call.key == "c"]
    assert c_pages == [0, 1, 2, 3, 4]


def test_retryable_errors_are_retried_after_backoff_and_others_surface() -> None:
    waits: list[float] = []
    policy = RetryPolicy(sleep=waits.append)
    platform = FakePlatform(
        {
            ("a", "1"): [RateLimitedError("slow", provider="x", retry_after=0.25)],
            ("b", None): [NotFoundError("gone", provider="x", status=404)],
        }
    )
    pages = list(iter_batched([Call(k) for k in PAGES], platform.send, batch_size=20, retry=policy))
    failed = [p for p in pages if p.error is not None]
    assert [p.call.key for p in failed] == ["b"]
    assert isinstance(failed[0].error, NotFoundError)
    assert items([p for p in pages if p.error is None]) == [i for i in EXPECTED if i[0] != "b"]
    assert waits == [0.25]


def test_retries_are_capped_per_call() -> None:
    platform = FakePlatform(
        {("b", None): [RateLimitedError("slow", provider="x", retry_after=0) for _ in range(10)]}
    )
    pages = list(
        iter_batched(
            [Call("b")], platform.send, batch_size=5, retry=RetryPolicy.no_wait(max_attempts=3)
        )
    )
    assert len(pages) == 1
    assert isinstance(pages[0].error, RateLimitedError)
    assert len(platform.batches) == 3


def test_concurrent_sync_driver() -> None:
    platform = FakePlatform()
    calls = [Call(k) for k in PAGES]
    pages = list(iter_batched(calls, platform.send, batch_size=1, concurrency=3))
    assert items(pages) == EXPECTED


def test_async_driver_reads_everything_and_retries() -> None:
    platform = FakePlatform({("c", "2"): [RateLimitedError("slow", provider="x", retry_after=0.0)]})

    async def collect() -> list[Page[str]]:
        return [
            p
            async for p in aiter_batched(
                [Call(k) for k in PAGES],
                platform.asend,
                batch_size=2,
                retry=RetryPolicy.no_wait(),
                concurrency=2,
            )
        ]

    pages = asyncio.run(collect())
    assert all(p.error is None for p in pages)
    assert items(pages) == EXPECTED


def test_a_failing_batch_propagates() -> None:
    def broken(batch: list[Call[str]]) -> Sequence[Page[str]]:
        raise RuntimeError("whole batch failed")

    with pytest.raises(RuntimeError):
        list(iter_batched([Call("a")], broken, batch_size=2))
    with pytest.raises(ValueError, match="batch_size"):
        list(iter_batched([Call("a")], broken, batch_size=0))


def follow_b_and_c(page: Page[str]) -> list[Call[str]]:
    # The first page of "a" names the listings "b" and "c" (as a courses page does).
    return [Call("b"), Call("c")] if page.call.key == "a" and page.call.token is None else []


def test_follow_adds_listings_behind_the_running_ones() -> None:
    platform = FakePlatform()
    pages = list(iter_batched([Call("a")], platform.send, batch_size=3, follow=follow_b_and_c))
    assert items(pages) == EXPECTED
    first, second, *_ = platform.batches
    assert first == [Call("a")]
    # The new listings share a batch with the continuation of the one that named them.
    assert second == [Call("a", "1"), Call("b"), Call("c")]
    # The longest chain is the bound: the page of "a" that names "c", then its 5 pages.
    assert len(platform.batches) == 6


def test_follow_is_not_asked_about_a_failed_page() -> None:
    platform = FakePlatform({("a", None): [NotFoundError("gone", provider="x", status=404)]})
    seen: list[Page[str]] = []

    def follow(page: Page[str]) -> list[Call[str]]:
        seen.append(page)
        return follow_b_and_c(page)

    pages = list(iter_batched([Call("a")], platform.send, batch_size=3, follow=follow))
    assert [type(p.error) for p in pages] == [NotFoundError]
    assert seen == []


def test_async_driver_follows_too() -> None:
    platform = FakePlatform()

    async def read() -> list[Page[str]]:
        return [
            p
            async for p in aiter_batched(
                [Call("a")], platform.asend, batch_size=3, concurrency=2, follow=follow_b_and_c
            )
        ]

    assert items(asyncio.run(read())) == EXPECTED
