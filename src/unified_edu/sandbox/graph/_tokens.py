"""Bearer tokens of the emulated Microsoft tenant.

Owns minting and checking JWT-shaped access tokens with the claims Graph tokens carry
(``tid``, ``appid``, ``aud``, ``oid``; ``roles`` app-only, ``scp`` delegated). Real
clients never verify a Graph token's signature, so the signature here is an HMAC with a
key derived from the seed: it lets the emulator tell its own tokens from forged ones
without keeping a list.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Callable
from typing import Any

from unified_edu.sandbox._core import Principal

__all__ = ["ALL_APP_ROLES", "ALL_DELEGATED_SCOPES", "GRAPH_AUDIENCE", "TokenIssuer"]

GRAPH_AUDIENCE = "https://graph.microsoft.com"
# Graph's own application id: tokens may name it instead of the URL as their audience.
_GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000"

#: Application permissions (``roles``); only ``.All`` forms exist app-only (reference §3.1).
ALL_APP_ROLES = frozenset(
    {
        "EduAssignments.ReadBasic.All",
        "EduAssignments.Read.All",
        "EduAssignments.ReadWriteBasic.All",
        "EduAssignments.ReadWrite.All",
        "EduRoster.ReadBasic.All",
        "EduRoster.Read.All",
        "EduRoster.ReadWrite.All",
        "Member.Read.Hidden",
    }
)
#: Delegated permissions (``scp``).
ALL_DELEGATED_SCOPES = frozenset(
    {
        "EduAssignments.ReadBasic",
        "EduAssignments.Read",
        "EduAssignments.ReadWriteBasic",
        "EduAssignments.ReadWrite",
        "EduRoster.ReadBasic",
        "EduRoster.Read",
        "EduRoster.ReadWrite",
        "User.Read",
    }
)
_LIFETIME = dt.timedelta(days=3650)
_VERIFIED_MAX = 256


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class TokenIssuer:
    """Mints and checks the tenant's tokens.

    Args:
        seed: The city's seed (token keys and ids derive from it).
        tenant: Tenant name (``Principal.tenant``).
        tenant_id: Tenant GUID (``tid``).
        app_id: The default client application's id (``appid``).
        issued_at: ``iat`` of every token (the city's "today").
        resolve_user: Maps a user id or UPN to ``(user id, display name, upn)``.
    """

    def __init__(
        self,
        *,
        seed: int,
        tenant: str,
        tenant_id: str,
        app_id: str,
        issued_at: dt.datetime,
        resolve_user: Callable[[str], tuple[str, str, str] | None],
    ) -> None:
        self.tenant = tenant
        self.tenant_id = tenant_id
        self.app_id = app_id
        self._issued_at = int(issued_at.timestamp())
        self._resolve_user = resolve_user
        self._key = hashlib.sha256(f"graph-sandbox:{seed}:{tenant_id}".encode()).digest()
        # verify() is a pure function of the token: remember the principals of the few
        # tokens in use (every call and batch part checks its token again).
        self._verified: dict[str, Principal] = {}

    def mint(self, subject: str, *, app_only: bool, scopes: frozenset[str] | None) -> str:
        """A token for ``subject`` (a user id or UPN; app-only: the app id or empty).

        Raises:
            ValueError: A delegated subject that is no user of the tenant.
        """
        claims: dict[str, Any] = {
            "aud": GRAPH_AUDIENCE,
            "iss": f"https://sts.windows.net/{self.tenant_id}/",
            "iat": self._issued_at,
            "nbf": self._issued_at,
            "exp": self._issued_at + int(_LIFETIME.total_seconds()),
            "app_displayname": "unified_edu sandbox client",
            "appidacr": "1",
            "tid": self.tenant_id,
            "ver": "1.0",
        }
        if app_only:
            app_id = subject or self.app_id
            claims |= {
                "appid": app_id,
                "idtyp": "app",
                "oid": _service_principal_id(app_id),
                "sub": _service_principal_id(app_id),
                "roles": sorted(ALL_APP_ROLES if scopes is None else scopes),
            }
        else:
            found = self._resolve_user(subject)
            if found is None:
                raise ValueError(f"no user {subject!r} in tenant {self.tenant!r}")
            user_id, name, upn = found
            claims |= {
                "appid": self.app_id,
                "idtyp": "user",
                "name": name,
                "oid": user_id,
                "sub": user_id,
                "upn": upn,
                "unique_name": upn,
                "scp": " ".join(sorted(ALL_DELEGATED_SCOPES if scopes is None else scopes)),
            }
        header = {"typ": "JWT", "alg": "RS256", "kid": "sandbox"}
        signing_input = (
            _b64(json.dumps(header, separators=(",", ":")).encode())
            + "."
            + _b64(json.dumps(claims, separators=(",", ":"), ensure_ascii=False).encode())
        )
        return f"{signing_input}.{self._sign(signing_input)}"

    def verify(self, token: str) -> Principal | None:
        """The caller behind ``token``; ``None`` when it is not a valid token of ours."""
        known = self._verified.get(token)
        if known is not None:
            return known
        principal = self._verify(token)
        if principal is not None:
            if len(self._verified) >= _VERIFIED_MAX:
                self._verified.clear()
            self._verified[token] = principal
        return principal

    def _verify(self, token: str) -> Principal | None:
        parts = token.split(".")
        if len(parts) != 3:
            return None
        signing_input = f"{parts[0]}.{parts[1]}"
        if not hmac.compare_digest(parts[2], self._sign(signing_input)):
            return None
        try:
            claims = json.loads(_unb64(parts[1]))
        except (ValueError, binascii.Error):
            return None
        if claims.get("tid") != self.tenant_id or claims.get("aud") not in {
            GRAPH_AUDIENCE,
            _GRAPH_APP_ID,
        }:
            return None
        app_only = claims.get("idtyp") == "app"
        granted = claims.get("roles", []) if app_only else str(claims.get("scp", "")).split()
        return Principal(
            platform="microsoft",
            tenant=self.tenant,
            subject=str(claims["appid"] if app_only else claims["oid"]),
            app_only=app_only,
            scopes=frozenset(granted),
            app_id=str(claims["appid"]),
        )

    def _sign(self, signing_input: str) -> str:
        return _b64(hmac.new(self._key, signing_input.encode(), hashlib.sha256).digest())


def _service_principal_id(app_id: str) -> str:
    """The object id of an app's service principal in the tenant (stable per app id)."""
    digest = hashlib.sha256(f"sp:{app_id}".encode()).hexdigest()
    return f"{digest[:8]}-{digest[8:12]}-4{digest[13:16]}-a{digest[17:20]}-{digest[20:32]}"
