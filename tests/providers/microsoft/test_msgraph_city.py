"""Reading the whole Microsoft side of the seeded city through the real sandbox.

One full read (quotas on, the real Graph limits) is done once for the module; the tests
check it against the city, the sandbox's counters and log, and every request the provider
put on the wire (recorded with an httpx event hook): ``$batch`` of at most 20 parts with
relative URLs, ``Prefer: include-unknown-enum-members`` everywhere (next links too), and
no 429 at all.
"""

from __future__ import annotations

import collections
import json
from collections.abc import Iterator
from typing import Any

import attrs
import httpx
import pytest
from msgraph_support import microsoft

from unified_edu import AssignmentState, Role, SubmissionState
from unified_edu.providers.microsoft import MicrosoftEducationProvider
from unified_edu.sandbox import Sandbox, StatsSnapshot
from unified_edu.sandbox._city import City
from unified_edu.sandbox.graph import GraphApp


@attrs.define
class FullRead:
    provider_counts: dict[str, int]
    stats: StatsSnapshot
    log: list[Any]
    wire: list[httpx.Request]
    objects: dict[str, list[Any]]


@pytest.fixture(scope="module")
def full_read(msgraph_city: City) -> Iterator[FullRead]:
    wire: list[httpx.Request] = []

    async def record(request: httpx.Request) -> None:
        wire.append(request)

    def client() -> httpx.AsyncClient:
        return httpx.AsyncClient(event_hooks={"request": [record]}, timeout=60)

    with Sandbox.start(city=msgraph_city, apps=[GraphApp(msgraph_city)], quotas=True) as sb:
        info = microsoft(sb)
        provider = MicrosoftEducationProvider.from_token(
            info.tenant, info.tokens["app"], base_url=sb.graph_base_url, http_client=client
        )
        with provider:
            objects: dict[str, list[Any]] = {"schools": provider.list_schools()}
            objects["classes"] = provider.list_classes()
            ids = [c.ref.id for c in objects["classes"]]
            objects["enrollments"] = provider.list_enrollments(ids)
            objects["people"] = provider.list_people()
            objects["guardians"] = provider.list_guardians()
            objects["categories"] = provider.list_categories(ids)
            objects["assignments"] = provider.list_assignments(ids)
            objects["submissions"] = provider.list_submissions(ids)
            counts = provider.request_counts()
        yield FullRead(counts, sb.stats(), sb.log(), wire, objects)


def _city_side(city: City) -> dict[str, Any]:
    keys = {s.key for s in city.schools_on("microsoft")}
    classes = [c for c in city.classes if c.school_key in keys]
    class_keys = {c.key for c in classes}
    homework = [h for h in city.homework if h.class_key in class_keys and h.state != "deleted"]
    homework_keys = {h.key for h in homework}
    people = [p for p in city.people if p.school_key in keys and p.role in ("teacher", "student")]
    students = {p.key for p in people if p.role == "student"}
    return {
        "schools": len(keys),
        "classes": len(classes),
        "teachers": sum(len(c.teacher_keys) for c in classes),
        "students": sum(len(c.student_keys) for c in classes),
        "people": collections.Counter(p.role for p in people),
        "guardians": sum(
            1 for g in city.guardians if g.student_key in students and g.state == "active"
        ),
        "categories": len({(h.class_key, h.category) for h in homework if h.category}),
        "homework": collections.Counter(h.state for h in homework),
        "work": collections.Counter(w.state for w in city.work if w.homework_key in homework_keys),
    }


def test_counts_match_the_city(full_read: FullRead, msgraph_city: City) -> None:
    want = _city_side(msgraph_city)
    got = full_read.objects
    assert len(got["schools"]) == want["schools"] == 3
    assert len(got["classes"]) == want["classes"]
    school_ids = {s.ref.id for s in got["schools"]}
    assert {c.school_id for c in got["classes"]} == school_ids  # every class has its school
    roles = collections.Counter(e.role for e in got["enrollments"])
    assert roles == {Role.TEACHER: want["teachers"], Role.STUDENT: want["students"]}
    people = collections.Counter(p.role for p in got["people"])
    assert people == {
        Role.TEACHER: want["people"]["teacher"],
        Role.STUDENT: want["people"]["student"],
    }
    assert len(got["guardians"]) == want["guardians"]
    assert len(got["categories"]) == want["categories"]
    states = collections.Counter(a.state for a in got["assignments"])
    assert states == {
        AssignmentState.PUBLISHED: want["homework"]["published"],
        AssignmentState.DRAFT: want["homework"]["draft"],
        AssignmentState.INACTIVE: want["homework"]["inactive"],  # needs the Prefer header
    }
    work = want["work"]
    subs = collections.Counter(s.state for s in got["submissions"])
    assert subs == {
        SubmissionState.RETURNED: work["returned"],
        SubmissionState.TURNED_IN: work["turned_in"],
        SubmissionState.IN_PROGRESS: work["in_progress"] + work["new"],
        SubmissionState.REASSIGNED: work["reassigned"],  # needs the Prefer header
        SubmissionState.EXCUSED: work["excused"],  # needs the Prefer header
    }
    released = [s for s in got["submissions"] if s.released_grade is not None]
    assert released
    assert all(s.released_grade.released for s in released)


def test_no_throttling_with_the_real_quotas(full_read: FullRead) -> None:
    assert full_read.stats.throttled == 0
    assert full_read.stats.quota_rejections == 0
    assert 429 not in full_read.stats.by_status


def test_request_counter_agrees_with_the_sandbox(full_read: FullRead) -> None:
    counts, stats = full_read.provider_counts, full_read.stats
    assert counts["http_requests"] == stats.http_requests == len(full_read.wire)
    assert counts["calls"] == stats.calls
    assert counts["batches"] == stats.batches
    assert counts["batch_parts"] == stats.batch_parts
    # Batching pays: far fewer HTTP requests than calls (measured: 123 for 1,970 calls).
    assert stats.http_requests * 10 < stats.calls


def _batch_bodies(wire: list[httpx.Request]) -> list[list[dict[str, Any]]]:
    return [
        json.loads(request.content)["requests"]
        for request in wire
        if request.url.path.endswith("/$batch")
    ]


def test_batches_have_at_most_20_relative_parts(full_read: FullRead) -> None:
    batches = _batch_bodies(full_read.wire)
    assert batches
    assert max(len(parts) for parts in batches) == 20
    for parts in batches:
        assert len(parts) <= 20
        assert len({p["id"] for p in parts}) == len(parts)
        for part in parts:
            assert part["url"].startswith("/education/"), part["url"]
            assert "://" not in part["url"]
            assert "%24" not in part["url"]
    inner = [e for e in full_read.log if e.in_batch]
    assert inner
    assert all(e.path.startswith("/v1.0/education/") for e in inner)


def test_prefer_header_on_every_request_and_next_link(full_read: FullRead) -> None:
    for request in full_read.wire:
        assert request.headers["prefer"] == "include-unknown-enum-members"
    parts = [p for batch in _batch_bodies(full_read.wire) for p in batch]
    assert all(p["headers"]["Prefer"] == "include-unknown-enum-members" for p in parts)
    continuations = [p for p in parts if "$skiptoken=" in p["url"]]
    assert continuations, "the city has listings longer than one page"
    assert all(p["headers"]["Prefer"] == "include-unknown-enum-members" for p in continuations)


def test_read_uses_largest_pages_and_expansions(full_read: FullRead) -> None:
    parts = [p["url"] for batch in _batch_bodies(full_read.wire) for p in batch]
    listings = [u for u in parts if "$skiptoken" not in u]
    assert all("$top=999" in u for u in listings if not u.startswith("/education/users/"))
    assert any("/submissions?" in u and "$expand=outcomes" in u for u in listings)
    assert any("/assignments?" in u and "$expand=categories,resources" in u for u in listings)
    assert any(
        u.startswith("/education/users?") and "$select=id,relatedContacts" in u for u in listings
    )
