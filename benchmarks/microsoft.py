"""Reading the city's whole Microsoft side: the provider vs a naive msgraph-sdk script.

What is read (the city's one Microsoft tenant, app-only token from the tenants file):
schools, classes with their school, each class's teachers and members, assignment
categories, assignments in every state with their categories and resources, every
submission of each non-draft assignment with its outcomes (draft and released grades,
feedback), and users' guardians (``relatedContacts``).

* :func:`provider_read`: the :class:`MicrosoftEducationProvider` built from the tenants
  file; its own ``$batch`` packing, ``$top`` and ``$expand``. Items counted, never kept.
* :func:`naive_read`: the straightforward sequential msgraph-sdk script: default page
  size (no ``$top``: 20 per page), following ``@odata.nextLink`` with ``with_url``, no
  ``$batch``, no ``$expand``: GET schools → each school's classes → per class teachers,
  members, assignmentCategories, assignments → per non-draft assignment its resources and
  submissions → per submission its outcomes (``GET …/submissions/{id}/outcomes``) → users.
* :func:`minimum_requests`: the documented minimum (see ``docs/performance.md``).

Both record the cold start: seconds from before ``import`` of the Graph stack to the
end of the first answered request, in a fresh process.
"""

from __future__ import annotations

import asyncio
import math
import time
from typing import Any

from benchmarks._census import GRAPH_CAPS, GRAPH_DEFAULT_PAGE, pages

__all__ = ["minimum_requests", "naive_expected_calls", "naive_read", "provider_read", "quota_time"]

BATCH = 20


# -- the provider -----------------------------------------------------------------------


def provider_read(env: dict[str, Any]) -> dict[str, Any]:
    """Read the Microsoft tenant through the provider; returns item counts."""
    started = time.perf_counter()
    from unified_edu import Municipality

    with Municipality.from_config(env["config"]) as city:
        provider = next(p for p in city.providers.values() if p.name == "microsoft")
        schools = list(provider.iter_schools())
        cold = time.perf_counter() - started
        counts = {"schools": len(schools)}
        kinds = {
            "Class": "classes",
            "Enrollment": "enrollments",
            "Category": "categories",
            "Assignment": "assignments",
            "Submission": "submissions",
            "GuardianLink": "guardians",
        }
        counts.update(dict.fromkeys(kinds.values(), 0))
        for item in provider.iter_snapshot():
            counts[kinds[type(item).__name__]] += 1
        client = provider.request_counts()  # type: ignore[attr-defined]
    return {"items": counts, "cold_start_s": round(cold, 3), "client_side": client}


# -- the naive script -------------------------------------------------------------------


async def _naive(env: dict[str, Any], class_limit: int | None, started: float) -> dict[str, Any]:
    from kiota_abstractions.authentication import (
        AccessTokenProvider,
        AllowedHostsValidator,
        BaseBearerTokenAuthenticationProvider,
    )
    from msgraph import GraphRequestAdapter, GraphServiceClient  # type: ignore[attr-defined]

    tenant = next(t for t in env["tenants"] if t["platform"] == "microsoft")
    token = tenant["tokens"].get("app") or next(iter(tenant["tokens"].values()))

    class StaticToken(AccessTokenProvider):
        async def get_authorization_token(self, uri: str, additional: Any = None) -> str:
            return str(token)

        def get_allowed_hosts_validator(self) -> AllowedHostsValidator:
            return AllowedHostsValidator([])

    adapter = GraphRequestAdapter(BaseBearerTokenAuthenticationProvider(StaticToken()))
    adapter.base_url = env["graph_base_url"]
    client = GraphServiceClient(request_adapter=adapter)
    requests = 0

    async def every(builder: Any) -> list[Any]:
        nonlocal requests
        found: list[Any] = []
        page = await builder.get()
        requests += 1
        while True:
            found.extend(page.value or [])
            if not page.odata_next_link:
                return found
            page = await builder.with_url(page.odata_next_link).get()
            requests += 1

    education = client.education
    items = {"schools": 0, "classes": 0, "read_classes": 0, "teachers": 0, "members": 0}
    items |= {"categories": 0, "assignments": 0, "resources": 0, "submissions": 0}
    items |= {"outcomes": 0, "users": 0}
    schools = await every(education.schools)
    cold = time.perf_counter() - started
    items["schools"] = len(schools)
    class_ids: list[str] = []
    for school in schools:
        for klass in await every(education.schools.by_education_school_id(school.id).classes):
            if klass.id not in class_ids:
                class_ids.append(klass.id)
    items["classes"] = len(class_ids)
    chosen = class_ids if class_limit is None else class_ids[:class_limit]
    items["read_classes"] = len(chosen)
    for cid in chosen:
        klass = education.classes.by_education_class_id(cid)
        items["teachers"] += len(await every(klass.teachers))
        items["members"] += len(await every(klass.members))
        items["categories"] += len(await every(klass.assignment_categories))
        for assignment in await every(klass.assignments):
            items["assignments"] += 1
            one = klass.assignments.by_education_assignment_id(assignment.id)
            items["resources"] += len(await every(one.resources))
            if str(assignment.status).lower().endswith("draft"):
                continue
            for submission in await every(one.submissions):
                items["submissions"] += 1
                sub = one.submissions.by_education_submission_id(submission.id)
                items["outcomes"] += len(await every(sub.outcomes))
    items["users"] = len(await every(education.users))
    return {
        "items": items,
        "class_limit": class_limit,
        "cold_start_s": round(cold, 3),
        "client_requests": requests,
    }


def naive_read(env: dict[str, Any], class_limit: int | None = None) -> dict[str, Any]:
    """The naive sequential script (see the module docstring).

    Args:
        class_limit: Read only the first N classes (schools and users whole), for a
            capped run that is then extrapolated.
    """
    started = time.perf_counter()
    return asyncio.run(_naive(env, class_limit, started))


# -- formulas ---------------------------------------------------------------------------


def _rounds(listing_pages: list[int], batch: int) -> int:
    total = 0
    for r in range(1, max(listing_pages, default=0) + 1):
        total += math.ceil(sum(1 for p in listing_pages if p >= r) / batch)
    return total


def minimum_requests(census: dict[str, Any]) -> dict[str, Any]:
    """The documented minimum of HTTP requests to read the Microsoft tenant.

    Listings, each at the server's largest page (``$top``: roster 100, assignments 50,
    submissions 100, other 100), in four dependency levels: L0 schools and
    users(``$select=id,relatedContacts``); L1 each school's classes (full objects: the
    class list and its school at once); L2 per class teachers, members,
    assignmentCategories, assignments(``$expand=categories,resources``); L3 per
    non-draft assignment submissions(``$expand=outcomes``). Minimum = the larger of
    ceil(page calls / 20) (a ``$batch`` holds 20) and the longest chain of dependent pages
    (schools → a school's classes → a class's assignments → one assignment's submissions
    pages). The level-by-level packing Σ_levels Σ_r ceil(k_r / 20) of the previous
    edition is reported as ``round_packing`` (not a lower bound: levels can share a
    batch). Every call but the L0/L1/roster ones is an assignment-service call (quota).
    """
    (data,) = census.values()
    roster, other = GRAPH_CAPS["roster"], GRAPH_CAPS["other"]
    levels = [
        [pages(data["schools"], other), pages(data["users"], roster)],
        [pages(n, other) for n in data["school_classes"]],
        [
            p
            for c in data["per_class"]
            for p in (
                pages(c["teachers"], roster),
                pages(c["members"], roster),
                pages(c["categories"], other),
                pages(c["assignments"], GRAPH_CAPS["assignments"]),
            )
        ],
        [pages(n, GRAPH_CAPS["submissions"]) for c in data["per_class"] for n in c["submissions"]],
    ]
    calls = sum(sum(level) for level in levels)
    assignment_calls = sum(
        pages(c["categories"], other) + pages(c["assignments"], GRAPH_CAPS["assignments"])
        for c in data["per_class"]
    ) + sum(levels[3])
    chain = (
        pages(data["schools"], other)
        + max((pages(n, other) for n in data["school_classes"]), default=0)
        + max(
            (
                pages(c["assignments"], GRAPH_CAPS["assignments"])
                + max((pages(n, GRAPH_CAPS["submissions"]) for n in c["submissions"]), default=0)
                for c in data["per_class"]
            ),
            default=0,
        )
    )
    floor = math.ceil(calls / BATCH)
    return {
        "page_calls": calls,
        "assignment_service_calls": assignment_calls,
        "minimum": max(floor, chain),
        "longest_chain": chain,
        "round_packing": sum(_rounds(level, BATCH) for level in levels),
        "floor": floor,
        "dependency_levels": len(levels),
    }


def naive_expected_calls(census: dict[str, Any]) -> dict[str, int]:
    """Calls of the naive script (default page 20), from the census."""
    (data,) = census.values()
    size = GRAPH_DEFAULT_PAGE
    total = pages(data["schools"], size) + pages(data["users"], size)
    total += sum(pages(n, size) for n in data["school_classes"])
    heavy = 0
    for c in data["per_class"]:
        total += pages(c["teachers"], size) + pages(c["members"], size)
        heavy += pages(c["categories"], size) + pages(c["assignments"], size)
        heavy += c["assignments"]  # resources per assignment (each fits one page)
        heavy += sum(pages(n, size) for n in c["submissions"])
        heavy += sum(c["submissions"])  # outcomes per submission (≤ 3 each: one page)
    return {"calls": total + heavy, "assignment_service_calls": heavy}


def quota_time(calls: int, windows: tuple[tuple[int, float], ...]) -> float:
    """Seconds the last of ``calls`` must wait under sliding windows (limit, seconds):
    the k-th call (0-based) cannot start before floor(k / limit) · seconds."""
    if calls <= 0:
        return 0.0
    return max(((calls - 1) // limit) * seconds for limit, seconds in windows)


#: Graph assignment service per app per tenant (reference §4.1).
GRAPH_WINDOWS = ((500, 10.0), (15_000, 3600.0))
#: The provider's own limiter: the same windows at 90 %.
GRAPH_CLIENT_WINDOWS = ((450, 10.0), (13_500, 3600.0))
