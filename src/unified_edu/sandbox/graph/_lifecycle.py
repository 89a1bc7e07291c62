"""Assignment lifecycle actions: publish, activate, deactivate, folders.

Owns ``…/assignments/{id}/publish`` (draft → ``published``, reading ``assigned`` after
the configured number of reads; one submission with its outcomes is created per
recipient), ``/activate`` and ``/deactivate`` (``inactive`` ↔ ``assigned``), and
``/setUpResourcesFolder`` / ``/setUpFeedbackResourcesFolder`` (once each; a repeat is
Graph's ``folderAlreadyExists``). All are delegated-only (reference §3.1).
"""

from __future__ import annotations

from typing import Any

from unified_edu.sandbox._core import SandboxResponse
from unified_edu.sandbox.graph import _entities as ent
from unified_edu.sandbox.graph import _perm as perm
from unified_edu.sandbox.graph._errors import GraphError, bad_request
from unified_edu.sandbox.graph._ids import raw_guid, ts
from unified_edu.sandbox.graph._odata import entity
from unified_edu.sandbox.graph._routes import Call, Route
from unified_edu.sandbox.graph._store import AssignmentState, SubmissionState
from unified_edu.sandbox.graph._views import assignment_view

__all__ = ["ROUTES", "create_submissions"]

Json = dict[str, Any]


def create_submissions(call: Call, data: Json, a_state: AssignmentState, now: str) -> None:
    """One ``working`` submission per recipient, each with its empty outcomes."""
    store = call.store
    class_state = store.class_states[a_state.class_id]
    recipients = data["assignTo"].get("recipients")
    if recipients is None:
        recipients = [m for m in class_state.members if m not in class_state.teachers]
    for student_id in recipients:
        sid = raw_guid(store.seed, "submission", data["id"], student_id)
        if a_state.submissions.get(sid) is not None:
            continue
        a_state.submissions.put(
            ent.submission(
                submission_id=sid,
                assignment_id=data["id"],
                class_id=a_state.class_id,
                student_id=student_id,
                modified=now,
                modified_by=call.principal.subject,
            ),
            store.next_seq(),
        )
        sub = a_state.subs.setdefault(sid, SubmissionState())
        if data["grading"] is not None:
            sub.outcomes.put(ent.points_outcome(store.new_id("outcome")), store.next_seq())
        sub.outcomes.put(ent.feedback_outcome(store.new_id("outcome")), store.next_seq())
        if a_state.rubric_id is not None:
            sub.outcomes.put(ent.rubric_outcome(store.new_id("outcome")), store.next_seq())


def _authoring(call: Call, operation: str) -> tuple[Json, AssignmentState]:
    perm.check(call.principal, perm.AUTHORING, operation)
    class_id, assignment_id = call.params[:2]
    perm.require_teacher(call.store, call.principal, class_id, operation)
    return call.store.assignment(class_id, assignment_id)


def _changed(call: Call, data: Json, a_state: AssignmentState, now: str) -> SandboxResponse:
    data["lastModifiedDateTime"] = now
    data["lastModifiedBy"] = call.identity()
    call.store.touch_assignment(a_state.class_id, data["id"])
    view = assignment_view(data, call.include_unknown)
    return entity(
        call,
        {"@odata.type": "#microsoft.graph.educationAssignment", **view},
        type_name="educationAssignment",
    )


def publish(call: Call) -> SandboxResponse:
    data, a_state = _authoring(call, "Publishing an assignment")
    if data["status"] != "draft":
        raise bad_request(f"Only a draft can be published; this assignment is {data['status']}.")
    now = ts(call.store.clock())
    data["status"] = "published"
    data["assignedDateTime"] = now
    a_state.settle_left = call.env.settle_reads
    create_submissions(call, data, a_state, now)
    return _changed(call, data, a_state, now)


def _settled_status(data: Json) -> str:
    # A publish still distributing is, for (de)activation, an assigned assignment.
    return "assigned" if data["status"] == "published" else str(data["status"])


def activate(call: Call) -> SandboxResponse:
    data, a_state = _authoring(call, "Activating an assignment")
    if _settled_status(data) != "inactive":
        raise bad_request("Only an inactive assignment can be activated.")
    data["status"] = "assigned"
    return _changed(call, data, a_state, ts(call.store.clock()))


def deactivate(call: Call) -> SandboxResponse:
    data, a_state = _authoring(call, "Deactivating an assignment")
    if _settled_status(data) != "assigned":
        raise bad_request("Only an assigned assignment can be deactivated.")
    data["status"] = "inactive"
    return _changed(call, data, a_state, ts(call.store.clock()))


def _folder(call: Call, prop: str, operation: str) -> SandboxResponse:
    data, a_state = _authoring(call, operation)
    if data.get(prop):
        raise GraphError(
            400,
            "badRequest",
            "Bad request.",
            inner_code="folderAlreadyExists",
            inner_message="Resource folder already exists and has previously been set up.",
        )
    drive = raw_guid(call.store.seed, "drive", a_state.class_id).replace("-", "")
    item = raw_guid(call.store.seed, prop, data["id"]).replace("-", "").upper()[:34]
    data[prop] = f"{call.env.base_url()}/v1.0/drives/b!{drive}/items/{item}"
    return _changed(call, data, a_state, ts(call.store.clock()))


def set_up_resources_folder(call: Call) -> SandboxResponse:
    return _folder(call, "resourcesFolderUrl", "Setting up the resources folder")


def set_up_feedback_folder(call: Call) -> SandboxResponse:
    return _folder(call, "feedbackResourcesFolderUrl", "Setting up the feedback folder")


_A = "/education/classes/{id}/assignments/{id}"
ROUTES = [
    Route("POST", f"{_A}/publish", publish, "assignments"),
    Route("POST", f"{_A}/activate", activate, "assignments"),
    Route("POST", f"{_A}/deactivate", deactivate, "assignments"),
    Route("POST", f"{_A}/setUpResourcesFolder", set_up_resources_folder, "assignments"),
    Route("POST", f"{_A}/setUpFeedbackResourcesFolder", set_up_feedback_folder, "assignments"),
]
