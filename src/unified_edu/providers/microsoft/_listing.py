"""Many Graph listings at once: ``$batch`` of at most 20 pages, continuations later.

Owns the bridge between the shared scheduler (:func:`unified_edu._batch.aiter_batched`)
and Graph's JSON batching: each :class:`Listing` is one paged collection (or one entity)
named by its first version-relative URL; a page's ``@odata.nextLink`` is made relative
and queued for a later batch; a failed part becomes that page's error (429 and 5xx are
retried by the scheduler with the part's own ``Retry-After``). Several batches are in
flight at once.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable, Sequence
from typing import Any

import attrs

from unified_edu._batch import Call, Page, aiter_batched
from unified_edu.errors import NotFoundError, TransportError
from unified_edu.providers.microsoft._context import GraphContext
from unified_edu.providers.microsoft._errors import error_from_response
from unified_edu.providers.microsoft._transport import BATCH_LIMIT, BatchPart

__all__ = ["Listing", "run_listings"]

log = logging.getLogger("unified_edu.microsoft")


@attrs.frozen
class Listing:
    """One collection to read in full (or one entity, ``single=True``).

    Attributes:
        kind: What it lists (``"members"``, ``"submissions"``...), for the caller.
        url: First page, version-relative (``/education/classes/{id}/members?$top=999``).
        ids: The ids the caller needs with each item (class id, assignment id...).
        single: The URL names one entity, not a collection.
    """

    kind: str
    url: str
    ids: tuple[str, ...] = ()
    single: bool = False


def _page(
    call: Call[Listing], status: int, headers: Any, body: Any, ctx: GraphContext
) -> Page[Listing]:
    listing = call.key
    if status == 0:
        error = TransportError(f"Graph's $batch answer lacked the part for {listing.url}")
        return Page(call, error=error)
    if status >= 400:
        context = f"GET {listing.url.split('?')[0]}"
        return Page(call, error=error_from_response(status, headers, body, context=context))
    payload = body if isinstance(body, dict) else {}
    if listing.single:
        return Page(call, items=(payload,) if payload else ())
    items = payload.get("value")
    next_link = payload.get("@odata.nextLink")
    return Page(
        call,
        items=tuple(items) if isinstance(items, list) else (),
        next_token=ctx.transport.relative(next_link) if isinstance(next_link, str) else None,
    )


async def run_listings(
    ctx: GraphContext, listings: Iterable[Listing], *, skip_missing: bool = True
) -> AsyncIterator[tuple[Listing, Sequence[Any]]]:
    """Read every listing through ``$batch``; yield ``(listing, items)`` page by page.

    Pages of one listing come in order; listings interleave. Each part carries
    ``Prefer: include-unknown-enum-members`` (added by the transport).

    Args:
        ctx: The provider's context.
        listings: What to read.
        skip_missing: A listing answering 404 (a class deleted meanwhile) is skipped with
            a warning instead of failing the whole read.

    Raises:
        ProviderError: the first listing that failed for good (403, 400, retries spent).
        TransportError: a batch envelope got no answer after the retry policy.
    """

    async def send(calls: list[Call[Listing]]) -> Sequence[Page[Listing]]:
        parts = [
            BatchPart(id=str(n), method="GET", url=call.token or call.key.url)
            for n, call in enumerate(calls, start=1)
        ]
        replies = await ctx.transport.batch(parts)
        return [
            _page(call, reply.status, reply.headers, reply.body, ctx)
            for call, reply in zip(calls, replies, strict=True)
        ]

    pages = aiter_batched(
        (Call(listing) for listing in listings),
        send,
        batch_size=BATCH_LIMIT,
        retry=ctx.transport.retry,
        concurrency=ctx.concurrency,
    )
    try:
        async for page in pages:
            if page.error is not None:
                if skip_missing and isinstance(page.error, NotFoundError):
                    log.warning("skipping %s: %s", page.call.key.url, page.error)
                    continue
                raise page.error
            yield page.call.key, page.items
    finally:
        await pages.aclose()
