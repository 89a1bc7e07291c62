"""The sandbox in a child process, for demos and benchmarks.

In one process the emulators and the client share one GIL, so on a small machine the
server's JSON work slows the client down and wall times mean little. A child process
gives each its own interpreter. The handle speaks to the child over the ``/_sandbox/``
control endpoints and a pipe.

This module must not import any platform client.
"""

from __future__ import annotations

import gc
import json
import queue
import subprocess
import sys
import tempfile
import threading
import urllib.request
from pathlib import Path
from types import TracebackType
from typing import Any

__all__ = ["RemoteSandbox"]


# Young-generation threshold and collection ratios for the child (CPython's defaults: 700,
# 10, 10). Answering allocates many short-lived containers and Graph's first reads build
# its submissions (tens of thousands of dicts), which with the defaults set off repeated
# full collections over the whole city: ~1/5 of the child's CPU in a first report.
_GC_THRESHOLDS = (10_000, 10, 100)


def _settle_heap() -> None:
    """Keep the city, alive as long as the process, out of the cyclic collector's way.

    Only for the child, which does nothing but serve: an in-process sandbox leaves its
    host's collector alone.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(*_GC_THRESHOLDS)


def _serve(options: dict[str, Any], directory: str) -> None:
    """The child's main: start, announce on stdout as one JSON line, serve until stdin ends."""
    from unified_edu.sandbox._sandbox import Sandbox

    sandbox = Sandbox.start(**options)
    _settle_heap()
    city = sandbox.city
    config = sandbox.tenants_config_toml(Path(directory))
    info = {
        "url": sandbox.url,
        "config": str(config),
        "tenants": sandbox._tenants_payload(),
        "summary": {
            "schools": len(city.schools) if city else 0,
            "google_schools": len(city.schools_on("google")) if city else 0,
            "microsoft_schools": len(city.schools_on("microsoft")) if city else 0,
            "students": sum(p.role == "student" for p in city.people) if city else 0,
            "classes": len(city.classes) if city else 0,
            "homework": len(city.homework) if city else 0,
            "work": len(city.work) if city else 0,
            "as_of": city.as_of.isoformat() if city else None,
        },
    }
    sys.stdout.write(json.dumps(info) + "\n")
    sys.stdout.flush()
    sys.stdin.read()  # the parent closes our stdin to stop us
    sandbox.stop()


class RemoteSandbox:
    """A :class:`~unified_edu.sandbox.Sandbox` running in a child process.

    Start it with ``RemoteSandbox.start(**Sandbox.start options)``; it writes its
    tenants file into a private temporary folder (:attr:`config`).
    """

    def __init__(
        self,
        process: subprocess.Popen[str],
        info: dict[str, Any],
        tmp: tempfile.TemporaryDirectory[str],
    ) -> None:
        self._process = process
        self._tmp = tmp
        self.url: str = info["url"]
        self.config = Path(info["config"])
        self.tenants: list[dict[str, Any]] = info["tenants"]
        self.summary: dict[str, Any] = info["summary"]

    @classmethod
    def start(cls, *, timeout: float = 600, **options: Any) -> RemoteSandbox:
        """Start the child and wait until it serves (city generation included).

        The child is a fresh ``python -m unified_edu.sandbox._child`` (not
        ``multiprocessing``), so this works from scripts without a ``__main__`` guard,
        from notebooks and from test runners alike.

        Raises:
            RuntimeError: when the child does not come up within ``timeout`` seconds.
        """
        tmp = tempfile.TemporaryDirectory(prefix="unified-edu-sandbox-")
        process = subprocess.Popen(  # noqa: S603 - our own module, no shell
            [sys.executable, "-m", "unified_edu.sandbox._child", json.dumps(options), tmp.name],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert process.stdout is not None
        ready: queue.Queue[str] = queue.Queue()
        threading.Thread(target=lambda: ready.put(process.stdout.readline()), daemon=True).start()  # type: ignore[union-attr]
        try:
            line = ready.get(timeout=timeout)
        except queue.Empty:
            line = ""
        if not line:
            process.kill()
            tmp.cleanup()
            raise RuntimeError(f"the sandbox did not start within {timeout:.0f} s")
        return cls(process, json.loads(line), tmp)

    @property
    def google_endpoint(self) -> str:
        """The Classroom API endpoint (with the trailing slash googleapiclient expects)."""
        return self.url + "/"

    @property
    def graph_base_url(self) -> str:
        """The Graph base URL."""
        return self.url + "/v1.0"

    def _control(self, name: str, method: str = "GET") -> Any:
        request = urllib.request.Request(  # noqa: S310 - our own loopback http URL
            f"{self.url}/_sandbox/{name}", method=method, data=b"" if method == "POST" else None
        )
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - loopback
            return json.loads(response.read() or b"null")

    def stats(self) -> dict[str, Any]:
        """The counters (``StatsSnapshot.as_dict()``)."""
        return dict(self._control("stats"))

    def reset(self) -> None:
        """Zero the counters and forget quota usage."""
        self._control("reset-stats", "POST")
        self._control("reset-quotas", "POST")

    def stop(self) -> None:
        """Stop the child and remove its files. Idempotent."""
        if self._process.poll() is None:
            assert self._process.stdin is not None
            self._process.stdin.close()
            try:
                self._process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._process.kill()
        if self._process.stdout is not None:
            self._process.stdout.close()
        self._tmp.cleanup()

    def __enter__(self) -> RemoteSandbox:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
