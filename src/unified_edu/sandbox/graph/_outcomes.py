"""Outcome endpoints: grades, feedback and rubric selections of one submission.

Owns ``…/submissions/{id}/outcomes`` (GET list; POST of a feedback-resource outcome, at
most five per submission), ``…/outcomes/{id}`` (GET; PATCH of points, feedback or rubric
outcomes; DELETE of feedback-resource outcomes). Invalid points answer exactly as
Graph's documented error (conformance ``educationoutcome-update.error-400``); an unknown
outcome as ``educationoutcome-update.error-404``. Only drafts are written here: the
``published*`` copies change on ``return``/``reassign`` (:mod:`._submissions`).
"""

from __future__ import annotations

import math
from typing import Any

from unified_edu.sandbox._core import SandboxResponse
from unified_edu.sandbox.graph import _perm as perm
from unified_edu.sandbox.graph._bodies import require_object, strip_annotations
from unified_edu.sandbox.graph._errors import GraphError, bad_request, not_found
from unified_edu.sandbox.graph._ids import ts
from unified_edu.sandbox.graph._odata import entity, page
from unified_edu.sandbox.graph._resources import normalize_resource
from unified_edu.sandbox.graph._routes import Call, Route
from unified_edu.sandbox.graph._schema import odata_type
from unified_edu.sandbox.graph._store import SubmissionState

__all__ = ["ROUTES"]

Json = dict[str, Any]

_MAX_POINTS = 9999999
_MAX_FEEDBACK_RESOURCES = 5


def _submission(call: Call, *, teacher: bool) -> tuple[Json, SubmissionState]:
    class_id, assignment_id, submission_id = call.params[:3]
    role = perm.class_role(call.store, call.principal, class_id)
    data, sub, _ = call.store.submission(class_id, assignment_id, submission_id)
    if role == "student" and (teacher or data["recipient"]["userId"] != call.principal.subject):
        raise GraphError(403, "accessDenied", "Only a teacher of the class can grade.")
    return data, sub


def _kind(outcome: Json) -> str:
    return str(outcome["@odata.type"]).rsplit(".", 1)[-1]


def list_outcomes(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.GRADES_READ, "Listing outcomes")
    _, sub = _submission(call, teacher=False)
    return page(call, sub.outcomes.values(), type_name="educationOutcome", kind="submissions")


def get_outcome(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.GRADES_READ, "Reading an outcome")
    _, sub = _submission(call, teacher=False)
    outcome = sub.outcomes.get(call.params[3])
    if outcome is None:
        raise not_found("Outcome", call.params[3], assignment_service=True)
    return entity(call, outcome, select_as="educationOutcome")


def _invalid_grading() -> GraphError:
    return GraphError(
        400,
        "badRequest",
        "Bad request.",
        inner_code="invalidGrading",
        inner_message=f"Points must be less than {_MAX_POINTS} when using PointsGradeType.",
    )


def _points(call: Call, value: Any, now: str) -> Json | None:
    if value is None:
        return None
    points = value.get("points") if isinstance(value, dict) else None
    if (
        not isinstance(points, int | float)
        or isinstance(points, bool)
        or not math.isfinite(points)
        or not 0 <= points < _MAX_POINTS
    ):
        raise _invalid_grading()
    return {
        "@odata.type": odata_type("educationAssignmentPointsGrade"),
        "points": points,
        "gradedBy": call.identity(),
        "gradedDateTime": now,
    }


def _feedback(call: Call, value: Any, now: str) -> Json | None:
    if value is None:
        return None
    text = value.get("text") if isinstance(value, dict) else None
    if not isinstance(text, dict):
        raise bad_request("Feedback must carry a 'text' item body.")
    return {
        "text": {
            "content": text.get("content", ""),
            "contentType": text.get("contentType", "text"),
        },
        "feedbackBy": call.identity(),
        "feedbackDateTime": now,
    }


def update_outcome(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.GRADING, "Updating an outcome")
    _, sub = _submission(call, teacher=True)
    outcome_id = call.params[3]
    outcome = sub.outcomes.get(outcome_id)
    if outcome is None:
        raise not_found("Outcome", outcome_id, assignment_service=True)
    body = require_object(call.body())
    declared = str(body.get("@odata.type", "")).lstrip("#").rsplit(".", 1)[-1]
    kind = _kind(outcome)
    if declared and declared != kind:
        raise bad_request(f"Outcome {outcome_id} is an {kind}, not an {declared}.")
    now = ts(call.store.clock())
    if kind == "educationPointsOutcome" and "points" in body:
        outcome["points"] = _points(call, body["points"], now)
    elif kind == "educationFeedbackOutcome" and "feedback" in body:
        outcome["feedback"] = _feedback(call, body["feedback"], now)
    elif kind == "educationRubricOutcome":
        for name in ("rubricQualityFeedback", "rubricQualitySelectedLevels"):
            if name in body:
                outcome[name] = strip_annotations(body[name] or [])
    elif kind == "educationFeedbackResourceOutcome":
        raise bad_request("Feedback resource outcomes cannot be updated; delete and post.")
    outcome["lastModifiedDateTime"] = now
    outcome["lastModifiedBy"] = call.identity()
    sub.outcomes.touch(outcome_id, call.store.next_seq())
    return entity(call, outcome)


def create_outcome(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.GRADING, "Creating an outcome")
    _, sub = _submission(call, teacher=True)
    body = require_object(call.body())
    if not str(body.get("@odata.type", "")).endswith("educationFeedbackResourceOutcome"):
        raise bad_request("Only educationFeedbackResourceOutcome can be created.")
    existing = [o for o in sub.outcomes.values() if _kind(o) == "educationFeedbackResourceOutcome"]
    if len(existing) >= _MAX_FEEDBACK_RESOURCES:
        raise bad_request(
            f"A submission can have at most {_MAX_FEEDBACK_RESOURCES} feedback resources."
        )
    now = ts(call.store.clock())
    resource = normalize_resource(body.get("feedbackResource"))
    resource.update(
        {
            "createdDateTime": now,
            "lastModifiedDateTime": now,
            "createdBy": call.identity(),
            "lastModifiedBy": call.identity(),
        }
    )
    outcome = {
        "@odata.type": odata_type("educationFeedbackResourceOutcome"),
        "lastModifiedDateTime": now,
        "id": call.store.new_id("outcome"),
        "resourceStatus": "notPublished",
        "lastModifiedBy": call.identity(),
        "feedbackResource": resource,
    }
    sub.outcomes.put(outcome, call.store.next_seq())
    return entity(call, outcome, status=201)


def delete_outcome(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.GRADING, "Deleting an outcome")
    _, sub = _submission(call, teacher=True)
    outcome_id = call.params[3]
    outcome = sub.outcomes.get(outcome_id)
    if outcome is None:
        raise not_found("Outcome", outcome_id, assignment_service=True)
    if _kind(outcome) != "educationFeedbackResourceOutcome":
        raise bad_request("Only feedback resource outcomes can be deleted.")
    sub.outcomes.delete(outcome_id, call.store.next_seq())
    return SandboxResponse.empty(204)


_O = "/education/classes/{id}/assignments/{id}/submissions/{id}/outcomes"
ROUTES = [
    Route("GET", _O, list_outcomes, "assignments"),
    Route("POST", _O, create_outcome, "assignments"),
    Route("GET", f"{_O}/{{id}}", get_outcome, "assignments"),
    Route("PATCH", f"{_O}/{{id}}", update_outcome, "assignments"),
    Route("DELETE", f"{_O}/{{id}}", delete_outcome, "assignments"),
]
