"""Classroom's error answers: the JSON bodies and statuses Google sends.

A handler raises :class:`ApiError`; ``_app.py`` turns it into the body Google sends,
``{"error": {"code", "message", "status"}}``. Classroom puts its own reason in front of
the message as ``@Reason `` (Google's docs say to match the prefix with the trailing
space). Where Google documents a reason code, it is used here; the text after the code is
ours, because Google publishes only the codes. The generic messages are Google's standard
ones for each canonical status.

This module must not import any platform client.
"""

from __future__ import annotations

from typing import Any

from unified_edu.sandbox._core import SandboxResponse

__all__ = [
    "ALREADY_EXISTS",
    "NOT_FOUND",
    "PERMISSION",
    "PROJECT_PERMISSION_DENIED",
    "STATUS_NAMES",
    "ApiError",
    "already_exists",
    "error_body",
    "error_response",
    "failed_precondition",
    "invalid_argument",
    "not_found",
    "permission_denied",
    "scope_insufficient",
    "unauthenticated",
]

# google.rpc.Code names by HTTP status, as Google's JSON error bodies spell them.
STATUS_NAMES: dict[int, str] = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "ALREADY_EXISTS",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    501: "UNIMPLEMENTED",
    503: "UNAVAILABLE",
}

NOT_FOUND = "Requested entity was not found."
PERMISSION = "The caller does not have permission"
ALREADY_EXISTS = "Requested entity already exists"
PROJECT_PERMISSION_DENIED = (
    "@ProjectPermissionDenied The Developer Console project is not permitted to make this request."
)
_INVALID = "Request contains an invalid argument."
_PRECONDITION = "Precondition check failed."
_MISSING_CREDENTIALS = (
    "Request is missing required authentication credential. Expected OAuth 2 access token, "
    "login cookie or other valid authentication credential. "
    "See https://developers.google.com/identity/sign-in/web/devconsole-project."
)
_INVALID_CREDENTIALS = (
    "Request had invalid authentication credentials. Expected OAuth 2 access token, "
    "login cookie or other valid authentication credential. "
    "See https://developers.google.com/identity/sign-in/web/devconsole-project."
)


class ApiError(Exception):
    """A Classroom error answer, raised anywhere below a handler.

    Args:
        code: HTTP status.
        message: The ``message`` field (with an ``@Reason `` prefix where documented).
        status: The canonical status name; derived from ``code`` when omitted (400 is
            ``INVALID_ARGUMENT`` unless ``FAILED_PRECONDITION`` is given).
        details: Google's ``details`` list (platform-level errors only).
        headers: Extra response headers.
    """

    def __init__(
        self,
        code: int,
        message: str,
        *,
        status: str | None = None,
        details: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status or STATUS_NAMES.get(code, "UNKNOWN")
        self.details = details
        self.headers = headers or {}

    def response(self) -> SandboxResponse:
        """The HTTP answer Google would send."""
        return error_response(
            self.code, self.message, status=self.status, details=self.details, headers=self.headers
        )


def error_body(
    code: int,
    message: str,
    *,
    status: str | None = None,
    details: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Google's JSON error body."""
    error: dict[str, Any] = {
        "code": code,
        "message": message,
        "status": status or STATUS_NAMES.get(code, "UNKNOWN"),
    }
    if details:
        error["details"] = details
    return {"error": error}


def error_response(
    code: int,
    message: str,
    *,
    status: str | None = None,
    details: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> SandboxResponse:
    """Google's error answer (``Vary`` headers as the Google front end sends them)."""
    body = error_body(code, message, status=status, details=details)
    return SandboxResponse.json_body(
        code, body, headers={"Vary": "Origin, X-Origin, Referer", **(headers or {})}
    )


def invalid_argument(message: str = _INVALID) -> ApiError:
    """400 INVALID_ARGUMENT."""
    return ApiError(400, message, status="INVALID_ARGUMENT")


def failed_precondition(reason: str | None = None, text: str = "") -> ApiError:
    """400 FAILED_PRECONDITION, optionally with a documented ``@Reason`` prefix."""
    message = f"@{reason} {text}".rstrip() if reason else _PRECONDITION
    return ApiError(400, message, status="FAILED_PRECONDITION")


def permission_denied(message: str = PERMISSION) -> ApiError:
    """403 PERMISSION_DENIED."""
    return ApiError(403, message, status="PERMISSION_DENIED")


def not_found() -> ApiError:
    """404 NOT_FOUND: missing, or not visible to the caller (Classroom does not tell)."""
    return ApiError(404, NOT_FOUND, status="NOT_FOUND")


def already_exists() -> ApiError:
    """409 ALREADY_EXISTS."""
    return ApiError(409, ALREADY_EXISTS, status="ALREADY_EXISTS")


def scope_insufficient() -> ApiError:
    """403 for a token without any of the method's scopes.

    This is a platform-level error, so it carries the generic Google error model with a
    ``google.rpc.ErrorInfo`` detail (reference §4.3), not a Classroom ``@Reason``.
    """
    details = [
        {
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            "reason": "ACCESS_TOKEN_SCOPE_INSUFFICIENT",
            "domain": "googleapis.com",
            "metadata": {"service": "classroom.googleapis.com"},
        }
    ]
    return ApiError(
        403,
        "Request had insufficient authentication scopes.",
        status="PERMISSION_DENIED",
        details=details,
    )


def unauthenticated(*, missing: bool) -> SandboxResponse:
    """401 for a missing or unknown bearer token, with Google's ``WWW-Authenticate``."""
    message = _MISSING_CREDENTIALS if missing else _INVALID_CREDENTIALS
    return error_response(
        401,
        message,
        status="UNAUTHENTICATED",
        headers={"WWW-Authenticate": 'Bearer realm="https://accounts.google.com/"'},
    )
