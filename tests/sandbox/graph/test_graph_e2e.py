"""Unmodified msgraph-sdk against the real sandbox server on loopback.

The client is a ``GraphServiceClient`` over a ``GraphRequestAdapter`` with a static bearer
token and ``base_url`` set to the sandbox; pages are followed with
``builder.with_url(page.odata_next_link)``. A fresh client is built inside each
``asyncio.run`` (msgraph's httpx client is bound to the loop it first ran on).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from graph_support import graph_client
from kiota_abstractions.base_request_configuration import RequestConfiguration
from msgraph.generated.models.education_assignment import EducationAssignment
from msgraph.generated.models.education_assignment_points_grade import (
    EducationAssignmentPointsGrade,
)
from msgraph.generated.models.education_assignment_points_grade_type import (
    EducationAssignmentPointsGradeType,
)
from msgraph.generated.models.education_assignment_status import EducationAssignmentStatus
from msgraph.generated.models.education_points_outcome import EducationPointsOutcome
from msgraph.generated.models.education_submission_status import EducationSubmissionStatus
from msgraph.generated.models.o_data_errors.o_data_error import ODataError

from unified_edu.sandbox import Sandbox
from unified_edu.sandbox._city import City
from unified_edu.sandbox.graph import GraphApp

# pytest-recording's --block-network also blocks loopback unless told otherwise.
pytestmark = pytest.mark.block_network(allowed_hosts=[r"127\.0\.0\.1$"])

PREFER = "include-unknown-enum-members"


def _run(sandbox: Sandbox, token: str, body: Callable[[Any], Awaitable[Any]]) -> Any:
    async def main() -> Any:
        return await body(graph_client(sandbox.graph_base_url, token))

    return asyncio.run(main())


def _config(
    builder: Any = None, *, prefer: bool = False, **query: Any
) -> RequestConfiguration[Any]:
    """A request configuration with the builder's own query-parameter class (kiota maps
    its attribute names to ``$top``, ``$expand``...)."""
    config: RequestConfiguration[Any] = RequestConfiguration()
    if query:
        kind = type(builder)
        name = next(n for n in dir(kind) if n.endswith("GetQueryParameters"))
        config.query_parameters = getattr(kind, name)(**query)
    if prefer:
        config.headers.add("Prefer", PREFER)
    return config


async def _all(builder: Any, config: RequestConfiguration[Any] | None = None) -> list[Any]:
    """Every item of a collection, following @odata.nextLink with ``with_url``."""
    page = await builder.get(request_configuration=config)
    items = list(page.value or [])
    while page.odata_next_link:
        page = await builder.with_url(page.odata_next_link).get(request_configuration=config)
        items.extend(page.value or [])
    return items


def _expected(city: City) -> dict[str, int]:
    microsoft = {s.key for s in city.schools_on("microsoft")}
    classes = [c for c in city.classes if c.school_key in microsoft]
    students = {k for c in classes for k in c.student_keys}
    people = students | {k for c in classes for k in c.teacher_keys}
    homework = [
        h for h in city.homework if h.state != "deleted" and h.class_key in {c.key for c in classes}
    ]
    by_class = {c.key: c for c in classes}
    submissions = 0
    for piece in homework:
        if piece.state == "draft":
            continue
        enrolled = set(by_class[piece.class_key].student_keys)
        submissions += len(set(piece.student_keys) & enrolled if piece.student_keys else enrolled)
    return {
        "schools": len(microsoft),
        "classes": len(classes),
        "users": len(people),
        "members": sum(len(set(c.student_keys) | set(c.teacher_keys)) for c in classes),
        "teachers": sum(len(c.teacher_keys) for c in classes),
        "contacts": sum(
            1 for g in city.guardians if g.state == "active" and g.student_key in students
        ),
        "assignments": len(homework),
        "inactive": sum(1 for h in homework if h.state == "inactive"),
        "submissions": submissions,
        "categories": len({(h.class_key, h.category) for h in homework if h.category}),
    }


def test_the_whole_microsoft_side_lists_through_msgraph(sandbox: Sandbox, city: City) -> None:
    token = sandbox.tenants[0].tokens["app"]

    async def body(client: Any) -> dict[str, Any]:
        education = client.education
        counts: dict[str, Any] = {"members": 0, "teachers": 0, "submissions": 0, "outcomes": 0}
        schools = await _all(education.schools)
        classes = await _all(education.classes, _config(education.classes, top=2))
        users = await _all(education.users, _config(education.users, top=5))
        statuses, categories, hidden = [], 0, []
        for klass in classes:
            item = education.classes.by_education_class_id(klass.id)
            counts["members"] += len(await _all(item.members))
            counts["teachers"] += len(await _all(item.teachers))
            categories += len(await _all(item.assignment_categories))
            assignments = await _all(
                item.assignments, _config(item.assignments, prefer=True, top=2)
            )
            statuses += [a.status for a in assignments]
            for assignment in assignments:
                one = item.assignments.by_education_assignment_id(assignment.id)
                if assignment.status == EducationAssignmentStatus.Inactive:
                    hidden.append((await one.get()).status)  # without Prefer
                subs = await _all(
                    one.submissions, _config(one.submissions, prefer=True, expand=["outcomes"])
                )
                counts["submissions"] += len(subs)
                counts["outcomes"] += sum(len(s.outcomes or []) for s in subs)
        counts |= {
            "schools": len(schools),
            "school_names": sorted(s.display_name for s in schools),
            "classes": len(classes),
            "users": len(users),
            "contacts": sum(len(u.related_contacts or []) for u in users),
            "assignments": len(statuses),
            "inactive": statuses.count(EducationAssignmentStatus.Inactive),
            "hidden": hidden.count(EducationAssignmentStatus.UnknownFutureValue),
            "categories": categories,
        }
        return counts

    counts = _run(sandbox, token, body)
    expected = _expected(city)
    for key, value in expected.items():
        assert counts[key] == value, key
    assert counts["hidden"] == expected["inactive"] > 0  # no Prefer: inactive is hidden
    assert counts["outcomes"] >= counts["submissions"]  # a feedback outcome each, at least
    microsoft_names = sorted(s.name for s in city.schools_on("microsoft"))
    assert counts["school_names"] == microsoft_names  # Cyrillic intact end to end


def test_publish_flow_with_a_signed_in_teacher(sandbox: Sandbox) -> None:
    info = sandbox.tenants[0]
    app = sandbox.app("microsoft")
    assert isinstance(app, GraphApp)

    async def body(client: Any) -> dict[str, Any]:
        me = await client.education.me.get()
        class_id = app.store.classes_of_user(me.id, teaching_only=True)[0]
        assignments = client.education.classes.by_education_class_id(class_id).assignments
        new = EducationAssignment(
            display_name="Съчинение по литература",
            grading=EducationAssignmentPointsGradeType(max_points=6.0),
        )
        created = await assignments.post(new)
        item = assignments.by_education_assignment_id(created.id)
        before = await _all(item.submissions)
        published = await item.publish.post()
        reads = [(await item.get()).status for _ in range(3)]
        after = await _all(item.submissions)
        return {
            "created": created.status,
            "before": len(before),
            "published": published.status,
            "reads": reads,
            "after": len(after),
            "students": len(app.store.class_states[class_id].members)
            - len(app.store.class_states[class_id].teachers),
        }

    result = _run(sandbox, info.tokens["teacher"], body)
    assert result["created"] == EducationAssignmentStatus.Draft
    assert result["before"] == 0
    assert result["published"] == EducationAssignmentStatus.Published
    assert result["reads"] == [
        EducationAssignmentStatus.Published,
        EducationAssignmentStatus.Published,
        EducationAssignmentStatus.Assigned,
    ]
    assert result["after"] == result["students"] > 0


def test_app_only_cannot_publish_and_bad_tokens_are_401(sandbox: Sandbox) -> None:
    app = sandbox.app("microsoft")
    assert isinstance(app, GraphApp)
    class_id = next(iter(app.store.classes))

    async def body(client: Any) -> ODataError:
        assignments = client.education.classes.by_education_class_id(class_id).assignments
        created = await assignments.post(EducationAssignment(display_name="Служебна"))
        try:
            await assignments.by_education_assignment_id(created.id).publish.post()
        except ODataError as exc:
            return exc
        raise AssertionError("publish succeeded app-only")

    error = _run(sandbox, sandbox.tenants[0].tokens["app"], body)
    assert error.response_status_code == 403
    assert error.error.code == "accessDenied"
    assert "application permissions" in error.error.message

    async def bad(client: Any) -> ODataError:
        try:
            await client.education.classes.get()
        except ODataError as exc:
            return exc
        raise AssertionError("a forged token was accepted")

    error = _run(sandbox, "eyJhbGciOiJub25lIn0.e30.x", bad)
    assert error.response_status_code == 401
    assert error.error.code == "InvalidAuthenticationToken"
    assert error.error.inner_error.request_id


def test_grading_return_excuse_and_invalid_points(sandbox: Sandbox) -> None:
    app = sandbox.app("microsoft")
    assert isinstance(app, GraphApp)

    async def body(client: Any) -> dict[str, Any]:
        me = await client.education.me.get()
        class_id = app.store.classes_of_user(me.id, teaching_only=True)[0]
        assignments = client.education.classes.by_education_class_id(class_id).assignments
        created = await assignments.post(
            EducationAssignment(
                display_name="Контролна работа",
                grading=EducationAssignmentPointsGradeType(max_points=100.0),
            )
        )
        item = assignments.by_education_assignment_id(created.id)
        await item.publish.post()
        first, second = (await _all(item.submissions))[:2]
        sub = item.submissions.by_education_submission_id(first.id)
        outcomes = await _all(sub.outcomes)
        points = next(o for o in outcomes if isinstance(o, EducationPointsOutcome))
        outcome = sub.outcomes.by_education_outcome_id(points.id)
        graded = await outcome.patch(
            EducationPointsOutcome(points=EducationAssignmentPointsGrade(points=87.5))
        )
        returned = await sub.return_.post()
        after = await outcome.get()
        try:
            await outcome.patch(
                EducationPointsOutcome(points=EducationAssignmentPointsGrade(points=-5.0))
            )
        except ODataError as exc:
            invalid = exc
        other = item.submissions.by_education_submission_id(second.id)
        excused = await other.excuse.post()
        told = await other.get(request_configuration=_config(prefer=True))
        return {
            "graded": (graded.points.points, graded.published_points),
            "returned": returned.status,
            "published": after.published_points.points,
            "invalid": invalid,
            "excused": (excused.status, told.status),
        }

    result = _run(sandbox, sandbox.tenants[0].tokens["teacher"], body)
    assert result["graded"] == (87.5, None)
    assert result["returned"] == EducationSubmissionStatus.Returned
    assert result["published"] == 87.5
    invalid = result["invalid"]
    assert invalid.response_status_code == 400
    assert invalid.error.code == "badRequest"
    assert invalid.error.inner_error.additional_data["code"] == "invalidGrading"
    assert result["excused"] == (
        EducationSubmissionStatus.Returned,
        EducationSubmissionStatus.Excused,
    )


def test_batch_through_msgraph_and_over_the_wire(sandbox: Sandbox) -> None:
    from msgraph_core.requests.batch_request_content import BatchRequestContent
    from msgraph_core.requests.batch_request_item import BatchRequestItem

    token = sandbox.tenants[0].tokens["app"]

    async def body(client: Any) -> tuple[dict[str, int], Any]:
        education = client.education
        items = {
            "a": BatchRequestItem(education.schools.to_get_request_information(), id="a"),
            "b": BatchRequestItem(
                education.classes.by_education_class_id("missing").to_get_request_information(),
                id="b",
            ),
            "c": BatchRequestItem(education.classes.to_get_request_information(), id="c"),
        }
        answer = await client.batch.post(BatchRequestContent(items))
        return answer.get_response_status_codes(), answer.get_response_by_id("a").body

    statuses, body_a = _run(sandbox, token, body)
    assert statuses == {"a": 200, "b": 404, "c": 200}
    # msgraph-core reads a part's body only when it is a base64 string; Graph sends JSON
    # objects, so the body is dropped (microsoft/kiota-python#737): read parts raw.
    assert body_a is None
    headers = {"Authorization": f"Bearer {token}"}
    url = f"{sandbox.graph_base_url}/$batch"
    parts = [{"id": str(n), "method": "GET", "url": "/education/schools"} for n in range(21)]
    too_many = httpx.post(url, json={"requests": parts}, headers=headers)
    assert too_many.status_code == 400
    assert too_many.json()["error"]["code"] == "BadRequest"
    chained = [
        {"id": "1", "method": "GET", "url": "/education/classes/missing"},
        {"id": "2", "method": "GET", "url": "/education/schools", "dependsOn": ["1"]},
        {"id": "3", "method": "GET", "url": "/education/schools?$top=1"},
    ]
    reply = httpx.post(url, json={"requests": chained}, headers=headers)
    assert reply.status_code == 200
    answers = reply.json()["responses"]
    assert [a["id"] for a in answers] == ["3", "2", "1"]
    assert {a["id"]: a["status"] for a in answers} == {"1": 404, "2": 424, "3": 200}
    assert json.dumps(answers[0]["body"], ensure_ascii=False).count("„") >= 1


def test_inner_requests_are_throttled_one_by_one(city: City) -> None:
    with Sandbox.start(city=city, apps=[GraphApp(city)], quota_scale=0.002) as sandbox:
        app = sandbox.app("microsoft")
        assert isinstance(app, GraphApp)
        class_id = next(iter(app.store.classes))
        url = f"/education/classes/{class_id}/assignments"
        parts = [{"id": str(n), "method": "GET", "url": url} for n in range(3)]
        token = sandbox.tenants[0].tokens["app"]
        reply = httpx.post(
            f"{sandbox.graph_base_url}/$batch",
            json={"requests": parts},
            headers={"Authorization": f"Bearer {token}"},
        )
    assert reply.status_code == 200
    answers = {a["id"]: a for a in reply.json()["responses"]}
    assert answers["0"]["status"] == 200
    for throttled in (answers["1"], answers["2"]):
        assert throttled["status"] == 429
        assert float(throttled["headers"]["Retry-After"]) > 0
        assert throttled["body"]["error"]["code"] == "TooManyRequests"
