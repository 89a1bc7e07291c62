"""The Microsoft 365 Education (Graph v1.0) backend behind the unified interface.

Owns :class:`MicrosoftEducationProvider`: construction (credentials, base URL, cloud),
what the credential kind allows (:attr:`capabilities`, refusing before any request what
app-only or delegated tokens cannot do), and the synchronous face over the async Graph
modules: every coroutine runs on the provider's own private :class:`AsyncRunner` loop,
so the provider works the same from a script, from several threads and from inside a
running event loop (a notebook). msgraph is imported only when a provider is built.
Graph-only operations come from :class:`~._graph_only.GraphOnlyMixin`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Coroutine, Iterator, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from unified_edu._aio import AsyncRunner
from unified_edu._retry import RetryPolicy
from unified_edu.config import CityConfig, TenantConfig
from unified_edu.errors import ConfigurationError, UnsupportedOperationError
from unified_edu.models import (
    Assignment,
    AssignmentSpec,
    AssignmentState,
    AssignmentUpdate,
    Category,
    Class,
    ClassSpec,
    ClassState,
    ClassUpdate,
    Enrollment,
    GuardianLink,
    Person,
    Role,
    Rubric,
    School,
    Submission,
)
from unified_edu.providers.base import Capability, Provider
from unified_edu.providers.microsoft import _grading as grading
from unified_edu.providers.microsoft import _reads as reads
from unified_edu.providers.microsoft import _writes as writes
from unified_edu.providers.microsoft._auth import AuthMode, GraphCredentials
from unified_edu.providers.microsoft._bodies import DEFAULT_TIME_ZONE
from unified_edu.providers.microsoft._config import from_tenant_config
from unified_edu.providers.microsoft._context import GraphContext, PollPolicy
from unified_edu.providers.microsoft._extras import get_person, rubric_of
from unified_edu.providers.microsoft._graph_only import GraphOnlyMixin
from unified_edu.providers.microsoft._permissions import DELEGATED_HINT, narrowed, reason

if TYPE_CHECKING:
    import httpx

__all__ = ["MicrosoftEducationProvider"]

T = TypeVar("T")

#: Submission pages read ahead of the consumer: about one 10-s window of the assignment
#: service's quota (500 calls, a page each). Reading submissions is paced by that quota;
#: without read-ahead a consumer busy with another tenant (the city report) left windows
#: unused, and every unused window is 10 s more. Bounded: ~11,000 submissions at most.
SUBMISSION_READ_AHEAD = 500


class MicrosoftEducationProvider(GraphOnlyMixin, Provider):
    """One Microsoft 365 Education tenant through Microsoft Graph v1.0.

    Args:
        tenant: The tenant's configured name (every object's ``ref.tenant``).
        credentials: How to authenticate (see the ``from_*`` constructors).
        token: Shortcut for ``GraphCredentials.from_token(token)``.
        base_url: Graph version root; default the credentials' cloud
            (``https://graph.microsoft.com/v1.0``); the sandbox's ``sb.graph_base_url``.
        time_zone: IANA zone in which a date-only deadline ends (23:59:59 local).
        retry: The retry policy of every call (default ``RetryPolicy()``).
        poll: How long to wait for publish/return/… to settle.
        page_size: ``$top`` of every list (Graph caps it per collection).
        concurrency: ``$batch`` requests in flight at once.
        http_client: Makes the httpx client (proxy, timeouts); called on the provider's
            loop. msgraph's middleware, minus its RetryHandler, is added to it.
        timeout: Seconds per request when no ``http_client`` is given.

    Raises:
        ConfigurationError: neither or both of ``credentials`` and ``token``.
    """

    name: ClassVar[str] = "microsoft"
    CAPABILITIES: ClassVar[frozenset[Capability]] = frozenset(Capability) - {
        Capability.INVITE_GUARDIANS
    }

    def __init__(
        self,
        *,
        tenant: str,
        credentials: GraphCredentials | None = None,
        token: str | None = None,
        base_url: str | None = None,
        time_zone: str = DEFAULT_TIME_ZONE,
        retry: RetryPolicy | None = None,
        poll: PollPolicy | None = None,
        page_size: int = 999,
        concurrency: int = 8,
        http_client: Callable[[], httpx.AsyncClient] | None = None,
        timeout: float = 60.0,
    ) -> None:
        super().__init__(tenant=tenant)
        if (credentials is None) == (token is None):
            raise ConfigurationError(
                "give the Microsoft provider either credentials or a token", tenant=tenant
            )
        self.credentials = credentials or GraphCredentials.from_token(str(token))
        self._runner = AsyncRunner(name=f"unified-edu-msgraph-{tenant}")
        self._closed = False
        settings = {
            "base_url": base_url,
            "retry": retry or RetryPolicy(),
            "http_client": http_client,
            "timeout": timeout,
        }
        try:
            transport = self._runner.run(self._build_transport(settings))
        except BaseException:
            self._runner.close()
            raise
        self._ctx = GraphContext(
            transport=transport,
            tenant=tenant,
            mode=self.credentials.mode,
            subject=self.credentials.subject,
            time_zone=time_zone,
            page_size=page_size,
            concurrency=concurrency,
            poll=poll or PollPolicy(),
        )

    async def _build_transport(self, settings: dict[str, Any]) -> Any:
        # Built on the runner's loop: httpx and azure credentials bind to it.
        from unified_edu.providers.microsoft._limits import limits_for
        from unified_edu.providers.microsoft._transport import GraphTransport

        app = self.credentials.app_id or self.credentials.subject or "unknown-app"
        factory = settings["http_client"]
        return GraphTransport(
            self.credentials,
            base_url=settings["base_url"],
            limits=limits_for(self.tenant, app),
            retry=settings["retry"],
            http_client=factory() if factory is not None else None,
            timeout=settings["timeout"],
        )

    # -- named constructors -----------------------------------------------------------

    @classmethod
    def from_config(cls, tenant: TenantConfig, city: CityConfig) -> MicrosoftEducationProvider:
        """Build from a ``[[tenants]]`` entry (see ``_config.py`` for the fields)."""
        return from_tenant_config(cls, tenant, city)

    @classmethod
    def from_token(cls, tenant: str, token: str, **options: Any) -> MicrosoftEducationProvider:
        """A provider with a fixed bearer token; app-only vs delegated from its claims."""
        return cls(tenant=tenant, credentials=GraphCredentials.from_token(token), **options)

    @classmethod
    def from_client_secret(
        cls,
        tenant: str,
        *,
        tenant_id: str,
        client_id: str,
        client_secret: str,
        cloud: str = "global",
        **options: Any,
    ) -> MicrosoftEducationProvider:
        """An app-only provider (client credentials with a secret)."""
        credentials = GraphCredentials.from_client_secret(
            tenant_id, client_id, client_secret, cloud=cloud
        )
        return cls(tenant=tenant, credentials=credentials, **options)

    @classmethod
    def from_certificate(
        cls,
        tenant: str,
        *,
        tenant_id: str,
        client_id: str,
        certificate_path: str,
        password: str | None = None,
        cloud: str = "global",
        **options: Any,
    ) -> MicrosoftEducationProvider:
        """An app-only provider (client credentials with a certificate)."""
        credentials = GraphCredentials.from_certificate(
            tenant_id, client_id, certificate_path, password=password, cloud=cloud
        )
        return cls(tenant=tenant, credentials=credentials, **options)

    @classmethod
    def from_device_code(
        cls, tenant: str, *, tenant_id: str, client_id: str, **options: Any
    ) -> MicrosoftEducationProvider:
        """A delegated provider: a teacher signs in once with a device code.

        Options of :meth:`GraphCredentials.from_device_code` (``record_path``, ``scopes``,
        ``cloud``, ``allow_unencrypted_cache``, ``prompt``) go there; the rest to the
        provider.
        """
        keys = ("record_path", "scopes", "cloud", "cache_name", "allow_unencrypted_cache", "prompt")
        auth = {k: options.pop(k) for k in keys if k in options}
        credentials = GraphCredentials.from_device_code(tenant_id, client_id, **auth)
        return cls(tenant=tenant, credentials=credentials, **options)

    # -- what this credential allows --------------------------------------------------

    @property
    def mode(self) -> AuthMode:
        """``"app_only"`` or ``"delegated"``."""
        return self.credentials.mode

    @property
    def capabilities(self) -> frozenset[Capability]:
        """:attr:`CAPABILITIES` narrowed to what the credential kind may do (§3.1)."""
        return narrowed(self.CAPABILITIES, self.mode)

    def unsupported_reason(self, capability: Capability) -> str:
        """Why a capability is missing, naming what to use instead."""
        return reason(self.mode, capability)

    def _refuse(self, operation: str, reason: str) -> UnsupportedOperationError:
        return UnsupportedOperationError(self.name, operation, reason)

    def _require_delegated(self, operation: str) -> None:
        if self.mode == "app_only":
            raise self._refuse(
                operation,
                f"Graph does not allow {operation} with application permissions; " + DELEGATED_HINT,
            )

    # -- plumbing ---------------------------------------------------------------------

    def _check_open(self, coro: Coroutine[Any, Any, Any] | None = None) -> None:
        if self._closed:
            if coro is not None:
                coro.close()  # never started: no "coroutine was never awaited" warning
            raise RuntimeError(f"{self!r} is closed; build a new provider")

    def _run(self, coro: Coroutine[Any, Any, T]) -> T:
        self._check_open(coro)
        return self._runner.run(coro)

    def _iterate(self, agen: AsyncIterator[Sequence[T]], *, read_ahead: int = 0) -> Iterator[T]:
        """The items of an async iterator of pages, lazily (``read_ahead``: pages the loop
        may read before they are asked for)."""
        self._check_open()
        return self._runner.iterate_chunks(agen, read_ahead=read_ahead)

    def request_counts(self) -> dict[str, int]:
        """What this provider sent so far: ``http_requests`` (direct calls and ``$batch``
        envelopes), ``calls`` (direct calls plus batch parts, what quotas count),
        ``batches`` and ``batch_parts``."""
        return dict(self._ctx.transport.counter.snapshot())

    def close(self) -> None:
        """Close the httpx connections and the credential, then stop the private loop."""
        if self._closed:
            return
        self._closed = True
        try:
            self._runner.run(self._ctx.transport.aclose(), timeout=10)
        finally:
            self._runner.close()

    # -- reads ------------------------------------------------------------------------

    def _iter_schools(self) -> Iterator[School]:
        return self._iterate(reads.aiter_schools(self._ctx))

    def _iter_classes(
        self, *, school_id: str | None, states: frozenset[ClassState] | None
    ) -> Iterator[Class]:
        if states is not None and ClassState.ACTIVE not in states:
            return iter(())  # Graph v1.0 classes are all active
        return self._iterate(reads.aiter_classes(self._ctx, school_id))

    def _get_class(self, class_id: str) -> Class:
        return self._run(writes.get_class(self._ctx, class_id))

    def _iter_people(
        self, *, class_ids: tuple[str, ...] | None, role: Role | None
    ) -> Iterator[Person]:
        if class_ids is None and self.mode == "delegated":
            raise self._refuse(
                Capability.READ_PEOPLE.value,
                "delegated tokens cannot list /education/users; pass class_ids, or use an "
                "app-only credential with EduRoster.Read.All",
            )
        return self._iterate(reads.aiter_people(self._ctx, class_ids, role))

    def _get_person(self, person_id: str) -> Person:
        return self._run(get_person(self._ctx, person_id))

    def _iter_enrollments(
        self, class_ids: tuple[str, ...], *, role: Role | None
    ) -> Iterator[Enrollment]:
        return self._iterate(reads.aiter_enrollments(self._ctx, class_ids, role))

    def _iter_guardians(self, *, student_ids: tuple[str, ...] | None) -> Iterator[GuardianLink]:
        if student_ids is None and self.mode == "delegated":
            raise self._refuse(
                Capability.READ_GUARDIANS.value,
                "delegated tokens cannot list /education/users; pass student_ids",
            )
        return self._iterate(reads.aiter_guardians(self._ctx, student_ids))

    def _iter_categories(self, class_ids: tuple[str, ...]) -> Iterator[Category]:
        return self._iterate(reads.aiter_categories(self._ctx, class_ids))

    def _iter_assignments(
        self, class_ids: tuple[str, ...], *, states: frozenset[AssignmentState]
    ) -> Iterator[Assignment]:
        return self._iterate(reads.aiter_assignments(self._ctx, class_ids, states))

    def _get_assignment(self, class_id: str, assignment_id: str) -> Assignment:
        return self._run(writes.get_assignment(self._ctx, class_id, assignment_id))

    def _iter_submissions(
        self, class_ids: tuple[str, ...], *, assignment_id: str | None
    ) -> Iterator[Submission]:
        return self._iterate(
            reads.aiter_submissions(self._ctx, class_ids, assignment_id),
            read_ahead=SUBMISSION_READ_AHEAD,
        )

    def _iter_classes_of(self, person_id: str, role: Role) -> Iterator[Class]:
        return self._iterate(reads.aiter_classes_of(self._ctx, person_id, role))

    def _iter_submissions_of(self, assignments: tuple[Assignment, ...]) -> Iterator[Submission]:
        return self._iterate(
            reads.aiter_submissions_of(self._ctx, assignments), read_ahead=SUBMISSION_READ_AHEAD
        )

    def _get_submission(self, class_id: str, assignment_id: str, submission_id: str) -> Submission:
        return self._run(grading.get_submission(self._ctx, class_id, assignment_id, submission_id))

    def _get_rubric(self, class_id: str, assignment_id: str) -> Rubric | None:
        return self._run(rubric_of(self._ctx, class_id, assignment_id))

    # -- writes -----------------------------------------------------------------------

    def _create_class(self, spec: ClassSpec) -> Class:
        return self._run(writes.create_class(self._ctx, spec))

    def _update_class(self, class_id: str, update: ClassUpdate) -> Class:
        from unified_edu.providers.microsoft._bodies import class_patch

        class_patch(update)  # refuses what Graph cannot do before any request
        return self._run(writes.update_class(self._ctx, class_id, update))

    def _delete_class(self, class_id: str) -> None:
        self._run(writes.delete_class(self._ctx, class_id))

    def _add_enrollment(self, class_id: str, person_id: str, role: Role) -> Enrollment:
        return self._run(writes.add_enrollment(self._ctx, class_id, person_id, role))

    def _remove_enrollment(self, class_id: str, person_id: str, role: Role) -> None:
        self._run(writes.remove_enrollment(self._ctx, class_id, person_id, role))

    def _create_category(self, class_id: str, name: str) -> Category:
        return self._run(writes.create_category(self._ctx, class_id, name))

    def _create_assignment(self, class_id: str, spec: AssignmentSpec) -> Assignment:
        if self.mode == "app_only":
            writes.check_app_only_create(spec)
        return self._run(writes.create_assignment(self._ctx, class_id, spec))

    def _update_assignment(
        self, class_id: str, assignment_id: str, update: AssignmentUpdate
    ) -> Assignment:
        self._require_delegated("updating assignments")
        return self._run(writes.update_assignment(self._ctx, class_id, assignment_id, update))

    def _publish_assignment(self, class_id: str, assignment_id: str) -> Assignment:
        return self._run(writes.publish_assignment(self._ctx, class_id, assignment_id))

    def _delete_assignment(self, class_id: str, assignment_id: str) -> None:
        self._require_delegated("deleting assignments")
        self._run(writes.delete_assignment(self._ctx, class_id, assignment_id))

    def _set_grade(
        self, class_id: str, assignment_id: str, submission_id: str, *, points: float
    ) -> Submission:
        return self._run(
            grading.set_grade(self._ctx, class_id, assignment_id, submission_id, points)
        )

    def _set_feedback(
        self, class_id: str, assignment_id: str, submission_id: str, *, text: str
    ) -> Submission:
        return self._run(
            grading.set_feedback(self._ctx, class_id, assignment_id, submission_id, text)
        )

    def _action(
        self, class_id: str, assignment_id: str, submission_id: str, action: str
    ) -> Submission:
        return self._run(
            grading.submission_action(self._ctx, class_id, assignment_id, submission_id, action)
        )

    def _return_submission(
        self, class_id: str, assignment_id: str, submission_id: str
    ) -> Submission:
        return self._action(class_id, assignment_id, submission_id, "return_")

    def _excuse_submission(
        self, class_id: str, assignment_id: str, submission_id: str
    ) -> Submission:
        return self._action(class_id, assignment_id, submission_id, "excuse")

    def _reassign_submission(
        self, class_id: str, assignment_id: str, submission_id: str
    ) -> Submission:
        return self._action(class_id, assignment_id, submission_id, "reassign")
