"""The per-call pipeline of the sandbox: authenticate, quota, fault, handle, record.

Every call runs through :meth:`Pipeline.call` once: a direct call and a batch envelope
from the HTTP server, each batch part from the emulator through
:meth:`Context.dispatch`. This module owns the order of those steps and what a failure
in an emulator becomes (a platform-shaped 500); sockets and latency belong to
``_server.py``.

This module must not import any platform client.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import re
import threading
import time
import uuid

import attrs

from unified_edu.errors import redact
from unified_edu.sandbox._core import Context, PlatformApp, SandboxRequest, SandboxResponse
from unified_edu.sandbox._faults import CallScope, FaultInjector, FaultKind
from unified_edu.sandbox._quotas import QuotaTracker
from unified_edu.sandbox._stats import LogEntry, Recorder

__all__ = ["Outcome", "Pipeline", "RequestIds", "is_batch_envelope"]

log = logging.getLogger("unified_edu.sandbox")

# Classroom: POST /batch and /batch/classroom/v1; Graph: POST /v1.0/$batch.
_BATCH_PATH = re.compile(r"^/batch(/.*)?$|/(\$|%24)batch$", re.IGNORECASE)


def is_batch_envelope(path: str) -> bool:
    """True for a platform's batch endpoint (its parts are dispatched separately)."""
    return _BATCH_PATH.search(path) is not None


@attrs.frozen
class Outcome:
    """What the server does with one outer call.

    Attributes:
        response: The answer; ``None`` when the connection is reset before handling.
        fault: The injected fault the server carries out on the connection
            (``"reset_before"``, ``"reset_after"``, ``"truncate"``); the answer of a
            ``"503"``/``"429"`` fault is already in ``response``.
    """

    response: SandboxResponse | None
    fault: FaultKind | None = None


class RequestIds:
    """UUID4-shaped request ids from a seeded generator (reproducible runs)."""

    def __init__(self, seed: int) -> None:
        self._rng = random.Random(seed)  # noqa: S311  # reproducible, not secret
        self._lock = threading.Lock()

    def next(self) -> str:
        """A fresh id."""
        with self._lock:
            bits = self._rng.getrandbits(128)
        return str(uuid.UUID(int=bits, version=4))


class _CallContext(Context):
    """What one call's handler may use: batch dispatch through the same pipeline."""

    def __init__(self, pipeline: Pipeline, app: PlatformApp, request_id: str) -> None:
        self._pipeline = pipeline
        self._app = app
        self._request_id = request_id

    def dispatch(self, request: SandboxRequest) -> SandboxResponse:
        outcome = self._pipeline.call(self._app, request, outer=False)
        # Parts are never reset or truncated, so an answer always exists.
        assert outcome.response is not None
        return outcome.response

    @property
    def request_id(self) -> str:
        return self._request_id


@attrs.define
class _Trace:
    """What is known about a call so far, for its log entry."""

    tenant: str = "-"
    quota_rejected: bool = False


class Pipeline:
    """Runs calls through authentication, quotas, faults and the emulator; records them.

    Args:
        recorder: Where calls are counted and logged.
        faults: Decides injected faults.
        quotas: Sliding-window quotas, or ``None`` when quotas are off.
        ids: Request id generator.
    """

    def __init__(
        self,
        *,
        recorder: Recorder,
        faults: FaultInjector,
        quotas: QuotaTracker | None,
        ids: RequestIds,
    ) -> None:
        self.recorder = recorder
        self.faults = faults
        self.quotas = quotas
        self._ids = ids

    def call(
        self,
        app: PlatformApp | None,
        request: SandboxRequest,
        *,
        outer: bool,
        started: float | None = None,
    ) -> Outcome:
        """Run one call and record it.

        Args:
            app: The emulator owning the path, ``None`` when none does (404).
            request: The call.
            outer: True for an HTTP request, False for a batch part.
            started: ``time.perf_counter()`` when the HTTP request arrived (so the
                server's latency counts in the duration).
        """
        started = time.perf_counter() if started is None else started
        when = dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        scope: CallScope = "part"
        if outer:
            scope = "batch" if is_batch_envelope(request.path) else "direct"
        elif not request.in_batch:
            request = attrs.evolve(request, in_batch=True)
        request_id = self._ids.next()
        trace = _Trace()
        if app is None:
            outcome = Outcome(
                SandboxResponse.json_body(
                    404, {"error": {"code": 404, "message": f"No emulated API at {request.path}"}}
                )
            )
        else:
            try:
                outcome = self._run(app, request, scope, request_id, trace)
            except Exception:
                log.exception("sandbox emulator failed on %s %s", request.method, request.path)
                outcome = Outcome(_internal_error(app, request_id))
        status = outcome.response.status if outcome.response is not None else 0
        entry = LogEntry(
            time=when,
            platform=app.platform if app is not None else "-",
            tenant=trace.tenant,
            method=request.method,
            path=redact(_path_with_query(request)),
            operation=_operation(app, request),
            status=status,
            in_batch=scope == "part",
            duration_ms=round((time.perf_counter() - started) * 1000, 3),
            fault=outcome.fault,
            request_id=request_id,
        )
        self.recorder.record(entry, scope=scope, quota_rejected=trace.quota_rejected)
        return outcome

    def _run(
        self,
        app: PlatformApp,
        request: SandboxRequest,
        scope: CallScope,
        request_id: str,
        trace: _Trace,
    ) -> Outcome:
        principal = app.authenticate(request)
        if isinstance(principal, SandboxResponse):
            return Outcome(principal)
        trace.tenant = principal.tenant
        if self.quotas is not None:
            exceeded = self.quotas.admit(app.quota_rules(principal, request))
            if exceeded is not None:
                trace.quota_rejected = True
                message = (
                    f"Quota exceeded: at most {exceeded.limit} requests per "
                    f"{exceeded.rule.seconds:g} s for {exceeded.rule.key}."
                )
                return Outcome(
                    app.error(429, message, request_id=request_id, retry_after=exceeded.retry_after)
                )
        fault = self.faults.decide(request.method, request.path, scope)
        if fault == "503":
            message = "The service is currently unavailable (injected fault)."
            return Outcome(app.error(503, message, request_id=request_id), fault)
        if fault == "429":
            return Outcome(
                app.error(
                    429,
                    "Too many requests (injected fault).",
                    request_id=request_id,
                    retry_after=self.faults.retry_after,
                ),
                fault,
            )
        if fault == "reset_before":
            return Outcome(None, fault)
        response = app.handle(request, principal, _CallContext(self, app, request_id))
        return Outcome(response, fault)


def _path_with_query(request: SandboxRequest) -> str:
    pairs = [f"{key}={value}" for key, values in request.query.items() for value in values]
    return f"{request.path}?{'&'.join(pairs)}" if pairs else request.path


def _operation(app: PlatformApp | None, request: SandboxRequest) -> str:
    if app is None:
        return "unknown"
    try:
        return app.operation(request)
    except Exception:
        log.exception("sandbox emulator could not name the operation of %s", request.path)
        return "unknown"


def _internal_error(app: PlatformApp, request_id: str) -> SandboxResponse:
    message = "Internal error in the sandbox emulator (see the server log)."
    try:
        return app.error(500, message, request_id=request_id)
    except Exception:
        log.exception("sandbox emulator could not build an error answer")
        return SandboxResponse.json_body(500, {"error": {"code": 500, "message": message}})
