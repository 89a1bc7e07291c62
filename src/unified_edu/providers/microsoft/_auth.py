"""Credentials for Graph: app-only, delegated (a teacher's device-code sign-in), static tokens.

Owns the credential kinds, whether a credential is app-only or delegated (which decides
what the provider may do, reference §3.1), national clouds (Graph host + Entra authority)
and the token cache of a delegated sign-in. Azure and kiota modules are imported only
when a credential is turned into an authentication provider, so building a
:class:`GraphCredentials` costs nothing.

Token cache of the device-code sign-in: the tokens themselves live in azure-identity's
persistent cache (msal-extensions). Where the OS keyring is not usable (a Linux server
without libsecret, as here), msal-extensions can only keep them as plaintext in
``~/.IdentityService/<cache_name>``, created with mode 0600; that happens only when the
caller passes ``allow_unencrypted_cache=True``. Which account to use silently is an
``AuthenticationRecord`` (no secret inside) kept in ``record_path``, also written 0600.

This module must not import msgraph.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import attrs

from unified_edu.errors import ConfigurationError

__all__ = [
    "CLOUDS",
    "DELEGATED_TEACHER_SCOPES",
    "AuthMode",
    "Cloud",
    "GraphCredentials",
    "token_claims",
]

AuthMode = Literal["app_only", "delegated"]


@attrs.frozen
class Cloud:
    """A Microsoft cloud: where Graph is and where its tokens come from.

    Attributes:
        name: ``"global"``, ``"us_gov"``, ``"us_dod"``, ``"china"``, ``"germany"``.
        graph_host: msgraph_core ``NationalClouds`` value (``"https://graph.microsoft.us"``).
        authority: Entra ID login host (azure-identity ``AzureAuthorityHosts``).
    """

    name: str
    graph_host: str
    authority: str

    @property
    def base_url(self) -> str:
        """Graph v1.0 root in this cloud."""
        return f"{self.graph_host}/v1.0"

    @property
    def users_ref_base(self) -> str:
        """What ``@odata.id`` of a ``$ref`` names in this cloud."""
        return f"{self.graph_host}/v1.0/education/users/"


#: msgraph_core.NationalClouds with the matching authorities (a test checks the hosts).
#: Graph's education APIs are documented as global-service only; the others are here for
#: tenants where Microsoft enables them.
CLOUDS: dict[str, Cloud] = {
    "global": Cloud("global", "https://graph.microsoft.com", "login.microsoftonline.com"),
    "us_gov": Cloud("us_gov", "https://graph.microsoft.us", "login.microsoftonline.us"),
    "us_dod": Cloud("us_dod", "https://dod-graph.microsoft.us", "login.microsoftonline.us"),
    "china": Cloud("china", "https://microsoftgraph.chinacloudapi.cn", "login.chinacloudapi.cn"),
    "germany": Cloud("germany", "https://graph.microsoft.de", "login.microsoftonline.de"),
}

#: What a teacher's device-code sign-in asks for: homework with grades, the roster.
DELEGATED_TEACHER_SCOPES: tuple[str, ...] = (
    "EduAssignments.ReadWrite",
    "EduRoster.ReadBasic",
    "User.Read",
)


def token_claims(token: str) -> dict[str, Any]:
    """The claims of a JWT-shaped access token, decoded WITHOUT verifying it.

    Used only to tell app-only (``roles``) from delegated (``scp``) tokens; Graph checks
    the signature. Returns ``{}`` for an opaque token.
    """
    parts = token.split(".")
    if len(parts) != 3:
        return {}
    try:
        claims = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return {}
    return claims if isinstance(claims, dict) else {}


def _mode_of(claims: dict[str, Any]) -> AuthMode | None:
    if claims.get("roles") is not None and not claims.get("scp"):
        return "app_only"
    if claims.get("scp"):
        return "delegated"
    return None


def write_private(path: Path, data: str) -> None:
    """Write ``data`` to ``path`` with mode 0600 (created so, never world-readable)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(data)
    os.chmod(path, 0o600)  # an existing file keeps its old mode through O_CREAT


class _ThreadedCredential:
    """An async face for a sync azure credential (DeviceCodeCredential has no aio twin).

    ``get_token`` runs in a worker thread, so a sign-in waiting for the user never blocks
    the provider's event loop.
    """

    def __init__(self, credential: Any) -> None:
        self._credential = credential

    async def get_token(self, *scopes: str, **kwargs: Any) -> Any:
        return await asyncio.to_thread(self._credential.get_token, *scopes, **kwargs)

    async def close(self) -> None:
        close = getattr(self._credential, "close", None)
        if close is not None:
            close()


@attrs.frozen(kw_only=True)
class GraphCredentials:
    """How the provider authenticates to Graph. Build one with a named constructor.

    Attributes:
        mode: ``"app_only"`` (client credentials: no user) or ``"delegated"`` (a signed-in
            teacher or student).
        cloud: The Microsoft cloud.
        subject: Who calls, when known: the user's object id (delegated) or the app id.
        app_id: The calling application (client) id, when known: Graph's quotas count
            per app per tenant.
        scopes: Scopes requested per token (full URIs).
        token: A static bearer token, for :meth:`from_token`.
        factory: Builds the azure credential (called once, on the provider's loop).
        prepare: Runs once before the first request (device code: sign in, save record).
    """

    mode: AuthMode
    cloud: Cloud = CLOUDS["global"]
    subject: str | None = None
    app_id: str | None = None
    scopes: tuple[str, ...] = ()
    token: str | None = attrs.field(default=None, repr=False)
    factory: Callable[[], Any] | None = attrs.field(default=None, repr=False)
    prepare: Callable[[Any], None] | None = attrs.field(default=None, repr=False)

    @classmethod
    def from_token(cls, token: str, *, mode: AuthMode | None = None) -> GraphCredentials:
        """A fixed bearer token (the sandbox's, or one obtained elsewhere).

        The mode comes from the token's claims (``roles`` → app-only, ``scp`` →
        delegated), decoded without verification, unless ``mode`` is given.

        Raises:
            ConfigurationError: for an empty token, or an opaque one without ``mode``.
        """
        if not token or not token.strip():
            raise ConfigurationError("the Graph bearer token is empty", field="token")
        claims = token_claims(token.strip())
        found = mode or _mode_of(claims)
        if found is None:
            raise ConfigurationError(
                "cannot tell whether this Graph token is app-only or delegated (no 'roles' or "
                "'scp' claim); pass mode='app_only' or mode='delegated'",
                field="token",
            )
        subject = claims.get("appid") if found == "app_only" else claims.get("oid")
        return cls(mode=found, subject=subject, app_id=claims.get("appid"), token=token.strip())

    @classmethod
    def from_client_secret(
        cls, tenant_id: str, client_id: str, client_secret: str, *, cloud: str = "global"
    ) -> GraphCredentials:
        """App-only client credentials with a client secret (Entra app registration)."""
        where = _cloud(cloud)

        def build() -> Any:
            from azure.identity.aio import ClientSecretCredential

            return ClientSecretCredential(
                tenant_id, client_id, client_secret, authority=where.authority
            )

        return cls(
            mode="app_only",
            cloud=where,
            subject=client_id,
            app_id=client_id,
            scopes=(f"{where.graph_host}/.default",),
            factory=build,
        )

    @classmethod
    def from_certificate(
        cls,
        tenant_id: str,
        client_id: str,
        certificate_path: str | Path,
        *,
        password: str | None = None,
        cloud: str = "global",
    ) -> GraphCredentials:
        """App-only client credentials with a certificate (PEM or PKCS12 with its key).

        Raises:
            ConfigurationError: when the certificate file does not exist.
        """
        where = _cloud(cloud)
        path = Path(certificate_path).expanduser()
        if not path.is_file():
            raise ConfigurationError(f"no certificate file at {path}", field="certificate_path")

        def build() -> Any:
            from azure.identity.aio import CertificateCredential

            return CertificateCredential(
                tenant_id,
                client_id,
                str(path),
                password=password.encode() if password else None,
                authority=where.authority,
            )

        return cls(
            mode="app_only",
            cloud=where,
            subject=client_id,
            app_id=client_id,
            scopes=(f"{where.graph_host}/.default",),
            factory=build,
        )

    @classmethod
    def from_device_code(
        cls,
        tenant_id: str,
        client_id: str,
        *,
        record_path: str | Path | None = None,
        scopes: tuple[str, ...] = DELEGATED_TEACHER_SCOPES,
        cloud: str = "global",
        cache_name: str = "unified_edu",
        allow_unencrypted_cache: bool = False,
        prompt: Callable[[str, str, Any], None] | None = None,
    ) -> GraphCredentials:
        """Delegated sign-in of a teacher (or student) with a device code, for a notebook.

        The first use prints (or passes to ``prompt``) a code to enter at
        microsoft.com/devicelogin; later runs sign in silently from the token cache.

        Args:
            record_path: Where the account record goes (default
                ``~/.config/unified_edu/graph-<tenant>-<client>.json``), mode 0600.
            scopes: Delegated permissions to ask for (short names).
            cache_name: Name of azure-identity's persistent token cache.
            allow_unencrypted_cache: Keep tokens as a 0600 plaintext file when the OS
                keyring is unavailable; without it such a machine cannot cache tokens.
            prompt: ``prompt(verification_uri, user_code, expires_on)``.
        """
        where = _cloud(cloud)
        record = Path(record_path or _default_record(tenant_id, client_id)).expanduser()
        full_scopes = tuple(f"{where.graph_host}/{scope}" for scope in scopes)

        def build() -> Any:
            from azure.identity import (
                AuthenticationRecord,
                DeviceCodeCredential,
                TokenCachePersistenceOptions,
            )

            saved = (
                AuthenticationRecord.deserialize(record.read_text(encoding="utf-8"))
                if record.is_file()
                else None
            )
            options: dict[str, Any] = {
                "tenant_id": tenant_id,
                "authority": where.authority,
                "cache_persistence_options": TokenCachePersistenceOptions(
                    name=cache_name, allow_unencrypted_storage=allow_unencrypted_cache
                ),
                "authentication_record": saved,
            }
            if prompt is not None:
                options["prompt_callback"] = prompt
            return _ThreadedCredential(DeviceCodeCredential(client_id, **options))

        def sign_in(credential: Any) -> None:
            if record.is_file():
                return
            inner = (
                credential._credential
                if isinstance(credential, _ThreadedCredential)
                else credential
            )
            result = inner.authenticate(scopes=list(full_scopes))
            write_private(record, result.serialize())

        return cls(
            mode="delegated",
            cloud=where,
            app_id=client_id,
            scopes=full_scopes,
            factory=build,
            prepare=sign_in,
        )

    @classmethod
    def from_credential(
        cls,
        credential: Any,
        *,
        mode: AuthMode,
        scopes: tuple[str, ...] | None = None,
        cloud: str = "global",
        subject: str | None = None,
    ) -> GraphCredentials:
        """Any azure-identity credential (sync or aio), with its mode stated by the caller."""
        where = _cloud(cloud)
        return cls(
            mode=mode,
            cloud=where,
            subject=subject,
            scopes=scopes or (f"{where.graph_host}/.default",),
            factory=lambda: credential,
        )

    def with_cloud(self, cloud: str) -> GraphCredentials:
        """The same credentials pointed at another cloud (static tokens only need this)."""
        return attrs.evolve(self, cloud=_cloud(cloud))


def _cloud(name: str) -> Cloud:
    try:
        return CLOUDS[name]
    except KeyError:
        known = ", ".join(sorted(CLOUDS))
        raise ConfigurationError(f"unknown cloud {name!r}; known: {known}", field="cloud") from None


def _default_record(tenant_id: str, client_id: str) -> Path:
    return Path("~/.config/unified_edu") / f"graph-{tenant_id}-{client_id}.json"
