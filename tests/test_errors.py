"""The error tree: one root, typed classes, platform details, no secrets."""

from __future__ import annotations

import pytest

import unified_edu
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
    UnsupportedOperationError,
    ValidationError,
)
from unified_edu.errors import redact

TOKEN = "ya29.a0AfB_byC1234567890abcdefghijklmnopqrstuvwxyz"
JWT = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2dyYXBoIn0.c2lnbmF0dXJlLXZhbHVl"


def test_every_error_has_one_root() -> None:
    classes = [
        getattr(unified_edu, name)
        for name in unified_edu.__all__
        if isinstance(getattr(unified_edu, name), type)
        and issubclass(getattr(unified_edu, name), BaseException)
    ]
    assert len(classes) == 12
    assert all(issubclass(cls, UnifiedEduError) for cls in classes)


@pytest.mark.parametrize(
    "cls",
    [
        AuthenticationError,
        PermissionDeniedError,
        NotFoundError,
        ConflictError,
        ServiceUnavailableError,
    ],
)
def test_provider_errors_carry_platform_details(cls: type[ProviderError]) -> None:
    error = cls(
        "cannot grade",
        provider="microsoft",
        status=400,
        code="badRequest",
        inner_code="invalidGrading",
        platform_message="Points must be less than 9999999 when using PointsGradeType.",
        request_id="b0b6a6c0-0000-4000-8000-000000000001",
    )
    assert isinstance(error, ProviderError)
    assert error.code == "badRequest"
    assert error.inner_code == "invalidGrading"
    assert error.request_id == "b0b6a6c0-0000-4000-8000-000000000001"
    text = str(error)
    assert "request_id=b0b6a6c0-0000-4000-8000-000000000001" in text
    assert "inner_code=invalidGrading" in text
    assert "status=400" in text


def test_rate_limited_keeps_retry_after() -> None:
    error = RateLimitedError("slow down", provider="google", retry_after=2.128)
    assert error.retry_after == 2.128
    assert error.status == 429


def test_validation_error_is_a_value_error_with_problems() -> None:
    error = ValidationError("3 rows are invalid", problems=["row 2: x", "row 5: y", "row 9: z"])
    assert isinstance(error, ValueError)
    assert error.problems == ("row 2: x", "row 5: y", "row 9: z")
    assert ValidationError("one").problems == ("one",)


def test_configuration_error_names_file_tenant_and_field() -> None:
    error = ConfigurationError(
        "missing value", file="city.toml", tenant="plovdiv", field="credentials.file"
    )
    assert "city.toml" in str(error)
    assert "plovdiv" in str(error)
    assert "credentials.file" in str(error)


def test_unsupported_names_provider_and_capability() -> None:
    error = UnsupportedOperationError("google", "excuse", "Classroom has no excuse action")
    assert error.provider == "google"
    assert error.capability == "excuse"
    assert "google" in str(error)
    assert "excuse" in str(error)


@pytest.mark.parametrize(
    "leaky",
    [
        f"Authorization: Bearer {TOKEN}",
        f"token={JWT} failed",
        f'{{"access_token": "{TOKEN}", "expires_in": 3599}}',
        f"client_secret={TOKEN}&grant_type=client_credentials",
        "key -----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0B\n-----END PRIVATE KEY----- end",
    ],
)
def test_no_secret_in_message_or_repr(leaky: str) -> None:
    for error in (
        UnifiedEduError(leaky),
        TransportError(leaky),
        ProviderError(leaky, provider="google", platform_message=leaky),
        RateLimitedError(leaky, provider="microsoft", platform_message=leaky),
    ):
        for rendered in (str(error), repr(error), str(getattr(error, "platform_message", ""))):
            assert TOKEN not in rendered
            assert JWT not in rendered
            assert "MIIEvQIBADANBgkqhkiG9w0B" not in rendered


def test_redact_leaves_file_names_alone() -> None:
    text = "cannot read /etc/unified-edu/nowhere.token: No such file"
    assert redact(text) == text
    assert redact("token: abc123") == "token: ***"


def test_redact_known_secret_values() -> None:
    assert redact("the secret is s3cr3t-value", ["s3cr3t-value"]) == "the secret is ***"
    assert redact("nothing to hide") == "nothing to hide"
