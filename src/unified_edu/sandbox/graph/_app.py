"""The Microsoft Graph v1.0 education emulator behind the sandbox server.

Owns :class:`GraphApp`, the :class:`~unified_edu.sandbox._core.PlatformApp` for Graph:
bearer-token authentication (Graph's 401 bodies), routing of ``/v1.0/...`` paths to the
handler modules, the quotas each call counts against (reference §4.1), the headers Graph
puts on every answer (``request-id``, ``client-request-id``, ``Preference-Applied``), and
the tenant's ready-made credentials. Handlers own the wire semantics; the store owns the
data.
"""

from __future__ import annotations

import datetime as dt
import itertools
import threading
from collections.abc import Callable, Mapping

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
from unified_edu.sandbox.graph import (
    _assignments,
    _batch,
    _categories,
    _delta,
    _lifecycle,
    _outcomes,
    _resources,
    _roster,
    _rubrics,
    _submissions,
)
from unified_edu.sandbox.graph._errors import (
    GraphError,
    default_code,
    error_response,
    retry_after_text,
)
from unified_edu.sandbox.graph._ids import Clock, guid
from unified_edu.sandbox.graph._load import load_city
from unified_edu.sandbox.graph._routes import Call, Env, Router, Service, split_path
from unified_edu.sandbox.graph._tokens import TokenIssuer

__all__ = ["GraphApp"]

_DEFAULT_CAPS = {"roster": 100, "assignments": 50, "submissions": 100, "other": 100}
_TEACHER_SCOPES = frozenset({"EduAssignments.ReadWrite", "EduRoster.ReadBasic"})
_ALIASES = ("users", "me")


class GraphApp(PlatformApp):
    """Microsoft Graph v1.0 education for the city's single Microsoft tenant.

    Args:
        city: The seeded city; only its ``"microsoft"`` schools are served.
        settle_reads: Reads of a just-published assignment that still show
            ``published`` before it reads ``assigned``.
        page_size_cap: The largest page the server returns, whatever ``$top`` asks: an
            ``int`` for every collection, or a mapping by kind (``roster``,
            ``assignments``, ``submissions``, ``other``) overriding the defaults
            (100, 50, 100, 100).
        default_page_size: Page size when the caller sends no ``$top``.
        clock: "Now" (default: a deterministic clock starting at ``city.as_of``).
    """

    platform = "microsoft"

    def __init__(
        self,
        city: City,
        *,
        settle_reads: int = 2,
        page_size_cap: int | Mapping[str, int] | None = None,
        default_page_size: int = 20,
        clock: Callable[[], dt.datetime] | None = None,
    ) -> None:
        self.city = city
        self._clock = clock or Clock(city.as_of)
        self.store = load_city(city, self._clock)
        caps = dict(_DEFAULT_CAPS)
        if isinstance(page_size_cap, int):
            caps = dict.fromkeys(caps, page_size_cap)
        elif page_size_cap is not None:
            caps.update(page_size_cap)
        self.env = Env(
            store=self.store,
            base_url=lambda: self.base_url,
            settle_reads=settle_reads,
            default_page=default_page_size,
            caps=caps,
        )
        self.app_id = guid(city.seed, "app", "unified_edu")
        self.tokens = TokenIssuer(
            seed=city.seed,
            tenant=self.store.tenant,
            tenant_id=self.store.tenant_id,
            app_id=self.app_id,
            issued_at=city.as_of,
            resolve_user=self._resolve_user,
        )
        self.router = Router(
            [
                *_roster.ROUTES,
                *_delta.ROUTES,
                *_assignments.ROUTES,
                *_lifecycle.ROUTES,
                *_submissions.ROUTES,
                *_outcomes.ROUTES,
                *_resources.ROUTES,
                *_categories.ROUTES,
                *_rubrics.ROUTES,
                *_batch.ROUTES,
            ]
        )
        self._request_numbers = itertools.count(1)
        # The server answers on many threads; the store is not thread-safe. Re-entrant
        # because a $batch envelope dispatches its parts from inside handle().
        self._lock = threading.RLock()

    # -- PlatformApp ------------------------------------------------------------------

    def owns(self, path: str) -> bool:
        return path == "/v1.0" or path.startswith("/v1.0/")

    def operation(self, request: SandboxRequest) -> str:
        try:
            segments = self._segments(request)
        except GraphError:
            return "unknown"
        return self.router.template_of(request.method, segments) or "unknown"

    def tenant_infos(self) -> list[TenantInfo]:
        schools = self.city.schools_on("microsoft")
        if not schools:
            return []
        tokens = {"app": self.issue_token(self.store.tenant, "", app_only=True)}
        teacher = self._first_teacher()
        if teacher is not None:
            tokens["teacher"] = self.issue_token(self.store.tenant, teacher, scopes=_TEACHER_SCOPES)
        return [
            TenantInfo(
                platform="microsoft",
                tenant=self.store.tenant,
                tenant_id=self.store.tenant_id,
                school_keys=tuple(s.key for s in schools),
                admin=self._admin_upn(),
                tokens=tokens,
            )
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
        if tenant not in (self.store.tenant, self.store.tenant_id):
            raise ValueError(f"unknown Microsoft tenant {tenant!r}")
        return self.tokens.mint(subject, app_only=app_only, scopes=scopes)

    def authenticate(self, request: SandboxRequest) -> Principal | SandboxResponse:
        scheme, _, token = (request.header("authorization") or "").strip().partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return self._render(
                request, GraphError(401, "InvalidAuthenticationToken", "Access token is empty.")
            )
        principal = self.tokens.verify(token.strip())
        if principal is None:
            return self._render(
                request,
                GraphError(401, "InvalidAuthenticationToken", "Access token validation failure."),
            )
        return principal

    def quota_rules(self, principal: Principal, request: SandboxRequest) -> list[QuotaRule]:
        try:
            segments = self._segments(request)
            route, _ = self.router.resolve(request.method, segments)
        except GraphError:
            return []
        return _quota_rules(principal, route.service, route.template, request.method)

    def handle(
        self, request: SandboxRequest, principal: Principal, context: Context
    ) -> SandboxResponse:
        with self._lock:
            return self._handle(request, principal, context)

    def _handle(
        self, request: SandboxRequest, principal: Principal, context: Context
    ) -> SandboxResponse:
        request_id = context.request_id
        try:
            if principal.app_only and split_path(request.path)[:2] == ["education", "me"]:
                raise GraphError(
                    400,
                    "BadRequest",
                    "/me request is only valid with delegated authentication flow.",
                )
            segments = self._segments(request)
            route, params = self.router.resolve(request.method, segments)
            call = Call(
                request=request,
                principal=principal,
                context=context,
                params=params,
                segments=tuple(segments),
                env=self.env,
            )
            response = route.handler(call)
        except GraphError as exc:
            return self._render(request, exc, request_id)
        return self._decorate(response, request, request_id)

    def error(
        self,
        status: int,
        message: str,
        *,
        request_id: str,
        retry_after: float | None = None,
    ) -> SandboxResponse:
        # Every Graph answer names its request, throttled and failed ones included.
        headers = {"request-id": request_id, "client-request-id": request_id}
        if retry_after is not None:
            headers["Retry-After"] = retry_after_text(retry_after)
        return error_response(
            GraphError(status, default_code(status), message, headers=headers),
            request_id=request_id,
            client_request_id=None,
            now=self._clock(),
        )

    # -- helpers ----------------------------------------------------------------------

    def _segments(self, request: SandboxRequest) -> list[str]:
        """Path segments, with ``/education/users/{id}/assignments/{aid}/…`` and
        ``/education/me/assignments/{aid}/…`` resolved to the assignment's class path
        (Graph serves the same assignment and actions beneath each)."""
        segments = split_path(request.path)
        if segments[:1] != ["education"]:
            return segments
        at = 3 if segments[1:2] == ["users"] else 2 if segments[1:2] == ["me"] else 0
        if at and segments[at : at + 1] == ["assignments"] and len(segments) > at + 1:
            assignment_id = segments[at + 1]
            if assignment_id in ("delta", "$count"):
                return segments
            class_id = self.store.assignment_class.get(assignment_id)
            if class_id is None:
                raise GraphError(404, "20241", f"Entity not found. Assignment id: {assignment_id}")
            return ["education", "classes", class_id, *segments[at:]]
        return segments

    def _render(
        self, request: SandboxRequest, error: GraphError, request_id: str | None = None
    ) -> SandboxResponse:
        request_id = request_id or guid(self.city.seed, "request", next(self._request_numbers))
        response = error_response(
            error,
            request_id=request_id,
            client_request_id=request.header("client-request-id"),
            now=self._clock(),
        )
        return self._decorate(response, request, request_id)

    def _decorate(
        self, response: SandboxResponse, request: SandboxRequest, request_id: str
    ) -> SandboxResponse:
        headers = dict(response.headers)
        headers["request-id"] = request_id
        headers["client-request-id"] = request.header("client-request-id") or request_id
        headers["x-ms-ags-diagnostic"] = (
            '{"ServerInfo":{"DataCenter":"West Europe","Slice":"E","Ring":"5",'
            '"ScaleUnit":"000","RoleInstance":"sandbox"}}'
        )
        prefer = (request.header("prefer") or "").lower()
        if response.status < 400 and "include-unknown-enum-members" in prefer:
            headers["Preference-Applied"] = "include-unknown-enum-members"
        if response.body:
            headers.setdefault("OData-Version", "4.0")
            headers.setdefault("Cache-Control", "no-cache")
        return SandboxResponse(
            status=response.status,
            headers=headers,
            body=response.body,
            json_text=response.json_text,
        )

    def _resolve_user(self, subject: str) -> tuple[str, str, str] | None:
        user = self.store.users.get(self.store.upn_index.get(subject.lower(), subject))
        if user is None:
            return None
        return user["id"], str(user["displayName"]), str(user["userPrincipalName"])

    def _first_teacher(self) -> str | None:
        for state in self.store.class_states.values():
            if state.teachers:
                return state.teachers[0]
        return None

    def _admin_upn(self) -> str:
        schools = self.city.schools_on("microsoft")
        keys = {s.key for s in schools}
        for person in self.city.people:
            if person.role == "admin" and (person.school_key in keys or person.school_key is None):
                return person.email
        return f"admin@{schools[0].domain}"


def _quota_rules(
    principal: Principal, service: Service, template: str, method: str
) -> list[QuotaRule]:
    """The throttling buckets of reference §4.1 (Feb-2023 figures for rostering)."""
    app = f"graph:app:{principal.app_id}:tenant:{principal.tenant}"
    tenant = f"graph:tenant:{principal.tenant}"
    if service == "roster":
        return [QuotaRule(key=f"{app}:roster", limit=35000, seconds=10)]
    if service != "assignments":
        return []  # the $batch envelope: its parts count one by one
    rules = [
        QuotaRule(key=f"{app}:assignments", limit=500, seconds=10),
        QuotaRule(key=f"{app}:assignments:hour", limit=15000, seconds=3600),
        QuotaRule(key=f"{tenant}:assignments", limit=1000, seconds=10),
        QuotaRule(key=f"{tenant}:assignments:hour", limit=30000, seconds=3600),
    ]
    if method == "GET" and template == "/education/me/assignments":
        rules += [
            QuotaRule(key=f"{app}:me-assignments", limit=50, seconds=10),
            QuotaRule(key=f"{tenant}:me-assignments", limit=150, seconds=10),
        ]
    return rules
