"""Submission endpoints: list, read, and the five state actions.

Owns ``…/assignments/{id}/submissions[/{id}]``, ``$expand`` of ``outcomes``,
``resources`` and ``submittedResources``, and ``submit``/``unsubmit``/``return``/
``reassign``/``excuse`` with the allowed-transition table of reference §3.2 (a forbidden
transition answers 400). ``return`` and ``reassign`` publish the teacher's draft grade and
feedback (``points`` → ``publishedPoints`` ...); ``submit`` snapshots the working
resources into ``submittedResources``.
"""

from __future__ import annotations

import copy
from typing import Any

from unified_edu.sandbox._core import SandboxResponse
from unified_edu.sandbox.graph import _perm as perm
from unified_edu.sandbox.graph._errors import GraphError, bad_request
from unified_edu.sandbox.graph._ids import ts
from unified_edu.sandbox.graph._odata import Query, check_expand, entity, page, query_of, select
from unified_edu.sandbox.graph._routes import Call, Route
from unified_edu.sandbox.graph._store import AssignmentState, SubmissionState
from unified_edu.sandbox.graph._views import submission_view

__all__ = ["ROUTES", "expand_submission", "visible_submissions"]

Json = dict[str, Any]

#: Allowed status changes (reference §3.2, submissions-status-transition).
_ALLOWED: dict[str, frozenset[str]] = {
    "working": frozenset({"submitted", "returned", "reassigned", "excused"}),
    "submitted": frozenset({"working", "returned", "reassigned", "excused"}),
    "returned": frozenset({"submitted", "returned", "reassigned", "excused"}),
    "reassigned": frozenset({"submitted", "returned", "reassigned", "excused"}),
    "excused": frozenset({"reassigned", "returned", "submitted"}),
}
_TARGET = {
    "submit": "submitted",
    "unsubmit": "working",
    "return": "returned",
    "reassign": "reassigned",
    "excuse": "excused",
}
# The timestamp/actor pair each action stamps.
_STAMP = {
    "submit": "submitted",
    "unsubmit": "unsubmitted",
    "return": "returned",
    "reassign": "reassigned",
    "excuse": "excused",
}


def visible_submissions(call: Call, a_state: AssignmentState, role: str) -> list[Json]:
    """The submissions the caller may see (a student: only their own)."""
    subs = a_state.submissions.values()
    if role == "student":
        return [s for s in subs if s["recipient"]["userId"] == call.principal.subject]
    return subs


def expand_submission(call: Call, data: Json, a_state: AssignmentState, query: Query) -> Json:
    """The caller's view of a submission with its expansions and ``$select``."""
    out = submission_view(data, call.include_unknown)
    expansions = check_expand(query, "educationSubmission")
    sub = a_state.subs[data["id"]]
    for name in expansions:
        if name == "outcomes":
            perm.check(call.principal, perm.GRADES_READ, "Reading outcomes")
            out[name] = sub.outcomes.values()
        elif name == "resources":
            out[name] = sub.resources.values()
        else:
            out[name] = sub.submitted_resources.values()
    return select(out, query, "educationSubmission", keep=tuple(expansions))


def list_submissions(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.ASSIGNMENTS_READ, "Listing submissions")
    class_id, assignment_id = call.params[:2]
    role = perm.class_role(call.store, call.principal, class_id)
    _, a_state = call.store.assignment(class_id, assignment_id)
    query = query_of(call)
    check_expand(query, "educationSubmission")
    bare = Query(expand=query.expand)  # $select is applied by page()

    def view(data: Json) -> Json:
        return submission_view(data, call.include_unknown)

    def expand(viewed: Json) -> Json:
        return expand_submission(
            call, a_state.submissions.get(viewed["id"]) or viewed, a_state, bare
        )

    subs = visible_submissions(call, a_state, role)
    return page(
        call, subs, type_name="educationSubmission", kind="submissions", view=view, expand=expand
    )


def _locate(call: Call) -> tuple[Json, SubmissionState, AssignmentState, str]:
    class_id, assignment_id, submission_id = call.params[:3]
    role = perm.class_role(call.store, call.principal, class_id)
    data, sub, a_state = call.store.submission(class_id, assignment_id, submission_id)
    if role == "student" and data["recipient"]["userId"] != call.principal.subject:
        raise GraphError(403, "accessDenied", "Students can only see their own submissions.")
    return data, sub, a_state, role


def get_submission(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.ASSIGNMENTS_READ, "Reading a submission")
    data, _, a_state, _ = _locate(call)
    return entity(call, expand_submission(call, data, a_state, query_of(call)))


def _publish_outcomes(sub: SubmissionState) -> None:
    """What the teacher drafted becomes what the student sees."""
    for outcome in sub.outcomes.values():
        kind = outcome["@odata.type"].rsplit(".", 1)[-1]
        if kind == "educationPointsOutcome":
            outcome["publishedPoints"] = copy.deepcopy(outcome["points"])
        elif kind == "educationFeedbackOutcome":
            outcome["publishedFeedback"] = copy.deepcopy(outcome["feedback"])
        elif kind == "educationRubricOutcome":
            for name in ("rubricQualityFeedback", "rubricQualitySelectedLevels"):
                published = "published" + name[0].upper() + name[1:]
                outcome[published] = copy.deepcopy(outcome[name])
        elif kind == "educationFeedbackResourceOutcome":
            outcome["resourceStatus"] = "published"


def _excuse_outcomes(sub: SubmissionState) -> None:
    """Excusing removes rubric grading and feedback (reference §3.2)."""
    for outcome in sub.outcomes.values():
        kind = outcome["@odata.type"].rsplit(".", 1)[-1]
        if kind == "educationFeedbackOutcome":
            outcome["feedback"] = outcome["publishedFeedback"] = None
        elif kind == "educationRubricOutcome":
            for name in (
                "rubricQualityFeedback",
                "rubricQualitySelectedLevels",
                "publishedRubricQualityFeedback",
                "publishedRubricQualitySelectedLevels",
            ):
                outcome[name] = []


def _act(call: Call, action: str) -> SandboxResponse:
    data, sub, a_state, role = _locate(call)
    student_action = action in ("submit", "unsubmit")
    if role == "student" and not student_action:
        raise GraphError(403, "accessDenied", f"Only a teacher can {action} a submission.")
    current, target = data["status"], _TARGET[action]
    if target not in _ALLOWED[current]:
        raise bad_request(
            f"Invalid submission state transition: '{action}' is not allowed from '{current}'."
        )
    now = ts(call.store.clock())
    identity = call.identity()
    data["status"] = target
    stamp = _STAMP[action]
    data[f"{stamp}DateTime"] = now
    data[f"{stamp}By"] = identity
    data["lastModifiedDateTime"] = now
    data["lastModifiedBy"] = identity
    if action == "submit":
        sub.submitted_resources.rows.clear()
        for resource in sub.resources.values():
            sub.submitted_resources.put(copy.deepcopy(resource), call.store.next_seq())
    elif action in ("return", "reassign"):
        _publish_outcomes(sub)
    elif action == "excuse":
        _excuse_outcomes(sub)
    a_state.submissions.touch(data["id"], call.store.next_seq())
    view = submission_view(data, call.include_unknown)
    return entity(call, view, type_name="educationSubmission")


def submit(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.GRADING, "Submitting")
    return _act(call, "submit")


def unsubmit(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.UNSUBMIT, "Unsubmitting")
    return _act(call, "unsubmit")


def return_(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.GRADING, "Returning a submission")
    return _act(call, "return")


def reassign(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.GRADING, "Reassigning a submission")
    return _act(call, "reassign")


def excuse(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.GRADING, "Excusing a submission")
    return _act(call, "excuse")


def _s(method: str, template: str, handler: Any) -> Route:
    return Route(method, template, handler, "assignments")


_S = "/education/classes/{id}/assignments/{id}/submissions"
ROUTES = [
    _s("GET", _S, list_submissions),
    _s("GET", f"{_S}/{{id}}", get_submission),
    _s("POST", f"{_S}/{{id}}/submit", submit),
    _s("POST", f"{_S}/{{id}}/unsubmit", unsubmit),
    _s("POST", f"{_S}/{{id}}/return", return_),
    _s("POST", f"{_S}/{{id}}/reassign", reassign),
    _s("POST", f"{_S}/{{id}}/excuse", excuse),
]
