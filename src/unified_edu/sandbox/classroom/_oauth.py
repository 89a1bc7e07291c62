"""Bearer tokens, service-account keys and Google's OAuth token endpoint (``POST /token``).

Tokens are random opaque strings (shaped like Google's ``ya29.`` access tokens) mapped to
what they grant. Each tenant has a service account in the sandbox's developer project,
with domain-wide delegation for every Classroom scope: ``google-auth`` signs a JWT
(RS256) with the key from :meth:`ServiceAccounts.info` and trades it here for a token,
exactly as against ``oauth2.googleapis.com`` (RFC 7523 ``jwt-bearer`` grant). Errors are
Google's OAuth errors: HTTP 400 ``{"error", "error_description"}``.

One RSA key is shared by all tenants, and by every app in the process (generating a
2048-bit key takes up to a second); each tenant has its own ``client_email``,
``client_id`` and ``private_key_id``.

This module must not import any platform client (``cryptography`` is not one).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import secrets
import threading
import time
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qs, quote

import attrs
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from unified_edu.sandbox._core import SandboxResponse
from unified_edu.sandbox.classroom._access import SCOPE_PREFIX
from unified_edu.sandbox.classroom._ids import IdMint
from unified_edu.sandbox.classroom._store import Store

__all__ = ["ALL_SCOPES", "Grant", "ServiceAccounts", "TokenRegistry"]

ALL_SCOPES: frozenset[str] = frozenset(
    SCOPE_PREFIX + "classroom." + name
    for name in [
        "addons.student",
        "addons.teacher",
        "announcements",
        "announcements.readonly",
        "courses",
        "courses.readonly",
        "coursework.me",
        "coursework.me.readonly",
        "coursework.students",
        "coursework.students.readonly",
        "courseworkmaterials",
        "courseworkmaterials.readonly",
        "guardianlinks.me.readonly",
        "guardianlinks.students",
        "guardianlinks.students.readonly",
        "profile.emails",
        "profile.photos",
        "push-notifications",
        "rosters",
        "rosters.readonly",
        "student-submissions.me.readonly",
        "student-submissions.students.readonly",
        "topics",
        "topics.readonly",
    ]
) | {SCOPE_PREFIX + "admin.directory.user.readonly"}  # for schools by OU (_directory.py)
# google-auth always sends this audience, whatever the key file's token_uri says.
GOOGLE_OAUTH_AUDIENCE = "https://oauth2.googleapis.com/token"
_JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
_LIFETIME = 3600
_UNAUTHORIZED = (
    "Client is unauthorized to retrieve access tokens using this method, "
    "or client not authorized for any of the scopes requested."
)
_BAD_TIME = (
    "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable "
    "timeframe. Check your iat and exp values in the JWT claim."
)
_CLOCK_SKEW = 300


@attrs.frozen
class Grant:
    """What a token grants."""

    tenant: str
    subject: str
    scopes: frozenset[str]
    project: str
    app_id: str
    expires_at: float | None = None  # wall-clock seconds; None: never


class TokenRegistry:
    """Opaque bearer tokens → grants (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._grants: dict[str, Grant] = {}

    def mint(self, grant: Grant) -> str:
        """A new token for ``grant``."""
        token = "ya29.sandbox-" + secrets.token_urlsafe(32)
        with self._lock:
            self._grants[token] = grant
        return token

    def resolve(self, token: str) -> Grant | None:
        """The live grant of ``token``, if any."""
        with self._lock:
            grant = self._grants.get(token)
        if grant is None or (grant.expires_at is not None and time.time() >= grant.expires_at):
            return None
        return grant


class _OAuthError(Exception):
    def __init__(self, error: str, description: str) -> None:
        super().__init__(description)
        self.error = error
        self.description = description


def _b64decode(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


@functools.cache
def _shared_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@attrs.frozen
class _Account:
    tenant: str
    client_email: str
    client_id: str
    private_key_id: str


class ServiceAccounts:
    """One service account per tenant, sharing one RSA key.

    Args:
        project: The developer project the accounts belong to.
        tenants: Tenant domains.
        mint: Deterministic ids (client ids).
    """

    def __init__(self, project: str, tenants: Iterable[str], mint: IdMint) -> None:
        self.project = project
        self._key = _shared_key()
        self._pem = self._key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()
        self._accounts: dict[str, _Account] = {}
        for index, tenant in enumerate(tenants, start=1):
            # Service-account ids are at most 30 characters.
            local = f"classroom-{index}-{tenant.split('.')[0]}"[:30].rstrip("-")
            self._accounts[tenant] = _Account(
                tenant=tenant,
                client_email=f"{local}@{project}.iam.gserviceaccount.com",
                client_id=mint.numeric("sa-client", tenant, 21, lead="1"),
                private_key_id=hashlib.sha1(f"{project}:{tenant}".encode()).hexdigest(),  # noqa: S324 - an id, not security
            )
        self._by_email = {a.client_email: a for a in self._accounts.values()}

    def info(self, tenant: str, base_url: str) -> dict[str, Any]:
        """The key file Google issues for the tenant's account (``token_uri`` is ours)."""
        account = self._accounts[tenant]
        return {
            "type": "service_account",
            "project_id": self.project,
            "private_key_id": account.private_key_id,
            "private_key": self._pem,
            "client_email": account.client_email,
            "client_id": account.client_id,
            "auth_uri": "https://accounts.google.com/o/oauth2/auth",
            "token_uri": base_url + "/token",
            "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
            "client_x509_cert_url": (
                "https://www.googleapis.com/robot/v1/metadata/x509/" + quote(account.client_email)
            ),
            "universe_domain": "googleapis.com",
        }

    def exchange(
        self, body: bytes, *, base_url: str, store: Store, tokens: TokenRegistry
    ) -> SandboxResponse:
        """Answer ``POST /token`` (form-encoded ``grant_type`` + ``assertion``)."""
        try:
            form = parse_qs(body.decode("utf-8"), keep_blank_values=True)
            grant_type = form.get("grant_type", [""])[0]
            if grant_type != _JWT_BEARER:
                raise _OAuthError("unsupported_grant_type", f"Invalid grant_type: {grant_type}")
            grant = self._verify(form.get("assertion", [""])[0], base_url, store)
        except _OAuthError as exc:
            payload = {"error": exc.error, "error_description": exc.description}
            return SandboxResponse.json_body(400, payload, headers={"Cache-Control": "no-store"})
        token = tokens.mint(grant)
        return SandboxResponse.json_body(
            200,
            {"access_token": token, "expires_in": _LIFETIME, "token_type": "Bearer"},
            headers={"Cache-Control": "no-store"},
        )

    def _verify(self, assertion: str, base_url: str, store: Store) -> Grant:
        parts = assertion.split(".")
        if len(parts) != 3:
            raise _OAuthError("invalid_grant", "Invalid JWT: malformed assertion.")
        try:
            header = json.loads(_b64decode(parts[0]))
            claims = json.loads(_b64decode(parts[1]))
            signature = _b64decode(parts[2])
        except ValueError:
            raise _OAuthError("invalid_grant", "Invalid JWT: malformed assertion.") from None
        if not isinstance(header, dict) or not isinstance(claims, dict):
            raise _OAuthError("invalid_grant", "Invalid JWT: malformed assertion.")
        account = self._by_email.get(str(claims.get("iss", "")))
        if account is None:
            raise _OAuthError("invalid_grant", "Invalid grant: account not found")
        if header.get("alg") != "RS256" or header.get("kid", account.private_key_id) != (
            account.private_key_id
        ):
            raise _OAuthError("invalid_grant", "Invalid JWT Signature.")
        try:
            self._key.public_key().verify(
                signature,
                f"{parts[0]}.{parts[1]}".encode(),
                padding.PKCS1v15(),
                hashes.SHA256(),
            )
        except InvalidSignature:
            raise _OAuthError("invalid_grant", "Invalid JWT Signature.") from None
        if claims.get("aud") not in (GOOGLE_OAUTH_AUDIENCE, base_url + "/token"):
            message = "Invalid JWT: Failed audience check. The right audience is "
            raise _OAuthError("invalid_grant", message + GOOGLE_OAUTH_AUDIENCE)
        self._check_times(claims)
        requested = frozenset(str(claims.get("scope", "")).split())
        if not requested:
            raise _OAuthError("invalid_scope", "Invalid OAuth scope or ID token audience provided.")
        if not requested <= ALL_SCOPES:
            raise _OAuthError("unauthorized_client", _UNAUTHORIZED)
        subject = account.client_email
        if "sub" in claims:
            user = store.user_by_email(str(claims["sub"]))
            if user is None:
                raise _OAuthError("invalid_grant", "Invalid email or User ID")
            if user.tenant != account.tenant:
                # Delegation is granted per Workspace domain.
                raise _OAuthError("unauthorized_client", _UNAUTHORIZED)
            subject = user.email
        return Grant(
            tenant=account.tenant,
            subject=subject,
            scopes=requested,
            project=self.project,
            app_id=account.client_id,
            expires_at=time.time() + _LIFETIME,
        )

    @staticmethod
    def _check_times(claims: dict[str, Any]) -> None:
        now = time.time()
        try:
            issued, expires = float(claims["iat"]), float(claims["exp"])
        except (KeyError, TypeError, ValueError):
            raise _OAuthError("invalid_grant", _BAD_TIME) from None
        if (
            expires - issued > _LIFETIME
            or issued > now + _CLOCK_SKEW
            or expires < now - _CLOCK_SKEW
        ):
            raise _OAuthError("invalid_grant", _BAD_TIME)
