"""The Google Classroom provider: construction, credentials and capabilities.

:class:`GoogleClassroomProvider` is one Google Workspace domain behind the unified
interface. Its reads, whole-domain read, writes and grading live in mixins
(``_reads.py``, ``_snapshot.py``, ``_writes.py``, ``_grading.py``) over a shared core
(``_core.py``); this module assembles them and owns the named constructors and the
capability declaration.

Only :mod:`unified_edu.providers.google` imports this module.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from google.auth.credentials import Credentials as BaseCredentials
from google.oauth2 import credentials as user_credentials

from unified_edu._ratelimit import RateLimiter
from unified_edu._retry import RetryPolicy
from unified_edu.config import CityConfig, TenantConfig
from unified_edu.errors import ConfigurationError
from unified_edu.providers._capabilities import Capability
from unified_edu.providers.google import _auth as auth
from unified_edu.providers.google._config import from_tenant_config
from unified_edu.providers.google._grading import GradingMixin
from unified_edu.providers.google._org_units import DIRECTORY_SCOPE, OrgUnits
from unified_edu.providers.google._reads import ReadsMixin
from unified_edu.providers.google._snapshot import SnapshotMixin
from unified_edu.providers.google._transport import DEFAULT_ENDPOINT, Transport, TransportStats
from unified_edu.providers.google._writes import WritesMixin

__all__ = ["GoogleClassroomProvider"]

_UNSUPPORTED = {
    Capability.FEEDBACK: (
        "the Classroom API has no feedback or comments on submissions (private comments "
        "exist only in the web UI); grades are numbers only"
    ),
    Capability.EXCUSE: "Classroom has no excused state for a submission",
    Capability.REASSIGN: (
        "Classroom cannot send work back for revision through the API: a teacher can only "
        "return it (return_submission), and only the student can reclaim it"
    ),
}


class GoogleClassroomProvider(GradingMixin, WritesMixin, SnapshotMixin, ReadsMixin):
    """One Google Workspace domain on Classroom API v1.

    Build it with a named constructor: :meth:`from_service_account_file` /
    :meth:`from_service_account_info` (domain-wide delegation: the admin for rosters,
    a teacher of the course for homework and grading), :meth:`from_authorized_user_file`
    (a teacher's own OAuth login) or :meth:`from_token` (a static bearer token).

    Args:
        tenant: The tenant's name; every returned object's ``ref.tenant``.
        credentials: An :class:`~unified_edu.providers.google._auth.Auth` or a ready
            google-auth credential (every call then runs as its user).
        domain: The Workspace domain, the native id of the tenant's default School
            (default: ``tenant``).
        school_name: The default School's display name (default: the domain).
        org_units: Optional OU path → school name (``{"/Schools/A": "ОУ ..."}``): each
            OU becomes a School (its id: the path) and a class belongs to the school of
            its owner's OU (longest configured path); others stay in the domain school.
            Costs one Admin SDK Directory ``users.list`` of the domain per provider and
            the ``admin.directory.user.readonly`` scope (see ``_org_units.py``).
        directory_endpoint: The Admin SDK base URL (default: Google's, or ``endpoint``
            when that is not Classroom's own, as for the sandbox).
        endpoint: The Classroom API base URL; applies to every call, batches included.
        time_zone: The zone of date-only deadlines when writing (a date becomes 23:59 of
            that day there, then UTC; Classroom stores only UTC instants).
        allow_extra_credit: Allow grades above the homework's maximum.
        retry: The retry policy (googleapiclient's own retries stay off).
        quota_share: The share of Classroom's quotas (1,200 calls/min per user, 3,000 per
            project) the client allows itself; every call in a batch counts.
        project_limiter: A project-wide limiter to share between providers (default:
            one per developer project in this process).
        concurrency: Batches in flight at once for multi-class reads.
        timeout: Socket timeout per HTTP request, seconds.
    """

    name = "google"
    CAPABILITIES: ClassVar[frozenset[Capability]] = frozenset(Capability) - frozenset(_UNSUPPORTED)

    def __init__(
        self,
        *,
        tenant: str,
        credentials: auth.Auth | BaseCredentials,
        domain: str | None = None,
        school_name: str | None = None,
        org_units: Mapping[str, str] | None = None,
        endpoint: str = DEFAULT_ENDPOINT,
        directory_endpoint: str | None = None,
        time_zone: str | dt.tzinfo = "UTC",
        allow_extra_credit: bool = False,
        retry: RetryPolicy | None = None,
        quota_share: float = 0.9,
        project_limiter: RateLimiter | None = None,
        concurrency: int = 1,
        timeout: float = 60.0,
    ) -> None:
        if not 0 < quota_share <= 1:
            raise ConfigurationError("quota_share must be in (0, 1]", field="quota_share")
        strategy = (
            credentials if isinstance(credentials, auth.Auth) else auth.FixedAuth(credentials)
        )
        try:
            zone = ZoneInfo(time_zone) if isinstance(time_zone, str) else time_zone
        except (KeyError, ValueError) as exc:
            raise ConfigurationError(f"unknown time zone {time_zone!r}", field="time_zone") from exc
        transport = Transport(
            strategy,
            endpoint=endpoint,
            retry=retry,
            timeout=timeout,
            quota_share=quota_share,
            project_limiter=project_limiter,
            directory_endpoint=directory_endpoint,
        )
        where = domain or tenant
        units = OrgUnits.parse(org_units, tenant=tenant) if org_units is not None else None
        super().__init__(
            tenant=tenant,
            transport=transport,
            domain=where,
            school_name=school_name or where,
            org_units=units,
            time_zone=zone,
            allow_extra_credit=allow_extra_credit,
            concurrency=concurrency,
        )

    # -- named constructors -------------------------------------------------------------

    @classmethod
    def from_config(cls, tenant: TenantConfig, city: CityConfig) -> GoogleClassroomProvider:
        """Build from a ``[[tenants]]`` entry (see ``_config.py`` for the fields)."""
        return from_tenant_config(cls, tenant, city)

    @classmethod
    def from_service_account_info(
        cls,
        info: Mapping[str, Any],
        *,
        admin: str,
        tenant: str | None = None,
        scopes: Sequence[str] = auth.SCOPES,
        **options: Any,
    ) -> GoogleClassroomProvider:
        """Domain-wide delegation from a parsed service-account key.

        With ``org_units`` among the options, the Directory scope
        (``admin.directory.user.readonly``) is requested too; without, it never is.

        Args:
            info: The key JSON, parsed.
            admin: The domain admin to impersonate for courses, rosters and guardians.
            tenant: The tenant name (default: the admin's domain).
            scopes: The scopes authorised in the Admin console (see docs/google.md).
            **options: Other constructor arguments (``endpoint``, ``school_name``,
                ``org_units``...).

        Raises:
            ConfigurationError: For a malformed key or admin.
        """
        if options.get("org_units") is not None and DIRECTORY_SCOPE not in scopes:
            scopes = (*scopes, DIRECTORY_SCOPE)
        strategy = auth.service_account_auth(info, admin=admin, scopes=scopes)
        name = tenant or admin.partition("@")[2]
        return cls(tenant=name, credentials=strategy, **options)

    @classmethod
    def from_service_account_file(
        cls,
        path: str | os.PathLike[str],
        *,
        admin: str,
        tenant: str | None = None,
        scopes: Sequence[str] = auth.SCOPES,
        **options: Any,
    ) -> GoogleClassroomProvider:
        """Domain-wide delegation from a service-account key file (see
        :meth:`from_service_account_info`)."""
        try:
            info = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ConfigurationError(
                f"cannot read the service-account key: {type(exc).__name__}", file=str(path)
            ) from exc
        return cls.from_service_account_info(
            info, admin=admin, tenant=tenant, scopes=scopes, **options
        )

    @classmethod
    def from_authorized_user_file(
        cls,
        path: str | os.PathLike[str],
        *,
        tenant: str,
        scopes: Sequence[str] = auth.SCOPES,
        client_secrets_file: str | os.PathLike[str] | None = None,
        flow: Callable[[Sequence[str]], user_credentials.Credentials] | None = None,
        **options: Any,
    ) -> GoogleClassroomProvider:
        """A teacher's own OAuth login, cached in ``path`` with 0600 permissions.

        The browser consent flow runs only when the cache holds no valid token covering
        ``scopes``; it needs ``client_secrets_file`` (an OAuth "Desktop app" client).
        Every call runs as that teacher: no impersonation.
        """
        strategy = auth.authorized_user_auth(
            path, scopes=scopes, client_secrets_file=client_secrets_file, flow=flow
        )
        return cls(tenant=tenant, credentials=strategy, **options)

    @classmethod
    def from_token(
        cls,
        token: str,
        *,
        tenant: str,
        scopes: Iterable[str] | None = None,
        **options: Any,
    ) -> GoogleClassroomProvider:
        """A static bearer token (tests, short scripts). It cannot be refreshed.

        Args:
            token: The access token.
            tenant: The tenant name (its domain).
            scopes: The token's scopes, if known (narrows :attr:`capabilities`).
        """
        return cls(tenant=tenant, credentials=auth.token_auth(token, scopes=scopes), **options)

    # -- capabilities and lifecycle -----------------------------------------------------

    @property
    def capabilities(self) -> frozenset[Capability]:
        """:attr:`CAPABILITIES`, narrowed to what the granted scopes allow (when known)."""
        granted = self._transport.auth.scopes
        if granted is None:
            return self.CAPABILITIES
        return frozenset(
            c
            for c in self.CAPABILITIES
            if c not in auth.CAPABILITY_SCOPES or auth.CAPABILITY_SCOPES[c] & granted
        )

    def unsupported_reason(self, capability: Capability) -> str:
        """Why ``capability`` is missing: a Classroom limit or a missing scope."""
        if capability in _UNSUPPORTED:
            return _UNSUPPORTED[capability]
        needed = auth.CAPABILITY_SCOPES.get(capability)
        if needed:
            return "the credentials lack the scope " + " or ".join(sorted(needed))
        return ""

    @property
    def stats(self) -> TransportStats:
        """What was sent so far: HTTP requests, calls, batches, by user and method."""
        return self._transport.stats

    @property
    def endpoint(self) -> str:
        """The Classroom API base URL in use."""
        return self._transport.endpoint

    def close(self) -> None:
        """Close every connection (idempotent)."""
        self._transport.close()
