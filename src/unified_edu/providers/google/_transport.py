"""Moving Classroom calls: services per thread and user, retries, quotas, batches, counters.

Owns the policy around every request, so the provider only says *what* to call:

- one discovery service per (thread, impersonated user): httplib2 is not thread-safe,
  and each service carries its user's credentials. Services are built offline
  (``static_discovery=True``) against ``endpoint``, which also becomes the batch URL
  (``BatchHttpRequest(batch_uri=endpoint + "batch")``: googleapiclient's own batch URL
  ignores ``api_endpoint``). :func:`resource` keeps each service's nested resources
  (``courses().courseWork()``...), which googleapiclient would rebuild on every call;
- googleapiclient's retries stay off (``num_retries=0``); :class:`RetryPolicy` is the one
  retry loop, and a create (non-idempotent) is only retried after a 429;
- httplib2 silently re-sends a request whose connection dropped before the answer's
  status line, which would duplicate a create. :class:`NoReplayHttp` sends every POST
  (but a batch of reads) exactly once, on a fresh connection;
- client-side quotas (:class:`RateLimiter`): Classroom's 1,200 calls per minute per user
  and 3,000 per minute per project, with a safety margin; each call inside a batch
  counts, from its sending until its answer arrives (``RateLimiter.hold``);
- counters (:class:`TransportStats`): HTTP requests, calls, batches, by user and method.

Admin SDK Directory calls (``api="directory"``, for schools by OU) go through the same
retries and counters on their own service (``admin`` ``directory_v1`` against
``directory_endpoint``), but not through Classroom's limiters: the Directory has its own
quota.

Only :mod:`unified_edu.providers.google` imports this module.
"""

from __future__ import annotations

import collections
import contextlib
import http.client
import socket
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

import attrs
import httplib2
from google_auth_httplib2 import AuthorizedHttp
from googleapiclient.discovery import build
from googleapiclient.http import BatchHttpRequest

from unified_edu._batch import Call, Page
from unified_edu._ratelimit import RateLimiter, Window
from unified_edu._retry import RetryPolicy
from unified_edu.errors import TransportError, UnifiedEduError
from unified_edu.providers.google._auth import Auth
from unified_edu.providers.google._errors import PLATFORM_ERRORS, map_error

__all__ = [
    "DEFAULT_ENDPOINT",
    "DIRECTORY_ENDPOINT",
    "PER_PROJECT",
    "PER_USER",
    "NoReplayHttp",
    "Transport",
    "TransportStats",
    "resource",
    "shared_project_limiter",
]

K = TypeVar("K")

DEFAULT_ENDPOINT = "https://classroom.googleapis.com/"
#: The Admin SDK's rootUrl (``admin.directory_v1.json``).
DIRECTORY_ENDPOINT = "https://admin.googleapis.com/"
#: The APIs a transport talks to: name → (discovery service name, version).
_APIS = {"classroom": ("classroom", "v1"), "directory": ("admin", "directory_v1")}
#: Classroom's default quotas (reference §4.1).
PER_USER = Window(1200, 60.0)
PER_PROJECT = Window(3000, 60.0)

#: The attribute of a discovery service holding its nested resources (see resource()).
_RESOURCES = "_unified_edu_resources"

_project_lock = threading.Lock()
_project_limiters: dict[tuple[str, float], RateLimiter] = {}


def shared_project_limiter(project: str, share: float) -> RateLimiter:
    """The limiter shared by every provider of one developer project in this process."""
    with _project_lock:
        key = (project, share)
        if key not in _project_limiters:
            _project_limiters[key] = RateLimiter([PER_PROJECT.scaled(share)])
        return _project_limiters[key]


def resource(service: Any, *path: str) -> Any:
    """The nested resource ``service.<path[0]>().<path[1]>()...``, built once per service.

    googleapiclient builds a new resource object (every method of it created from the
    discovery document) on each ``courses()``, ``courseWork()``... call: a page request
    through ``courses().courseWork().studentSubmissions()`` built three. The resources
    are kept on the service object itself, so they live and die with it: a service is
    used by one thread, and :meth:`Transport.close` drops its services, and so theirs.
    """
    cache: dict[tuple[str, ...], Any] | None = vars(service).get(_RESOURCES)
    if cache is None:
        cache = {}
        setattr(service, _RESOURCES, cache)
    found = cache.get(path)
    if found is None:
        found = service
        for name in path:
            found = getattr(found, name)()
        cache[path] = found
    return found


class NoReplayHttp(httplib2.Http):  # type: ignore[misc]  # httplib2 is untyped
    """An ``httplib2.Http`` that never re-sends a POST.

    httplib2 retries a request whose connection failed before the status line arrived
    (``_conn_request``), POST included: after the server applied a create and the
    connection dropped, the create would silently happen twice. Here a POST (other than
    a batch of reads) goes out once, on a fresh connection, so a failure is a genuine
    "did it happen?" that the provider resolves by looking.
    """

    def _conn_request(
        self, conn: Any, request_uri: str, method: str, body: Any, headers: Any
    ) -> Any:
        if method != "POST" or request_uri.split("?", 1)[0].endswith("/batch"):
            return super()._conn_request(conn, request_uri, method, body, headers)
        if conn.sock is not None:
            conn.close()  # A reused connection may be stale: start a fresh one.
        try:
            conn.connect()
            conn.request(method, request_uri, body, headers)
            raw = conn.getresponse()
            content = raw.read()
        except socket.gaierror as exc:
            conn.close()
            raise httplib2.ServerNotFoundError(f"Unable to find the server at {conn.host}") from exc
        except (OSError, http.client.HTTPException):
            conn.close()
            raise
        response = httplib2.Response(raw)
        return response, httplib2._decompressContent(response, content, self.limit_kwargs)


@attrs.frozen(kw_only=True)
class TransportStats:
    """What the transport sent since the provider was built.

    Attributes:
        http_requests: Outer HTTP requests (direct calls and batch envelopes).
        calls: Direct calls plus calls inside batches (what quotas count).
        batches: Batch envelopes sent.
        batch_parts: Calls sent inside batches.
        largest_batch: The most calls one batch carried.
        by_user: Calls by impersonated user (``"self"`` without delegation).
        by_method: Calls by discovery method id (``classroom.courses.list``).
        waited: Seconds the client-side rate limiters held calls back.
    """

    http_requests: int = 0
    calls: int = 0
    batches: int = 0
    batch_parts: int = 0
    largest_batch: int = 0
    by_user: dict[str, int] = attrs.field(factory=dict)
    by_method: dict[str, int] = attrs.field(factory=dict)
    waited: float = 0.0


class _Counters:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.totals: collections.Counter[str] = collections.Counter()
        self.by_user: collections.Counter[str] = collections.Counter()
        self.by_method: collections.Counter[str] = collections.Counter()
        self.largest = 0

    def count(self, user: str, methods: Sequence[str], *, batch: bool) -> None:
        with self.lock:
            self.totals["http_requests"] += 1
            self.totals["calls"] += len(methods)
            if batch:
                self.totals["batches"] += 1
                self.totals["batch_parts"] += len(methods)
                self.largest = max(self.largest, len(methods))
            self.by_user[user] += len(methods)
            self.by_method.update(methods)


class Transport:
    """Runs Classroom calls for one provider.

    Args:
        auth: Whose credentials, and whom a call runs as.
        endpoint: Base URL ending in ``/`` (every call, batches included).
        retry: The retry policy.
        timeout: Socket timeout per HTTP request, seconds.
        quota_share: Share of Classroom's quotas the client allows itself (0..1].
        project_limiter: Shared project-wide limiter (default: one per project and
            share in this process).
        directory_endpoint: The Admin SDK base URL (default: Google's when ``endpoint``
            is Classroom's, else ``endpoint`` itself: an emulator serves both).
    """

    def __init__(
        self,
        auth: Auth,
        *,
        endpoint: str = DEFAULT_ENDPOINT,
        retry: RetryPolicy | None = None,
        timeout: float = 60.0,
        quota_share: float = 0.9,
        project_limiter: RateLimiter | None = None,
        directory_endpoint: str | None = None,
    ) -> None:
        self.auth = auth
        self.endpoint = endpoint if endpoint.endswith("/") else endpoint + "/"
        if directory_endpoint is None:
            directory_endpoint = (
                DIRECTORY_ENDPOINT if self.endpoint == DEFAULT_ENDPOINT else self.endpoint
            )
        self._endpoints = {"classroom": self.endpoint, "directory": directory_endpoint}
        self.batch_uri = self.endpoint + "batch"
        self.retry = retry or RetryPolicy()
        self.timeout = timeout
        self._share = quota_share
        self._project = project_limiter or shared_project_limiter(auth.project, quota_share)
        self._users: dict[str, RateLimiter] = {}
        self._lock = threading.Lock()
        self._services: dict[tuple[int, str, str], tuple[Any, httplib2.Http]] = {}
        self._counters = _Counters()

    # -- plumbing -----------------------------------------------------------------------

    def service(self, subject: str | None, api: str = "classroom") -> Any:
        """The discovery service of this thread for ``subject`` and ``api`` (``classroom``
        or ``directory``), built on first use."""
        who = self.auth.subject(subject)
        key = (threading.get_ident(), who, api)
        with self._lock:
            found = self._services.get(key)
        if found is not None:
            return found[0]
        raw = NoReplayHttp(timeout=self.timeout)
        authed = AuthorizedHttp(self.auth.credentials(subject), http=raw)
        name, version = _APIS[api]
        service = build(
            name,
            version,
            http=authed,
            static_discovery=True,
            client_options={"api_endpoint": self._endpoints[api]},
            num_retries=0,
        )
        with self._lock:
            self._forget_dead_threads()
            self._services[key] = (service, raw)
        return service

    def _forget_dead_threads(self) -> None:
        alive = {t.ident for t in threading.enumerate()}
        for key in [k for k in self._services if k[0] not in alive]:
            self._services.pop(key)[1].close()

    def _limiter(self, user: str) -> RateLimiter:
        with self._lock:
            if user not in self._users:
                self._users[user] = RateLimiter([PER_USER.scaled(self._share)])
            return self._users[user]

    @contextlib.contextmanager
    def _holding(self, user: str, cost: int) -> Iterator[None]:
        # Calls count from sending until their answer (RateLimiter.hold): batches queue
        # at a busy server, and calls counted at sending then reach it bunched (a
        # scale-10 read of 40 domains at once, counted at sending, got 597 429s).
        with self._limiter(user).hold(cost), self._project.hold(cost):
            yield

    @property
    def stats(self) -> TransportStats:
        """The counters now."""
        counters = self._counters
        with counters.lock:
            totals = counters.totals
            return TransportStats(
                http_requests=totals["http_requests"],
                calls=totals["calls"],
                batches=totals["batches"],
                batch_parts=totals["batch_parts"],
                largest_batch=counters.largest,
                by_user=dict(counters.by_user),
                by_method=dict(counters.by_method),
                waited=sum(limiter.waited for limiter in self._users.values())
                + self._project.waited,
            )

    def close(self) -> None:
        """Close every connection (idempotent)."""
        with self._lock:
            services, self._services = self._services, {}
        for _, raw in services.values():
            raw.close()

    # -- calls --------------------------------------------------------------------------

    def _once(self, subject: str | None, make: Callable[[Any], Any], api: str = "classroom") -> Any:
        user = self.auth.subject(subject)
        request = make(self.service(subject, api))
        with self._holding(user, 1 if api == "classroom" else 0):
            self._counters.count(user, [str(request.methodId)], batch=False)
            try:
                return request.execute(num_retries=0)
            except PLATFORM_ERRORS as exc:
                raise map_error(exc) from exc

    def execute(
        self,
        subject: str | None,
        make: Callable[[Any], Any],
        *,
        idempotent: bool = True,
        api: str = "classroom",
    ) -> Any:
        """Run one call with the retry policy and quotas; return its parsed JSON.

        Args:
            subject: The user to run as (``None``: the default user, the admin).
            make: Builds the request from the service
                (``lambda s: s.courses().get(id=...)``).
            idempotent: False for creates: then only a 429 is retried.
            api: ``classroom``, or ``directory`` (the Admin SDK: no Classroom quota).

        Raises:
            UnifiedEduError: The mapped error of the last attempt.
        """
        return self.retry.call(lambda: self._once(subject, make, api), idempotent=idempotent)

    def send(
        self,
        subject: str | None,
        calls: list[Call[K]],
        make: Callable[[Any, Call[K]], Any],
        read: Callable[[Call[K], Any], Page[K]],
    ) -> list[Page[K]]:
        """Send one batch of page requests for :func:`unified_edu._batch.iter_batched`.

        A lone call goes out as a direct request (no multipart envelope). A part's error
        is put on its page; a failed envelope is retried here, as reads are idempotent.

        Args:
            subject: The user to run as.
            calls: At most 50 page requests.
            make: Builds the request of one call from the service.
            read: Turns one call's JSON answer into its page.
        """
        if len(calls) == 1:
            try:
                return [read(calls[0], self._once(subject, lambda s: make(s, calls[0])))]
            except UnifiedEduError as exc:
                return [Page(calls[0], error=exc)]
        answers = self.retry.call(lambda: self._batch_once(subject, calls, make))
        pages: list[Page[K]] = []
        for index, call in enumerate(calls):
            response, error = answers.get(
                str(index), (None, TransportError("the batch answer left out this call"))
            )
            pages.append(Page(call, error=map_error(error)) if error else read(call, response))
        return pages

    def _batch_once(
        self, subject: str | None, calls: list[Call[K]], make: Callable[[Any, Call[K]], Any]
    ) -> dict[str, tuple[Any, BaseException | None]]:
        user = self.auth.subject(subject)
        service = self.service(subject)
        answers: dict[str, tuple[Any, BaseException | None]] = {}

        def collect(request_id: str, response: Any, exception: BaseException | None) -> None:
            answers[request_id] = (response, exception)

        batch = BatchHttpRequest(callback=collect, batch_uri=self.batch_uri)
        methods: list[str] = []
        for index, call in enumerate(calls):
            request = make(service, call)
            methods.append(str(request.methodId))
            batch.add(request, request_id=str(index))
        with self._holding(user, len(calls)):
            self._counters.count(user, methods, batch=True)
            try:
                batch.execute()
            except KeyError as exc:  # A part missing from the multipart answer.
                raise TransportError(f"the batch answer lacks a part: {exc}") from exc
            except PLATFORM_ERRORS as exc:
                raise map_error(exc) from exc
        return answers
