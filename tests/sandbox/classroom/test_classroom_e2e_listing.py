"""The unmodified google-api-python-client lists the whole seeded municipality's Google side.

Static discovery, ``client_options={"api_endpoint": ...}`` and batches built as
``BatchHttpRequest(batch_uri=endpoint + "batch")`` against the real sandbox server. Every
listing follows ``nextPageToken`` (through ``list_next``), fanned out 50 calls per batch
as a careful client would, and the totals must equal the city's.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import google.oauth2.credentials
import pytest
from googleapiclient.discovery import build
from googleapiclient.http import BatchHttpRequest

from unified_edu.sandbox import Sandbox
from unified_edu.sandbox._city import City

pytestmark = pytest.mark.block_network(allowed_hosts=[r"127\.0\.0\.1$"])

Pending = dict[str, tuple[Any, Any, str]]  # id -> (request, collection, items field)
_WORK_FIELDS = "nextPageToken,courseWork(id,state)"
_SUBMISSION_FIELDS = "nextPageToken,studentSubmissions(id,state)"


def service(sb: Sandbox, token: str) -> Any:
    return build(
        "classroom",
        "v1",
        credentials=google.oauth2.credentials.Credentials(token),
        client_options={"api_endpoint": sb.google_endpoint},
        static_discovery=True,
    )


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def drain(sb: Sandbox, pending: Pending) -> dict[str, list[dict[str, Any]]]:
    """Run every listing to its last page, 50 requests per batch, page by page."""
    found: dict[str, list[dict[str, Any]]] = {key: [] for key in pending}
    answers: dict[str, Any] = {}

    def collect(request_id: str, response: Any, exception: Exception | None) -> None:
        assert exception is None, (request_id, exception)
        answers[request_id] = response

    while pending:
        following: Pending = {}
        for chunk in _chunks(list(pending.items()), 50):
            batch = BatchHttpRequest(callback=collect, batch_uri=sb.google_endpoint + "batch")
            for key, (request, _, _) in chunk:
                batch.add(request, request_id=key)
            batch.execute()
            for key, (request, collection, field) in chunk:
                found[key] += answers[key].get(field, [])
                following_request = collection.list_next(request, answers[key])
                if following_request is not None:
                    following[key] = (following_request, collection, field)
        pending = following
    return found


def _expected(city: City) -> dict[str, Any]:
    google = {s.key for s in city.schools_on("google")}
    classes = [c for c in city.classes if c.school_key in google]
    keys = {c.key for c in classes}
    homework = [h for h in city.homework if h.class_key in keys]
    published = {h.key for h in homework if h.state in ("published", "inactive")}
    students = {p.key for p in city.people if p.school_key in google and p.role == "student"}
    links = [g for g in city.guardians if g.student_key in students]
    homework_keys = {h.key for h in homework}
    work = [w for w in city.work if w.homework_key in homework_keys]
    assert all(w.homework_key in published for w in work)  # the city only has work on those
    return {
        "courses": len(classes),
        "names": Counter(c.name for c in classes),
        "students": sum(len(c.student_keys) for c in classes),
        "teachers": sum(len(c.teacher_keys) for c in classes),
        "courseWork": len(homework),
        "states": Counter(h.state.replace("inactive", "published").upper() for h in homework),
        "submissions": len(work),
        "topics": len({(h.class_key, h.category) for h in homework if h.category}),
        "guardians": sum(1 for g in links if g.state == "active"),
        "invitations": sum(1 for g in links if g.state in ("invited", "closed")),
    }


@pytest.fixture(scope="module")
def listed(seeded_sandbox: Sandbox) -> dict[str, Any]:
    totals: Counter[str] = Counter()
    names: Counter[str] = Counter()
    states: Counter[str] = Counter()
    for tenant in (t for t in seeded_sandbox.tenants if t.platform == "google"):
        svc = service(seeded_sandbox, tenant.tokens["admin"])
        courses = drain(
            seeded_sandbox,
            {"courses": (svc.courses().list(pageSize=1000), svc.courses(), "courses")},
        )["courses"]
        names.update(c["name"] for c in courses)
        totals["courses"] += len(courses)
        # Building a resource object is costly in googleapiclient: one of each, reused.
        students, teachers = svc.courses().students(), svc.courses().teachers()
        work, topics = svc.courses().courseWork(), svc.courses().topics()
        submissions = work.studentSubmissions()
        all_states = ["PUBLISHED", "DRAFT", "DELETED"]
        pending: Pending = {}
        for course in courses:
            cid = course["id"]
            pending[f"students:{cid}"] = (
                students.list(courseId=cid, pageSize=1000, fields="nextPageToken,students/userId"),
                students,
                "students",
            )
            pending[f"teachers:{cid}"] = (teachers.list(courseId=cid), teachers, "teachers")
            pending[f"courseWork:{cid}"] = (
                work.list(courseId=cid, courseWorkStates=all_states, fields=_WORK_FIELDS),
                work,
                "courseWork",
            )
            # Partial responses, as Google advises for bulk pulls: ids and states only.
            pending[f"submissions:{cid}"] = (
                submissions.list(courseId=cid, courseWorkId="-", fields=_SUBMISSION_FIELDS),
                submissions,
                "studentSubmissions",
            )
            pending[f"topics:{cid}"] = (topics.list(courseId=cid), topics, "topic")
        u = svc.userProfiles()
        pending["guardians"] = (u.guardians().list(studentId="-"), u.guardians(), "guardians")
        pending["invitations"] = (
            u.guardianInvitations().list(studentId="-", states=["PENDING", "COMPLETE"]),
            u.guardianInvitations(),
            "guardianInvitations",
        )
        for key, items in drain(seeded_sandbox, pending).items():
            totals[key.split(":")[0]] += len(items)
            if key.startswith("courseWork:"):
                states.update(w["state"] for w in items)
    return {**totals, "names": names, "states": states}  # fmt: skip


def test_every_collection_counts_what_the_city_has(
    listed: dict[str, Any], seeded_city: City
) -> None:
    expected = _expected(seeded_city)
    assert {k: listed[k] for k in expected} == expected


def test_cyrillic_names_arrive_intact(listed: dict[str, Any], seeded_city: City) -> None:
    assert any("А" <= ch <= "я" for name in listed["names"] for ch in name)
    assert listed["names"] == _expected(seeded_city)["names"]


def test_pages_are_bounded_by_the_server(seeded_sandbox: Sandbox, seeded_city: City) -> None:
    google = {s.key: s for s in seeded_city.schools_on("google")}
    classes = [c for c in seeded_city.classes if c.school_key in google]
    biggest = max(classes, key=lambda c: len(c.student_keys))
    school = google[biggest.school_key]
    assert len(biggest.student_keys) > 30
    tenant = next(t for t in seeded_sandbox.tenants if t.tenant == school.tenant)
    svc = service(seeded_sandbox, tenant.tokens["admin"])
    courses = svc.courses().list(pageSize=1000).execute()["courses"]
    course = next(c for c in courses if c["name"] == biggest.name)
    first = svc.courses().students().list(courseId=course["id"], pageSize=1000).execute()
    assert len(first["students"]) == 30  # the documented roster page
    assert first["nextPageToken"]
    subs = svc.courses().courseWork().studentSubmissions()
    page = subs.list(
        courseId=course["id"], courseWorkId="-", pageSize=1000, fields=_SUBMISSION_FIELDS
    )
    answer = page.execute()
    assert len(answer["studentSubmissions"]) == 100  # the server's cap, not the 1000 asked for
    assert answer["nextPageToken"]
