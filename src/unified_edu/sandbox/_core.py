"""The contract between the sandbox's HTTP server and each platform emulator.

The server (``_server.py``) owns sockets, latency, quotas, fault injection, the request
log and counters. A platform emulator (``classroom/``, ``graph/``) owns one platform's
wire format: authentication, routing, the store, error bodies, and its batch endpoint,
whose parts it hands back to the server through :meth:`Context.dispatch` so that every
call inside a batch is counted, rate limited and fault-injected like a direct call.
"""

from __future__ import annotations

import abc
import json
from collections.abc import Mapping
from typing import Any, Literal

import attrs

__all__ = [
    "Context",
    "PlatformApp",
    "Principal",
    "QuotaRule",
    "SandboxRequest",
    "SandboxResponse",
    "TenantInfo",
]


def _lower_keys(headers: Mapping[str, str]) -> dict[str, str]:
    return {k.lower(): v for k, v in headers.items()}


@attrs.frozen(kw_only=True)
class SandboxRequest:
    """One HTTP call, direct or a part of a batch.

    Attributes:
        method: Upper-case HTTP method.
        path: URL path without the query string, still percent-encoded
            (``/v1.0/education/classes/abc/members/$ref``).
        query: Decoded query parameters; repeated keys keep every value in order.
        headers: Header names lower-cased.
        body: Raw body bytes.
        in_batch: True for a part of a batch request.
    """

    method: str
    path: str
    query: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)
    headers: Mapping[str, str] = attrs.field(factory=dict, converter=_lower_keys)
    body: bytes = b""
    in_batch: bool = False

    def header(self, name: str, default: str | None = None) -> str | None:
        """A header's value by case-insensitive name."""
        return self.headers.get(name.lower(), default)

    def param(self, name: str, default: str | None = None) -> str | None:
        """The first value of a query parameter."""
        values = self.query.get(name)
        return values[0] if values else default

    def json(self) -> Any:
        """The body parsed as JSON (``None`` for an empty body)."""
        return json.loads(self.body) if self.body.strip() else None


@attrs.frozen(kw_only=True)
class SandboxResponse:
    """One HTTP answer.

    Attributes:
        status: The HTTP status.
        headers: Header names as the emulator spells them.
        body: The bytes sent.
        json_text: The body is exactly what :meth:`json_body` writes for some payload
            (``json.dumps(payload, ensure_ascii=False)`` in UTF-8), so another JSON answer
            may embed it as is instead of decoding and encoding it again (Graph's
            ``$batch``). Not part of equality.
    """

    status: int
    headers: Mapping[str, str] = attrs.field(factory=dict)
    body: bytes = b""
    json_text: bool = attrs.field(default=False, eq=False, repr=False)

    @classmethod
    def json_body(
        cls, status: int, payload: Any, headers: Mapping[str, str] | None = None
    ) -> SandboxResponse:
        """A JSON answer (UTF-8, ``ensure_ascii=False`` so Cyrillic stays readable)."""
        return cls(
            status=status,
            headers={"Content-Type": "application/json; charset=UTF-8", **(headers or {})},
            body=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
            json_text=True,
        )

    @classmethod
    def empty(cls, status: int = 204, headers: Mapping[str, str] | None = None) -> SandboxResponse:
        """An answer without a body."""
        return cls(status=status, headers=dict(headers or {}))


@attrs.frozen(kw_only=True)
class Principal:
    """Who is calling, as the emulator resolved it from the bearer token.

    Attributes:
        platform: ``"google"`` or ``"microsoft"``.
        tenant: The Google domain or Microsoft tenant the token belongs to.
        subject: The user (e-mail on Google, user id on Graph) or, app-only, the app id.
        app_only: Graph client-credential token (no signed-in user).
        scopes: Granted scopes (Google scope URLs, Graph ``scp``/``roles`` values).
        project: Google developer project the OAuth client belongs to (coursework
            ownership), ``""`` on Graph.
        app_id: The calling application's id (quota key).
    """

    platform: Literal["google", "microsoft"]
    tenant: str
    subject: str
    app_only: bool = False
    scopes: frozenset[str] = frozenset()
    project: str = ""
    app_id: str = ""


@attrs.frozen(kw_only=True)
class QuotaRule:
    """One quota: at most ``limit`` calls per ``seconds`` for all calls sharing ``key``."""

    key: str
    limit: int
    seconds: float


@attrs.frozen(kw_only=True)
class TenantInfo:
    """What a client needs to use one emulated tenant.

    Attributes:
        platform: ``"google"`` or ``"microsoft"``.
        tenant: The tenant's name (Google domain; Microsoft tenant name).
        tenant_id: Native tenant id (Graph ``tid`` GUID; Google customer id).
        school_keys: The seeded city's schools served by this tenant.
        admin: The admin's e-mail (Google: the subject to impersonate for rosters).
        tokens: Ready-made bearer tokens by label: Google ``"admin"``; Microsoft
            ``"app"`` (app-only, every ``.All`` role) and ``"teacher"`` (delegated, one
            teacher). More are minted with ``PlatformApp.issue_token``.
        service_account: Google only: a service-account key (the JSON Google issues)
            whose ``token_uri`` is the sandbox, for domain-wide delegation.
    """

    platform: Literal["google", "microsoft"]
    tenant: str
    tenant_id: str
    school_keys: tuple[str, ...]
    admin: str
    tokens: Mapping[str, str]
    service_account: Mapping[str, Any] | None = None


class Context(abc.ABC):
    """What the server offers an emulator while it handles one request."""

    @abc.abstractmethod
    def dispatch(self, request: SandboxRequest) -> SandboxResponse:
        """Run one part of a batch through the full pipeline (auth, quota, faults, log)."""

    @property
    @abc.abstractmethod
    def request_id(self) -> str:
        """A fresh id for this call (Graph ``request-id``)."""


class PlatformApp(abc.ABC):
    """One platform's emulator behind the sandbox server."""

    platform: Literal["google", "microsoft"]
    #: Set by the server once bound, before the first request: ``"http://127.0.0.1:PORT"``
    #: (no trailing slash). Emulators build absolute URLs (Graph ``@odata.nextLink``,
    #: Google ``token_uri``) from it.
    base_url: str = "http://127.0.0.1"

    @abc.abstractmethod
    def owns(self, path: str) -> bool:
        """True when ``path`` belongs to this platform (``/v1/...``, ``/v1.0/...``)."""

    @abc.abstractmethod
    def operation(self, request: SandboxRequest) -> str:
        """A stable name of the called method for counters: the Classroom discovery method
        id (``classroom.courses.courseWork.list``) or a Graph route template
        (``GET /education/classes/{id}/assignments``); ``"unknown"`` if unrouted."""

    @abc.abstractmethod
    def tenant_infos(self) -> list[TenantInfo]:
        """Every tenant this emulator serves, with ready-made credentials."""

    @abc.abstractmethod
    def issue_token(
        self,
        tenant: str,
        subject: str,
        *,
        app_only: bool = False,
        scopes: frozenset[str] | None = None,
        project: str | None = None,
    ) -> str:
        """Mint a bearer token for ``subject`` in ``tenant`` (``None`` scopes: all)."""

    @abc.abstractmethod
    def authenticate(self, request: SandboxRequest) -> Principal | SandboxResponse:
        """Resolve the bearer token; a platform-shaped 401 answer when it is bad."""

    @abc.abstractmethod
    def quota_rules(self, principal: Principal, request: SandboxRequest) -> list[QuotaRule]:
        """The quotas this call counts against (none for a batch envelope itself)."""

    @abc.abstractmethod
    def handle(
        self, request: SandboxRequest, principal: Principal, context: Context
    ) -> SandboxResponse:
        """Answer one authenticated call (a batch envelope dispatches its parts)."""

    @abc.abstractmethod
    def error(
        self,
        status: int,
        message: str,
        *,
        request_id: str,
        retry_after: float | None = None,
    ) -> SandboxResponse:
        """A platform-shaped error answer (used by the server for 429 and 503)."""
