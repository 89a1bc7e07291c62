"""Benchmark plumbing: a sandbox in its own process, and a measured run.

The sandbox runs in a child process so its CPU does not compete with the measured client
for the GIL (on a 2-core machine that would distort wall times), and so the client's peak
memory is its own. Figures come from the sandbox's counters over HTTP and from the client
process (wall clock, tracemalloc peak).
"""

from __future__ import annotations

import importlib
import json
import multiprocessing
import resource
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import attrs

__all__ = ["Measurement", "RemoteSandbox", "measure", "remote_sandbox"]


@attrs.frozen
class RemoteSandbox:
    """A sandbox running in a child process."""

    url: str
    config: Path
    google_endpoint: str
    graph_base_url: str
    tenants: list[dict[str, Any]]
    summary: dict[str, Any]

    def _get(self, path: str, method: str = "GET") -> Any:
        request = urllib.request.Request(
            self.url + path, method=method, data=b"" if method == "POST" else None
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
        return json.loads(body) if body else None

    def stats(self) -> dict[str, Any]:
        """The sandbox's counters."""
        return dict(self._get("/_sandbox/stats"))

    def reset(self) -> None:
        """Zero the counters and forget quota usage, so each run starts fresh."""
        self._get("/_sandbox/reset-stats", method="POST")
        self._get("/_sandbox/reset-quotas", method="POST")


def _serve(conn: Connection, options: dict[str, Any], directory: str) -> None:
    from unified_edu.sandbox import Sandbox

    sandbox = Sandbox.start(**options)
    city = sandbox.city
    assert city is not None
    config = sandbox.tenants_config_toml(Path(directory))
    conn.send(
        {
            "url": sandbox.url,
            "config": str(config),
            "google_endpoint": sandbox.google_endpoint,
            "graph_base_url": sandbox.graph_base_url,
            "tenants": [
                {
                    "platform": t.platform,
                    "tenant": t.tenant,
                    "tokens": dict(t.tokens),
                    "admin": t.admin,
                }
                for t in sandbox.tenants
            ],
            "summary": {
                "schools": len(city.schools),
                "students": sum(p.role == "student" for p in city.people),
                "classes": len(city.classes),
                "homework": len(city.homework),
                "work": len(city.work),
                "as_of": city.as_of.isoformat(),
            },
        }
    )
    conn.recv()  # block until the parent says stop
    sandbox.stop()


@contextmanager
def remote_sandbox(**options: Any) -> Iterator[RemoteSandbox]:
    """Start ``Sandbox.start(**options)`` in a child process for the ``with`` block."""
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe()
    with tempfile.TemporaryDirectory(prefix="unified-edu-bench-") as directory:
        process = context.Process(target=_serve, args=(child, options, directory), daemon=True)
        process.start()
        if not parent.poll(600):
            process.kill()
            raise RuntimeError("the sandbox did not start within 10 minutes")
        info = parent.recv()
        try:
            yield RemoteSandbox(
                url=info["url"],
                config=Path(info["config"]),
                google_endpoint=info["google_endpoint"],
                graph_base_url=info["graph_base_url"],
                tenants=info["tenants"],
                summary=info["summary"],
            )
        finally:
            parent.send("stop")
            process.join(timeout=30)
            if process.is_alive():
                process.kill()


@attrs.frozen
class Measurement:
    """What one run cost."""

    name: str
    wall_seconds: float
    http_requests: int
    calls: int
    throttled: int
    peak_rss_mib: float
    result: Any = attrs.field(default=None)

    def row(self) -> dict[str, Any]:
        """The figures as a flat dict."""
        return {
            "run": self.name,
            "wall_s": round(self.wall_seconds, 2),
            "http_requests": self.http_requests,
            "calls": self.calls,
            "429s": self.throttled,
            "peak_rss_MiB": round(self.peak_rss_mib, 1),
        }


def _run(conn: Connection, target: str, sandbox: RemoteSandbox) -> None:
    module_name, _, function = target.partition(":")
    scenario = getattr(importlib.import_module(module_name), function)
    started = time.perf_counter()
    result = scenario(sandbox)
    wall = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    conn.send((wall, peak_kib / 1024, result))


def measure(name: str, sandbox: RemoteSandbox, target: str) -> Measurement:
    """Run the scenario ``"module:function"`` once, in a fresh process, and collect figures.

    The fresh process makes peak RSS the scenario's own (imports included).
    """
    sandbox.reset()
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe()
    process = context.Process(target=_run, args=(child, target, sandbox))
    process.start()
    wall, peak_mib, result = parent.recv()
    process.join()
    stats = sandbox.stats()
    return Measurement(
        name=name,
        wall_seconds=wall,
        http_requests=int(stats["http_requests"]),
        calls=int(stats["calls"]),
        throttled=int(stats["throttled"]),
        peak_rss_mib=peak_mib,
        result=result,
    )
