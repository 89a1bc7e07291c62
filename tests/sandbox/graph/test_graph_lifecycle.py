"""Assignment and submission lifecycles: publish, (de)activate, state actions, grading."""

from __future__ import annotations

from typing import Any

import pytest
from graph_support import Direct

from unified_edu.sandbox._city import City
from unified_edu.sandbox.graph import GraphApp

PREFER = {"Prefer": "include-unknown-enum-members"}
POINTS = "#microsoft.graph.educationAssignmentPointsGradeType"


def _create(teacher: Direct, class_id: str, **extra: Any) -> str:
    body = {"displayName": "Есе: „Под игото“", "grading": {"@odata.type": POINTS, "maxPoints": 6}}
    reply = teacher.post(f"/education/classes/{class_id}/assignments", {**body, **extra})
    assert reply.status == 201, reply.json
    assert reply.json["status"] == "draft"
    return str(reply.json["id"])


def _published(teacher: Direct, class_id: str) -> str:
    assignment_id = _create(teacher, class_id)
    assert (
        teacher.post(f"/education/classes/{class_id}/assignments/{assignment_id}/publish").status
        == 200
    )
    return assignment_id


def _submission_url(teacher: Direct, class_id: str, assignment_id: str, student_id: str) -> str:
    base = f"/education/classes/{class_id}/assignments/{assignment_id}/submissions"
    subs = teacher.all(base)
    mine = next(s for s in subs if s["recipient"]["userId"] == student_id)
    return f"{base}/{mine['id']}"


def test_publish_then_assigned_after_settle_reads(
    app: GraphApp, teacher: Direct, taught_class: str
) -> None:
    assignment_id = _create(teacher, taught_class)
    url = f"/education/classes/{taught_class}/assignments/{assignment_id}"
    assert teacher.all(f"{url}/submissions") == []  # none before publishing
    published = teacher.post(f"{url}/publish")
    assert published.status == 200
    assert published.json["status"] == "published"
    assert published.json["@odata.context"].endswith("$metadata#educationAssignment")
    assert published.json["assignedDateTime"]
    state = app.store.class_states[taught_class]
    students = [m for m in state.members if m not in state.teachers]
    assert len(teacher.all(f"{url}/submissions")) == len(students)
    assert teacher.get(url).json["status"] == "published"  # read 1
    listing = teacher.all(f"/education/classes/{taught_class}/assignments?$top=50")
    assert next(a for a in listing if a["id"] == assignment_id)["status"] == "published"  # 2
    assert teacher.get(url).json["status"] == "assigned"  # settled
    assert teacher.post(f"{url}/publish").status == 400  # only a draft can be published


def test_settle_reads_zero_is_immediate(city: City) -> None:
    app = GraphApp(city, settle_reads=0)
    teacher = Direct(app, app.tenant_infos()[0].tokens["teacher"])
    me = teacher.get("/education/me").json["id"]
    class_id = app.store.classes_of_user(me, teaching_only=True)[0]
    assignment_id = _published(teacher, class_id)
    url = f"/education/classes/{class_id}/assignments/{assignment_id}"
    assert teacher.get(url).json["status"] == "assigned"


def test_deactivate_and_activate_with_and_without_prefer(
    teacher: Direct, taught_class: str
) -> None:
    assignment_id = _published(teacher, taught_class)
    url = f"/education/classes/{taught_class}/assignments/{assignment_id}"
    plain = teacher.post(f"{url}/deactivate")
    assert plain.status == 200
    assert plain.json["status"] == "unknownFutureValue"
    assert "Preference-Applied" not in plain.headers
    told = teacher.get(url, **PREFER)
    assert told.json["status"] == "inactive"
    assert told.headers["Preference-Applied"] == "include-unknown-enum-members"
    assert teacher.post(f"{url}/deactivate").status == 400
    assert teacher.post(f"{url}/activate", **PREFER).json["status"] == "assigned"
    assert teacher.post(f"{url}/activate").status == 400


TRANSITIONS = [
    # (actions to reach the state, action tried, allowed)
    ((), "unsubmit", False),
    ((), "submit", True),
    ((), "excuse", True),
    (("submit",), "unsubmit", True),
    (("submit",), "return", True),
    (("submit", "return"), "unsubmit", False),
    (("submit", "return"), "reassign", True),
    (("reassign",), "unsubmit", False),
    (("excuse",), "excuse", False),
    (("excuse",), "unsubmit", False),
    (("excuse",), "submit", True),
    (("excuse",), "return", True),
]


@pytest.mark.parametrize(("path", "action", "allowed"), TRANSITIONS)
def test_submission_transitions_follow_the_table(
    teacher: Direct,
    student: Direct,
    taught_class: str,
    student_id: str,
    path: tuple[str, ...],
    action: str,
    allowed: bool,
) -> None:
    assignment_id = _published(teacher, taught_class)
    url = _submission_url(teacher, taught_class, assignment_id, student_id)
    actors = {"submit": student, "unsubmit": student}
    for step in path:
        assert actors.get(step, teacher).post(f"{url}/{step}").status == 200
    reply = actors.get(action, teacher).post(f"{url}/{action}", **PREFER)
    assert reply.status == (200 if allowed else 400), reply.json
    if not allowed:
        assert reply.json["error"]["code"] == "badRequest"


def test_grading_and_return_publish_points_and_feedback(
    teacher: Direct, student: Direct, taught_class: str, student_id: str
) -> None:
    assignment_id = _published(teacher, taught_class)
    url = _submission_url(teacher, taught_class, assignment_id, student_id)
    assert student.post(f"{url}/submit").json["status"] == "submitted"
    outcomes = {o["@odata.type"]: o for o in teacher.get(f"{url}/outcomes").json["value"]}
    points = outcomes["#microsoft.graph.educationPointsOutcome"]
    feedback = outcomes["#microsoft.graph.educationFeedbackOutcome"]
    graded = teacher.patch(
        f"{url}/outcomes/{points['id']}",
        {
            "@odata.type": "#microsoft.graph.educationPointsOutcome",
            "points": {
                "@odata.type": "#microsoft.graph.educationAssignmentPointsGrade",
                "points": 5.5,
            },
        },
    )
    assert graded.status == 200
    assert graded.json["points"]["points"] == 5.5
    assert graded.json["publishedPoints"] is None  # drafts stay private until return
    text = {"text": {"content": "Много добре, но внимавай с пунктуацията.", "contentType": "text"}}
    assert teacher.patch(f"{url}/outcomes/{feedback['id']}", {"feedback": text}).status == 200
    assert teacher.post(f"{url}/return").json["status"] == "returned"
    after = {o["@odata.type"]: o for o in teacher.get(f"{url}/outcomes").json["value"]}
    assert after["#microsoft.graph.educationPointsOutcome"]["publishedPoints"]["points"] == 5.5
    published = after["#microsoft.graph.educationFeedbackOutcome"]["publishedFeedback"]
    assert published["text"]["content"] == "Много добре, но внимавай с пунктуацията."


@pytest.mark.parametrize("points", [-1, 9999999, float("inf"), "пет"])
def test_invalid_points_answer_invalid_grading(
    teacher: Direct, taught_class: str, student_id: str, points: Any
) -> None:
    assignment_id = _published(teacher, taught_class)
    url = _submission_url(teacher, taught_class, assignment_id, student_id)
    outcome = next(
        o
        for o in teacher.get(f"{url}/outcomes").json["value"]
        if o["@odata.type"].endswith("PointsOutcome")
    )
    reply = teacher.patch(f"{url}/outcomes/{outcome['id']}", {"points": {"points": points}})
    assert reply.status == 400
    error = reply.json["error"]
    assert (error["code"], error["message"]) == ("badRequest", "Bad request.")
    assert error["innerError"]["code"] == "invalidGrading"
    assert error["innerError"]["message"] == (
        "Points must be less than 9999999 when using PointsGradeType."
    )
    assert error["innerError"]["request-id"] == reply.headers["request-id"]


def test_unknown_outcome_is_entity_not_found(
    teacher: Direct, taught_class: str, student_id: str
) -> None:
    assignment_id = _published(teacher, taught_class)
    url = _submission_url(teacher, taught_class, assignment_id, student_id)
    missing = "05d0f76c-1dfa-4442-926c-1b094828b505"
    reply = teacher.patch(f"{url}/outcomes/{missing}", {"points": {"points": 1}})
    assert reply.status == 404
    assert reply.json["error"]["code"] == "20241"
    assert reply.json["error"]["message"] == f"Entity not found. Outcome id: {missing}"


@pytest.mark.parametrize("action", ["excuse", "reassign"])
def test_prefer_header_reveals_excused_and_reassigned(
    teacher: Direct, taught_class: str, student_id: str, action: str
) -> None:
    assignment_id = _published(teacher, taught_class)
    url = _submission_url(teacher, taught_class, assignment_id, student_id)
    plain = teacher.post(f"{url}/{action}")
    assert plain.json["status"] == "returned"
    stamp = "excused" if action == "excuse" else "reassigned"
    assert plain.json["returnedDateTime"] == plain.json[f"{stamp}DateTime"]
    assert plain.json["returnedBy"] == plain.json[f"{stamp}By"]
    told = teacher.get(url, **PREFER)
    assert told.json["status"] == stamp
    assert told.json["returnedDateTime"] is None
    assert told.headers["Preference-Applied"] == "include-unknown-enum-members"


def test_students_see_their_own_work_only(
    teacher: Direct, student: Direct, taught_class: str, student_id: str, app: GraphApp
) -> None:
    draft = _create(teacher, taught_class)
    assignment_id = _published(teacher, taught_class)
    visible = {a["id"] for a in student.all(f"/education/classes/{taught_class}/assignments")}
    assert assignment_id in visible
    assert draft not in visible
    base = f"/education/classes/{taught_class}/assignments/{assignment_id}/submissions"
    mine = student.all(base)
    assert [s["recipient"]["userId"] for s in mine] == [student_id]
    others = [s for s in teacher.all(base) if s["recipient"]["userId"] != student_id]
    assert student.get(f"{base}/{others[0]['id']}").status == 403
    assert student.post(f"{base}/{mine[0]['id']}/return").status == 403
    assert (
        student.post(f"/education/classes/{taught_class}/assignments", {"displayName": "x"}).status
        == 403
    )


def test_deleted_assignments_are_gone(teacher: Direct, taught_class: str) -> None:
    assignment_id = _create(teacher, taught_class)
    url = f"/education/classes/{taught_class}/assignments/{assignment_id}"
    assert teacher.delete(url).status == 204
    reply = teacher.get(url)
    assert reply.status == 404
    assert reply.json["error"]["code"] == "20241"


def test_individual_recipients_get_the_only_submissions(
    teacher: Direct, taught_class: str, student_id: str
) -> None:
    recipients = {
        "@odata.type": "#microsoft.graph.educationAssignmentIndividualRecipient",
        "recipients": [student_id],
    }
    assignment_id = _create(teacher, taught_class, assignTo=recipients)
    base = f"/education/classes/{taught_class}/assignments/{assignment_id}"
    assert teacher.post(f"{base}/publish").status == 200
    subs = teacher.all(f"{base}/submissions")
    assert [s["recipient"]["userId"] for s in subs] == [student_id]
