"""Every route matches the discovery document, and every answer validates against it.

One scenario drives each implemented method at least once through the emulator (direct
``authenticate`` + ``handle``) and validates each successful body against the method's
response schema in ``classroom.v1.json``; a last check proves that no route was missed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from classroom_schema import Discovery, SchemaError
from classroom_support import G1, G2, Direct, Reply

from unified_edu.sandbox._core import SandboxRequest
from unified_edu.sandbox.classroom import ClassroomApp

SCOPE = "https://www.googleapis.com/auth/"


def test_every_route_is_a_discovery_method(app: ClassroomApp, schema: Discovery) -> None:
    routes = app._router.routes
    assert len({r.method_id for r in routes}) == len(routes)
    for route in routes:
        method = schema.methods[route.method_id]
        assert route.verb == method["httpMethod"], route.method_id
        assert route.template == method["flatPath"], route.method_id
        assert {SCOPE + s for s in route.scopes} == set(method["scopes"]), route.method_id


def test_every_other_discovery_method_answers_501(
    app: ClassroomApp, schema: Discovery, admin: Direct
) -> None:
    others = app._unimplemented.routes
    for route in others:
        method = schema.methods[route.method_id]
        assert (route.verb, route.template) == (method["httpMethod"], method["flatPath"])
    implemented = {r.method_id for r in app._router.routes}
    assert implemented.isdisjoint(r.method_id for r in others)
    assert implemented | {r.method_id for r in others} == set(schema.methods)
    update = admin.call("PUT", "/v1/courses/123", {"name": "x"})
    assert update.status == 501
    assert update.json["error"]["status"] == "UNIMPLEMENTED"
    assert (
        app.operation(SandboxRequest(method="PUT", path="/v1/courses/1"))
        == "classroom.courses.update"
    )


def test_validator_rejects_what_the_schema_does_not_allow(schema: Discovery) -> None:
    schema.validate({"id": "1", "courseState": "ACTIVE"}, "Course")
    cases: list[tuple[Any, str]] = [
        ({"id": "1", "colour": "red"}, "unknown property 'colour'"),
        ({"courseState": "OPEN"}, "is not one of"),
        ({"creationTime": "2026-01-01 10:00"}, "RFC 3339"),
        ({"guardiansEnabled": "yes"}, "not a boolean"),
        ({"gradebookSettings": {"gradeCategories": [{"weight": 2**40}]}}, "int32 range"),
        ({"name": 5}, "not a string"),
    ]
    for value, message in cases:
        with pytest.raises(SchemaError, match=message):
            schema.validate(value, "Course")
    with pytest.raises(SchemaError, match="not a number"):
        schema.validate({"maxPoints": "10"}, "CourseWork")
    with pytest.raises(SchemaError, match="not an array"):
        schema.validate({"courses": {}}, "ListCoursesResponse")


class Checked:
    """A direct client that validates every successful answer against discovery."""

    def __init__(self, client: Direct, schema: Discovery, seen: set[str]) -> None:
        self.client = client
        self.schema = schema
        self.seen = seen

    def __call__(self, method: str, path: str, body: Any = None, **query: Any) -> Any:
        reply: Reply = self.client.call(method, path, body, **query)
        request = SandboxRequest(method=method, path=path)
        operation = self.client.app.operation(request)  # type: ignore[attr-defined]
        assert reply.status == 200, (operation, reply.json)
        self.schema.validate_response(operation, reply.json)
        self.seen.add(operation)
        return reply.json


def test_every_method_answers_its_response_schema(
    app: ClassroomApp, schema: Discovery, as_user: Callable[..., Direct]
) -> None:
    seen: set[str] = set()
    admin = Checked(as_user(f"admin@{G1}"), schema, seen)
    teacher = Checked(as_user(f"maria.ivanova@{G1}"), schema, seen)
    co_teacher = Checked(as_user(f"georgi.dimitrov@{G1}"), schema, seen)
    student = Checked(as_user(f"s3@{G1}"), schema, seen)

    courses = admin("GET", "/v1/courses")["courses"]
    math = next(c for c in courses if c["name"] == "Математика 5А")
    base = f"/v1/courses/{math['id']}"
    admin("GET", base)
    created = teacher("POST", "/v1/courses", {"name": "Нов клас", "ownerId": "me"})
    new = f"/v1/courses/{created['id']}"
    teacher(
        "PATCH", new, {"name": "Нов клас 2", "courseState": "ACTIVE"}, updateMask="name,courseState"
    )

    # Rosters, profiles, invitations.
    teacher("GET", f"{base}/students")
    teacher("GET", f"{base}/teachers")
    sid = admin("GET", f"{base}/students")["students"][0]["userId"]
    admin("GET", f"{base}/students/{sid}")
    admin("GET", f"{base}/teachers/{math['ownerId']}")
    admin("POST", f"{new}/students", {"userId": f"s4@{G1}"})
    admin("DELETE", f"{new}/students/s4@{G1}")
    admin("POST", f"{new}/teachers", {"userId": f"georgi.dimitrov@{G1}"})
    admin("DELETE", f"{new}/teachers/georgi.dimitrov@{G1}")
    teacher("GET", f"/v1/userProfiles/{sid}")
    invitation = teacher(
        "POST",
        "/v1/invitations",
        {"courseId": created["id"], "userId": f"s1@{G1}", "role": "STUDENT"},
    )
    teacher("GET", "/v1/invitations", courseId=created["id"])
    teacher("GET", f"/v1/invitations/{invitation['id']}")
    Checked(as_user(f"s1@{G1}"), schema, seen)("POST", f"/v1/invitations/{invitation['id']}:accept")
    again = teacher(
        "POST",
        "/v1/invitations",
        {"courseId": created["id"], "userId": f"s2@{G1}", "role": "STUDENT"},
    )
    teacher("DELETE", f"/v1/invitations/{again['id']}")

    # Topics.
    topics = teacher("GET", f"{base}/topics")["topic"]
    teacher("GET", f"{base}/topics/{topics[0]['topicId']}")
    topic = teacher("POST", f"{base}/topics", {"name": "  Нова   тема "})
    assert topic["name"] == "Нова тема"
    teacher("PATCH", f"{base}/topics/{topic['topicId']}", {"name": "Преговор"}, updateMask="name")

    # CourseWork, its rubric and submissions.
    states = ["PUBLISHED", "DRAFT", "DELETED"]
    work = teacher("GET", f"{base}/courseWork", courseWorkStates=states)["courseWork"]
    assert {w["state"] for w in work} == set(states)
    graded = next(
        w
        for w in work
        if w.get("associatedWithDeveloper")
        and w["state"] == "PUBLISHED"
        and w["assigneeMode"] == "ALL_STUDENTS"
    )
    teacher("GET", f"{base}/courseWork/{graded['id']}")
    rubrics = teacher("GET", f"{base}/courseWork/{graded['id']}/rubrics")["rubrics"]
    teacher("GET", f"{base}/courseWork/{graded['id']}/rubrics/{rubrics[0]['id']}")
    body = {
        "title": "Упражнение 🧮",
        "workType": "ASSIGNMENT",
        "state": "PUBLISHED",
        "maxPoints": 20,
        "dueDate": {"year": 2026, "month": 12, "day": 1},
        "dueTime": {"hours": 21, "minutes": 59},
        "topicId": topic["topicId"],
        "materials": [
            {"link": {"url": "https://example.org/задача"}},
            {"driveFile": {"driveFile": {"id": "abc"}, "shareMode": "VIEW"}},
            {"youtubeVideo": {"id": "UiIu5jvrn6k"}},
        ],
    }
    mine = teacher("POST", f"{base}/courseWork", body)
    teacher(
        "PATCH",
        f"{base}/courseWork/{mine['id']}",
        {"description": "Ново"},
        updateMask="description",
    )
    subs = teacher("GET", f"{base}/courseWork/-/studentSubmissions")["studentSubmissions"]
    assert any(s.get("submissionHistory") for s in subs)
    own = teacher("GET", f"{base}/courseWork/{mine['id']}/studentSubmissions", userId=f"s3@{G1}")
    sub_path = (
        f"{base}/courseWork/{mine['id']}/studentSubmissions/{own['studentSubmissions'][0]['id']}"
    )
    student("POST", f"{sub_path}:turnIn")
    student("POST", f"{sub_path}:reclaim")
    student("POST", f"{sub_path}:turnIn")
    co_teacher(
        "PATCH",
        sub_path,
        {"draftGrade": 18, "assignedGrade": 17.5},
        updateMask="draftGrade,assignedGrade",
    )
    co_teacher("POST", f"{sub_path}:return")
    student("GET", sub_path)
    teacher("DELETE", f"{base}/courseWork/{mine['id']}")
    teacher("DELETE", f"{base}/topics/{topic['topicId']}")

    # Guardians and guardian invitations.
    guardians = admin("GET", "/v1/userProfiles/-/guardians")["guardians"]
    link = guardians[0]
    admin("GET", f"/v1/userProfiles/{link['studentId']}/guardians/{link['guardianId']}")
    invitations = admin(
        "GET", "/v1/userProfiles/-/guardianInvitations", states=["PENDING", "COMPLETE"]
    )
    assert {i["state"] for i in invitations["guardianInvitations"]} == {"PENDING", "COMPLETE"}
    fresh = admin(
        "POST",
        f"/v1/userProfiles/{sid}/guardianInvitations",
        {"studentId": sid, "invitedEmailAddress": "nova.majka@mail.example"},
    )
    path = f"/v1/userProfiles/{sid}/guardianInvitations/{fresh['invitationId']}"
    admin("GET", path)
    admin("PATCH", path, {"state": "COMPLETE"}, updateMask="state")
    admin("DELETE", f"/v1/userProfiles/{link['studentId']}/guardians/{link['guardianId']}")
    Checked(as_user(f"admin@{G2}"), schema, seen)(
        "DELETE", new.replace(created["id"], _g2_course(app))
    )
    teacher("DELETE", new)

    assert seen == {r.method_id for r in app._router.routes}


def _g2_course(app: ClassroomApp) -> str:
    store = app._env.store
    return next(c.id for c in store.courses.values() if c.tenant == G2)
