"""Profile a provider read under cProfile: ``python -m benchmarks._profile google --scale 1``.

Starts the sandbox (its own process, quotas on, 50 ms latency), then reads one tenant in
the main thread (cProfile sees the main thread only) with per-phase wall times, and
prints the top functions by cumulative and by own time. Not a benchmark: figures
under a profiler are slower than real.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import time
from typing import Any

from unified_edu.sandbox import RemoteSandbox


def _phases(provider: Any) -> dict[str, float]:
    from unified_edu.models import AssignmentState

    times: dict[str, float] = {}
    t = time.perf_counter()
    class_ids = [k.ref.id for k in provider.iter_classes()]
    times["classes"] = time.perf_counter() - t
    streams = {
        "enrollments": lambda: provider.iter_enrollments(class_ids),
        "assignments": lambda: provider.iter_assignments(class_ids, states=set(AssignmentState)),
        "submissions": lambda: provider.iter_submissions(class_ids),
        "categories": lambda: provider.iter_categories(class_ids),
        "guardians": provider.iter_guardians,
    }
    for kind, stream in streams.items():
        t = time.perf_counter()
        n = sum(1 for _ in stream())
        times[kind] = time.perf_counter() - t
        times[kind + "_items"] = n
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("platform", choices=["google", "microsoft"])
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--tenant", default=None, help="tenant name (default: the first)")
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args()
    from unified_edu import Municipality

    with RemoteSandbox.start(scale=args.scale, latency=args.latency, quotas=True) as sb:
        city = Municipality.from_config(sb.config)
        chosen = next(
            p
            for p in city.providers.values()
            if p.name == args.platform and (args.tenant is None or p.tenant == args.tenant)
        )
        sb.reset()
        profiler = cProfile.Profile()
        started = time.perf_counter()
        profiler.enable()
        phases = _phases(chosen)
        profiler.disable()
        wall = time.perf_counter() - started
        stats = sb.stats()
        city.close()
    print(f"tenant {chosen.tenant}: wall {wall:.2f} s under cProfile; phases {phases}")
    print(f"http_requests {stats['http_requests']} calls {stats['calls']}")
    report = pstats.Stats(profiler).strip_dirs()
    report.sort_stats("cumulative").print_stats(args.top)
    report.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
