"""Graph's error answers.

Owns the one error body shape Graph uses everywhere::

    {"error": {"code": ..., "message": ..., "innerError": {"date": ..., "request-id": ...,
               "client-request-id": ...}}}

plus the codes the emulator answers with (reference §4.3, conformance
``educationoutcome-update.error-400/404``). Handlers raise :class:`GraphError`; the app
turns it into a response with :func:`error_response`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from unified_edu.sandbox._core import SandboxResponse

__all__ = [
    "CONTENT_TYPE",
    "GraphError",
    "bad_request",
    "default_code",
    "denied",
    "error_response",
    "not_found",
    "retry_after_text",
]

#: The media type Graph answers JSON with (msgraph strips the parameters).
CONTENT_TYPE = (
    "application/json;odata.metadata=minimal;odata.streaming=true;"
    "IEEE754Compatible=false;charset=utf-8"
)

_DEFAULT_CODES = {
    400: "badRequest",
    401: "InvalidAuthenticationToken",
    403: "accessDenied",
    404: "itemNotFound",
    405: "BadRequest",
    409: "nameAlreadyExists",
    424: "FailedDependency",
    429: "TooManyRequests",
    500: "generalException",
    503: "serviceNotAvailable",
    504: "serviceNotAvailable",
}


class GraphError(Exception):
    """A Graph error a handler raises; the app renders it.

    Attributes:
        status: HTTP status.
        code: ``error.code`` (``"badRequest"``, ``"20241"``...).
        message: ``error.message``.
        inner_code: Optional ``innerError.code`` (``"invalidGrading"``).
        inner_message: Optional ``innerError.message``.
        headers: Extra response headers (``Retry-After``).
    """

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        inner_code: str | None = None,
        inner_message: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.inner_code = inner_code
        self.inner_message = inner_message
        self.headers = dict(headers or {})


def bad_request(message: str, code: str = "badRequest") -> GraphError:
    """A 400 with Graph's generic code."""
    return GraphError(400, code, message)


def denied(message: str) -> GraphError:
    """A 403 ``accessDenied``."""
    return GraphError(403, "accessDenied", message)


def not_found(kind: str, item_id: str, *, assignment_service: bool = False) -> GraphError:
    """A 404 for a missing object.

    The assignment service (assignments, submissions, outcomes, resources, categories,
    rubrics) answers with its own numeric code ``"20241"`` and ``Entity not found. <Kind>
    id: <id>`` (conformance ``educationoutcome-update.error-404``); roster objects use the
    generic ``itemNotFound`` (reference §4.3).
    """
    if assignment_service:
        return GraphError(404, "20241", f"Entity not found. {kind} id: {item_id}")
    return GraphError(404, "itemNotFound", f"Resource '{item_id}' does not exist.")


def retry_after_text(seconds: float) -> str:
    """``Retry-After`` as Graph writes it: whole seconds, or a fraction such as ``2.128``."""
    if float(seconds).is_integer():
        return str(int(seconds))
    return f"{seconds:.3f}".rstrip("0")


def error_response(
    error: GraphError,
    *,
    request_id: str,
    client_request_id: str | None,
    now: dt.datetime,
) -> SandboxResponse:
    """Render ``error`` with the ``innerError`` Graph attaches to every error."""
    inner: dict[str, Any] = {}
    if error.inner_code is not None:
        inner["code"] = error.inner_code
    if error.inner_message is not None:
        inner["message"] = error.inner_message
    if error.status == 429:
        # Throttling bodies carry the status again inside innerError (reference §4.1).
        inner.setdefault("code", "429")
        inner.setdefault("message", error.message)
        inner["status"] = 429
    inner["date"] = f"{now.astimezone(dt.UTC):%Y-%m-%dT%H:%M:%S}"
    inner["request-id"] = request_id
    inner["client-request-id"] = client_request_id or request_id
    headers = {"Content-Type": CONTENT_TYPE, **error.headers}
    if error.status == 401:
        # What Graph sends with every 401 (the resource is Graph's well-known app id).
        headers["WWW-Authenticate"] = (
            'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/'
            'oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"'
        )
    body = {"error": {"code": error.code, "message": error.message, "innerError": inner}}
    return SandboxResponse.json_body(error.status, body, headers)


def default_code(status: int) -> str:
    """The code for an error the server raises itself (429, 503...)."""
    return _DEFAULT_CODES.get(status, "generalException" if status >= 500 else "badRequest")
