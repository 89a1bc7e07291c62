"""Benchmark plumbing: one measured run of a scenario, in its own process.

The sandbox runs in a child process (:class:`unified_edu.sandbox.RemoteSandbox`) so its
CPU does not compete with the measured client for the GIL; each scenario runs in a
fresh spawned process too, so its peak RSS is its own (imports included). Request and
call counts come from the sandbox's counters (``/_sandbox/stats``), reset before each
run together with the quota windows.
"""

from __future__ import annotations

import importlib
import json
import multiprocessing
import os
import resource
import time
import traceback
import urllib.request
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import attrs

from unified_edu.sandbox import RemoteSandbox

__all__ = ["Measurement", "Target", "load", "measure", "sandbox_env"]


def load() -> str:
    """The 1-, 5- and 15-minute load averages, as ``uptime`` shows them."""
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f}"


def sandbox_env(sandbox: RemoteSandbox) -> dict[str, Any]:
    """What a scenario needs of the sandbox, as plain (picklable) data."""
    return {
        "url": sandbox.url,
        "config": str(sandbox.config),
        "google_endpoint": sandbox.google_endpoint,
        "graph_base_url": sandbox.graph_base_url,
        "tenants": sandbox.tenants,
    }


@attrs.frozen
class Target:
    """A scenario: ``"module:function"`` called with ``(env, **options)``."""

    name: str
    function: str
    options: dict[str, Any] = attrs.field(factory=dict)


@attrs.frozen
class Measurement:
    """What one run cost, as the sandbox and the measured process saw it."""

    name: str
    wall_seconds: float
    http_requests: int
    calls: int
    batches: int
    throttled: int
    peak_rss_mib: float
    load_before: str
    load_after: str
    by_operation: dict[str, int]
    result: dict[str, Any]
    server: dict[str, Any] = attrs.field(factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The figures as JSON-ready data."""
        return {
            "run": self.name,
            "wall_s": round(self.wall_seconds, 2),
            "http_requests": self.http_requests,
            "calls": self.calls,
            "batches": self.batches,
            "429s": self.throttled,
            "peak_rss_mib": round(self.peak_rss_mib, 1),
            "load_before": self.load_before,
            "load_after": self.load_after,
            "by_operation": dict(sorted(self.by_operation.items())),
            "server": self.server,
            "result": self.result,
        }


def _run(conn: Connection, function: str, env: dict[str, Any], options: dict[str, Any]) -> None:
    try:
        module_name, _, name = function.partition(":")
        scenario = getattr(importlib.import_module(module_name), name)
        started = time.perf_counter()
        result = scenario(env, **options)
        wall = time.perf_counter() - started
        peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
        conn.send(("ok", wall, peak_kib / 1024, result))
    except BaseException:
        conn.send(("error", 0.0, 0.0, traceback.format_exc()))


def _server_time(sandbox: RemoteSandbox) -> dict[str, Any]:
    """Seconds the sandbox spent on outer requests (latency included), from its request
    log (the last 10,000 calls and batch parts: partial for big runs, flagged)."""
    with urllib.request.urlopen(f"{sandbox.url}/_sandbox/log", timeout=60) as response:
        entries = json.loads(response.read())["entries"]
    outer = [e for e in entries if not e["in_batch"]]
    return {
        "outer_requests_logged": len(outer),
        "outer_seconds": round(sum(e["duration_ms"] for e in outer) / 1000, 2),
        "log_complete": len(entries) < 10_000,
    }


def _rss_mib(pid: int | None) -> float:
    """The high-water RSS of a running process (``VmHWM``), MiB; 0 when unknown."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def measure(sandbox: RemoteSandbox, target: Target, timeout: float | None = None) -> Measurement:
    """Run ``target`` once in a fresh process against ``sandbox`` and collect figures.

    With ``timeout`` the process is stopped after that many seconds; the figures are
    then the sandbox's counters at that moment and ``result`` says
    ``{"completed": False, ...}`` (a capped run, never a finished one).

    Raises:
        RuntimeError: When the scenario failed (its traceback is the message).
    """
    sandbox.reset()
    before = load()
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe()
    process = context.Process(
        target=_run, args=(child, target.function, sandbox_env(sandbox), target.options)
    )
    started = time.perf_counter()
    process.start()
    if timeout is not None and not parent.poll(timeout):
        stats = sandbox.stats()
        wall = time.perf_counter() - started
        peak_mib = _rss_mib(process.pid)
        process.terminate()
        process.join(timeout=30)
        return Measurement(
            name=target.name + " (stopped)",
            wall_seconds=wall,
            http_requests=int(stats["http_requests"]),
            calls=int(stats["calls"]),
            batches=int(stats["batches"]),
            throttled=int(stats["throttled"]),
            peak_rss_mib=peak_mib,
            load_before=before,
            load_after=load(),
            by_operation=dict(stats["by_operation"]),
            result={"completed": False, "stopped_after_s": round(wall, 1)},
        )
    status, wall, peak_mib, result = parent.recv()
    process.join()
    server = _server_time(sandbox)
    if status != "ok":
        raise RuntimeError(f"{target.name} failed:\n{result}")
    stats = sandbox.stats()
    return Measurement(
        name=target.name,
        wall_seconds=wall,
        http_requests=int(stats["http_requests"]),
        calls=int(stats["calls"]),
        batches=int(stats["batches"]),
        throttled=int(stats["throttled"]),
        peak_rss_mib=peak_mib,
        load_before=before,
        load_after=load(),
        by_operation=dict(stats["by_operation"]),
        result=result,
        server=server,
    )
