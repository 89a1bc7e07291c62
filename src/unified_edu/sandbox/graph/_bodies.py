"""Checking request bodies the way an OData service does.

Owns: rejecting properties a type does not define (OData's wording), enum and boolean
values that are not what the schema allows, and reading the target of ``$ref`` bodies
(``{"@odata.id": "https://graph.microsoft.com/v1.0/education/users/{id}"}``).
Annotations (``@odata.type``) inside complex values are dropped: they describe, they are
not data.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from unified_edu.sandbox.graph._errors import GraphError, bad_request
from unified_edu.sandbox.graph._schema import NAVIGATIONS, PROPERTIES

__all__ = ["ENUMS", "ref_target", "require_object", "strip_annotations", "writable"]

Json = dict[str, Any]

#: Enum-typed properties and their v1.0 members (reference §2.1).
ENUMS: dict[str, frozenset[str]] = {
    "externalSource": frozenset({"sis", "manual", "unknownFutureValue"}),
    "primaryRole": frozenset({"student", "teacher", "none", "unknownFutureValue"}),
    "addedStudentAction": frozenset({"none", "assignIfOpen", "unknownFutureValue"}),
    "addToCalendarAction": frozenset(
        {
            "none",
            "studentsAndPublisher",
            "studentsAndTeamOwners",
            "unknownFutureValue",
            "studentsOnly",
        }
    ),
    "contentType": frozenset({"text", "html"}),
}
_BOOLEANS = frozenset(
    {
        "accountEnabled",
        "showInAddressList",
        "allowLateSubmissions",
        "allowStudentsToAddResourcesToSubmission",
        "distributeForStudentWork",
        "submissionAnimationDisabled",
    }
)


def strip_annotations(value: Any) -> Any:
    """``value`` without ``@odata.*`` keys in nested objects (kept on polymorphic ones
    by the callers that need them)."""
    if isinstance(value, dict):
        return {k: strip_annotations(v) for k, v in value.items() if not k.startswith("@")}
    if isinstance(value, list):
        return [strip_annotations(v) for v in value]
    return value


def _check_value(name: str, value: Any) -> None:
    if name in ENUMS and value is not None and value not in ENUMS[name]:
        raise bad_request(
            f"Requested value '{value}' was not found for the enum property '{name}'.",
            "BadRequest",
        )
    if name in _BOOLEANS and not isinstance(value, bool):
        raise bad_request(
            f"Cannot convert the literal '{value}' to the expected type 'Edm.Boolean'.",
            "BadRequest",
        )
    if isinstance(value, dict):
        for key, inner in value.items():
            _check_value(key, inner)


def writable(body: Json, type_name: str, *, ignore: Iterable[str] = ()) -> Json:
    """The settable properties of ``body`` for ``type_name``.

    Args:
        body: The request body.
        type_name: The entity type.
        ignore: Read-only properties that are silently dropped (Graph's own create
            examples send ``status: "draft"``).

    Raises:
        GraphError: 400 for an undefined property or a value of the wrong type.
    """
    known = PROPERTIES[type_name] | NAVIGATIONS.get(type_name, frozenset())
    skipped = set(ignore)
    out: Json = {}
    for key, value in body.items():
        if key.startswith("@"):
            continue
        if key not in known:
            raise bad_request(
                f"The property '{key}' does not exist on type 'microsoft.graph.{type_name}'. "
                "Make sure to only use property names that are defined by the type.",
                "BadRequest",
            )
        _check_value(key, value)
        if key not in skipped:
            out[key] = value
    return out


def ref_target(body: Any, collections: Iterable[str]) -> str:
    """The id named by a ``$ref`` body's ``@odata.id`` (its last path segment).

    Raises:
        GraphError: 400 when the body is no reference to one of ``collections``.
    """
    target = body.get("@odata.id") if isinstance(body, dict) else None
    if not isinstance(target, str):
        raise GraphError(400, "BadRequest", "The request body must contain '@odata.id'.")
    parts = [p for p in target.split("?")[0].split("/") if p]
    if len(parts) < 2 or parts[-2] not in set(collections):
        raise GraphError(400, "BadRequest", f"Invalid object identifier '{target}'.")
    return parts[-1]


def require_object(body: Any) -> Json:
    """The request body as a JSON object, or Graph's 400."""
    if not isinstance(body, dict):
        raise GraphError(400, "BadRequest", "Empty Payload. JSON content expected.")
    return body
