"""Markdown tables from result files: ``python -m benchmarks._tables benchmarks/results/*.json``.

Used to paste measured figures into ``docs/performance.md`` without retyping them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def table(path: Path) -> str:
    data = json.loads(path.read_text())
    lines = [
        f"{data['name']}, scale {data['scale']}, latency {data['latency_s']} s "
        f"(sandbox start {data['sandbox_start_s']} s), file `{path.name}`",
        "",
        "| run | wall s | HTTP requests | calls | 429s | peak RSS MiB | server s "
        "| load before → after |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for run in data["runs"]:
        server = run.get("server", {}).get("outer_seconds", "")
        lines.append(
            f"| {run['run']} | {run['wall_s']} | {run['http_requests']:,} | {run['calls']:,} "
            f"| {run['429s']} | {run['peak_rss_mib']} | {server} "
            f"| {run['load_before']} → {run['load_after']} |"
        )
    extra = {k: v for k, v in data.items() if k.startswith(("google_", "microsoft_", "report_"))}
    for key, value in extra.items():
        shown = (
            {k: v for k, v in value.items() if k not in ("per_tenant", "needed")}
            if isinstance(value, dict)
            else value
        )
        lines.append(f"- `{key}`: {json.dumps(shown, ensure_ascii=False)}")
    for run in data["runs"]:
        lines.append(f"- `{run['run']}` result: {json.dumps(run['result'], ensure_ascii=False)}")
    return "\n".join(lines)


if __name__ == "__main__":
    for name in sys.argv[1:]:
        print(table(Path(name)))
        print()
