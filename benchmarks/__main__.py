"""Run the benchmarks.

    python -m benchmarks [google|microsoft|report|all] --scale 1 --latency 0.05

Each run starts the seeded sandbox (platform quotas on) in a child process, computes the
city's census (listing sizes, for the documented minima and bounds), runs each scenario
in a fresh process, prints a table and writes ``benchmarks/results/<date>-<name>-scale<N>.json``.

The naive scripts can be capped with ``--naive-limit N`` (the first N courses of each
Google tenant, or the first N Microsoft classes); their full wall time is then
extrapolated from the measured seconds per request and the census's request count, and
labelled so. The naive msgraph script is capped to 3 classes by default
(``--microsoft-naive-limit``): in full it needs hours under Graph's hourly quota.
``--no-naive`` skips them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks import google, microsoft, report
from benchmarks._census import census
from benchmarks._harness import Measurement, Target, load, measure
from unified_edu.sandbox import RemoteSandbox

RESULTS = Path(__file__).parent / "results"


def _census(seed: int, scale: int) -> dict[str, Any]:
    """The census, cached in the temp folder (deterministic per seed and scale)."""
    cache = Path(tempfile.gettempdir()) / f"unified-edu-bench-census-{seed}-{scale}.json"
    if cache.exists():
        return dict(json.loads(cache.read_text()))
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        found = pool.apply(census, (seed, scale))
    cache.write_text(json.dumps(found))
    return found


def _machine() -> dict[str, Any]:
    import os

    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "processor": platform.processor() or platform.machine(),
    }


def _print(rows: list[Measurement]) -> None:
    head = f"{'run':34} {'wall_s':>9} {'http':>7} {'calls':>7} {'429':>5} {'rss_MiB':>8}  load"
    print(head)
    for m in rows:
        print(
            f"{m.name:34} {m.wall_seconds:9.2f} {m.http_requests:7d} {m.calls:7d} "
            f"{m.throttled:5d} {m.peak_rss_mib:8.1f}  {m.load_before} → {m.load_after}"
        )


def _extrapolate(m: Measurement, expected: int) -> dict[str, Any]:
    per_request = m.wall_seconds / max(1, m.http_requests)
    return {
        "label": "EXTRAPOLATION from a capped run",
        "seconds_per_request": round(per_request, 4),
        "expected_http_requests": expected,
        "wall_s": round(per_request * expected, 1),
    }


def run_google(
    sb: RemoteSandbox, args: argparse.Namespace, info: dict[str, Any]
) -> list[Measurement]:
    data = info["census"]["google"]
    info["google_minimum"] = google.minimum_requests(data)
    info["google_naive_expected_calls"] = google.naive_expected_calls(data)
    rows = [measure(sb, Target("google provider", "benchmarks.google:provider_read"), args.timeout)]
    if args.naive:
        options = {"course_limit": args.naive_limit} if args.naive_limit else {}
        naive = measure(sb, Target("google naive", "benchmarks.google:naive_read", options))
        rows.append(naive)
        if args.naive_limit:
            tokens = len(data)
            info["google_naive_extrapolated"] = _extrapolate(
                naive, info["google_naive_expected_calls"] + tokens
            )
    return rows


def run_microsoft(
    sb: RemoteSandbox, args: argparse.Namespace, info: dict[str, Any]
) -> list[Measurement]:
    data = info["census"]["microsoft"]
    minimum = microsoft.minimum_requests(data)
    expected = microsoft.naive_expected_calls(data)
    info["microsoft_minimum"] = minimum
    info["microsoft_naive_expected"] = expected
    info["microsoft_quota_s"] = {
        "minimum_calls": microsoft.quota_time(
            minimum["assignment_service_calls"], microsoft.GRAPH_WINDOWS
        ),
        "naive_calls": microsoft.quota_time(
            expected["assignment_service_calls"], microsoft.GRAPH_WINDOWS
        ),
    }
    rows = [
        measure(
            sb, Target("microsoft provider", "benchmarks.microsoft:provider_read"), args.timeout
        )
    ]
    if args.naive:
        limit = args.naive_limit or args.microsoft_naive_limit
        options = {"class_limit": limit} if limit else {}
        naive = measure(sb, Target("microsoft naive", "benchmarks.microsoft:naive_read", options))
        rows.append(naive)
        if limit:
            info["microsoft_naive_extrapolated"] = _extrapolate(naive, expected["calls"])
    return rows


def run_report(
    sb: RemoteSandbox, args: argparse.Namespace, info: dict[str, Any]
) -> list[Measurement]:
    target = Target(
        "progress_report", "benchmarks.report:progress_report", {"as_of": sb.summary["as_of"]}
    )
    m = measure(sb, target, args.timeout)
    google_calls = sum(n for op, n in m.by_operation.items() if op.startswith("classroom."))
    info["report_bound"] = report.lower_bound(
        info["census"],
        args.latency,
        google_calls=google_calls,
        graph_assignment_calls=report.graph_assignment_calls(m.by_operation),
    )
    return [m]


_RUNNERS = {"google": run_google, "microsoft": run_microsoft, "report": run_report}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("what", choices=[*_RUNNERS, "all"], nargs="?", default="all")
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per HTTP request")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--naive", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument(
        "--naive-limit", type=int, default=None, help="cap both naive scripts (see above)"
    )
    parser.add_argument(
        "--microsoft-naive-limit",
        type=int,
        default=3,
        help="classes the naive msgraph script reads when --naive-limit is not given "
        "(default 3; 0 = all, which needs hours: Graph allows 15,000 calls/hour)",
    )
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument(
        "--timeout",
        type=float,
        default=None,
        help="stop a provider/report run after this many seconds (recorded as stopped)",
    )
    args = parser.parse_args(argv)
    chosen = list(_RUNNERS) if args.what == "all" else [args.what]

    started = time.perf_counter()
    load_start = load()
    sb = RemoteSandbox.start(seed=args.seed, scale=args.scale, latency=args.latency, quotas=True)
    with sb:
        sandbox_start = time.perf_counter() - started
        print(f"sandbox scale {args.scale} up in {sandbox_start:.1f} s (load {load_start})")
        info: dict[str, Any] = {"census": _census(args.seed, args.scale)}
        for name in chosen:
            rows = _RUNNERS[name](sb, args, info)
            _print(rows)
            record = {
                "name": name,
                "date": dt.date.today().isoformat(),
                "command": "python -m benchmarks "
                + " ".join(sys.argv[1:] if argv is None else argv),
                "seed": args.seed,
                "scale": args.scale,
                "latency_s": args.latency,
                "quotas": True,
                "machine": _machine(),
                "sandbox_start_s": round(sandbox_start, 1),
                "city": sb.summary,
                "runs": [m.as_dict() for m in rows],
                **{k: v for k, v in info.items() if k != "census"},
            }
            args.out.mkdir(parents=True, exist_ok=True)
            path = args.out / f"{record['date']}-{name}-scale{args.scale}.json"
            path.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n")
            print(f"wrote {path}")
            for key in [k for k in info if k != "census"]:
                info.pop(key)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
