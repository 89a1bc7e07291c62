"""Roster endpoints: schools, classes, users and their links.

Owns ``/education/schools``, ``/education/classes``, ``/education/users``,
``/education/me`` and the ``members``/``teachers``/``classes``/``users`` link
collections with their ``$ref`` writes. Delta functions live in :mod:`._delta`.
"""

from __future__ import annotations

from typing import Any

from unified_edu.sandbox._core import SandboxResponse
from unified_edu.sandbox.graph import _perm as perm
from unified_edu.sandbox.graph._bodies import (
    ref_target,
    require_object,
    strip_annotations,
    writable,
)
from unified_edu.sandbox.graph._errors import GraphError, not_found
from unified_edu.sandbox.graph._odata import entity, page
from unified_edu.sandbox.graph._routes import Call, Route

__all__ = ["ROUTES"]

Json = dict[str, Any]
_CREATED_BY_SERVER = ("id", "createdBy")


def _visible_classes(call: Call, class_ids: list[str]) -> list[Json]:
    """Classes of ``class_ids`` the caller may see (signed-in users: their own)."""
    store = call.store
    if not call.principal.app_only:
        own = set(store.classes_of_user(call.principal.subject))
        class_ids = [c for c in class_ids if c in own]
    return [store.klass(c) for c in class_ids]


def _users(call: Call, user_ids: list[str]) -> list[Json]:
    return [u for u in (call.store.users.get(i) for i in user_ids) if u is not None]


def _me(call: Call) -> str:
    if call.principal.app_only:
        raise GraphError(
            400, "BadRequest", "/me request is only valid with delegated authentication flow."
        )
    return call.principal.subject


# -- schools ----------------------------------------------------------------------------


def list_schools(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.ROSTER_READ, "Listing schools")
    schools = call.store.schools.values()
    if not call.principal.app_only:
        own = set(call.store.schools_of_user(call.principal.subject))
        schools = [s for s in schools if s["id"] in own]
    return page(call, schools, type_name="educationSchool", kind="roster")


def get_school(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.ROSTER_READ, "Reading a school")
    return entity(call, call.store.school(call.params[0]), select_as="educationSchool")


def create_school(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.ROSTER_WRITE, "Creating a school")
    values = writable(require_object(call.body()), "educationSchool", ignore=_CREATED_BY_SERVER)
    if not values.get("displayName"):
        raise GraphError(400, "BadRequest", "The property 'displayName' is required.")
    store = call.store
    data = {"id": store.new_id("school"), **strip_annotations(values)}
    data["createdBy"] = call.identity()
    store.schools.put(data, store.next_seq())
    store.school_classes[data["id"]] = []
    store.school_users[data["id"]] = []
    return entity(call, data, status=201)


def update_school(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.ROSTER_WRITE, "Updating a school")
    data = call.store.school(call.params[0])
    values = writable(require_object(call.body()), "educationSchool", ignore=_CREATED_BY_SERVER)
    data.update(strip_annotations(values))
    call.store.schools.touch(data["id"], call.store.next_seq())
    return entity(call, data)


def delete_school(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.ROSTER_WRITE, "Deleting a school")
    school_id = call.store.school(call.params[0])["id"]
    call.store.schools.delete(school_id, call.store.next_seq())
    call.store.school_classes.pop(school_id, None)
    call.store.school_users.pop(school_id, None)
    return SandboxResponse.empty(204)


def school_classes(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.ROSTER_READ, "Listing a school's classes")
    school_id = call.store.school(call.params[0])["id"]
    classes = _visible_classes(call, call.store.school_classes[school_id])
    return page(call, classes, type_name="educationClass", kind="roster")


def school_users(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.USERS_READ, "Listing a school's users")
    school_id = call.store.school(call.params[0])["id"]
    users = _users(call, call.store.school_users[school_id])
    return page(call, users, type_name="educationUser", kind="roster")


def _link(call: Call, links: list[str], target: str, prop: str) -> SandboxResponse:
    if target in links:
        # Directory-backed collections answer a repeated add like this (group members).
        raise GraphError(
            400,
            "Request_BadRequest",
            "One or more added object references already exist for the following "
            f"modified properties: '{prop}'.",
        )
    links.append(target)
    return SandboxResponse.empty(204)


def _unlink(links: list[str], target: str, kind: str) -> SandboxResponse:
    if target not in links:
        raise not_found(kind, target)
    links.remove(target)
    return SandboxResponse.empty(204)


def add_school_class(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.ROSTER_WRITE, "Adding a class to a school")
    school_id = call.store.school(call.params[0])["id"]
    class_id = call.store.klass(ref_target(call.body(), ("classes",)))["id"]
    return _link(call, call.store.school_classes[school_id], class_id, "classes")


def remove_school_class(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.ROSTER_WRITE, "Removing a class from a school")
    school_id = call.store.school(call.params[0])["id"]
    return _unlink(call.store.school_classes[school_id], call.params[1], "Class")


def add_school_user(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.ROSTER_WRITE, "Adding a user to a school")
    school_id = call.store.school(call.params[0])["id"]
    user_id = call.store.user(ref_target(call.body(), ("users", "directoryObjects")))["id"]
    return _link(call, call.store.school_users[school_id], user_id, "users")


def remove_school_user(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.ROSTER_WRITE, "Removing a user from a school")
    school_id = call.store.school(call.params[0])["id"]
    return _unlink(call.store.school_users[school_id], call.params[1], "User")


# -- classes ----------------------------------------------------------------------------


def list_classes(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.ROSTER_READ, "Listing classes")
    classes = _visible_classes(call, list(call.store.classes))
    return page(call, classes, type_name="educationClass", kind="roster")


def get_class(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.ROSTER_READ, "Reading a class")
    perm.class_role(call.store, call.principal, call.params[0])
    return entity(call, call.store.klass(call.params[0]), select_as="educationClass")


def create_class(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.ROSTER_WRITE, "Creating a class")
    values = writable(require_object(call.body()), "educationClass", ignore=_CREATED_BY_SERVER)
    for required in ("displayName", "mailNickname"):
        if not values.get(required):
            raise GraphError(400, "BadRequest", f"The property '{required}' is required.")
    store = call.store
    # The class id is the id of the Microsoft 365 group created with it.
    data = {"id": store.new_id("class"), **strip_annotations(values)}
    data["createdBy"] = call.identity()
    store.add_class(data)
    return entity(call, data, status=201)


def update_class(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.ROSTER_WRITE, "Updating a class")
    data = call.store.klass(call.params[0])
    values = writable(require_object(call.body()), "educationClass", ignore=_CREATED_BY_SERVER)
    data.update(strip_annotations(values))
    call.store.classes.touch(data["id"], call.store.next_seq())
    return entity(call, data)


def delete_class(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.ROSTER_WRITE, "Deleting a class")
    call.store.remove_class(call.store.klass(call.params[0])["id"])
    return SandboxResponse.empty(204)


def class_members(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.MEMBERS_READ, "Listing class members")
    perm.class_role(call.store, call.principal, call.params[0])
    members = _users(call, call.store.class_state(call.params[0]).members)
    return page(call, members, type_name="educationUser", kind="roster")


def class_teachers(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.ROSTER_READ, "Listing class teachers")
    perm.class_role(call.store, call.principal, call.params[0])
    teachers = _users(call, call.store.class_state(call.params[0]).teachers)
    return page(call, teachers, type_name="educationUser", kind="roster")


def add_member(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.MEMBERS_READ, "Adding a class member")
    perm.check(call.principal, perm.ROSTER_WRITE, "Adding a class member")
    state = call.store.class_state(call.params[0])
    user_id = call.store.user(ref_target(call.body(), ("users", "directoryObjects")))["id"]
    return _link(call, state.members, user_id, "members")


def remove_member(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.ROSTER_WRITE, "Removing a class member")
    return _unlink(call.store.class_state(call.params[0]).members, call.params[1], "User")


def add_teacher(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.ROSTER_WRITE, "Adding a class teacher")
    state = call.store.class_state(call.params[0])
    user_id = call.store.user(ref_target(call.body(), ("users", "directoryObjects")))["id"]
    return _link(call, state.teachers, user_id, "owners")


def remove_teacher(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.ROSTER_WRITE, "Removing a class teacher")
    return _unlink(call.store.class_state(call.params[0]).teachers, call.params[1], "User")


def class_schools(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.ROSTER_READ, "Listing a class's schools")
    perm.class_role(call.store, call.principal, call.params[0])
    ids = call.store.schools_of_class(call.params[0])
    schools = [call.store.school(s) for s in ids]
    return page(call, schools, type_name="educationSchool", kind="roster")


# -- users ------------------------------------------------------------------------------


def list_users(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.USERS_READ, "Listing users")
    return page(call, call.store.users.values(), type_name="educationUser", kind="roster")


def get_user(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.ROSTER_READ, "Reading a user")
    return entity(call, call.store.user(call.params[0]), select_as="educationUser")


def create_user(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.ROSTER_WRITE, "Creating a user")
    values = writable(require_object(call.body()), "educationUser", ignore=_CREATED_BY_SERVER)
    for required in ("displayName", "userPrincipalName", "mailNickname"):
        if not values.get(required):
            raise GraphError(400, "BadRequest", f"The property '{required}' is required.")
    store = call.store
    upn = str(values["userPrincipalName"]).lower()
    if upn in store.upn_index:
        raise GraphError(
            400,
            "Request_BadRequest",
            "Another object with the same value for property userPrincipalName already exists.",
        )
    data = {"id": store.new_id("user"), "relatedContacts": [], **strip_annotations(values)}
    data["createdBy"] = call.identity()
    store.users.put(data, store.next_seq())
    store.upn_index[upn] = data["id"]
    return entity(call, data, status=201)


def update_user(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.ROSTER_WRITE, "Updating a user")
    data = call.store.user(call.params[0])
    values = writable(require_object(call.body()), "educationUser", ignore=_CREATED_BY_SERVER)
    values.pop("relatedContacts", None)  # read-only (reference §2.2)
    data.update(strip_annotations(values))
    call.store.users.touch(data["id"], call.store.next_seq())
    return entity(call, data)


def delete_user(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.ROSTER_WRITE, "Deleting a user")
    store = call.store
    user_id = store.user(call.params[0])["id"]
    store.users.delete(user_id, store.next_seq())
    store.upn_index = {k: v for k, v in store.upn_index.items() if v != user_id}
    for state in store.class_states.values():
        for links in (state.members, state.teachers):
            if user_id in links:
                links.remove(user_id)
    for links in store.school_users.values():
        if user_id in links:
            links.remove(user_id)
    return SandboxResponse.empty(204)


def _user_classes(call: Call, user_id: str, *, teaching_only: bool) -> SandboxResponse:
    perm.check(call.principal, perm.ROSTER_READ, "Listing a user's classes")
    user_id = call.store.user(user_id)["id"]
    ids = call.store.classes_of_user(user_id, teaching_only=teaching_only)
    classes = _visible_classes(call, ids)
    return page(call, classes, type_name="educationClass", kind="roster")


def user_classes(call: Call) -> SandboxResponse:
    return _user_classes(call, call.params[0], teaching_only=False)


def user_taught_classes(call: Call) -> SandboxResponse:
    return _user_classes(call, call.params[0], teaching_only=True)


def _user_schools(call: Call, user_id: str) -> SandboxResponse:
    perm.check(call.principal, perm.ROSTER_READ, "Listing a user's schools")
    ids = call.store.schools_of_user(call.store.user(user_id)["id"])
    schools = [call.store.school(s) for s in ids]
    return page(call, schools, type_name="educationSchool", kind="roster")


def user_schools(call: Call) -> SandboxResponse:
    return _user_schools(call, call.params[0])


def get_me(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.ROSTER_READ, "Reading the signed-in user")
    return entity(call, call.store.user(_me(call)), select_as="educationUser")


def me_classes(call: Call) -> SandboxResponse:
    return _user_classes(call, _me(call), teaching_only=False)


def me_taught_classes(call: Call) -> SandboxResponse:
    return _user_classes(call, _me(call), teaching_only=True)


def me_schools(call: Call) -> SandboxResponse:
    return _user_schools(call, _me(call))


def _r(method: str, template: str, handler: Any) -> Route:
    return Route(method, template, handler, "roster")


_S, _C, _U = "/education/schools", "/education/classes", "/education/users"
ROUTES = [
    _r("GET", _S, list_schools),
    _r("POST", _S, create_school),
    _r("GET", f"{_S}/{{id}}", get_school),
    _r("PATCH", f"{_S}/{{id}}", update_school),
    _r("DELETE", f"{_S}/{{id}}", delete_school),
    _r("GET", f"{_S}/{{id}}/classes", school_classes),
    _r("POST", f"{_S}/{{id}}/classes/$ref", add_school_class),
    _r("DELETE", f"{_S}/{{id}}/classes/{{id}}/$ref", remove_school_class),
    _r("GET", f"{_S}/{{id}}/users", school_users),
    _r("POST", f"{_S}/{{id}}/users/$ref", add_school_user),
    _r("DELETE", f"{_S}/{{id}}/users/{{id}}/$ref", remove_school_user),
    _r("GET", _C, list_classes),
    _r("POST", _C, create_class),
    _r("GET", f"{_C}/{{id}}", get_class),
    _r("PATCH", f"{_C}/{{id}}", update_class),
    _r("DELETE", f"{_C}/{{id}}", delete_class),
    _r("GET", f"{_C}/{{id}}/members", class_members),
    _r("POST", f"{_C}/{{id}}/members/$ref", add_member),
    _r("DELETE", f"{_C}/{{id}}/members/{{id}}/$ref", remove_member),
    _r("GET", f"{_C}/{{id}}/teachers", class_teachers),
    _r("POST", f"{_C}/{{id}}/teachers/$ref", add_teacher),
    _r("DELETE", f"{_C}/{{id}}/teachers/{{id}}/$ref", remove_teacher),
    _r("GET", f"{_C}/{{id}}/schools", class_schools),
    _r("GET", _U, list_users),
    _r("POST", _U, create_user),
    _r("GET", f"{_U}/{{id}}", get_user),
    _r("PATCH", f"{_U}/{{id}}", update_user),
    _r("DELETE", f"{_U}/{{id}}", delete_user),
    _r("GET", f"{_U}/{{id}}/classes", user_classes),
    _r("GET", f"{_U}/{{id}}/taughtClasses", user_taught_classes),
    _r("GET", f"{_U}/{{id}}/schools", user_schools),
    _r("GET", "/education/me", get_me),
    _r("GET", "/education/me/classes", me_classes),
    _r("GET", "/education/me/taughtClasses", me_taught_classes),
    _r("GET", "/education/me/schools", me_schools),
]
