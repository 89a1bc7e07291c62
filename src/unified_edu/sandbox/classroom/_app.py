"""The Classroom emulator as the sandbox server sees it: auth, quotas, routing, errors.

:class:`ClassroomApp` implements :class:`PlatformApp` for ``platform == "google"``:
``/v1/...`` (the Classroom API), ``/batch`` and ``/batch/classroom/v1`` (Google's batch
endpoint) and ``/token`` (Google's OAuth token endpoint, for service accounts). The
handlers run one at a time under a lock (the store is plain mutable data); a batch
envelope does not hold it while its parts are dispatched.

This module must not import any platform client.
"""

from __future__ import annotations

import datetime as dt
import math
import secrets
import threading
from collections.abc import Callable
from typing import Literal

from unified_edu.errors import ValidationError
from unified_edu.sandbox._city import City
from unified_edu.sandbox._core import (
    Context,
    PlatformApp,
    Principal,
    QuotaRule,
    SandboxRequest,
    SandboxResponse,
    TenantInfo,
)
from unified_edu.sandbox.classroom import (
    _courses,
    _coursework,
    _guardians,
    _invitations,
    _rosters,
    _rubrics,
    _submissions,
    _topics,
)
from unified_edu.sandbox.classroom._access import Call, Env, scope_url
from unified_edu.sandbox.classroom._batch import handle_batch, is_batch_path
from unified_edu.sandbox.classroom._directory import PREFIX as DIRECTORY_PREFIX
from unified_edu.sandbox.classroom._directory import routes as directory_routes
from unified_edu.sandbox.classroom._errors import (
    ApiError,
    error_response,
    scope_insufficient,
    unauthenticated,
)
from unified_edu.sandbox.classroom._load import load_city
from unified_edu.sandbox.classroom._oauth import ALL_SCOPES, Grant, ServiceAccounts, TokenRegistry
from unified_edu.sandbox.classroom._paging import Pager
from unified_edu.sandbox.classroom._partial import select
from unified_edu.sandbox.classroom._routing import Router
from unified_edu.sandbox.classroom._unimplemented import UNIMPLEMENTED

__all__ = ["ClassroomApp"]

_OAUTH_ENDPOINT = "/token"
_VARY = "Origin, X-Origin, Referer"
_USER_QUOTA = 1200  # queries per minute per user (reference §4.1)
_PROJECT_QUOTA = 3000  # queries per minute per client project


class ClassroomApp(PlatformApp):
    """Google Classroom API v1 over the seeded city's Google schools.

    Args:
        city: The seeded city; only its ``"google"`` schools are served.
        project: The sandbox's own developer project: tokens are issued for it by
            default and the city's ``created_by_app`` homework belongs to it.
        page_size_cap: The largest page the server returns (rosters: 30, rubrics: 1).
        clock: Current UTC time for timestamps (default: the wall clock, but never
            earlier than the city's ``as_of``).
    """

    platform: Literal["google", "microsoft"] = "google"

    def __init__(
        self,
        city: City,
        *,
        project: str = "unified-edu-sandbox",
        page_size_cap: int = 100,
        clock: Callable[[], dt.datetime] | None = None,
    ) -> None:
        if page_size_cap < 1:
            raise ValidationError("page_size_cap must be at least 1", field="page_size_cap")
        store, mint, tenants = load_city(city, project=project)
        self.project = project
        self._tenants = {t.tenant: t for t in tenants}
        self._lock = threading.Lock()
        self._env = Env(
            store=store,
            mint=mint,
            pager=Pager(secrets.token_bytes(32)),
            clock=clock or _city_clock(city),
            page_size_cap=page_size_cap,
        )
        self._router = Router(
            route
            for module in (
                _courses,
                _rosters,
                _invitations,
                _coursework,
                _submissions,
                _topics,
                _rubrics,
                _guardians,
            )
            for route in module.ROUTES
        )
        self._unimplemented = Router(UNIMPLEMENTED)
        # The Admin SDK Directory's users.list (schools by OU): a router of its own, as
        # its routes are not Classroom discovery methods.
        self._directory = Router(directory_routes(city, {t.tenant: t.customer_id for t in tenants}))
        self._tokens = TokenRegistry()
        self._accounts = ServiceAccounts(project, self._tenants, mint)
        self._admin_tokens = {t.tenant: self.issue_token(t.tenant, t.admin_email) for t in tenants}

    # -- PlatformApp -------------------------------------------------------------------

    def owns(self, path: str) -> bool:
        """``/v1/...``, the batch endpoint, ``/token`` and ``/admin/directory/...``."""
        return (
            path.startswith(("/v1/", DIRECTORY_PREFIX))
            or is_batch_path(path)
            or path == _OAUTH_ENDPOINT
        )

    def operation(self, request: SandboxRequest) -> str:
        """The discovery method id; ``"batch"``, ``"oauth.token"`` or ``"unknown"``."""
        if is_batch_path(request.path):
            return "batch"
        if request.path == _OAUTH_ENDPOINT:
            return "oauth.token"
        return (
            self._router.method_id(request.method, request.path)
            or self._directory.method_id(request.method, request.path)
            or self._unimplemented.method_id(request.method, request.path)
            or "unknown"
        )

    def tenant_infos(self) -> list[TenantInfo]:
        """One tenant per Google school domain, with the admin's token and a key file."""
        return [
            TenantInfo(
                platform="google",
                tenant=seed.tenant,
                tenant_id=seed.customer_id,
                school_keys=seed.school_keys,
                admin=seed.admin_email,
                tokens={"admin": self._admin_tokens[seed.tenant]},
                # Built now, not at construction: base_url is known once the server binds.
                service_account=self._accounts.info(seed.tenant, self.base_url),
            )
            for seed in self._tenants.values()
        ]

    def issue_token(
        self,
        tenant: str,
        subject: str,
        *,
        app_only: bool = False,
        scopes: frozenset[str] | None = None,
        project: str | None = None,
    ) -> str:
        """A bearer token for the user ``subject`` (an e-mail) of ``tenant``.

        ``scopes`` may be full URLs or short names (``classroom.courses.readonly``);
        ``None`` grants every Classroom scope. ``project`` defaults to the sandbox's.

        Raises:
            ValidationError: Unknown tenant or user, or ``app_only`` (Classroom has no
                app-only access).
        """
        if app_only:
            raise ValidationError("Classroom has no app-only tokens", field="app_only")
        if tenant not in self._tenants:
            raise ValidationError(f"unknown Google tenant {tenant!r}", field="tenant")
        with self._lock:
            user = self._env.store.user_by_email(subject)
        if user is None or user.tenant not in (tenant, ""):
            raise ValidationError(f"{subject!r} is not a user of {tenant}", field="subject")
        granted = ALL_SCOPES if scopes is None else frozenset(scope_url(s) for s in scopes)
        owner = self.project if project is None else project
        return self._tokens.mint(Grant(tenant, user.email, granted, owner, owner))

    def authenticate(self, request: SandboxRequest) -> Principal | SandboxResponse:
        """Resolve ``Authorization: Bearer`` (or ``access_token``); Google's 401 if bad.

        ``/token`` and a batch envelope need no token of their own (each batch part is
        authenticated when it is dispatched).
        """
        token = _bearer(request)
        grant = self._tokens.resolve(token) if token else None
        if grant is None:
            if request.path == _OAUTH_ENDPOINT or is_batch_path(request.path):
                return Principal(platform="google", tenant="-", subject="anonymous")
            return unauthenticated(missing=not token)
        return Principal(
            platform="google",
            tenant=grant.tenant,
            subject=grant.subject,
            scopes=grant.scopes,
            project=grant.project,
            app_id=grant.app_id,
        )

    def quota_rules(self, principal: Principal, request: SandboxRequest) -> list[QuotaRule]:
        """Per-user and per-project minute quotas; none for a batch envelope, ``/token``
        or the Directory (its quota is not Classroom's)."""
        if (
            is_batch_path(request.path)
            or request.path == _OAUTH_ENDPOINT
            or request.path.startswith(DIRECTORY_PREFIX)
        ):
            return []
        return [
            QuotaRule(key=f"google:user:{principal.subject}", limit=_USER_QUOTA, seconds=60),
            QuotaRule(key=f"google:project:{principal.project}", limit=_PROJECT_QUOTA, seconds=60),
        ]

    def handle(
        self, request: SandboxRequest, principal: Principal, context: Context
    ) -> SandboxResponse:
        """Answer one authenticated call."""
        if is_batch_path(request.path):
            if request.method != "POST":
                return error_response(404, "Method not found.", status="NOT_FOUND")
            return handle_batch(request, context)
        if request.path == _OAUTH_ENDPOINT:
            with self._lock:
                return self._accounts.exchange(
                    request.body,
                    base_url=self.base_url,
                    store=self._env.store,
                    tokens=self._tokens,
                )
        matched = self._router.match(request.method, request.path) or self._directory.match(
            request.method, request.path
        )
        unimplemented = matched is None
        matched = matched or self._unimplemented.match(request.method, request.path)
        if matched is None:
            return error_response(404, "Method not found.", status="NOT_FOUND")
        route, params = matched
        try:
            if not unimplemented and not any(
                scope_url(s) in principal.scopes for s in route.scopes
            ):
                raise scope_insufficient()
            call = Call(self._env, request, principal, params)
            selection = call.selection  # a malformed ``fields`` fails before any work
            with self._lock:
                payload = select(route.handler(call), selection)
        except ApiError as exc:
            return exc.response()
        return SandboxResponse.json_body(200, payload, headers={"Vary": _VARY})

    def error(
        self,
        status: int,
        message: str,
        *,
        request_id: str,
        retry_after: float | None = None,
    ) -> SandboxResponse:
        """Google's error body; ``Retry-After`` in whole seconds when given."""
        headers = {}
        if retry_after is not None:
            headers["Retry-After"] = str(max(1, math.ceil(retry_after)))
        return error_response(status, message, headers=headers)


def _bearer(request: SandboxRequest) -> str | None:
    header = request.header("authorization") or ""
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.param("access_token") or None


def _city_clock(city: City) -> Callable[[], dt.datetime]:
    """Wall-clock time, shifted forward if the city's ``as_of`` lies in the future.

    New timestamps must never precede the seeded data.
    """
    offset = max(dt.timedelta(0), city.as_of - dt.datetime.now(dt.UTC))

    def now() -> dt.datetime:
        return dt.datetime.now(dt.UTC) + offset

    return now
