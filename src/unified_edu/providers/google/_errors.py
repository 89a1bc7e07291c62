"""The one place where Google's exceptions become unified_edu errors.

:func:`map_error` takes anything the Google stack raises, googleapiclient's ``HttpError``
and ``BatchError``, google-auth's ``RefreshError``/``TransportError``, httplib2's and
the socket layer's errors, a body cut short, and returns the most specific
:class:`~unified_edu.errors.UnifiedEduError`; callers ``raise map_error(exc) from exc``.
:data:`PLATFORM_ERRORS` is what callers catch.

Classroom's error body is ``{"error": {"code", "message", "status"[, "details"]}}``
(reference §4.3). Its own reason travels as an ``@Reason `` prefix of ``message``
(``@ProjectPermissionDenied ...``); that reason becomes ``code``, else the canonical
status (``NOT_FOUND``). A platform-level reason in ``details[]`` (``google.rpc.ErrorInfo``,
e.g. ``ACCESS_TOKEN_SCOPE_INSUFFICIENT``) becomes ``inner_code``.

=====================================  ======================================
Google                                 unified_edu
=====================================  ======================================
400 ``INVALID_ARGUMENT``               ProviderError
400 ``FAILED_PRECONDITION``, 409       ConflictError
401, ``RefreshError``                  AuthenticationError
403 (``rateLimitExceeded`` legacy)     RateLimitedError
403                                    PermissionDeniedError
404                                    NotFoundError
429                                    RateLimitedError (``retry_after``)
5xx, retryable ``RefreshError``        ServiceUnavailableError
reset, timeout, DNS, cut-short body    TransportError
=====================================  ======================================

Only :mod:`unified_edu.providers.google` imports this module.
"""

from __future__ import annotations

import functools
import http.client
import json
from collections.abc import Callable
from typing import Any

import httplib2
from google.auth import exceptions as auth_exceptions
from googleapiclient import errors as api_errors

from unified_edu._retry import parse_retry_after
from unified_edu.errors import (
    AuthenticationError,
    ConfigurationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ProviderError,
    RateLimitedError,
    ServiceUnavailableError,
    TransportError,
    UnifiedEduError,
)

__all__ = ["PLATFORM_ERRORS", "map_error", "reason_of"]

PROVIDER = "google"

#: What the Google stack raises; catch these and pass them to :func:`map_error`.
PLATFORM_ERRORS: tuple[type[BaseException], ...] = (
    api_errors.Error,
    auth_exceptions.GoogleAuthError,
    httplib2.HttpLib2Error,
    http.client.HTTPException,
    OSError,
    json.JSONDecodeError,
)

PROJECT_PERMISSION_DENIED = (
    "Classroom lets only the developer project that created a piece of homework modify or "
    "grade it, and this homework was created elsewhere (in the Classroom web UI, or by "
    "another app). Create the homework through unified_edu (create_assignment) to be "
    "able to grade it through the API; Assignment.created_by_this_app tells which ones "
    "are yours"
)

# What a user can do about the documented Classroom reasons (reference §4.3).
_HINTS: dict[str, str] = {
    "CannotDirectAddUser": (
        "Classroom does not allow adding this user directly (the user or the course "
        "owner is outside the admin's domain); invite them instead with "
        "GoogleClassroomProvider.invite_to_class()"
    ),
    "ClassroomApiDisabled": "the Classroom API is disabled for this user or domain",
    "ClassroomDisabled": "Classroom is disabled for this user",
    "ACCESS_TOKEN_SCOPE_INSUFFICIENT": (
        "the credentials lack the OAuth scope this call needs; see the scope table in "
        "docs/google.md (with domain-wide delegation, authorise it in the Admin console)"
    ),
    "UserCannotOwnCourse": "this user may not own a course",
    "CourseNotModifiable": "the course cannot be modified in its current state",
    "InactiveCourseOwner": "the course owner's account is inactive",
    "PendingInvitationExists": "an invitation for this user and course already exists",
}
_LEGACY_RATE_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded"})


def reason_of(message: str) -> tuple[str | None, str]:
    """Split Classroom's ``"@Reason text"`` into ``("Reason", "text")``.

    Returns ``(None, message)`` when the message has no ``@Reason `` prefix.
    """
    if message.startswith("@"):
        head, _, rest = message.partition(" ")
        if len(head) > 1:
            return head[1:], rest.strip()
    return None, message


def _body(content: Any) -> dict[str, Any]:
    if isinstance(content, bytes):
        content = content.decode("utf-8", "replace")
    if not isinstance(content, str):
        return {}
    try:
        data = json.loads(content)
    except ValueError:
        return {}
    if isinstance(data, list) and data:  # Some Google front ends wrap the error in a list.
        data = data[0]
    error = data.get("error") if isinstance(data, dict) else None
    return error if isinstance(error, dict) else {}


def _info_reason(error: dict[str, Any]) -> str | None:
    for detail in error.get("details") or ():
        if isinstance(detail, dict) and detail.get("reason"):
            return str(detail["reason"])
    return None


def _legacy_reason(error: dict[str, Any]) -> str | None:
    for item in error.get("errors") or ():
        if isinstance(item, dict) and item.get("reason"):
            return str(item["reason"])
    return None


def _where(uri: str | None) -> str:
    if not uri:
        return "Classroom"
    path = uri.split("?", 1)[0]
    for marker in ("/v1/", "/batch"):
        if marker in path:
            return "Classroom " + path[path.index(marker) :]
    return "Classroom"


_BY_STATUS: dict[int, type[ProviderError]] = {
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
}
# A 400 with one of these states is about the object's state, not the request's shape.
_CONFLICT_STATES = frozenset({"ALREADY_EXISTS", "FAILED_PRECONDITION", "ABORTED"})


def _error_class(status: int, canonical: str) -> type[ProviderError]:
    if status in _BY_STATUS:
        return _BY_STATUS[status]
    if canonical in _CONFLICT_STATES:
        return ConflictError
    return ServiceUnavailableError if status >= 500 else ProviderError


def _from_http_error(exc: api_errors.HttpError) -> UnifiedEduError:
    resp = getattr(exc, "resp", None)
    status = int(getattr(resp, "status", 0) or 0)
    if isinstance(exc, api_errors.BatchError) and status < 300:
        # The batch answer was unusable (not multipart, bad Content-ID): nothing to trust.
        return TransportError(f"Classroom batch answer could not be read: {exc.reason}")
    error = _body(getattr(exc, "content", None))
    message = str(error.get("message") or getattr(exc, "reason", "") or "")
    canonical = str(error.get("status") or "")
    reason, text = reason_of(message)
    info = _info_reason(error)
    legacy = _legacy_reason(error)
    headers = resp if isinstance(resp, dict) else {}
    where = _where(getattr(exc, "uri", None))
    common: dict[str, Any] = {
        "provider": PROVIDER,
        "status": status or None,
        "code": reason or canonical or None,
        "inner_code": info or legacy,
        "platform_message": message or None,
        "request_id": headers.get("x-goog-request-id") or headers.get("x-request-id"),
    }
    if status == 429 or (status == 403 and legacy in _LEGACY_RATE_REASONS):
        retry_after = parse_retry_after(headers.get("retry-after"))
        return RateLimitedError(
            f"{where} was rate limited: {text or message}", retry_after=retry_after, **common
        )
    if reason == "ProjectPermissionDenied":
        return PermissionDeniedError(f"{where}: {PROJECT_PERMISSION_DENIED}", **common)
    summary = f"{where} failed: {text or message or status}"
    hint = _HINTS.get(reason or "") or _HINTS.get(info or "")
    if hint:
        summary = f"{summary} ({hint})"
    return _error_class(status, canonical)(summary, **common)


def _from_refresh_error(exc: auth_exceptions.RefreshError) -> UnifiedEduError:
    detail = str(exc.args[0]) if exc.args else str(exc)
    if getattr(exc, "retryable", False):
        return ServiceUnavailableError(
            f"Google's token endpoint failed; try again: {detail}",
            provider=PROVIDER,
            code="TOKEN_ENDPOINT_UNAVAILABLE",
            platform_message=detail,
        )
    hint = ""
    if "unauthorized_client" in detail:
        hint = (
            " (domain-wide delegation: authorise the service account's client id with "
            "these exact scopes in the Admin console; it can take a while to apply)"
        )
    elif "invalid_grant" in detail:
        hint = " (the refresh token was revoked or expired, or the impersonated user is unknown)"
    return AuthenticationError(
        f"Google rejected the credentials: {detail}{hint}",
        provider=PROVIDER,
        status=401,
        code="UNAUTHENTICATED",
        platform_message=detail,
    )


_Factory = Callable[[str], UnifiedEduError]
_KINDS = type[BaseException] | tuple[type[BaseException], ...]
_auth_failed: _Factory = functools.partial(AuthenticationError, provider=PROVIDER)
# Everything but HttpError and RefreshError, most specific first.
_SIMPLE: tuple[tuple[_KINDS, _Factory, str], ...] = (
    (auth_exceptions.TransportError, TransportError, "could not reach Google's token endpoint"),
    (auth_exceptions.DefaultCredentialsError, ConfigurationError, "Google credentials are bad"),
    (auth_exceptions.GoogleAuthError, _auth_failed, "Google authentication failed"),
    (httplib2.ServerNotFoundError, TransportError, "Classroom could not be reached (DNS)"),
    (TimeoutError, TransportError, "Classroom did not answer in time"),
    (
        (http.client.IncompleteRead, json.JSONDecodeError),
        TransportError,
        "Classroom's answer was cut short or unreadable",
    ),
    (
        (OSError, http.client.HTTPException, httplib2.HttpLib2Error),
        TransportError,
        "the connection to Classroom failed",
    ),
)


def map_error(exc: BaseException) -> UnifiedEduError:
    """The unified error for an exception of the Google stack.

    Args:
        exc: Anything in :data:`PLATFORM_ERRORS`, or an already unified error (returned
            unchanged). Anything else is wrapped as a :class:`ProviderError`.

    Returns:
        The error to raise; callers ``raise map_error(exc) from exc``.
    """
    if isinstance(exc, UnifiedEduError):
        return exc
    if isinstance(exc, api_errors.HttpError):
        return _from_http_error(exc)
    if isinstance(exc, auth_exceptions.RefreshError):
        return _from_refresh_error(exc)
    for kinds, make, text in _SIMPLE:
        if isinstance(exc, kinds):
            return make(f"{text}: {exc!r}")
    return ProviderError(f"Classroom client error: {exc}", provider=PROVIDER)
