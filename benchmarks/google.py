"""Reading the city's whole Google side: the provider vs a naive google-api-python-client script.

What is read, per Google tenant (one Workspace domain, read as its admin under
domain-wide delegation, as the sandbox's tenants file configures it): every course (all
states), each course's students, teachers, courseWork in every state, submissions and
topics, and the domain's guardians and guardian invitations (PENDING and COMPLETE,
``studentId="-"``).

* :func:`provider_read`: one :class:`GoogleClassroomProvider` per tenant, built from the
  tenants file; tenants read concurrently, at most ``TENANTS_AT_ONCE`` (8) at a time as
  ``Municipality`` does (they share one project quota, which 8 already keep busy),
  each in one ``iter_snapshot()`` (every listing of the domain through one batch
  scheduler). Items are counted by type, never kept.
* :func:`naive_read`: the straightforward sequential script: tenants one after another,
  one call per page, no ``pageSize`` (server defaults), no batch, following
  ``nextPageToken``; submissions listed per PUBLISHED courseWork item
  (``courseWorkId`` = the item; drafts and deleted items have none), as a script that
  walks course → coursework → submissions would.
* :func:`minimum_requests`: the documented minimum number of HTTP requests (module
  docstring of ``docs/performance.md`` has the formula) from the census.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from benchmarks._census import GOOGLE_CAPS, pages

__all__ = ["minimum_requests", "naive_read", "provider_read"]

BATCH = 50
_READ_SCOPES = [
    "https://www.googleapis.com/auth/classroom.courses.readonly",
    "https://www.googleapis.com/auth/classroom.rosters.readonly",
    "https://www.googleapis.com/auth/classroom.profile.emails",
    "https://www.googleapis.com/auth/classroom.coursework.students.readonly",
    "https://www.googleapis.com/auth/classroom.topics.readonly",
    "https://www.googleapis.com/auth/classroom.guardianlinks.students.readonly",
]


# -- the provider -----------------------------------------------------------------------


def _read_tenant(provider: Any) -> dict[str, int]:
    """Count one tenant's items, read in one :meth:`iter_snapshot` (by type)."""
    from unified_edu.models import Assignment, Category, Class, Enrollment, GuardianLink, Submission

    kinds = {
        Class: "classes",
        Enrollment: "enrollments",
        Assignment: "assignments",
        Submission: "submissions",
        Category: "categories",
        GuardianLink: "guardians",
    }
    counts = dict.fromkeys(kinds.values(), 0)
    for item in provider.iter_snapshot():
        counts[kinds[type(item)]] += 1
    return counts


def provider_read(env: dict[str, Any]) -> dict[str, Any]:
    """Read every Google tenant through the provider; returns item counts."""
    from unified_edu import Municipality
    from unified_edu.client import TENANTS_AT_ONCE

    with Municipality.from_config(env["config"]) as city:
        providers = [p for p in city.providers.values() if p.name == "google"]
        with ThreadPoolExecutor(max_workers=min(len(providers), TENANTS_AT_ONCE)) as pool:
            per_tenant = list(pool.map(_read_tenant, providers))
        stats = [p.stats for p in providers]  # type: ignore[attr-defined]
        client = {
            "http_requests": sum(s.http_requests for s in stats),
            "calls": sum(s.calls for s in stats),
            "limiter_wait_s": round(sum(s.waited for s in stats), 2),
        }
    totals: dict[str, int] = {}
    for counts in per_tenant:
        for kind, n in counts.items():
            totals[kind] = totals.get(kind, 0) + n
    return {
        "tenants": len(providers),
        "items": totals,
        "client_side": client,
    }


# -- the naive script -------------------------------------------------------------------


def _count(method: Any, field: str, counter: dict[str, int], **params: Any) -> Iterator[Any]:
    """Yield every item of a listing, one request per page (a naive loop)."""
    token = None
    while True:
        response = method(**params, pageToken=token).execute()
        counter["requests"] += 1
        yield from response.get(field, [])
        token = response.get("nextPageToken")
        if not token:
            return


def naive_read(env: dict[str, Any], course_limit: int | None = None) -> dict[str, Any]:
    """The naive sequential script (see the module docstring).

    Args:
        course_limit: Read only the first N courses of each tenant (guardians whole);
            for a capped run that is then extrapolated.
    """
    from google.oauth2 import service_account
    from googleapiclient.discovery import build

    items = dict.fromkeys(
        ["courses", "read_courses", "students", "teachers", "courseWork", "submissions"], 0
    )
    items |= dict.fromkeys(["topics", "guardians", "invitations"], 0)
    counter = {"requests": 0}
    for tenant in env["tenants"]:
        if tenant["platform"] != "google":
            continue
        credentials = service_account.Credentials.from_service_account_info(  # type: ignore[no-untyped-call]
            tenant["service_account"], scopes=_READ_SCOPES, subject=tenant["admin"]
        )
        service = build(
            "classroom",
            "v1",
            credentials=credentials,
            client_options={"api_endpoint": env["google_endpoint"]},
            static_discovery=True,
        )
        courses = service.courses()
        course_ids = [c["id"] for c in _count(courses.list, "courses", counter)]
        items["courses"] += len(course_ids)
        chosen = course_ids if course_limit is None else course_ids[:course_limit]
        items["read_courses"] += len(chosen)
        for cid in chosen:
            for kind in ("students", "teachers"):
                roster = getattr(courses, kind)()
                items[kind] += sum(1 for _ in _count(roster.list, kind, counter, courseId=cid))
            work = courses.courseWork()
            published = []
            for item in _count(
                work.list,
                "courseWork",
                counter,
                courseId=cid,
                courseWorkStates=["PUBLISHED", "DRAFT", "DELETED"],
            ):
                items["courseWork"] += 1
                if item.get("state") == "PUBLISHED":
                    published.append(item["id"])
            subs = work.studentSubmissions()
            for wid in published:
                items["submissions"] += sum(
                    1
                    for _ in _count(
                        subs.list, "studentSubmissions", counter, courseId=cid, courseWorkId=wid
                    )
                )
            topics = courses.topics()
            items["topics"] += sum(1 for _ in _count(topics.list, "topic", counter, courseId=cid))
        profiles = service.userProfiles()
        guardians = _count(profiles.guardians().list, "guardians", counter, studentId="-")
        items["guardians"] += sum(1 for _ in guardians)
        invitations = _count(
            profiles.guardianInvitations().list,
            "guardianInvitations",
            counter,
            studentId="-",
            states=["PENDING", "COMPLETE"],
        )
        items["invitations"] += sum(1 for _ in invitations)
    return {"items": items, "course_limit": course_limit, "client_requests": counter["requests"]}


# -- the documented minimum -------------------------------------------------------------


def _rounds(listing_pages: list[int], batch: int) -> int:
    """Σ over rounds r of ceil(k_r / batch), k_r = listings with at least r pages."""
    total = 0
    for r in range(1, max(listing_pages, default=0) + 1):
        k = sum(1 for p in listing_pages if p >= r)
        total += math.ceil(k / batch)
    return total


def minimum_requests(census: dict[str, Any]) -> dict[str, Any]:
    """The documented minimum of HTTP requests to read every Google tenant.

    Per tenant: 1 OAuth token exchange (one delegated subject) plus the larger of
    ceil(page calls / 50) (a batch holds 50 calls) and the longest chain of dependent
    page calls (a page needs the previous page's token, and a course's listings need the
    course page that names it: P_courses + the most pages of any per-course listing, or
    the guardian listings' pages). Page calls: ``courses.list`` pages, then 5 listings
    per course (students, teachers, courseWork, submissions with ``courseWorkId="-"``,
    topics) and guardians and guardianInvitations (``studentId="-"``). Also reported: the
    round-by-round packing of the previous edition of this formula (Σ_r ceil(k_r / 50)),
    which is not a lower bound (a continuation can share a batch with other listings'
    first pages).
    """
    per_tenant = {}
    for tenant, data in census.items():
        course_pages = pages(data["courses"], GOOGLE_CAPS["courses"])
        guardians = [pages(data["guardians"], 100), pages(data["guardianInvitations"], 100)]
        per_course = [
            pages(course[k], GOOGLE_CAPS[k])
            for course in data["per_course"]
            for k in GOOGLE_CAPS
            if k in course
        ]
        rest = guardians + per_course
        calls = course_pages + sum(rest)
        chain = max(course_pages + max(per_course, default=0), *guardians)
        per_tenant[tenant] = {
            "token_requests": 1,
            "courses_pages": course_pages,
            "listings": 1 + len(rest),
            "page_calls": calls,
            "longest_chain": chain,
            "minimum": 1 + max(math.ceil(calls / BATCH), chain),
            "round_packing": 1 + course_pages + _rounds(rest, BATCH),
            "floor": 1 + math.ceil(calls / BATCH),
        }
    return {
        "per_tenant": per_tenant,
        "page_calls": sum(t["page_calls"] for t in per_tenant.values()),
        "minimum": sum(t["minimum"] for t in per_tenant.values()),
        "round_packing": sum(t["round_packing"] for t in per_tenant.values()),
        "floor": sum(t["floor"] for t in per_tenant.values()),
    }


def naive_expected_calls(census: dict[str, Any]) -> int:
    """Page calls the naive script makes (from the census), tokens excluded."""
    total = 0
    for data in census.values():
        total += pages(data["courses"], 100)
        total += pages(data["guardians"], 100) + pages(data["guardianInvitations"], 100)
        for course, works in zip(data["per_course"], data["published_work"], strict=True):
            total += pages(course["students"], 30) + pages(course["teachers"], 30)
            total += pages(course["courseWork"], 100) + pages(course["topics"], 100)
            total += sum(pages(n, 100) for n in works)
    return total
