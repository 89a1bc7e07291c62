"""One mapping of Graph failures: error bodies, msgraph's ODataError, transport errors."""

from __future__ import annotations

import httpx
import pytest
from msgraph.generated.models.o_data_errors.inner_error import InnerError
from msgraph.generated.models.o_data_errors.main_error import MainError
from msgraph.generated.models.o_data_errors.o_data_error import ODataError
from msgraph_support import load

from unified_edu import (
    AuthenticationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ProviderError,
    RateLimitedError,
    ServiceUnavailableError,
    TransportError,
    ValidationError,
)
from unified_edu.providers.microsoft._errors import error_from_exception, error_from_response


def test_conformance_400_invalid_grading() -> None:
    body = load("educationoutcome-update.error-400.response.json")
    error = error_from_response(400, {"request-id": "rid-1"}, body, context="PATCH /x")
    assert type(error) is ProviderError
    assert not isinstance(error, ValidationError)
    assert error.status == 400
    assert error.code == "badRequest"
    assert error.inner_code == "invalidGrading"
    assert error.platform_message == "Bad request."
    assert error.request_id == "rid-1"
    assert "PATCH /x" in str(error)
    assert "inner_code=invalidGrading" in str(error)


def test_conformance_404_numeric_code() -> None:
    body = load("educationoutcome-update.error-404.response.json")
    error = error_from_response(404, None, body)
    assert isinstance(error, NotFoundError)
    assert error.code == "20241"
    assert (
        error.platform_message
        == "Entity not found. Outcome id: 05d0f76c-1dfa-4442-926c-1b094828b505"
    )
    assert error.inner_code is None
    assert error.request_id is None


def test_folder_already_exists_is_a_conflict() -> None:
    body = load("educationassignment-setupresourcesfolder.2.response.json")
    error = error_from_response(400, None, body)
    assert isinstance(error, ConflictError)
    assert error.inner_code == "folderAlreadyExists"
    assert error.request_id == "f88be238-1339-49c8-b03d-37f45d54761f"


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (410, NotFoundError),
        (500, ServiceUnavailableError),
        (503, ServiceUnavailableError),
        (504, ServiceUnavailableError),
        (418, ProviderError),
    ],
)
def test_status_classes(status: int, cls: type[ProviderError]) -> None:
    error = error_from_response(status, {}, b'{"error": {"code": "x", "message": "m"}}')
    assert type(error) is cls
    assert error.status == status
    assert error.code == "x"


def test_throttling_with_fractional_retry_after() -> None:
    body = {
        "error": {
            "code": "TooManyRequests",
            "message": "Please retry again later.",
            "innerError": {"code": "429", "request-id": "r-429", "status": 429},
        }
    }
    error = error_from_response(429, {"Retry-After": "2.128"}, body)
    assert isinstance(error, RateLimitedError)
    assert error.retry_after == pytest.approx(2.128)
    assert (error.code, error.inner_code, error.request_id) == ("TooManyRequests", "429", "r-429")


def test_unreadable_bodies_are_tolerated() -> None:
    assert error_from_response(502, {}, b"<html>bad gateway</html>").status == 502
    assert error_from_response(400, {}, None).code is None
    assert error_from_response(400, {}, b'["not", "an", "object"]').code is None


def test_odata_error_from_msgraph() -> None:
    inner = InnerError(request_id="req-7", client_request_id="c-7")
    inner.additional_data = {"code": "invalidGrading"}
    exc = ODataError(error=MainError(code="badRequest", message="Bad request.", inner_error=inner))
    exc.response_status_code = 400
    exc.response_headers = {"Retry-After": "1"}
    error = error_from_exception(exc, context="PATCH /outcomes/1")
    assert type(error) is ProviderError
    assert (error.code, error.inner_code, error.request_id) == (
        "badRequest",
        "invalidGrading",
        "req-7",
    )
    throttled = ODataError(error=MainError(code="TooManyRequests", message="slow down"))
    throttled.response_status_code = 429
    throttled.response_headers = {"retry-after": "0.5"}
    mapped = error_from_exception(throttled)
    assert isinstance(mapped, RateLimitedError)
    assert mapped.retry_after == 0.5


def test_bare_kiota_api_error() -> None:
    from kiota_abstractions.api_error import APIError

    exc = APIError("no error class registered", 503, {"request-id": "r"})
    error = error_from_exception(exc)
    assert isinstance(error, ServiceUnavailableError)
    assert error.request_id == "r"


@pytest.mark.parametrize(
    "exc",
    [
        httpx.ConnectError("refused"),
        httpx.ReadTimeout("slow"),
        httpx.RemoteProtocolError("Server disconnected without sending a response."),
        TimeoutError("timed out"),
        ConnectionResetError("reset"),
    ],
)
def test_transport_failures(exc: Exception) -> None:
    error = error_from_exception(exc, context="POST /education/classes/c/assignments")
    assert isinstance(error, TransportError)
    assert "POST /education/classes/c/assignments" in str(error)


def test_unified_errors_pass_through_and_others_wrap() -> None:
    original = NotFoundError("gone", provider="microsoft")
    assert error_from_exception(original) is original
    wrapped = error_from_exception(KeyError("x"))
    assert type(wrapped) is ProviderError
    assert "KeyError" in str(wrapped)


def test_secrets_never_reach_messages() -> None:
    token = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4eHh4eHh4eCJ9.c2lnbmF0dXJlLXh4eA"
    error = error_from_response(401, {}, {"error": {"code": "x", "message": f"bad {token}"}})
    assert token not in str(error)
    assert token not in (error.platform_message or "")
