"""Routes: a discovery method id, its HTTP verb and ``flatPath``, its scopes, a handler.

Paths and scopes are copied from the Classroom discovery document (a test checks every
route against ``classroom.v1.json``). A path parameter never contains ``/`` or ``:``:
google-api-python-client percent-encodes both inside values (RFC 6570 simple
expansion), so ``{id}:turnIn`` is unambiguous. Values are percent-decoded after matching.

This module must not import any platform client.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import unquote

import attrs

from unified_edu.sandbox.classroom._access import Call

__all__ = ["Handler", "Route", "Router", "scopes"]

Handler = Callable[[Call], Any]
_PARAM = re.compile(r"\{(\w+)\}")


def _compile(template: str) -> re.Pattern[str]:
    parts: list[str] = []
    last = 0
    for match in _PARAM.finditer(template):
        parts.append(re.escape(template[last : match.start()]))
        parts.append(f"(?P<{match.group(1)}>[^/:]+)")
        last = match.end()
    parts.append(re.escape(template[last:]))
    return re.compile("^/" + "".join(parts) + "$")


@attrs.frozen
class Route:
    """One Classroom method.

    Attributes:
        method_id: The discovery id (``classroom.courses.list``).
        verb: HTTP method.
        template: The discovery ``flatPath`` (``v1/courses/{courseId}/students``).
        scopes: Short scope names; a token needs any one of them.
        handler: Answers the call with a JSON payload (``{}`` for ``Empty``).
    """

    method_id: str
    verb: str
    template: str
    scopes: tuple[str, ...]
    handler: Handler
    pattern: re.Pattern[str] = attrs.field(init=False)

    @pattern.default
    def _pattern(self) -> re.Pattern[str]:
        return _compile(self.template)


class Router:
    """Finds the route of a request path."""

    def __init__(self, routes: Iterable[Route]) -> None:
        self.routes = tuple(routes)

    def match(self, verb: str, path: str) -> tuple[Route, dict[str, str]] | None:
        """The route and its decoded path parameters, or ``None``.

        Tries every route with the verb: templates are disjoint, so order is irrelevant.
        """
        for route in self.routes:
            if route.verb != verb:
                continue
            found = route.pattern.match(path)
            if found:
                return route, {k: unquote(v) for k, v in found.groupdict().items()}
        return None

    def method_id(self, verb: str, path: str) -> str | None:
        """The discovery method id for a request, if routed."""
        matched = self.match(verb, path)
        return matched[0].method_id if matched else None


def scopes(*names: str) -> tuple[str, ...]:
    """Scope names written once (readability of the route tables)."""
    return tuple(f"classroom.{n}" for n in names)
