"""Category endpoints and a class's assignment defaults and settings.

Owns ``/education/classes/{id}/assignmentCategories`` (GET, POST; ``/{id}`` GET,
DELETE), an assignment's ``categories`` (GET; POST ``$ref``; DELETE ``/{id}/$ref``), and
``assignmentDefaults``/``assignmentSettings`` (GET, PATCH). Category names are unique
within a class.
"""

from __future__ import annotations

from typing import Any

from unified_edu.sandbox._core import SandboxResponse
from unified_edu.sandbox.graph import _perm as perm
from unified_edu.sandbox.graph._bodies import ref_target, require_object, writable
from unified_edu.sandbox.graph._errors import GraphError, bad_request, not_found
from unified_edu.sandbox.graph._odata import entity, page
from unified_edu.sandbox.graph._routes import Call, Route

__all__ = ["ROUTES"]

Json = dict[str, Any]


def list_class_categories(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.ASSIGNMENTS_READ, "Listing categories")
    perm.class_role(call.store, call.principal, call.params[0])
    categories = call.store.class_states[call.params[0]].categories.values()
    return page(call, categories, type_name="educationCategory", kind="assignments")


def get_class_category(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.ASSIGNMENTS_READ, "Reading a category")
    perm.class_role(call.store, call.principal, call.params[0])
    found = call.store.class_states[call.params[0]].categories.get(call.params[1])
    if found is None:
        raise not_found("Category", call.params[1], assignment_service=True)
    return entity(call, found, select_as="educationCategory")


def create_class_category(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.ASSIGNMENTS_WRITE, "Creating a category")
    perm.require_teacher(call.store, call.principal, call.params[0], "Creating a category")
    values = writable(require_object(call.body()), "educationCategory", ignore=("id",))
    name = values.get("displayName")
    if not isinstance(name, str) or not name.strip():
        raise bad_request("The property 'displayName' is required.")
    table = call.store.class_states[call.params[0]].categories
    if any(c["displayName"] == name for c in table.values()):
        raise GraphError(409, "nameAlreadyExists", f"A category named '{name}' already exists.")
    data = {"displayName": name, "id": call.store.new_id("category")}
    table.put(data, call.store.next_seq())
    return entity(call, data, status=201)


def delete_class_category(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.ASSIGNMENTS_WRITE, "Deleting a category")
    perm.require_teacher(call.store, call.principal, call.params[0], "Deleting a category")
    state = call.store.class_states[call.params[0]]
    if state.categories.get(call.params[1]) is None:
        raise not_found("Category", call.params[1], assignment_service=True)
    state.categories.delete(call.params[1], call.store.next_seq())
    for a_state in state.assignment_states.values():
        if call.params[1] in a_state.categories:
            a_state.categories.remove(call.params[1])
    return SandboxResponse.empty(204)


def list_assignment_categories(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.ASSIGNMENTS_READ, "Listing an assignment's categories")
    perm.class_role(call.store, call.principal, call.params[0])
    _, a_state = call.store.assignment(call.params[0], call.params[1])
    table = call.store.class_states[call.params[0]].categories
    categories = [c for c in (table.get(i) for i in a_state.categories) if c is not None]
    return page(call, categories, type_name="educationCategory", kind="assignments")


def add_assignment_category(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.AUTHORING, "Adding a category to an assignment")
    class_id, assignment_id = call.params[:2]
    perm.require_teacher(call.store, call.principal, class_id, "Adding a category")
    _, a_state = call.store.assignment(class_id, assignment_id)
    category_id = ref_target(call.body(), ("assignmentCategories", "categories"))
    if call.store.class_states[class_id].categories.get(category_id) is None:
        raise not_found("Category", category_id, assignment_service=True)
    if category_id in a_state.categories:
        raise GraphError(409, "nameAlreadyExists", "The category is already on the assignment.")
    a_state.categories.append(category_id)
    call.store.touch_assignment(class_id, assignment_id)
    return SandboxResponse.empty(204)


def remove_assignment_category(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.AUTHORING, "Removing a category from an assignment")
    class_id, assignment_id, category_id = call.params[:3]
    perm.require_teacher(call.store, call.principal, class_id, "Removing a category")
    _, a_state = call.store.assignment(class_id, assignment_id)
    if category_id not in a_state.categories:
        raise not_found("Category", category_id, assignment_service=True)
    a_state.categories.remove(category_id)
    call.store.touch_assignment(class_id, assignment_id)
    return SandboxResponse.empty(204)


def _class_object(call: Call, name: str) -> Json:
    state = call.store.class_states[call.params[0]]
    return state.defaults if name == "assignmentDefaults" else state.settings


def get_defaults(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.ASSIGNMENTS_READ, "Reading assignment defaults")
    perm.class_role(call.store, call.principal, call.params[0])
    defaults = _class_object(call, "assignmentDefaults")
    return entity(call, defaults, select_as="educationAssignmentDefaults")


def update_defaults(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.AUTHORING, "Updating assignment defaults")
    perm.require_teacher(call.store, call.principal, call.params[0], "Updating defaults")
    values = writable(require_object(call.body()), "educationAssignmentDefaults", ignore=("id",))
    target = _class_object(call, "assignmentDefaults")
    target.update(values)
    return entity(call, target)


def get_settings(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.ASSIGNMENTS_READ, "Reading assignment settings")
    perm.class_role(call.store, call.principal, call.params[0])
    settings = _class_object(call, "assignmentSettings")
    return entity(call, settings, select_as="educationAssignmentSettings")


def update_settings(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.AUTHORING, "Updating assignment settings")
    perm.require_teacher(call.store, call.principal, call.params[0], "Updating settings")
    values = writable(require_object(call.body()), "educationAssignmentSettings", ignore=("id",))
    target = _class_object(call, "assignmentSettings")
    target.update(values)
    return entity(call, target)


def _r(method: str, template: str, handler: Any) -> Route:
    return Route(method, template, handler, "assignments")


_C = "/education/classes/{id}"
_AC = f"{_C}/assignments/{{id}}/categories"
ROUTES = [
    _r("GET", f"{_C}/assignmentCategories", list_class_categories),
    _r("POST", f"{_C}/assignmentCategories", create_class_category),
    _r("GET", f"{_C}/assignmentCategories/{{id}}", get_class_category),
    _r("DELETE", f"{_C}/assignmentCategories/{{id}}", delete_class_category),
    _r("GET", _AC, list_assignment_categories),
    _r("POST", f"{_AC}/$ref", add_assignment_category),
    _r("DELETE", f"{_AC}/{{id}}/$ref", remove_assignment_category),
    _r("GET", f"{_C}/assignmentDefaults", get_defaults),
    _r("PATCH", f"{_C}/assignmentDefaults", update_defaults),
    _r("GET", f"{_C}/assignmentSettings", get_settings),
    _r("PATCH", f"{_C}/assignmentSettings", update_settings),
]
