"""Routing of Graph paths to handlers.

Owns the route table's types (:class:`Route`, :class:`Router`), the per-call bundle a
handler receives (:class:`Call`) and the emulator-wide settings (:class:`Env`). Paths are
matched segment by segment against templates written as msgraph-sdk's request builders
spell them, with ``{id}`` for every key; literal segments win over keys, so
``/education/classes/delta`` is the delta function, not a class named "delta".
"""

from __future__ import annotations

import functools
import urllib.parse
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Literal

import attrs

from unified_edu.sandbox._core import Context, Principal, SandboxRequest, SandboxResponse
from unified_edu.sandbox.graph._errors import GraphError
from unified_edu.sandbox.graph._store import Store

__all__ = ["Call", "Env", "Route", "Router", "Service", "split_path"]

Service = Literal["roster", "assignments", "batch"]
Handler = Callable[["Call"], SandboxResponse]

_API_PREFIX = "/v1.0"
_PREFER_UNKNOWN = "include-unknown-enum-members"


def split_path(path: str) -> list[str]:
    """Decoded segments of a Graph path after ``/v1.0`` (``delta()`` → ``delta``)."""
    if path.startswith(_API_PREFIX):
        path = path[len(_API_PREFIX) :]
    segments = [urllib.parse.unquote(s) for s in path.strip("/").split("/") if s]
    # OData function calls may be written with or without parentheses: msgraph-sdk
    # sends ``delta()``, Graph's own nextLinks and docs use ``delta``.
    return ["delta" if s == "delta()" else s for s in segments]


@attrs.frozen(kw_only=True)
class Env:
    """Emulator-wide settings handlers read.

    Attributes:
        store: The tenant.
        base_url: ``"http://127.0.0.1:PORT"`` (read when answering: set after binding).
        settle_reads: Reads before a published assignment reads ``assigned``.
        default_page: Page size when the caller sends no ``$top``.
        caps: Largest page per collection kind (``roster``, ``assignments``,
            ``submissions``, ``other``).
    """

    store: Store
    base_url: Callable[[], str]
    settle_reads: int
    default_page: int
    caps: Mapping[str, int]


@attrs.frozen(kw_only=True)
class Call:
    """Everything a handler needs for one request."""

    request: SandboxRequest
    principal: Principal
    context: Context
    params: tuple[str, ...]
    segments: tuple[str, ...]
    env: Env

    @property
    def store(self) -> Store:
        """The tenant's store."""
        return self.env.store

    @property
    def path(self) -> str:
        """The decoded path after ``/v1.0`` (``/education/classes/…``)."""
        return "/" + "/".join(self.segments)

    @functools.cached_property
    def include_unknown(self) -> bool:
        """Whether the caller sent ``Prefer: include-unknown-enum-members``."""
        prefer = self.request.header("prefer") or ""
        return any(p.strip().lower() == _PREFER_UNKNOWN for p in prefer.split(","))

    def body(self) -> Any:
        """The JSON body (``None`` when empty), or Graph's 400 for malformed JSON."""
        try:
            return self.request.json()
        except (ValueError, UnicodeDecodeError) as exc:
            raise GraphError(400, "BadRequest", "Invalid JSON in the request body.") from exc

    def identity(self) -> dict[str, Any]:
        """The caller as an ``identitySet`` (``createdBy``, ``lastModifiedBy``...)."""
        if self.principal.app_only:
            app = {"id": self.principal.app_id, "displayName": None}
            return {"application": app, "device": None, "user": None}
        user = {"id": self.principal.subject, "displayName": None}
        return {"application": None, "device": None, "user": user}


@attrs.frozen
class Route:
    """One method on one path template, the handler answering it, and which
    throttling family (reference §4.1) it belongs to."""

    method: str
    template: str
    handler: Handler
    service: Service

    @functools.cached_property
    def parts(self) -> tuple[str, ...]:
        """The template's segments."""
        return tuple(self.template.strip("/").split("/"))

    def match(self, segments: list[str]) -> tuple[str, ...] | None:
        """The key values when ``segments`` fit the template."""
        if len(segments) != len(self.parts):
            return None
        params = []
        for part, seg in zip(self.parts, segments, strict=True):
            if part == "{id}":
                params.append(seg)
            elif part != seg:
                return None
        return tuple(params)

    @property
    def specificity(self) -> tuple[int, ...]:
        """Literal segments rank above keys, earliest first."""
        return tuple(0 if p == "{id}" else 1 for p in self.parts)


class Router:
    """The route table."""

    def __init__(self, routes: Iterable[Route]) -> None:
        self.routes = list(routes)
        # A template matches only paths of its own length: resolve() tries just those
        # (in table order, so ties still go to the earlier route).
        self._by_length: dict[int, list[Route]] = {}
        for route in self.routes:
            self._by_length.setdefault(len(route.parts), []).append(route)

    def resolve(self, method: str, segments: list[str]) -> tuple[Route, tuple[str, ...]]:
        """The route and key values for a call.

        Raises:
            GraphError: 400 naming the first unknown segment (Graph's wording), or 405
                when the path exists but not for ``method``.
        """
        same_length = self._by_length.get(len(segments), [])
        candidates = [(r, p) for r in same_length if (p := r.match(segments)) is not None]
        if not candidates:
            raise GraphError(
                400,
                "BadRequest",
                f"Resource not found for the segment '{self._first_unknown(segments)}'.",
            )
        for_method = [(r, p) for r, p in candidates if r.method == method]
        if not for_method:
            raise GraphError(
                405,
                "BadRequest",
                "Specified HTTP method is not allowed for the request target.",
            )
        return max(for_method, key=lambda rp: rp[0].specificity)

    def template_of(self, method: str, segments: list[str]) -> str | None:
        """``"GET /education/classes/{id}"`` for a call, ``None`` if unrouted."""
        try:
            route, _ = self.resolve(method, segments)
        except GraphError:
            return None
        return f"{route.method} {route.template}"

    def _first_unknown(self, segments: list[str]) -> str:
        for depth in range(1, len(segments) + 1):
            prefix = segments[:depth]
            if not any(
                len(r.parts) >= depth
                and all(p in ("{id}", s) for p, s in zip(r.parts, prefix, strict=False))
                for r in self.routes
            ):
                return segments[depth - 1]
        return segments[-1] if segments else ""
