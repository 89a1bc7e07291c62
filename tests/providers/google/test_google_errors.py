"""Every Google failure becomes one unified error, with Classroom's reason as ``code``."""

from __future__ import annotations

import http.client
import json
from typing import Any

import httplib2
import pytest
from google.auth import exceptions as auth_exceptions
from googleapiclient.errors import BatchError, HttpError

from unified_edu import (
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
from unified_edu.providers.google._errors import map_error, reason_of

URI = "https://classroom.googleapis.com/v1/courses/123/courseWork/456?alt=json"


def http_error(
    status: int,
    message: str,
    canonical: str,
    *,
    headers: dict[str, str] | None = None,
    **error: Any,
) -> HttpError:
    body = {"error": {"code": status, "message": message, "status": canonical, **error}}
    resp = httplib2.Response({"status": str(status), **(headers or {})})
    return HttpError(resp, json.dumps(body).encode(), uri=URI)


@pytest.mark.parametrize(
    ("status", "message", "canonical", "cls", "code"),
    [
        (
            400,
            "Request contains an invalid argument.",
            "INVALID_ARGUMENT",
            ProviderError,
            "INVALID_ARGUMENT",
        ),
        (
            400,
            "@CourseNotModifiable The course is not modifiable.",
            "FAILED_PRECONDITION",
            ConflictError,
            "CourseNotModifiable",
        ),
        (
            400,
            "Precondition check failed.",
            "FAILED_PRECONDITION",
            ConflictError,
            "FAILED_PRECONDITION",
        ),
        (
            401,
            "Request had invalid authentication credentials.",
            "UNAUTHENTICATED",
            AuthenticationError,
            "UNAUTHENTICATED",
        ),
        (
            403,
            "The caller does not have permission",
            "PERMISSION_DENIED",
            PermissionDeniedError,
            "PERMISSION_DENIED",
        ),
        (
            403,
            "@ClassroomApiDisabled The user is not permitted to access the Classroom API.",
            "PERMISSION_DENIED",
            PermissionDeniedError,
            "ClassroomApiDisabled",
        ),
        (
            403,
            "@CannotDirectAddUser The user cannot be added directly.",
            "PERMISSION_DENIED",
            PermissionDeniedError,
            "CannotDirectAddUser",
        ),
        (404, "Requested entity was not found.", "NOT_FOUND", NotFoundError, "NOT_FOUND"),
        (409, "Requested entity already exists", "ALREADY_EXISTS", ConflictError, "ALREADY_EXISTS"),
        (429, "Quota exceeded.", "RESOURCE_EXHAUSTED", RateLimitedError, "RESOURCE_EXHAUSTED"),
        (
            429,
            "@UserCourseJoinRateLimitReached Too many joins.",
            "RESOURCE_EXHAUSTED",
            RateLimitedError,
            "UserCourseJoinRateLimitReached",
        ),
        (500, "Internal error encountered.", "INTERNAL", ServiceUnavailableError, "INTERNAL"),
        (
            503,
            "The service is currently unavailable.",
            "UNAVAILABLE",
            ServiceUnavailableError,
            "UNAVAILABLE",
        ),
    ],
)
def test_http_errors(
    status: int, message: str, canonical: str, cls: type[ProviderError], code: str
) -> None:
    exc = http_error(status, message, canonical)
    mapped = map_error(exc)
    assert type(mapped) is cls
    assert isinstance(mapped, ProviderError)
    assert (mapped.provider, mapped.status, mapped.code) == ("google", status, code)
    assert mapped.platform_message == message
    assert "/v1/courses/123/courseWork/456" in mapped.message
    assert "alt=json" not in mapped.message


def test_project_permission_denied_explains_the_rule() -> None:
    exc = http_error(
        403,
        "@ProjectPermissionDenied The Developer Console project is not permitted to make "
        "this request.",
        "PERMISSION_DENIED",
    )
    mapped = map_error(exc)
    assert isinstance(mapped, PermissionDeniedError)
    assert mapped.code == "ProjectPermissionDenied"
    assert "only the developer project that created" in mapped.message
    assert "create_assignment" in mapped.message


def test_cannot_direct_add_suggests_an_invitation() -> None:
    mapped = map_error(
        http_error(403, "@CannotDirectAddUser The user cannot be added.", "PERMISSION_DENIED")
    )
    assert "invite_to_class" in mapped.message


def test_platform_reason_in_details_is_the_inner_code() -> None:
    details = [
        {
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            "reason": "ACCESS_TOKEN_SCOPE_INSUFFICIENT",
            "domain": "googleapis.com",
        }
    ]
    mapped = map_error(
        http_error(
            403,
            "Request had insufficient authentication scopes.",
            "PERMISSION_DENIED",
            details=details,
        )
    )
    assert isinstance(mapped, PermissionDeniedError)
    assert (mapped.code, mapped.inner_code) == (
        "PERMISSION_DENIED",
        "ACCESS_TOKEN_SCOPE_INSUFFICIENT",
    )
    assert "scope" in mapped.message


def test_retry_after_and_legacy_rate_limit_reason() -> None:
    mapped = map_error(
        http_error(429, "Quota exceeded.", "RESOURCE_EXHAUSTED", headers={"retry-after": "7"})
    )
    assert isinstance(mapped, RateLimitedError)
    assert mapped.retry_after == 7
    legacy = http_error(
        403,
        "User Rate Limit Exceeded",
        "PERMISSION_DENIED",
        errors=[{"domain": "usageLimits", "reason": "userRateLimitExceeded"}],
    )
    mapped = map_error(legacy)
    assert isinstance(mapped, RateLimitedError)
    assert mapped.retry_after is None
    assert mapped.inner_code == "userRateLimitExceeded"


def test_non_json_error_body() -> None:
    exc = HttpError(httplib2.Response({"status": "502"}), b"<html>Bad Gateway</html>", uri=URI)
    mapped = map_error(exc)
    assert isinstance(mapped, ServiceUnavailableError)
    assert mapped.status == 502


def test_secrets_in_messages_are_redacted() -> None:
    mapped = map_error(http_error(400, "bad access_token=ya29.SECRETSECRET", "INVALID_ARGUMENT"))
    assert "SECRETSECRET" not in mapped.message
    assert isinstance(mapped, ProviderError)
    assert mapped.platform_message is not None
    assert "SECRETSECRET" not in mapped.platform_message


def test_refresh_errors() -> None:
    rejected = map_error(
        auth_exceptions.RefreshError(
            "unauthorized_client: Client is unauthorized to retrieve access tokens using this "
            "method, or client not authorized for any of the scopes requested.",
            {"error": "unauthorized_client"},
        )
    )
    assert isinstance(rejected, AuthenticationError)
    assert rejected.status == 401
    assert "Admin console" in rejected.message
    retryable = auth_exceptions.RefreshError("500 from the token endpoint", retryable=True)
    assert isinstance(map_error(retryable), ServiceUnavailableError)


@pytest.mark.parametrize(
    ("exc", "cls"),
    [
        (ConnectionResetError(104, "Connection reset by peer"), TransportError),
        (ConnectionRefusedError(111, "Connection refused"), TransportError),
        (TimeoutError("timed out"), TransportError),
        (http.client.RemoteDisconnected("Remote end closed connection"), TransportError),
        (http.client.IncompleteRead(b"{", 10), TransportError),
        (json.JSONDecodeError("Expecting value", "{", 1), TransportError),
        (httplib2.ServerNotFoundError("Unable to find the server"), TransportError),
        (auth_exceptions.TransportError("token endpoint unreachable"), TransportError),
        (auth_exceptions.DefaultCredentialsError("no credentials"), ConfigurationError),
        (BatchError("Response not in multipart/mixed format."), TransportError),
    ],
)
def test_transport_and_client_errors(exc: BaseException, cls: type[UnifiedEduError]) -> None:
    assert type(map_error(exc)) is cls


def test_failed_batch_envelope_maps_by_status() -> None:
    resp = httplib2.Response({"status": "400"})
    body = json.dumps(
        {"error": {"code": 400, "message": "Too many.", "status": "INVALID_ARGUMENT"}}
    )
    assert type(map_error(HttpError(resp, body.encode(), uri="http://h/batch"))) is ProviderError


def test_unified_errors_pass_through() -> None:
    original = NotFoundError("x", provider="google")
    assert map_error(original) is original


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (
            "@ProjectPermissionDenied The project may not.",
            ("ProjectPermissionDenied", "The project may not."),
        ),
        ("Requested entity was not found.", (None, "Requested entity was not found.")),
        ("@ alone", (None, "@ alone")),
    ],
)
def test_reason_of(message: str, expected: tuple[str | None, str]) -> None:
    assert reason_of(message) == expected
