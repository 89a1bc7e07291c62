"""Resource endpoints: what a teacher attaches and what a student hands in.

Owns ``…/assignments/{id}/resources`` (GET, POST; ``/{id}`` GET, DELETE; at most ten per
assignment), ``…/submissions/{id}/resources`` (the student's working copy: GET, POST,
``/{id}`` GET, DELETE) and ``…/submissions/{id}/submittedResources`` (read-only snapshot
taken at submit), and the normalisation of an ``educationResource`` body to its v1.0
subtype's properties.
"""

from __future__ import annotations

from typing import Any

from unified_edu.sandbox._core import SandboxResponse
from unified_edu.sandbox.graph import _entities as ent
from unified_edu.sandbox.graph import _perm as perm
from unified_edu.sandbox.graph._bodies import require_object
from unified_edu.sandbox.graph._errors import GraphError, bad_request, not_found
from unified_edu.sandbox.graph._ids import ts
from unified_edu.sandbox.graph._odata import entity, page
from unified_edu.sandbox.graph._routes import Call, Route
from unified_edu.sandbox.graph._schema import odata_type
from unified_edu.sandbox.graph._store import Table

__all__ = ["ROUTES", "normalize_resource"]

Json = dict[str, Any]

_MAX_RESOURCES = 10  # per assignment and per submission (reference §2.6)
_FILE = ("fileUrl",)
#: v1.0 resource subtypes and their own properties (msgraph-sdk discriminators).
_SUBTYPES: dict[str, tuple[str, ...]] = {
    "educationLinkResource": ("link",),
    "educationFileResource": _FILE,
    "educationWordResource": _FILE,
    "educationExcelResource": _FILE,
    "educationPowerPointResource": _FILE,
    "educationMediaResource": _FILE,
    "educationExternalResource": ("webUrl",),
    "educationChannelResource": ("url",),
    "educationLinkedAssignmentResource": ("url",),
    "educationTeamsAppResource": ("appIconWebUrl", "appId", "teamsEmbeddedContentUrl", "webUrl"),
}


def normalize_resource(value: Any) -> Json:
    """An ``educationResource`` body reduced to its subtype's properties.

    Graph's own examples write the type with or without ``#`` and send extra fields
    (``thumbnailPreviewUrl``; ``file.odataid`` instead of ``fileUrl``), which the service
    accepts; so does the emulator, keeping only what the type defines.
    """
    if not isinstance(value, dict):
        raise bad_request("The property 'resource' is required.")
    type_name = str(value.get("@odata.type", "")).lstrip("#").rsplit(".", 1)[-1]
    if type_name not in _SUBTYPES:
        raise bad_request(f"Unsupported resource type '{value.get('@odata.type')}'.")
    out: Json = {"@odata.type": odata_type(type_name), "displayName": value.get("displayName")}
    for name in _SUBTYPES[type_name]:
        out[name] = value.get(name)
    if "fileUrl" in out and out["fileUrl"] is None and isinstance(value.get("file"), dict):
        out["fileUrl"] = value["file"].get("odataid")
    return out


def _get(table: Table, resource_id: str) -> Json:
    found = table.get(resource_id)
    if found is None:
        raise not_found("Resource", resource_id, assignment_service=True)
    return found


# -- assignment resources ---------------------------------------------------------------


def _assignment_resources(call: Call) -> tuple[Table, str]:
    class_id, assignment_id = call.params[:2]
    role = perm.class_role(call.store, call.principal, class_id)
    _, a_state = call.store.assignment(class_id, assignment_id)
    return a_state.resources, role


def list_assignment_resources(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.ASSIGNMENTS_READ, "Listing assignment resources")
    table, _ = _assignment_resources(call)
    return page(call, table.values(), type_name="educationAssignmentResource", kind="assignments")


def get_assignment_resource(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.ASSIGNMENTS_READ, "Reading an assignment resource")
    table, _ = _assignment_resources(call)
    return entity(call, _get(table, call.params[2]), select_as="educationAssignmentResource")


def create_assignment_resource(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.AUTHORING, "Adding an assignment resource")
    perm.require_teacher(call.store, call.principal, call.params[0], "Adding a resource")
    table, _ = _assignment_resources(call)
    if len(table) >= _MAX_RESOURCES:
        raise bad_request(f"An assignment can have at most {_MAX_RESOURCES} resources.")
    body = require_object(call.body())
    distribute = body.get("distributeForStudentWork", False)
    if not isinstance(distribute, bool):
        raise bad_request("'distributeForStudentWork' must be a boolean.")
    data = ent.assignment_resource(
        resource_id=call.store.new_id("resource"),
        resource=normalize_resource(body.get("resource")),
        created_by=call.principal.subject,
        created=ts(call.store.clock()),
        distribute=distribute,
    )
    data["resource"]["createdBy"] = data["resource"]["lastModifiedBy"] = call.identity()
    table.put(data, call.store.next_seq())
    return entity(call, data, status=201)


def delete_assignment_resource(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.AUTHORING, "Deleting an assignment resource")
    perm.require_teacher(call.store, call.principal, call.params[0], "Deleting a resource")
    table, _ = _assignment_resources(call)
    _get(table, call.params[2])
    table.delete(call.params[2], call.store.next_seq())
    return SandboxResponse.empty(204)


# -- submission resources ---------------------------------------------------------------


def _submission_tables(call: Call) -> tuple[Json, Table, Table]:
    class_id, assignment_id, submission_id = call.params[:3]
    role = perm.class_role(call.store, call.principal, class_id)
    data, sub, _ = call.store.submission(class_id, assignment_id, submission_id)
    if role == "student" and data["recipient"]["userId"] != call.principal.subject:
        raise GraphError(403, "accessDenied", "Students can only see their own submissions.")
    return data, sub.resources, sub.submitted_resources


def list_submission_resources(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.ASSIGNMENTS_READ, "Listing submission resources")
    _, table, _ = _submission_tables(call)
    return page(call, table.values(), type_name="educationSubmissionResource", kind="submissions")


def get_submission_resource(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.ASSIGNMENTS_READ, "Reading a submission resource")
    _, table, _ = _submission_tables(call)
    return entity(call, _get(table, call.params[3]), select_as="educationSubmissionResource")


def create_submission_resource(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.AUTHORING, "Adding a submission resource")
    data, table, _ = _submission_tables(call)
    if data["status"] != "working":
        raise bad_request("Resources can only be added while the submission is being worked on.")
    if len(table) >= _MAX_RESOURCES:
        raise bad_request(f"A submission can have at most {_MAX_RESOURCES} resources.")
    resource = normalize_resource(require_object(call.body()).get("resource"))
    now = ts(call.store.clock())
    resource.update(
        {
            "createdDateTime": now,
            "lastModifiedDateTime": now,
            "createdBy": call.identity(),
            "lastModifiedBy": call.identity(),
        }
    )
    item = {
        "assignmentResourceUrl": None,
        "id": call.store.new_id("resource"),
        "resource": resource,
    }
    table.put(item, call.store.next_seq())
    return entity(call, item, status=201)


def delete_submission_resource(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.AUTHORING, "Deleting a submission resource")
    _, table, _ = _submission_tables(call)
    _get(table, call.params[3])
    table.delete(call.params[3], call.store.next_seq())
    return SandboxResponse.empty(204)


def list_submitted_resources(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.ASSIGNMENTS_READ, "Listing submitted resources")
    _, _, table = _submission_tables(call)
    return page(call, table.values(), type_name="educationSubmissionResource", kind="submissions")


def get_submitted_resource(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.ASSIGNMENTS_READ, "Reading a submitted resource")
    _, _, table = _submission_tables(call)
    return entity(call, _get(table, call.params[3]), select_as="educationSubmissionResource")


def _r(method: str, template: str, handler: Any) -> Route:
    return Route(method, template, handler, "assignments")


_A = "/education/classes/{id}/assignments/{id}/resources"
_S = "/education/classes/{id}/assignments/{id}/submissions/{id}"
ROUTES = [
    _r("GET", _A, list_assignment_resources),
    _r("POST", _A, create_assignment_resource),
    _r("GET", f"{_A}/{{id}}", get_assignment_resource),
    _r("DELETE", f"{_A}/{{id}}", delete_assignment_resource),
    _r("GET", f"{_S}/resources", list_submission_resources),
    _r("POST", f"{_S}/resources", create_submission_resource),
    _r("GET", f"{_S}/resources/{{id}}", get_submission_resource),
    _r("DELETE", f"{_S}/resources/{{id}}", delete_submission_resource),
    _r("GET", f"{_S}/submittedResources", list_submitted_resources),
    _r("GET", f"{_S}/submittedResources/{{id}}", get_submitted_resource),
]
