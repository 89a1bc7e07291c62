"""The Graph HTTP layer of one provider: one msgraph client, our retry, limits and counts.

Owns the ``GraphServiceClient`` and its request adapter (built on the provider's private
event loop), the httpx client under it, and every byte sent to Graph:

- msgraph's request builders make each request (so paths stay the SDK's), but answers
  are read as raw JSON (see :mod:`._wire` for why), through the adapter's own auth and
  middleware, with a response handler that hands back the httpx response;
- msgraph's RetryHandler is left out of the middleware: it replays POSTs after a
  503/504, which can duplicate an assignment. Every call goes through the one
  :class:`~unified_edu._retry.RetryPolicy` instead (creates only after a 429);
- ``Prefer: include-unknown-enum-members`` goes on every request, next links and
  ``$batch`` parts included, so ``inactive``, ``excused`` and ``reassigned`` read true;
- ``$batch`` is sent as JSON with relative URLs (msgraph-core's batch content would
  send absolute ones), at most 20 parts;
- the client-side limits of :mod:`._limits` keep the tenant under Graph's quotas (each
  batch part counts), and its :class:`RequestCounter` counts requests and calls.
"""

from __future__ import annotations

import asyncio
import json
import warnings
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

import attrs
import httpx
from kiota_abstractions.authentication import (
    AccessTokenProvider,
    AllowedHostsValidator,
    AuthenticationProvider,
    BaseBearerTokenAuthenticationProvider,
)
from kiota_abstractions.method import Method
from kiota_abstractions.request_information import RequestInformation
from kiota_abstractions.response_handler import ResponseHandler

from unified_edu._retry import RetryPolicy
from unified_edu.errors import TransportError
from unified_edu.providers.microsoft._auth import GraphCredentials
from unified_edu.providers.microsoft._errors import error_from_exception, error_from_response
from unified_edu.providers.microsoft._limits import Limits, RequestCounter

__all__ = [
    "BATCH_LIMIT",
    "PREFER",
    "BatchPart",
    "BatchReply",
    "GraphTransport",
    "relative_url",
]

BATCH_LIMIT = 20  # Graph JSON batching: at most 20 requests per $batch
PREFER = "include-unknown-enum-members"


@attrs.frozen
class BatchPart:
    """One request of a ``$batch``: ``url`` relative to the version root."""

    id: str
    method: str
    url: str
    body: Any = None


@attrs.frozen
class BatchReply:
    """One answer of a ``$batch``."""

    id: str
    status: int
    headers: Mapping[str, str]
    body: Any


def relative_url(url: str, base_url: str) -> str:
    """``url`` relative to the Graph version root, as ``$batch`` wants it.

    ``http://127.0.0.1:9/v1.0/education/classes?%24top=5`` → ``/education/classes?$top=5``;
    next links from any host lose their scheme, host and ``/v1.0`` or ``/beta``.
    """
    if url.startswith(base_url):
        rest = url[len(base_url) :]
    else:
        parts = urlsplit(url)
        path = parts.path
        for version in ("/v1.0", "/beta"):
            if path.startswith(version + "/") or path == version:
                path = path[len(version) :]
                break
        rest = path + (f"?{parts.query}" if parts.query else "")
    rest = rest.replace("%24", "$")
    return rest if rest.startswith("/") else "/" + rest


class _StaticToken(AccessTokenProvider):
    """A fixed bearer token (kiota's contract)."""

    def __init__(self, token: str) -> None:
        self._token = token

    async def get_authorization_token(
        self,
        uri: str,
        additional_authentication_context: dict[str, Any] = {},  # noqa: B006 - kiota's signature
    ) -> str:
        return self._token

    def get_allowed_hosts_validator(self) -> AllowedHostsValidator:
        return AllowedHostsValidator([])


class _RawResponse(ResponseHandler):
    """Hands back the httpx response itself: status, headers and raw JSON bytes."""

    async def handle_response_async(self, response: Any, error_map: Any) -> Any:
        await response.aread()
        return response


def _auth_provider(credentials: GraphCredentials, credential: Any) -> AuthenticationProvider:
    if credentials.token is not None:
        return BaseBearerTokenAuthenticationProvider(_StaticToken(credentials.token))
    from kiota_authentication_azure.azure_identity_authentication_provider import (
        AzureIdentityAuthenticationProvider,
    )

    return AzureIdentityAuthenticationProvider(credential, scopes=list(credentials.scopes))


def _middleware() -> list[Any]:
    # msgraph's default pipeline without RetryHandler (see the module docstring).
    from kiota_http.middleware import (
        BodyInspectionHandler,
        HeadersInspectionHandler,
        ParametersNameDecodingHandler,
        RedirectHandler,
        UrlReplaceHandler,
        UserAgentHandler,
    )
    from kiota_http.middleware.options import UrlReplaceHandlerOption

    # msgraph-core ships no py.typed marker; GraphTelemetryHandler is a plain class.
    from msgraph_core.middleware import GraphTelemetryHandler  # type: ignore[import-untyped]

    replace = UrlReplaceHandlerOption(
        enabled=True, replacement_pairs={"/users/me-token-to-replace": "/me"}
    )
    return [
        RedirectHandler(),
        ParametersNameDecodingHandler(),
        UrlReplaceHandler(options=replace),
        UserAgentHandler(),
        HeadersInspectionHandler(),
        BodyInspectionHandler(),
        GraphTelemetryHandler(),
    ]


class GraphTransport:
    """Sends requests for one provider; create and use it on the provider's loop only.

    Args:
        credentials: How to authenticate.
        base_url: Graph version root (default: the credentials' cloud; the sandbox's
            ``sb.graph_base_url`` for tests).
        limits: The client-side rate limiters (see :func:`limits_for`).
        retry: The retry policy of every call.
        http_client: An httpx client to use (proxy, timeouts); middleware is added to it.
        timeout: Seconds per request when no client is given.
    """

    def __init__(
        self,
        credentials: GraphCredentials,
        *,
        base_url: str | None,
        limits: Limits,
        retry: RetryPolicy,
        http_client: httpx.AsyncClient | None = None,
        timeout: float = 60.0,
    ) -> None:
        self.credentials = credentials
        self.base_url = (base_url or credentials.cloud.base_url).rstrip("/")
        self.limits = limits
        self.retry = retry
        self.counter = RequestCounter()
        self._credential = credentials.factory() if credentials.factory else None
        self._prepared = credentials.prepare is None
        self._prepare_lock = asyncio.Lock()
        # msgraph's generated builders warn about their own deprecated nested config
        # classes on first use; the warning is about msgraph's code, not ours.
        for message in (
            "This class is deprecated. Please use the generic RequestConfiguration",
            "GetQueryParameters is deprecated. Use QueryParameters instead.",
        ):
            warnings.filterwarnings("ignore", message=message, category=DeprecationWarning)
        # msgraph is imported here, when a provider is built, never at import time.
        from kiota_http.middleware.options import ResponseHandlerOption
        from msgraph.graph_request_adapter import GraphRequestAdapter
        from msgraph.graph_service_client import GraphServiceClient
        from msgraph_core import GraphClientFactory  # type: ignore[import-untyped]

        self._raw = ResponseHandlerOption(_RawResponse())

        client = http_client or httpx.AsyncClient(
            timeout=httpx.Timeout(timeout, connect=min(timeout, 30.0)),
            http2=True,
            limits=httpx.Limits(max_connections=32, max_keepalive_connections=16),
        )
        self._http = GraphClientFactory.create_with_custom_middleware(
            middleware=_middleware(), client=client
        )
        self.adapter = GraphRequestAdapter(
            _auth_provider(credentials, self._credential), client=self._http
        )
        self.adapter.base_url = self.base_url
        self.client = GraphServiceClient(request_adapter=self.adapter)

    # -- building ---------------------------------------------------------------------

    def url_of(self, info: RequestInformation) -> str:
        """The absolute URL a request information expands to."""
        info.path_parameters["baseurl"] = self.base_url
        return str(info.url)

    def relative(self, info_or_url: RequestInformation | str) -> str:
        """The version-relative URL of a request (for ``$batch``)."""
        url = info_or_url if isinstance(info_or_url, str) else self.url_of(info_or_url)
        return relative_url(url, self.base_url)

    def absolute(self, relative: str) -> str:
        """A version-relative URL made absolute against :attr:`base_url`."""
        return self.base_url + relative

    # -- sending ----------------------------------------------------------------------

    async def _prepare(self) -> None:
        async with self._prepare_lock:
            if not self._prepared and self.credentials.prepare is not None:
                await asyncio.to_thread(self.credentials.prepare, self._credential)
            self._prepared = True

    async def _once(
        self, method: str, url: str, body: Any, *, parts: Sequence[str] | None, context: str
    ) -> tuple[int, Mapping[str, str], Any]:
        if not self._prepared:
            await self._prepare()
        info = RequestInformation(Method(method), None)
        info.url = url
        info.headers.try_add("Accept", "application/json")
        info.headers.try_add("Prefer", PREFER)
        if body is not None:
            info.content = json.dumps(body, ensure_ascii=False).encode("utf-8")
            info.headers.try_add("Content-Type", "application/json")
        info.add_request_options([self._raw])
        # The calls count against the quotas from sending until the answer arrives
        # (see unified_edu._ratelimit: a slow answer must not let the next calls bunch).
        async with self.limits.holding([url] if parts is None else parts):
            self.counter.add(parts=None if parts is None else len(parts))
            try:
                response = await self.adapter.send_primitive_async(info, "bytes", None)
            except Exception as exc:
                raise error_from_exception(exc, context=context) from exc
        if not isinstance(response, httpx.Response):
            raise TransportError(f"no answer from Graph ({context})")
        try:
            payload = response.json() if response.content.strip() else None
        except ValueError as exc:
            if response.status_code < 400:
                raise TransportError(f"unreadable answer from Graph ({context})") from exc
            payload = None
        if response.status_code >= 400:
            raise error_from_response(
                response.status_code, response.headers, payload, context=context
            )
        return response.status_code, response.headers, payload

    async def request(
        self,
        method: str,
        target: RequestInformation | str,
        body: Any = None,
        *,
        idempotent: bool | None = None,
    ) -> Any:
        """Send one request and return its JSON (``None`` for an empty answer).

        Args:
            method: ``GET``, ``POST``, ``PATCH``, ``PUT``, ``DELETE``.
            target: A builder's request information, an absolute URL (a next link), or a
                version-relative URL (``/education/classes``).
            body: JSON-ready body, if any.
            idempotent: Whether a failure after sending may be retried blindly (default:
                every method but POST).

        Raises:
            ProviderError: Graph answered with an error (after the retry policy).
            TransportError: no answer (after the retry policy, idempotent calls only).
        """
        if isinstance(target, str):
            url = self.absolute(target) if target.startswith("/") else target
        else:
            url = self.url_of(target)
        context = f"{method} {relative_url(url, self.base_url).split('?')[0]}"
        safe = method != "POST" if idempotent is None else idempotent

        async def attempt() -> Any:
            return (await self._once(method, url, body, parts=None, context=context))[2]

        return await self.retry.acall(attempt, idempotent=safe)

    async def batch(self, parts: Sequence[BatchPart]) -> list[BatchReply]:
        """Send up to 20 requests as one ``$batch``; answers in request order.

        A failed part is an answer with its status (the caller maps it); only a failure of
        the whole envelope raises. Each part counts against the limiter.

        Raises:
            ValueError: for more than 20 parts.
            ProviderError, TransportError: the envelope failed (after the retry policy;
                an envelope of GETs is retried like any read).
        """
        if not parts:
            return []
        if len(parts) > BATCH_LIMIT:
            raise ValueError(f"a $batch takes at most {BATCH_LIMIT} requests, got {len(parts)}")
        requests = []
        for part in parts:
            item: dict[str, Any] = {
                "id": part.id,
                "method": part.method,
                "url": part.url,
                "headers": {"Prefer": PREFER},
            }
            if part.body is not None:
                item["body"] = part.body
                item["headers"]["Content-Type"] = "application/json"
            requests.append(item)
        reads_only = all(part.method == "GET" for part in parts)
        url = self.base_url + "/$batch"

        async def attempt() -> Any:
            envelope = {"requests": requests}
            urls = [part.url for part in parts]
            return (await self._once("POST", url, envelope, parts=urls, context="$batch"))[2]

        payload = await self.retry.acall(attempt, idempotent=reads_only)
        by_id: dict[str, BatchReply] = {}
        for raw in (payload or {}).get("responses", []):
            reply_id = str(raw.get("id"))
            by_id[reply_id] = BatchReply(
                id=reply_id,
                status=int(raw.get("status", 0)),
                headers={str(k): str(v) for k, v in (raw.get("headers") or {}).items()},
                body=raw.get("body"),
            )
        missing = BatchReply(id="", status=0, headers={}, body=None)
        return [by_id.get(part.id, attrs.evolve(missing, id=part.id)) for part in parts]

    async def aclose(self) -> None:
        """Close the httpx client and the azure credential (if it has ``close``)."""
        await self._http.aclose()
        close = getattr(self._credential, "close", None)
        if close is not None:
            result = close()
            if asyncio.iscoroutine(result):
                await result
