"""The sandbox's loopback HTTP server: sockets, keep-alive, latency, faults on the wire.

Owns the bytes: parsing an HTTP/1.1 request into a :class:`SandboxRequest`, routing it to
the first emulator that owns the path, the ``/_sandbox/`` control endpoints, the
configured latency, and carrying out connection faults (a TCP reset, a truncated body).
Everything about one call happens in ``_pipeline.py``. The server binds 127.0.0.1 only.

This module must not import any platform client.
"""

from __future__ import annotations

import contextlib
import logging
import random
import socket
import socketserver
import struct
import sys
import threading
import time
from collections.abc import Callable, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from unified_edu.errors import redact
from unified_edu.sandbox._core import PlatformApp, SandboxRequest, SandboxResponse
from unified_edu.sandbox._pipeline import Outcome, Pipeline

__all__ = ["SandboxServer"]

log = logging.getLogger("unified_edu.sandbox")

CONTROL_PREFIX = "/_sandbox/"
# Statuses that must not carry a body, hence no Content-Length either (RFC 9110 §8.6).
_NO_BODY = frozenset({204, 304})


class _HTTPServer(ThreadingHTTPServer):
    """Tracks open connections and their threads so that stop() leaves none behind."""

    daemon_threads = True
    allow_reuse_address = True
    # socketserver's default backlog of 5 drops bursts of parallel connects (SYN retried
    # after 1 s), which would read as server latency.
    request_queue_size = 128

    def __init__(self, port: int, sandbox: SandboxServer) -> None:
        self.sandbox = sandbox
        self._lock = threading.Lock()
        self._open: dict[socket.socket, threading.Thread] = {}
        self._resets: set[socket.socket] = set()
        super().__init__(("127.0.0.1", port), _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind resolves the host name (a reverse DNS lookup that can
        # stall on a machine without network); loopback needs none.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = "127.0.0.1", self.server_address[1]

    def process_request(self, request: Any, client_address: Any) -> None:
        thread = threading.Thread(
            target=self.process_request_thread,
            args=(request, client_address),
            name=f"sandbox-conn-{client_address[1]}",
            daemon=True,
        )
        with self._lock:
            self._open[request] = thread
        thread.start()

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hangs up mid-answer is normal here (faults, timeouts): no traceback.
        if isinstance(sys.exc_info()[1], OSError):
            log.debug("sandbox connection from %s dropped", client_address, exc_info=True)
        else:
            log.exception("sandbox server failed on a request from %s", client_address)

    def mark_reset(self, connection: socket.socket) -> None:
        """Close ``connection`` with a TCP reset instead of an orderly shutdown."""
        # Linger 0 makes close() send RST. A FIN would let httplib2 silently resend the
        # request on a fresh connection and so hide the fault from the client.
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        with self._lock:
            self._resets.add(connection)

    def shutdown_request(self, request: Any) -> None:
        with self._lock:
            self._open.pop(request, None)
            reset = request in self._resets
            self._resets.discard(request)
        if reset:
            self.close_request(request)
        else:
            super().shutdown_request(request)

    def close_connections(self, timeout: float) -> None:
        """Wake every connection thread (idle keep-alive ones too) and join them."""
        with self._lock:
            open_now = list(self._open.items())
        for connection, _ in open_now:
            with contextlib.suppress(OSError):  # Already closed by the client.
                connection.shutdown(socket.SHUT_RDWR)
        deadline = time.monotonic() + timeout
        for _, thread in open_now:
            thread.join(max(0.0, deadline - time.monotonic()))


class _Handler(BaseHTTPRequestHandler):
    """One connection; one call of :meth:`_serve` per HTTP request on it."""

    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; with Nagle on, each answer would wait ~40 ms
    # for the client's delayed ACK.
    disable_nagle_algorithm = True
    server: _HTTPServer

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_PATCH(self) -> None:
        self._serve()

    def do_PUT(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def version_string(self) -> str:
        return "unified-edu-sandbox"

    def log_message(self, format: str, *args: Any) -> None:
        # The request line may hold an access_token query parameter: keep it out of stderr.
        log.debug("sandbox: %s", redact(format % args))

    def _serve(self) -> None:
        started = time.perf_counter()
        request = self._read_request()
        if request is None:
            return
        sandbox = self.server.sandbox
        if request.path.startswith(CONTROL_PREFIX):
            self._write(sandbox.control(request))
            return
        sandbox.delay()
        outcome = sandbox.handle(request, started)
        self._finish(outcome)

    def _read_request(self) -> SandboxRequest | None:
        target = urlsplit(self.path)
        headers: dict[str, str] = {}
        for name, value in self.headers.items():
            key = name.lower()
            headers[key] = f"{headers[key]}, {value}" if key in headers else value
        try:
            body = self._read_body(headers)
        except ValueError:
            self._write(SandboxResponse.json_body(400, {"error": "malformed request body"}))
            self.close_connection = True
            return None
        query = parse_qs(target.query, keep_blank_values=True)
        return SandboxRequest(
            method=self.command.upper(),
            path=target.path or "/",
            query={key: tuple(values) for key, values in query.items()},
            headers=headers,
            body=body,
        )

    def _read_body(self, headers: dict[str, str]) -> bytes:
        if "chunked" in headers.get("transfer-encoding", "").lower():
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    # Trailers end with an empty line.
                    while self.rfile.readline().strip():
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(headers.get("content-length", "0") or "0")
        if length < 0:
            raise ValueError("negative Content-Length")
        return self.rfile.read(length) if length else b""

    def _finish(self, outcome: Outcome) -> None:
        if outcome.fault in ("reset_before", "reset_after") or outcome.response is None:
            self.close_connection = True
            self.server.mark_reset(self.connection)
            return
        if outcome.fault == "truncate":
            self.close_connection = True
            body = outcome.response.body
            self._write(outcome.response, body=body[: len(body) // 2])
            return
        self._write(outcome.response)

    def _write(self, response: SandboxResponse, *, body: bytes | None = None) -> None:
        """Send ``response``; ``body`` replaces the bytes sent (not the Content-Length)."""
        self.send_response(response.status)
        for name, value in response.headers.items():
            if name.lower() not in ("content-length", "transfer-encoding", "connection"):
                self.send_header(name, value)
        if response.status not in _NO_BODY:
            self.send_header("Content-Length", str(len(response.body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        payload = response.body if body is None else body
        if payload and response.status not in _NO_BODY:
            self.wfile.write(payload)


class SandboxServer:
    """The HTTP server in a background thread, in front of the emulators and the pipeline.

    Args:
        apps: The emulators, asked in order whether they own a path.
        pipeline: Runs each call.
        port: TCP port on 127.0.0.1; 0 picks a free one.
        latency: Seconds added to every outer HTTP request.
        jitter: Up to this many more seconds, uniformly drawn from a generator seeded
            with ``seed``.
        seed: Seed of the jitter.
        tenants: Produces the ``GET /_sandbox/tenants`` payload.
    """

    def __init__(
        self,
        apps: Sequence[PlatformApp],
        pipeline: Pipeline,
        *,
        port: int = 0,
        latency: float = 0.0,
        jitter: float = 0.0,
        seed: int = 0,
        tenants: Callable[[], list[dict[str, Any]]] = list,
    ) -> None:
        self.apps = tuple(apps)
        self.pipeline = pipeline
        self.latency = latency
        self.jitter = jitter
        self._jitter_rng = random.Random(seed)  # noqa: S311  # reproducible, not secret
        self._jitter_lock = threading.Lock()
        self._tenants = tenants
        self._stopping = threading.Event()
        self._http = _HTTPServer(port, self)
        self.port: int = self._http.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        for app in self.apps:
            app.base_url = self.url
        self._thread = threading.Thread(
            target=self._http.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"sandbox-server-{self.port}",
            daemon=True,
        )

    def start(self) -> None:
        """Start answering in the background."""
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop accepting, drop open connections and join every server thread."""
        if self._stopping.is_set():
            return
        self._stopping.set()  # Wakes handlers sleeping in delay().
        if self._thread.is_alive():
            self._http.shutdown()
            self._thread.join(timeout)
        self._http.close_connections(timeout)
        self._http.server_close()

    def delay(self) -> None:
        """Sleep the configured latency (plus jitter); returns early when stopping."""
        seconds = self.latency
        if self.jitter > 0:
            with self._jitter_lock:
                seconds += self._jitter_rng.uniform(0.0, self.jitter)
        if seconds > 0:
            self._stopping.wait(seconds)

    def handle(self, request: SandboxRequest, started: float) -> Outcome:
        """Route an outer request to its emulator and run it through the pipeline."""
        app = next((app for app in self.apps if app.owns(request.path)), None)
        return self.pipeline.call(app, request, outer=True, started=started)

    def control(self, request: SandboxRequest) -> SandboxResponse:
        """Answer a ``/_sandbox/`` control endpoint (not logged, not counted)."""
        name = request.path[len(CONTROL_PREFIX) :].strip("/")
        routes: dict[str, tuple[str, Callable[[SandboxRequest], SandboxResponse]]] = {
            "stats": ("GET", self._stats),
            "log": ("GET", self._log),
            "reset-stats": ("POST", self._reset_stats),
            "reset-quotas": ("POST", self._reset_quotas),
            "tenants": ("GET", self._tenant_list),
        }
        if name not in routes:
            return SandboxResponse.json_body(404, {"error": f"no control endpoint {name!r}"})
        method, answer = routes[name]
        if request.method != method:
            return SandboxResponse.json_body(
                405, {"error": f"use {method} on {CONTROL_PREFIX}{name}"}, {"Allow": method}
            )
        return answer(request)

    def _stats(self, request: SandboxRequest) -> SandboxResponse:
        return SandboxResponse.json_body(200, self.pipeline.recorder.snapshot().as_dict())

    def _log(self, request: SandboxRequest) -> SandboxResponse:
        limit = request.param("limit")
        if limit is not None and not limit.isdigit():
            return SandboxResponse.json_body(400, {"error": "limit must be a whole number"})
        entries = self.pipeline.recorder.entries(int(limit) if limit is not None else None)
        return SandboxResponse.json_body(200, {"entries": [e.as_dict() for e in entries]})

    def _reset_stats(self, request: SandboxRequest) -> SandboxResponse:
        self.pipeline.recorder.reset()
        return SandboxResponse.json_body(200, {"reset": True})

    def _reset_quotas(self, request: SandboxRequest) -> SandboxResponse:
        if self.pipeline.quotas is not None:
            self.pipeline.quotas.reset()
        return SandboxResponse.json_body(200, {"reset": True})

    def _tenant_list(self, request: SandboxRequest) -> SandboxResponse:
        return SandboxResponse.json_body(200, {"tenants": self._tenants()})

    @property
    def running(self) -> bool:
        """True between start() and stop()."""
        return self._thread.is_alive() and not self._stopping.is_set()
