"""The main job: ``Municipality.progress_report`` over the seeded city.

* :func:`progress_report`: the client built from the sandbox's tenants file, one report
  for the default period (this school year) as of the city's ``as_of``.
* :func:`lower_bound`: the documented lower bound on its wall time: the larger of the
  quota-bound time (per platform; tenants run in parallel) and the latency critical path
  (the longest chain of requests that must follow one another), computed from the calls
  the report needs at least (census) and from the calls actually made.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from benchmarks._census import GOOGLE_CAPS, GRAPH_CAPS, pages
from benchmarks.microsoft import GRAPH_WINDOWS, quota_time
from unified_edu.providers.microsoft._limits import assignment_service

__all__ = ["graph_assignment_calls", "lower_bound", "progress_report"]

#: Classroom quotas (reference §4.1): per user and per project, per minute.
GOOGLE_USER_WINDOW = ((1200, 60.0),)
GOOGLE_PROJECT_WINDOW = ((3000, 60.0),)


def progress_report(env: dict[str, Any], as_of: str) -> dict[str, Any]:
    """Build the report once; returns the city row's figures (small)."""
    from unified_edu import Municipality

    with Municipality.from_config(env["config"]) as city:
        report = city.progress_report(as_of=dt.datetime.fromisoformat(as_of))
    row = report.city
    return {
        "rows": len(report.rows),
        "students": row.students,
        "assignments_posted": row.assignments_posted,
        "submissions_expected": row.submissions_expected,
        "turned_in": row.turned_in,
        "graded": row.graded,
    }


def graph_assignment_calls(by_operation: dict[str, int]) -> int:
    """Calls served by Graph's assignment service, from the sandbox's ``by_operation``
    (Graph operations are route templates such as ``GET /education/classes/{id}/...``)."""
    total = 0
    for operation, n in by_operation.items():
        path = operation.partition(" ")[2]
        if path.startswith("/") and assignment_service(path):
            total += n
    return total


def needed_calls(census: dict[str, Any]) -> dict[str, Any]:
    """The calls the report needs at least, by platform and tenant.

    Google (per domain): courses pages; per course teachers, students, courseWork
    (posted states), submissions (``courseWorkId="-"``). Microsoft: schools, each
    school's classes, per class teachers, members and assignments, per non-draft
    assignment submissions with ``$expand=outcomes``; the assignment-service share is
    assignments + submissions.
    """
    google = {}
    for tenant, data in census["google"].items():
        calls = pages(data["courses"], GOOGLE_CAPS["courses"])
        for course in data["per_course"]:
            calls += sum(
                pages(course[k], GOOGLE_CAPS[k])
                for k in ("teachers", "students", "courseWork", "submissions")
            )
        chain = (
            1
            + pages(data["courses"], 100)
            + max(
                max(
                    pages(c[k], GOOGLE_CAPS[k])
                    for k in ("teachers", "students", "courseWork", "submissions")
                )
                for c in data["per_course"]
            )
        )
        google[tenant] = {"calls": calls, "chain": chain}
    (ms,) = census["microsoft"].values()
    roster = GRAPH_CAPS["roster"]
    ms_roster = pages(ms["schools"], 100) + sum(pages(n, 100) for n in ms["school_classes"])
    ms_roster += sum(
        pages(c["teachers"], roster) + pages(c["members"], roster) for c in ms["per_class"]
    )
    ms_heavy = sum(pages(c["assignments"], GRAPH_CAPS["assignments"]) for c in ms["per_class"])
    ms_heavy += sum(pages(n, 100) for c in ms["per_class"] for n in c["submissions"])
    ms_chain = (
        pages(ms["schools"], 100)
        + max(pages(n, 100) for n in ms["school_classes"])
        + max(pages(c["assignments"], GRAPH_CAPS["assignments"]) for c in ms["per_class"])
        + max((pages(n, 100) for c in ms["per_class"] for n in c["submissions"]), default=0)
    )
    return {
        "google": google,
        "microsoft": {
            "calls": ms_roster + ms_heavy,
            "assignment_service_calls": ms_heavy,
            "chain": ms_chain,
        },
    }


def lower_bound(
    census: dict[str, Any],
    latency: float,
    *,
    google_calls: int | None = None,
    graph_assignment_calls: int | None = None,
) -> dict[str, Any]:
    """max(quota-bound time, latency critical path), from the needed calls; with
    ``google_calls`` / ``graph_assignment_calls`` (measured) also for the calls made."""
    needed = needed_calls(census)
    g_total = sum(t["calls"] for t in needed["google"].values())
    g_user = max(quota_time(t["calls"], GOOGLE_USER_WINDOW) for t in needed["google"].values())
    g_quota = max(quota_time(g_total, GOOGLE_PROJECT_WINDOW), g_user)
    ms_quota = quota_time(needed["microsoft"]["assignment_service_calls"], GRAPH_WINDOWS)
    chain = max(*(t["chain"] for t in needed["google"].values()), needed["microsoft"]["chain"])
    critical = chain * latency
    result: dict[str, Any] = {
        "needed": needed,
        "google_calls_needed": g_total,
        "google_quota_s": g_quota,
        "graph_quota_s": ms_quota,
        "critical_path_requests": chain,
        "critical_path_s": round(critical, 3),
        "bound_s": max(g_quota, ms_quota, critical),
    }
    if google_calls is not None and graph_assignment_calls is not None:
        made = max(
            quota_time(google_calls, GOOGLE_PROJECT_WINDOW),
            quota_time(graph_assignment_calls, GRAPH_WINDOWS),
            critical,
        )
        result["bound_for_calls_made_s"] = made
    return result
