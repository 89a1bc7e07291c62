"""Test support for the Graph emulator: a small slice of the seeded city, a direct
client that calls the app without a server, and an msgraph-sdk client factory.

:func:`small_city` keeps every school (so the loader must still skip Google ones) but
only the first few classes of each, with their people, homework, work and guardians:
the whole Microsoft side of it can be listed over HTTP in a couple of seconds.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import attrs

from unified_edu.sandbox._city import City
from unified_edu.sandbox._core import Context, SandboxRequest, SandboxResponse
from unified_edu.sandbox.graph import GraphApp

__all__ = ["Direct", "Reply", "graph_client", "small_city"]


def small_city(city: City, *, students: int = 3, homework: int = 4) -> City:
    """``city`` reduced to one class per school (the one with the most homework states)
    with its first ``students`` students (plus any individually assigned) and up to
    ``homework`` pieces of homework covering every state (same seed and keys). Every
    school stays, so the loader must still skip the Google ones."""
    kept, chosen = [], []
    for school in city.schools:
        classes = [c for c in city.classes if c.school_key == school.key]
        pieces = {c.key: [h for h in city.homework if h.class_key == c.key] for c in classes}
        klass = max(classes, key=lambda c: len({h.state for h in pieces[c.key]}))
        # One of each state first, then the earliest others, up to the limit.
        by_state = {h.state: h for h in reversed(pieces[klass.key])}
        picked = list(by_state.values())
        picked += [h for h in pieces[klass.key] if h not in picked]
        picked = picked[:homework]
        named = [k for h in picked for k in h.student_keys]
        keep = [k for k in klass.student_keys if k in klass.student_keys[:students] or k in named]
        kept.append(attrs.evolve(klass, student_keys=tuple(keep)))
        chosen.extend(picked)
    person_keys = {k for c in kept for k in (*c.teacher_keys, *c.student_keys)}
    person_keys |= {p.key for p in city.people if p.role == "admin"}
    guardians = tuple(g for g in city.guardians if g.student_key in person_keys)
    person_keys |= {g.guardian_key for g in guardians}
    homework_keys = {h.key for h in chosen}
    return attrs.evolve(
        city,
        people=tuple(p for p in city.people if p.key in person_keys),
        classes=tuple(kept),
        homework=tuple(h for h in city.homework if h.key in homework_keys),
        work=tuple(
            w for w in city.work if w.homework_key in homework_keys and w.student_key in person_keys
        ),
        guardians=guardians,
    )


@attrs.frozen
class Reply:
    """An answer: status, headers and the parsed JSON body (``None`` when empty)."""

    status: int
    headers: Mapping[str, str]
    json: Any

    @property
    def error_code(self) -> str | None:
        """``error.code`` of an error body."""
        return (self.json or {}).get("error", {}).get("code")


class _Context(Context):
    def __init__(self, app: GraphApp, numbers: itertools.count[int]) -> None:
        self._app = app
        self._numbers = numbers
        self._id = f"00000000-0000-4000-8000-{next(numbers):012d}"

    def dispatch(self, request: SandboxRequest) -> SandboxResponse:
        return _run(self._app, request, self._numbers)

    @property
    def request_id(self) -> str:
        return self._id


def _run(app: GraphApp, request: SandboxRequest, numbers: itertools.count[int]) -> SandboxResponse:
    principal = app.authenticate(request)
    if isinstance(principal, SandboxResponse):
        return principal
    return app.handle(request, principal, _Context(app, numbers))


class Direct:
    """Calls a :class:`GraphApp` in-process, as the sandbox pipeline would.

    Args:
        app: The emulator.
        token: Bearer token sent with every call (``None``: no Authorization).
    """

    def __init__(self, app: GraphApp, token: str | None) -> None:
        self.app = app
        self.token = token
        self._numbers = itertools.count(1)

    def call(
        self,
        method: str,
        url: str,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> Reply:
        """``url`` is a path below ``/v1.0`` with an optional query, or an absolute
        ``@odata.nextLink``."""
        response = self.send(method, url, body, headers)
        parsed = json.loads(response.body) if response.body else None
        return Reply(response.status, dict(response.headers), parsed)

    def send(
        self,
        method: str,
        url: str,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> SandboxResponse:
        """Like :meth:`call`, but the answer as the emulator gave it (bytes included)."""
        parts = urlsplit(url)
        path = parts.path if parts.path.startswith("/v1.0") else "/v1.0" + parts.path
        query: dict[str, tuple[str, ...]] = {}
        for name, value in parse_qsl(parts.query, keep_blank_values=True):
            query[name] = (*query.get(name, ()), value)
        sent = dict(headers or {})
        if self.token is not None:
            sent["Authorization"] = f"Bearer {self.token}"
        raw = b"" if body is None else json.dumps(body, ensure_ascii=False).encode()
        if raw:
            sent.setdefault("Content-Type", "application/json")
        request = SandboxRequest(method=method, path=path, query=query, headers=sent, body=raw)
        return _run(self.app, request, self._numbers)

    def get(self, url: str, **headers: str) -> Reply:
        return self.call("GET", url, headers={k.replace("_", "-"): v for k, v in headers.items()})

    def post(self, url: str, body: Any = None, **headers: str) -> Reply:
        hdrs = {k.replace("_", "-"): v for k, v in headers.items()}
        return self.call("POST", url, body, headers=hdrs)

    def patch(self, url: str, body: Any) -> Reply:
        return self.call("PATCH", url, body)

    def delete(self, url: str) -> Reply:
        return self.call("DELETE", url)

    def all(self, url: str, **headers: str) -> list[Any]:
        """Every item of a collection, following ``@odata.nextLink``."""
        items: list[Any] = []
        next_url: str | None = url
        while next_url:
            reply = self.get(next_url, **headers)
            assert reply.status == 200, reply.json
            items.extend(reply.json["value"])
            next_url = reply.json.get("@odata.nextLink")
        return items


def graph_client(base_url: str, token: str) -> Any:
    """An unmodified msgraph-sdk client sending ``token`` to ``base_url``."""
    from kiota_abstractions.authentication import (
        AccessTokenProvider,
        AllowedHostsValidator,
        BaseBearerTokenAuthenticationProvider,
    )
    from msgraph import GraphRequestAdapter, GraphServiceClient

    class StaticToken(AccessTokenProvider):  # type: ignore[misc]
        async def get_authorization_token(
            self, uri: str, additional_authentication_context: dict[str, Any] | None = None
        ) -> str:
            return token

        def get_allowed_hosts_validator(self) -> AllowedHostsValidator:
            return AllowedHostsValidator([])

    adapter = GraphRequestAdapter(BaseBearerTokenAuthenticationProvider(StaticToken()))
    adapter.base_url = base_url
    return GraphServiceClient(request_adapter=adapter)
