"""Rubrics: a teacher's grading grids, attached to assignments by reference.

Owns building ``educationRubric`` objects (seeded or from a POST body), the teacher's
collection ``/education/me/rubrics`` (GET, POST; ``/{id}`` GET, PATCH, DELETE) and
``/education/users/{id}/rubrics`` (GET), and an assignment's ``rubric`` (GET; PUT and
DELETE ``$ref``). Rubric ids, level ids and quality ids are GUIDs.
"""

from __future__ import annotations

from typing import Any

from unified_edu.sandbox._core import SandboxResponse
from unified_edu.sandbox.graph import _entities as ent
from unified_edu.sandbox.graph import _perm as perm
from unified_edu.sandbox.graph._bodies import (
    ref_target,
    require_object,
    strip_annotations,
    writable,
)
from unified_edu.sandbox.graph._errors import GraphError, bad_request, not_found
from unified_edu.sandbox.graph._ids import guid, ts
from unified_edu.sandbox.graph._odata import entity, page
from unified_edu.sandbox.graph._routes import Call, Route
from unified_edu.sandbox.graph._schema import odata_type

__all__ = ["ROUTES", "seeded_rubric"]

Json = dict[str, Any]

_LEVELS = (("Отлично", 10.0), ("Добре", 6.0), ("Слабо", 2.0))
_QUALITIES = (
    ("Съдържание", ("Изчерпателно и вярно", "Частично вярно", "Непълно или невярно")),
    ("Оформление", ("Прегледно и четливо", "Разбираемо", "Трудно за четене")),
)


def _body(text: str) -> Json:
    return {"content": text, "contentType": "text"}


def _points(max_points: float) -> Json:
    return {
        "@odata.type": odata_type("educationAssignmentPointsGradeType"),
        "maxPoints": max_points,
    }


def seeded_rubric(seed: int, key: str, owner: str, created: str) -> Json:
    """A points rubric of three levels and two equally weighted qualities."""
    return {
        "displayName": "Критерии за оценяване",
        "id": guid(seed, "rubric", key),
        "description": _body("Оценяване по съдържание и оформление"),
        "levels": [
            {
                "levelId": guid(seed, "rubric-level", key, name),
                "displayName": name,
                "description": _body(""),
                "grading": _points(points),
            }
            for name, points in _LEVELS
        ],
        "qualities": [
            {
                "qualityId": guid(seed, "rubric-quality", key, name),
                "displayName": name,
                "weight": 50.0,
                "description": _body(name),
                "criteria": [{"description": _body(text)} for text in criteria],
            }
            for name, criteria in _QUALITIES
        ],
        "grading": _points(100.0),
        "createdBy": ent.identity_set(owner),
        "createdDateTime": created,
        "lastModifiedBy": ent.identity_set(owner),
        "lastModifiedDateTime": created,
    }


def _owner(rubric: Json) -> str | None:
    user = (rubric.get("createdBy") or {}).get("user") or {}
    return user.get("id")


def _me(call: Call) -> str:
    perm.check(call.principal, perm.ME_ONLY, "Managing rubrics")
    return call.principal.subject


def _own_rubric(call: Call) -> Json:
    rubric = call.store.rubric(call.params[0])
    if _owner(rubric) != _me(call):
        raise not_found("Rubric", call.params[0], assignment_service=True)
    return rubric


def list_my_rubrics(call: Call) -> SandboxResponse:
    me = _me(call)
    mine = [r for r in call.store.rubrics.values() if _owner(r) == me]
    return page(call, mine, type_name="educationRubric", kind="assignments")


def list_user_rubrics(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.ASSIGNMENTS_READ, "Listing rubrics")
    user_id = call.store.user(call.params[0])["id"]
    if not call.principal.app_only and user_id != call.principal.subject:
        raise GraphError(403, "accessDenied", "A user may list only their own rubrics.")
    theirs = [r for r in call.store.rubrics.values() if _owner(r) == user_id]
    return page(call, theirs, type_name="educationRubric", kind="assignments")


def get_my_rubric(call: Call) -> SandboxResponse:
    return entity(call, _own_rubric(call), select_as="educationRubric")


def create_rubric(call: Call) -> SandboxResponse:
    me = _me(call)
    values = strip_annotations(writable(require_object(call.body()), "educationRubric"))
    if not values.get("displayName"):
        raise bad_request("The property 'displayName' is required.")
    rubric_id = call.store.new_id("rubric")
    now = ts(call.store.clock())
    levels = [
        {"levelId": call.store.new_id("rubric-level"), **level}
        for level in values.get("levels") or []
    ]
    qualities = [
        {"qualityId": call.store.new_id("rubric-quality"), "weight": None, **quality}
        for quality in values.get("qualities") or []
    ]
    rubric = {
        "displayName": values["displayName"],
        "id": rubric_id,
        "description": values.get("description"),
        "levels": levels,
        "qualities": qualities,
        "grading": _grading(values.get("grading")),
        "createdBy": ent.identity_set(me),
        "createdDateTime": now,
        "lastModifiedBy": ent.identity_set(me),
        "lastModifiedDateTime": now,
    }
    for level, raw in zip(levels, values.get("levels") or [], strict=True):
        level["grading"] = _grading(raw.get("grading"))
    call.store.rubrics.put(rubric, call.store.next_seq())
    return entity(call, rubric, status=201)


def _grading(value: Any) -> Json | None:
    if isinstance(value, dict) and "maxPoints" in value:
        return _points(value["maxPoints"])
    return None


def update_rubric(call: Call) -> SandboxResponse:
    rubric = _own_rubric(call)
    values = strip_annotations(writable(require_object(call.body()), "educationRubric"))
    for name in ("id", "createdBy", "createdDateTime", "lastModifiedBy", "lastModifiedDateTime"):
        values.pop(name, None)
    rubric.update(values)
    rubric["lastModifiedDateTime"] = ts(call.store.clock())
    rubric["lastModifiedBy"] = ent.identity_set(call.principal.subject)
    call.store.rubrics.touch(rubric["id"], call.store.next_seq())
    return entity(call, rubric)


def delete_rubric(call: Call) -> SandboxResponse:
    rubric = _own_rubric(call)
    call.store.rubrics.delete(rubric["id"], call.store.next_seq())
    for _, _, a_state in call.store.iter_assignments():
        if a_state.rubric_id == rubric["id"]:
            a_state.rubric_id = None
    return SandboxResponse.empty(204)


def get_assignment_rubric(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.ASSIGNMENTS_READ, "Reading an assignment's rubric")
    perm.class_role(call.store, call.principal, call.params[0])
    _, a_state = call.store.assignment(call.params[0], call.params[1])
    if a_state.rubric_id is None:
        raise not_found("Rubric", "rubric", assignment_service=True)
    return entity(call, call.store.rubric(a_state.rubric_id), select_as="educationRubric")


def put_assignment_rubric(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.AUTHORING, "Attaching a rubric")
    class_id, assignment_id = call.params[:2]
    perm.require_teacher(call.store, call.principal, class_id, "Attaching a rubric")
    _, a_state = call.store.assignment(class_id, assignment_id)
    rubric = call.store.rubric(ref_target(call.body(), ("rubrics",)))
    a_state.rubric_id = rubric["id"]
    for sub_id, sub in a_state.subs.items():
        if not any(o["@odata.type"].endswith("RubricOutcome") for o in sub.outcomes.values()):
            sub.outcomes.put(
                ent.rubric_outcome(guid(call.store.seed, "outcome", sub_id, "rubric")),
                call.store.next_seq(),
            )
    call.store.touch_assignment(class_id, assignment_id)
    return SandboxResponse.empty(204)


def delete_assignment_rubric(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.AUTHORING, "Detaching a rubric")
    class_id, assignment_id = call.params[:2]
    perm.require_teacher(call.store, call.principal, class_id, "Detaching a rubric")
    _, a_state = call.store.assignment(class_id, assignment_id)
    a_state.rubric_id = None
    call.store.touch_assignment(class_id, assignment_id)
    return SandboxResponse.empty(204)


def _r(method: str, template: str, handler: Any) -> Route:
    return Route(method, template, handler, "assignments")


_A = "/education/classes/{id}/assignments/{id}/rubric"
ROUTES = [
    _r("GET", "/education/me/rubrics", list_my_rubrics),
    _r("POST", "/education/me/rubrics", create_rubric),
    _r("GET", "/education/me/rubrics/{id}", get_my_rubric),
    _r("PATCH", "/education/me/rubrics/{id}", update_rubric),
    _r("DELETE", "/education/me/rubrics/{id}", delete_rubric),
    _r("GET", "/education/users/{id}/rubrics", list_user_rubrics),
    _r("GET", _A, get_assignment_rubric),
    _r("PUT", f"{_A}/$ref", put_assignment_rubric),
    _r("DELETE", f"{_A}/$ref", delete_assignment_rubric),
]
