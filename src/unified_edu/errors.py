"""The one error tree of unified_edu.

Every failure a user can see is an instance of :class:`UnifiedEduError`. Platform
exceptions (``googleapiclient.errors.HttpError``, msgraph's ``ODataError``, httplib2
and httpx transport errors) never escape: each backend has one module that maps them
to the most specific class below and re-raises ``from`` the original.

::

    UnifiedEduError
    ├── ConfigurationError          the tenants file or a constructor argument is wrong
    ├── ValidationError             a value is invalid; raised before any network call
    ├── UnsupportedOperationError   the provider (or its credential kind) cannot do this
    ├── TransportError              the request never got an HTTP answer (reset, timeout, DNS)
    └── ProviderError               the platform answered with an error
        ├── AuthenticationError     401: missing, expired or wrong credentials
        ├── PermissionDeniedError   403: the caller may not do this (scope, role, project)
        ├── NotFoundError           404: no such object, or not visible to the caller
        ├── ConflictError           409 / ALREADY_EXISTS / FAILED_PRECONDITION on state
        ├── RateLimitedError        429: quota exceeded; ``retry_after`` in seconds
        └── ServiceUnavailableError 5xx: the platform failed; usually worth a retry

This module must not import any platform client.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = [
    "AuthenticationError",
    "ConfigurationError",
    "ConflictError",
    "NotFoundError",
    "PermissionDeniedError",
    "ProviderError",
    "RateLimitedError",
    "ServiceUnavailableError",
    "TransportError",
    "UnifiedEduError",
    "UnsupportedOperationError",
    "ValidationError",
    "redact",
]

# Anything that looks like a credential is replaced before it reaches a message or repr:
# bearer tokens, JWTs, OAuth fields in query strings or JSON, PEM private keys.
_SECRET_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+"),
    re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*"),
    re.compile(
        r"(?i)(?<![\w.-])((?:access_token|refresh_token|id_token|client_secret|assertion|password|token)"
        r"[\"']?\s*[:=]\s*[\"']?)[^\"'&\s,}]+"
    ),
    # An OAuth authorization code only in a query string: "code" alone is a common word.
    re.compile(r"([?&]code=)[^&\s\"']+"),
    re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?-----END [A-Z ]*PRIVATE KEY-----", re.S),
)


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """Return ``text`` with credentials replaced by ``***``.

    Args:
        text: Any message, header dump or URL.
        secrets: Exact secret values known to the caller (tokens, client secrets);
            each occurrence is replaced as well.
    """
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "***")
    for pattern in _SECRET_PATTERNS:
        text = pattern.sub(lambda m: (m.group(1) if m.groups() else "") + "***", text)
    return text


class UnifiedEduError(Exception):
    """Root of every error raised by unified_edu."""

    def __init__(self, message: str) -> None:
        self.message = redact(message)
        super().__init__(self.message)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"


class ConfigurationError(UnifiedEduError):
    """The configuration is wrong: a tenants file, a field, a missing extra or credential.

    Attributes:
        file: The configuration file involved, if any.
        tenant: The tenant the problem belongs to, if any.
        field: The offending field (dotted path), if any.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        tenant: str | None = None,
        field: str | None = None,
    ) -> None:
        self.file = file
        self.tenant = tenant
        self.field = field
        where = ", ".join(
            f"{label} {value!r}"
            for label, value in (("file", file), ("tenant", tenant), ("field", field))
            if value
        )
        super().__init__(f"{message} ({where})" if where else message)


class ValidationError(UnifiedEduError, ValueError):
    """A value is invalid. Raised at construction or before the first network call.

    Attributes:
        field: The offending field, if one field is to blame.
        problems: Every problem found, when several were collected at once.
    """

    def __init__(
        self, message: str, *, field: str | None = None, problems: Iterable[str] = ()
    ) -> None:
        self.field = field
        self.problems: tuple[str, ...] = tuple(problems) or (message,)
        super().__init__(message)


class UnsupportedOperationError(UnifiedEduError):
    """The provider, or the kind of credential it runs with, cannot do this.

    Raised before any I/O.

    Attributes:
        provider: The provider's registry name (``"google"``, ``"microsoft"``).
        capability: The capability that is missing (a ``Capability`` value).
    """

    def __init__(self, provider: str, capability: str, reason: str = "") -> None:
        self.provider = provider
        self.capability = capability
        text = f"provider {provider!r} does not support {capability!r}"
        super().__init__(f"{text}: {reason}" if reason else text)


class TransportError(UnifiedEduError):
    """No HTTP answer was received: connection refused or reset, timeout, broken body."""


class ProviderError(UnifiedEduError):
    """The platform answered with an error.

    Attributes:
        provider: The provider's registry name.
        status: The HTTP status code, if there was one.
        code: The platform's error code: Classroom's ``@Reason`` or status
            (``"ProjectPermissionDenied"``, ``"NOT_FOUND"``), Graph's ``error.code``.
        inner_code: Graph's ``innerError.code`` (``"invalidGrading"``), if any.
        platform_message: The platform's own message, unchanged (but redacted).
        request_id: The platform's request id, for a support ticket.
    """

    def __init__(
        self,
        message: str,
        *,
        provider: str,
        status: int | None = None,
        code: str | None = None,
        inner_code: str | None = None,
        platform_message: str | None = None,
        request_id: str | None = None,
    ) -> None:
        self.provider = provider
        self.status = status
        self.code = code
        self.inner_code = inner_code
        self.platform_message = redact(platform_message) if platform_message else None
        self.request_id = request_id
        details = [f"provider={provider}"]
        if status is not None:
            details.append(f"status={status}")
        if code:
            details.append(f"code={code}")
        if inner_code:
            details.append(f"inner_code={inner_code}")
        if request_id:
            details.append(f"request_id={request_id}")
        super().__init__(f"{message} [{', '.join(details)}]")


class AuthenticationError(ProviderError):
    """The credentials were missing, expired or rejected (HTTP 401)."""


class PermissionDeniedError(ProviderError):
    """The caller is authenticated but may not do this (HTTP 403)."""


class NotFoundError(ProviderError):
    """No such object, or it is not visible to the caller (HTTP 404)."""


class ConflictError(ProviderError):
    """The object already exists or is in a state that forbids the change."""


class RateLimitedError(ProviderError):
    """The platform's quota was exceeded (HTTP 429).

    Attributes:
        retry_after: Seconds the platform asked to wait, if it said.
    """

    def __init__(
        self,
        message: str,
        *,
        provider: str,
        retry_after: float | None = None,
        status: int | None = 429,
        code: str | None = None,
        inner_code: str | None = None,
        platform_message: str | None = None,
        request_id: str | None = None,
    ) -> None:
        self.retry_after = retry_after
        super().__init__(
            message,
            provider=provider,
            status=status,
            code=code,
            inner_code=inner_code,
            platform_message=platform_message,
            request_id=request_id,
        )


class ServiceUnavailableError(ProviderError):
    """The platform failed or is overloaded (HTTP 5xx)."""
