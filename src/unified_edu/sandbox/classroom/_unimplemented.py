"""Classroom methods the sandbox does not emulate, answered 501 ``UNIMPLEMENTED``.

Every other method of the discovery document is routed here (a test checks that routes
and this table cover the document exactly), so a client calling, say,
``courses.update`` learns that the sandbox lacks it instead of getting a misleading 404.
Add-on attachment methods repeat the same shapes under four parents and are generated.

This module must not import any platform client.
"""

from __future__ import annotations

from typing import Any

from unified_edu.sandbox.classroom._access import Call
from unified_edu.sandbox.classroom._errors import ApiError
from unified_edu.sandbox.classroom._routing import Handler, Route

__all__ = ["UNIMPLEMENTED"]

_PLAIN = (
    ("courses.getGradingPeriodSettings", "GET", "courses/{courseId}/gradingPeriodSettings"),
    ("courses.update", "PUT", "courses/{id}"),
    ("courses.updateGradingPeriodSettings", "PATCH", "courses/{courseId}/gradingPeriodSettings"),
    ("courses.aliases.create", "POST", "courses/{courseId}/aliases"),
    ("courses.aliases.delete", "DELETE", "courses/{courseId}/aliases/{alias}"),
    ("courses.aliases.list", "GET", "courses/{courseId}/aliases"),
    ("courses.announcements.create", "POST", "courses/{courseId}/announcements"),
    ("courses.announcements.delete", "DELETE", "courses/{courseId}/announcements/{id}"),
    ("courses.announcements.get", "GET", "courses/{courseId}/announcements/{id}"),
    ("courses.announcements.list", "GET", "courses/{courseId}/announcements"),
    (
        "courses.announcements.modifyAssignees",
        "POST",
        "courses/{courseId}/announcements/{id}:modifyAssignees",
    ),
    ("courses.announcements.patch", "PATCH", "courses/{courseId}/announcements/{id}"),
    (
        "courses.courseWork.modifyAssignees",
        "POST",
        "courses/{courseId}/courseWork/{id}:modifyAssignees",
    ),
    (
        "courses.courseWork.updateRubric",
        "PATCH",
        "courses/{courseId}/courseWork/{courseWorkId}/rubric",
    ),
    (
        "courses.courseWork.rubrics.create",
        "POST",
        "courses/{courseId}/courseWork/{courseWorkId}/rubrics",
    ),
    (
        "courses.courseWork.rubrics.delete",
        "DELETE",
        "courses/{courseId}/courseWork/{courseWorkId}/rubrics/{id}",
    ),
    (
        "courses.courseWork.rubrics.patch",
        "PATCH",
        "courses/{courseId}/courseWork/{courseWorkId}/rubrics/{id}",
    ),
    (
        "courses.courseWork.studentSubmissions.modifyAttachments",
        "POST",
        "courses/{courseId}/courseWork/{courseWorkId}/studentSubmissions/{id}:modifyAttachments",
    ),
    ("courses.courseWorkMaterials.create", "POST", "courses/{courseId}/courseWorkMaterials"),
    ("courses.courseWorkMaterials.delete", "DELETE", "courses/{courseId}/courseWorkMaterials/{id}"),
    ("courses.courseWorkMaterials.get", "GET", "courses/{courseId}/courseWorkMaterials/{id}"),
    ("courses.courseWorkMaterials.list", "GET", "courses/{courseId}/courseWorkMaterials"),
    ("courses.courseWorkMaterials.patch", "PATCH", "courses/{courseId}/courseWorkMaterials/{id}"),
    ("courses.studentGroups.create", "POST", "courses/{courseId}/studentGroups"),
    ("courses.studentGroups.delete", "DELETE", "courses/{courseId}/studentGroups/{id}"),
    ("courses.studentGroups.list", "GET", "courses/{courseId}/studentGroups"),
    ("courses.studentGroups.patch", "PATCH", "courses/{courseId}/studentGroups/{id}"),
    (
        "courses.studentGroups.studentGroupMembers.create",
        "POST",
        "courses/{courseId}/studentGroups/{studentGroupId}/studentGroupMembers",
    ),
    (
        "courses.studentGroups.studentGroupMembers.delete",
        "DELETE",
        "courses/{courseId}/studentGroups/{studentGroupId}/studentGroupMembers/{userId}",
    ),
    (
        "courses.studentGroups.studentGroupMembers.list",
        "GET",
        "courses/{courseId}/studentGroups/{studentGroupId}/studentGroupMembers",
    ),
    ("registrations.create", "POST", "registrations"),
    ("registrations.delete", "DELETE", "registrations/{registrationId}"),
)
# Parent collection -> its item path parameter, for the add-on attachment methods.
_ADD_ON_PARENTS = {
    "announcements": "itemId",
    "courseWork": "itemId",
    "courseWorkMaterials": "itemId",
    "posts": "postId",
}


def _add_on_methods() -> list[tuple[str, str, str]]:
    out: list[tuple[str, str, str]] = []
    for parent, item in _ADD_ON_PARENTS.items():
        base = f"courses/{{courseId}}/{parent}/{{{item}}}"
        prefix = f"courses.{parent}."
        attachments = f"{base}/addOnAttachments"
        out.append((prefix + "getAddOnContext", "GET", base + "/addOnContext"))
        for verb, name in (("POST", "create"), ("GET", "list")):
            out.append((f"{prefix}addOnAttachments.{name}", verb, attachments))
        for verb, name in (("GET", "get"), ("PATCH", "patch"), ("DELETE", "delete")):
            out.append((f"{prefix}addOnAttachments.{name}", verb, attachments + "/{attachmentId}"))
        if parent in ("courseWork", "posts"):
            submissions = attachments + "/{attachmentId}/studentSubmissions"
            names = (("GET", "get"), ("PATCH", "patch"))
            for verb, name in names:
                method = f"{prefix}addOnAttachments.studentSubmissions.{name}"
                out.append((method, verb, submissions + "/{submissionId}"))
            if parent == "courseWork":
                method = f"{prefix}addOnAttachments.studentSubmissions.list"
                out.append((method, "GET", submissions))
    return out


def _refuse(method_id: str) -> Handler:
    def handler(call: Call) -> Any:
        raise ApiError(501, f"The sandbox does not emulate {method_id}.", status="UNIMPLEMENTED")

    return handler


UNIMPLEMENTED: tuple[Route, ...] = tuple(
    Route(f"classroom.{name}", verb, f"v1/{path}", (), _refuse(f"classroom.{name}"))
    for name, verb, path in (*_PLAIN, *_add_on_methods())
)
