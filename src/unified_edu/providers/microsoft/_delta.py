"""Delta queries: what changed in a tenant's classes, or in a class's homework.

Owns following a Graph delta round to its end: pages chained by ``@odata.nextLink``, the
last one carrying the ``@odata.deltaLink`` to keep for the next round. Items marked
``@removed`` are reported by id. Graph's education delta tokens expire after 7 days; an
expired link fails (``NotFoundError``/``ProviderError`` with ``syncStateNotFound`` or
``resyncRequired``) and the caller starts a new round without a link.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

import attrs

from unified_edu.errors import ProviderError
from unified_edu.models import Assignment, Class
from unified_edu.providers.microsoft import _mapping as m
from unified_edu.providers.microsoft._context import GraphContext
from unified_edu.providers.microsoft._wire import Json, as_dict, as_list

__all__ = ["SyncResult", "sync_assignments", "sync_classes"]

T = TypeVar("T")


@attrs.frozen(kw_only=True)
class SyncResult(Generic[T]):
    """One delta round.

    Attributes:
        changed: Objects created or changed since the link given (all of them on a
            first round).
        removed: Native ids of objects deleted since then.
        delta_link: Keep it and pass it to the next round (valid for 7 days).
    """

    changed: tuple[T, ...]
    removed: tuple[str, ...]
    delta_link: str


async def _round(ctx: GraphContext, first_url: str, mapper: Callable[[Json], T]) -> SyncResult[T]:
    changed: list[T] = []
    removed: list[str] = []
    url: str | None = first_url
    delta_link: str | None = None
    while url is not None:
        page = as_dict(await ctx.transport.request("GET", url))
        for raw in as_list(page.get("value")):
            item = as_dict(raw)
            if "@removed" in item:
                removed.append(str(item.get("id")))
                continue
            try:
                changed.append(mapper(item))
            except ValueError:
                continue  # an item without an id: nothing to report
        next_link = page.get("@odata.nextLink")
        delta_link = page.get("@odata.deltaLink") or delta_link
        url = next_link if isinstance(next_link, str) else None
    if not isinstance(delta_link, str):
        raise ProviderError(
            "Graph ended a delta round without an @odata.deltaLink", provider="microsoft"
        )
    return SyncResult(changed=tuple(changed), removed=tuple(removed), delta_link=delta_link)


async def sync_classes(ctx: GraphContext, delta_link: str | None) -> SyncResult[Class]:
    """Classes changed since ``delta_link`` (every class when ``None``).

    Calls: GET /education/classes/delta(), then its next and delta links.
    """
    url = delta_link or ctx.url(ctx.education.classes.delta)

    def mapper(item: Json) -> Class:
        return m.to_class(item, tenant=ctx.tenant)

    return await _round(ctx, url, mapper)


async def sync_assignments(
    ctx: GraphContext, class_id: str, delta_link: str | None
) -> SyncResult[Assignment]:
    """A class's homework changed since ``delta_link`` (all of it when ``None``).

    Graph's assignment delta takes only ``$top``, so categories and resources are not
    expanded here (read them with ``get_assignment`` where needed).
    Calls: GET /education/classes/{id}/assignments/delta()?$top=…, then its links.
    """
    builder: Any = ctx.education.classes.by_education_class_id(class_id).assignments.delta
    url = delta_link or ctx.url(builder, top=ctx.page_size)

    def mapper(item: Json) -> Assignment:
        return m.to_assignment(item, tenant=ctx.tenant, class_id=class_id)

    return await _round(ctx, url, mapper)
