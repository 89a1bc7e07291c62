"""What the Graph read, write and grading modules share: the transport and the settings.

Owns :class:`GraphContext` (one per provider, living on the provider's event loop), the
URL builder that turns msgraph-sdk request builders plus OData options into a
version-relative URL, and the bounded polling used after Graph's asynchronous actions.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import attrs
from kiota_abstractions.base_request_configuration import RequestConfiguration

from unified_edu.errors import ServiceUnavailableError
from unified_edu.providers.microsoft._auth import AuthMode
from unified_edu.providers.microsoft._transport import GraphTransport

__all__ = ["GraphContext", "PollPolicy"]

T = TypeVar("T")


@attrs.frozen(kw_only=True)
class PollPolicy:
    """How long to wait for Graph's asynchronous actions to settle.

    Attributes:
        attempts: Reads at most (publish: the assignment; return: the submission).
        first_delay: Seconds before the second read; doubles up to ``max_delay``.
        max_delay: Longest pause between reads, seconds.
        sleep: Awaited with each pause (inject for tests).
    """

    attempts: int = 30
    first_delay: float = 0.25
    max_delay: float = 4.0
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep

    async def until(
        self, read: Callable[[], Awaitable[T]], done: Callable[[T], bool], what: str
    ) -> T:
        """Read until ``done(value)``; return the settled value.

        Raises:
            ServiceUnavailableError: when it has not settled after ``attempts`` reads
                (Graph accepted the action; it may still complete later).
        """
        delay = self.first_delay
        value = await read()
        for _ in range(self.attempts - 1):
            if done(value):
                return value
            await self.sleep(delay)
            delay = min(self.max_delay, delay * 2)
            value = await read()
        if done(value):
            return value
        raise ServiceUnavailableError(
            f"Graph accepted {what} but it had not settled after {self.attempts} reads; "
            "it may still complete: read it again later",
            provider="microsoft",
            code="notSettled",
        )


@attrs.define(kw_only=True)
class GraphContext:
    """Shared state of one provider's Graph modules.

    Attributes:
        transport: Sends requests.
        tenant: The tenant's configured name (every ``Ref.tenant``).
        mode: App-only or delegated.
        subject: Who calls (user object id or app id), when known.
        time_zone: Where a date-only deadline ends (IANA name).
        page_size: ``$top`` asked for every list (Graph caps it per collection).
        concurrency: ``$batch`` requests in flight at once.
        poll: Waiting for asynchronous actions.
    """

    transport: GraphTransport
    tenant: str
    mode: AuthMode
    subject: str | None
    time_zone: str
    page_size: int = 999
    concurrency: int = 8
    poll: PollPolicy = attrs.field(factory=PollPolicy)

    @property
    def education(self) -> Any:
        """msgraph-sdk's ``client.education`` request builder."""
        return self.transport.client.education

    def url(self, builder: Any, **options: Any) -> str:
        """The version-relative GET URL of ``builder`` with OData ``options``.

        ``options`` are the builder's query parameters (``top``, ``select``, ``expand``,
        ``filter``); names and allowed values are the SDK's own.
        """
        config: RequestConfiguration[Any] | None = None
        if options:
            params_class = getattr(type(builder), f"{type(builder).__name__}GetQueryParameters")
            config = RequestConfiguration(query_parameters=params_class(**options))
        return self.transport.relative(builder.to_get_request_information(config))

    def delete_url(self, builder: Any) -> str:
        """The version-relative URL of a builder that only deletes (a member's ``$ref``)."""
        return self.transport.relative(builder.to_delete_request_information())

    def action_url(self, builder: Any) -> str:
        """The version-relative URL of an action builder (``publish``, ``return_``...)."""
        return self.transport.relative(builder.to_post_request_information())

    def list_url(self, builder: Any, **options: Any) -> str:
        """:meth:`url` with the largest page size (``$top``) for a collection."""
        return self.url(builder, top=self.page_size, **options)
