"""Assignment endpoints: list, create, read, update, delete, and ``$expand``.

Owns ``/education/classes/{id}/assignments[/{id}]``, the cross-class lists
``/education/users/{id}/assignments`` and ``/education/me/assignments``, who sees which
assignment (students never see drafts nor work assigned to others), the
settle-on-read emulation of asynchronous publishing, and the expansion of
``categories``, ``resources``, ``rubric`` and ``submissions``. Lifecycle actions live in
:mod:`._lifecycle`.
"""

from __future__ import annotations

from typing import Any

from unified_edu.sandbox._core import SandboxResponse
from unified_edu.sandbox.graph import _entities as ent
from unified_edu.sandbox.graph import _perm as perm
from unified_edu.sandbox.graph._bodies import require_object, writable
from unified_edu.sandbox.graph._errors import GraphError, bad_request
from unified_edu.sandbox.graph._ids import parse_datetime, ts, wire_datetime
from unified_edu.sandbox.graph._odata import Query, check_expand, entity, page, query_of, select
from unified_edu.sandbox.graph._routes import Call, Route
from unified_edu.sandbox.graph._schema import odata_type
from unified_edu.sandbox.graph._store import AssignmentState
from unified_edu.sandbox.graph._submissions import expand_submission, visible_submissions
from unified_edu.sandbox.graph._views import assignment_view

__all__ = ["ROUTES", "observe", "render_assignment"]

Json = dict[str, Any]

# Set by the service, never by a caller; Graph's own create example sends "status".
_SERVER_SET = (
    "id",
    "classId",
    "status",
    "createdBy",
    "createdDateTime",
    "lastModifiedBy",
    "lastModifiedDateTime",
    "assignedDateTime",
    "webUrl",
    "resourcesFolderUrl",
    "feedbackResourcesFolderUrl",
)


def observe(call: Call, data: Json, a_state: AssignmentState) -> None:
    """One read of an assignment: publishing completes after ``settle_reads`` of them.

    Graph distributes a published assignment in the background and tells callers to
    poll (reference §3.2); the emulator makes that deterministic by counting reads.
    """
    if data["status"] != "published":
        return
    if a_state.settle_left > 0:
        a_state.settle_left -= 1
        return
    data["status"] = "assigned"
    call.store.touch_assignment(a_state.class_id, data["id"])


def visible_to(role: str, user_id: str, data: Json) -> bool:
    """Whether a caller with ``role`` in the class sees the assignment."""
    if role != "student":
        return True
    if data["status"] == "draft":
        return False
    recipients = data["assignTo"].get("recipients")
    return recipients is None or user_id in recipients


def render_assignment(
    call: Call, data: Json, a_state: AssignmentState, role: str, query: Query
) -> Json:
    """The caller's view of one assignment with its expansions and ``$select``."""
    observe(call, data, a_state)
    out = assignment_view(data, call.include_unknown)
    expansions = check_expand(query, "educationAssignment")
    for name, nested in expansions.items():
        out[name] = _expansion(call, a_state, name, nested, role)
    return select(out, query, "educationAssignment", keep=tuple(expansions))


def _expansion(call: Call, a_state: AssignmentState, name: str, nested: Query, role: str) -> Any:
    class_state = call.store.class_states[a_state.class_id]
    if name == "categories":
        return [class_state.categories.get(c) for c in a_state.categories]
    if name == "resources":
        return a_state.resources.values()
    if name == "rubric":
        return call.store.rubrics.get(a_state.rubric_id) if a_state.rubric_id else None
    subs = visible_submissions(call, a_state, role)
    return [expand_submission(call, s, a_state, nested) for s in subs]


def _assignment_page(call: Call, rows: list[tuple[Json, AssignmentState, str]]) -> SandboxResponse:
    expansions = check_expand(query_of(call), "educationAssignment")
    states = {data["id"]: (data, a_state, role) for data, a_state, role in rows}

    def view(data: Json) -> Json:
        return assignment_view(data, call.include_unknown)

    def expand(viewed: Json) -> Json:
        # Only the items on the page count as read (settle-on-read).
        data, a_state, role = states[viewed["id"]]
        observe(call, data, a_state)
        out = assignment_view(data, call.include_unknown)
        for name, nested in expansions.items():
            out[name] = _expansion(call, a_state, name, nested, role)
        return out

    return page(
        call,
        [data for data, _, _ in rows],
        type_name="educationAssignment",
        kind="assignments",
        view=view,
        expand=expand,
    )


def list_assignments(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.ASSIGNMENTS_READ, "Listing assignments")
    class_id = call.params[0]
    role = perm.class_role(call.store, call.principal, class_id)
    state = call.store.class_states[class_id]
    rows = [
        (data, state.assignment_states[data["id"]], role)
        for data in state.assignments.values()
        if visible_to(role, call.principal.subject, data)
    ]
    return _assignment_page(call, rows)


def _user_assignments(call: Call, user_id: str) -> SandboxResponse:
    perm.check(call.principal, perm.ASSIGNMENTS_READ, "Listing a user's assignments")
    store = call.store
    user_id = store.user(user_id)["id"]
    if not call.principal.app_only and user_id != call.principal.subject:
        raise GraphError(403, "accessDenied", "A user may list only their own assignments.")
    rows = []
    for class_id in store.classes_of_user(user_id):
        state = store.class_states[class_id]
        role = "teacher" if user_id in state.teachers else "student"
        for data in state.assignments.values():
            if visible_to(role, user_id, data):
                rows.append((data, state.assignment_states[data["id"]], role))
    return _assignment_page(call, rows)


def user_assignments(call: Call) -> SandboxResponse:
    return _user_assignments(call, call.params[0])


def me_assignments(call: Call) -> SandboxResponse:
    if call.principal.app_only:
        raise GraphError(
            400, "BadRequest", "/me request is only valid with delegated authentication flow."
        )
    return _user_assignments(call, call.principal.subject)


def get_assignment(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.ASSIGNMENTS_READ, "Reading an assignment")
    class_id, assignment_id = call.params[:2]
    role = perm.class_role(call.store, call.principal, class_id)
    data, a_state = call.store.assignment(class_id, assignment_id)
    if not visible_to(role, call.principal.subject, data):
        raise GraphError(404, "20241", f"Entity not found. Assignment id: {assignment_id}")
    return entity(call, render_assignment(call, data, a_state, role, query_of(call)))


def _grading(value: Any) -> Json | None:
    """Points grading or ``None`` (ungraded). Graph's own create example names the
    abstract ``educationAssignmentGradeType`` with ``maxPoints`` and gets points back."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise bad_request("Invalid value for 'grading'.")
    if "maxPoints" not in value:
        return None
    points = value["maxPoints"]
    if not isinstance(points, int | float) or isinstance(points, bool) or not 0 < points < 9999999:
        raise bad_request("Invalid value for 'grading.maxPoints'.")
    return {"@odata.type": odata_type("educationAssignmentPointsGradeType"), "maxPoints": points}


def _assign_to(call: Call, class_id: str, value: Any) -> Json:
    """Class or individual recipients. Anything else (Graph's create example sends a
    grade type here) means the whole class, which is what that example returns."""
    kind = str(value.get("@odata.type", "")) if isinstance(value, dict) else ""
    if isinstance(value, dict) and kind.lstrip("#").endswith(
        "educationAssignmentIndividualRecipient"
    ):
        recipients = value.get("recipients")
        state = call.store.class_states[class_id]
        students = [m for m in state.members if m not in state.teachers]
        if not isinstance(recipients, list) or not all(r in students for r in recipients):
            raise bad_request("Every recipient must be a student of the class.")
        return {
            "@odata.type": odata_type("educationAssignmentIndividualRecipient"),
            "recipients": list(recipients),
        }
    return {"@odata.type": odata_type("educationAssignmentClassRecipient")}


def _apply_times(target: Json, values: Json) -> None:
    for name in ("dueDateTime", "closeDateTime", "assignDateTime"):
        if name in values:
            raw = values.pop(name)
            try:
                target[name] = None if raw is None else wire_datetime(parse_datetime(str(raw)))
            except ValueError as exc:
                raise bad_request(f"Invalid value '{raw}' for '{name}'.") from exc
    due, close = target.get("dueDateTime"), target.get("closeDateTime")
    if due and close and parse_datetime(close) < parse_datetime(due):
        raise bad_request("closeDateTime must be on or after dueDateTime.")


def _apply_values(call: Call, class_id: str, data: Json, values: Json) -> None:
    if "grading" in values:
        data["grading"] = _grading(values.pop("grading"))
    if "assignTo" in values:
        data["assignTo"] = _assign_to(call, class_id, values.pop("assignTo"))
    if "instructions" in values:
        body = values.pop("instructions") or {}
        data["instructions"] = {
            "content": body.get("content", ""),
            "contentType": body.get("contentType", "text"),
        }
    _apply_times(data, values)
    for nav in ("categories", "resources", "rubric", "submissions"):
        values.pop(nav, None)
    data.update(values)


def create_assignment(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.ASSIGNMENTS_WRITE, "Creating an assignment")
    class_id = call.params[0]
    perm.require_teacher(call.store, call.principal, class_id, "Creating an assignment")
    values = writable(require_object(call.body()), "educationAssignment", ignore=_SERVER_SET)
    if not values.get("displayName"):
        raise bad_request("The property 'displayName' is required.")
    store = call.store
    now = ts(store.clock())
    assignment_id = store.new_id("assignment")
    data = ent.assignment(
        assignment_id=assignment_id,
        class_id=class_id,
        display_name=values["displayName"],
        instructions="",
        due=None,
        grading=None,
        assign_to={"@odata.type": odata_type("educationAssignmentClassRecipient")},
        status="draft",
        created_by=call.principal.subject,
        created=now,
        modified=now,
    )
    data["createdBy"] = data["lastModifiedBy"] = call.identity()
    _apply_values(call, class_id, data, values)
    store.add_assignment(class_id, data)
    return entity(call, assignment_view(data, call.include_unknown), status=201)


def update_assignment(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.AUTHORING, "Updating an assignment")
    class_id, assignment_id = call.params[:2]
    perm.require_teacher(call.store, call.principal, class_id, "Updating an assignment")
    data, _ = call.store.assignment(class_id, assignment_id)
    body = require_object(call.body())
    if "status" in body:
        raise bad_request(
            "The property 'status' is read-only; use publish, activate or deactivate."
        )
    values = writable(body, "educationAssignment", ignore=_SERVER_SET)
    if data["status"] != "draft" and "assignTo" in values:
        raise bad_request("Recipients cannot change once an assignment is published.")
    _apply_values(call, class_id, data, values)
    data["lastModifiedDateTime"] = ts(call.store.clock())
    data["lastModifiedBy"] = call.identity()
    call.store.touch_assignment(class_id, assignment_id)
    return entity(call, assignment_view(data, call.include_unknown))


def delete_assignment(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.AUTHORING, "Deleting an assignment")
    class_id, assignment_id = call.params[:2]
    perm.require_teacher(call.store, call.principal, class_id, "Deleting an assignment")
    call.store.assignment(class_id, assignment_id)
    state = call.store.class_states[class_id]
    state.assignments.delete(assignment_id, call.store.next_seq())
    del state.assignment_states[assignment_id]
    call.store.assignment_class.pop(assignment_id, None)
    return SandboxResponse.empty(204)


def _a(method: str, template: str, handler: Any) -> Route:
    return Route(method, template, handler, "assignments")


_A = "/education/classes/{id}/assignments"
ROUTES = [
    _a("GET", _A, list_assignments),
    _a("POST", _A, create_assignment),
    _a("GET", f"{_A}/{{id}}", get_assignment),
    _a("PATCH", f"{_A}/{{id}}", update_assignment),
    _a("DELETE", f"{_A}/{{id}}", delete_assignment),
    _a("GET", "/education/users/{id}/assignments", user_assignments),
    _a("GET", "/education/me/assignments", me_assignments),
]
