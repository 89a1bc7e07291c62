"""The one translation of Graph failures into :mod:`unified_edu.errors`.

Three sources, one result: a raw Graph error answer (status, headers, JSON body, also
each failed part of a ``$batch``), msgraph/kiota exceptions (``ODataError`` with its
``error.code``/``innerError``, bare ``APIError``), and httpx transport failures (no
answer: :class:`TransportError`). The class follows the status (401, 403, 404/410,
409/412, 429 with a possibly fractional ``Retry-After``, 5xx); the Graph ``error.code``,
the ``innerError.code`` (``invalidGrading``), the message and the request id ride on the
error. Callers re-raise ``from`` the original exception.

This module must not import msgraph (it duck-types msgraph's exceptions).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from unified_edu._retry import parse_retry_after
from unified_edu.errors import (
    AuthenticationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ProviderError,
    RateLimitedError,
    ServiceUnavailableError,
    TransportError,
    UnifiedEduError,
)

__all__ = ["error_from_exception", "error_from_response"]

_PROVIDER = "microsoft"
# error.code / innerError.code values that say "it already exists" or "changed meanwhile".
_CONFLICT_CODES = frozenset(
    {"nameAlreadyExists", "folderAlreadyExists", "resourceModified", "conflict"}
)
_BY_STATUS: dict[int, type[ProviderError]] = {
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    410: NotFoundError,
    409: ConflictError,
    412: ConflictError,
}


def _header(headers: Mapping[str, str] | None, name: str) -> str | None:
    if not headers:
        return None
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            return str(value)
    return None


def _body_dict(body: bytes | str | Mapping[str, Any] | None) -> Mapping[str, Any]:
    if isinstance(body, Mapping):
        return body
    if not body:
        return {}
    try:
        parsed = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return {}
    return parsed if isinstance(parsed, Mapping) else {}


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _build(
    status: int | None,
    *,
    code: str | None,
    inner_code: str | None,
    message: str | None,
    request_id: str | None,
    retry_after: str | None,
    context: str,
) -> ProviderError:
    text = message or (f"HTTP {status}" if status else "unknown error")
    summary = f"Graph {context}: {text}" if context else f"Graph: {text}"
    details: dict[str, Any] = {
        "provider": _PROVIDER,
        "status": status,
        "code": code,
        "inner_code": inner_code,
        "platform_message": message,
        "request_id": request_id,
    }
    if status == 429:
        return RateLimitedError(summary, retry_after=parse_retry_after(retry_after), **details)
    if status is not None and status >= 500:
        return ServiceUnavailableError(summary, **details)
    cls = _BY_STATUS.get(status or 0)
    if cls is None and (code in _CONFLICT_CODES or inner_code in _CONFLICT_CODES):
        cls = ConflictError
    return (cls or ProviderError)(summary, **details)


def error_from_response(
    status: int,
    headers: Mapping[str, str] | None,
    body: bytes | str | Mapping[str, Any] | None,
    *,
    context: str = "",
) -> ProviderError:
    """The error for a Graph error answer (a direct one or one part of a ``$batch``).

    Args:
        status: HTTP status (4xx/5xx).
        headers: Response headers (``Retry-After``, ``request-id``), any case.
        body: The JSON error body ``{"error": {"code", "message", "innerError"}}``, as
            bytes, text or an already parsed dict; anything else is tolerated.
        context: What was called, for the message (``"GET /education/classes"``).
    """
    error = _body_dict(body).get("error")
    error = error if isinstance(error, Mapping) else {}
    inner = error.get("innerError") or error.get("innererror") or {}
    inner = inner if isinstance(inner, Mapping) else {}
    return _build(
        status,
        code=_str(error.get("code")) or (str(error["code"]) if "code" in error else None),
        inner_code=_str(inner.get("code")),
        message=_str(error.get("message")) or _str(inner.get("message")),
        request_id=_str(inner.get("request-id"))
        or _header(headers, "request-id")
        or _header(headers, "client-request-id"),
        retry_after=_header(headers, "Retry-After"),
        context=context,
    )


def _from_api_error(exc: Exception, context: str) -> ProviderError:
    """``ODataError`` (msgraph) or a bare kiota ``APIError``, read by attribute."""
    status = getattr(exc, "response_status_code", None)
    headers = getattr(exc, "response_headers", None)
    headers = dict(headers) if isinstance(headers, Mapping) else None
    main = getattr(exc, "error", None)
    inner = getattr(main, "inner_error", None)
    inner_extra = getattr(inner, "additional_data", None) or {}
    return _build(
        status if isinstance(status, int) else None,
        code=_str(getattr(main, "code", None)),
        inner_code=_str(inner_extra.get("code")) if isinstance(inner_extra, Mapping) else None,
        message=_str(getattr(main, "message", None)) or _str(getattr(exc, "message", None)),
        request_id=_str(getattr(inner, "request_id", None))
        or _header(headers, "request-id")
        or _header(headers, "client-request-id"),
        retry_after=_header(headers, "Retry-After"),
        context=context,
    )


def error_from_exception(exc: BaseException, *, context: str = "") -> UnifiedEduError:
    """The unified error for an exception raised while calling Graph.

    ``UnifiedEduError`` passes through unchanged; ``ODataError``/``APIError`` become a
    :class:`ProviderError` subclass; httpx transport errors, timeouts and broken bodies
    become :class:`TransportError`. Anything else is a programming error and becomes a
    plain :class:`ProviderError` naming its type (the caller chains the original).
    """
    if isinstance(exc, UnifiedEduError):
        return exc
    if hasattr(exc, "response_status_code"):
        return _from_api_error(exc, context)  # type: ignore[arg-type]
    import httpx  # httpx is light and always present with msgraph

    where = f" ({context})" if context else ""
    if isinstance(exc, httpx.TransportError | httpx.StreamError | TimeoutError):
        return TransportError(f"no answer from Graph{where}: {type(exc).__name__}: {exc}")
    if isinstance(exc, ConnectionError | OSError):
        return TransportError(f"no answer from Graph{where}: {type(exc).__name__}: {exc}")
    return ProviderError(
        f"Graph call failed{where}: {type(exc).__name__}: {exc}", provider=_PROVIDER
    )
