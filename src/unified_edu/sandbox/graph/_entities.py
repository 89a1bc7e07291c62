"""Builders of the assignment service's wire objects.

Owns the exact shape (property set and order) of assignments, submissions, outcomes,
resources and identity sets as Graph's own examples show them, so that the loader and the
request handlers produce identical objects. Pure functions over plain values.
"""

from __future__ import annotations

import json
import urllib.parse
from typing import Any

from unified_edu.sandbox.graph._schema import odata_type

__all__ = [
    "assignment",
    "assignment_resource",
    "assignment_web_url",
    "feedback_outcome",
    "identity_set",
    "points_grade",
    "points_outcome",
    "rubric_outcome",
    "submission",
]

Json = dict[str, Any]

# The Teams "Assignments" app that Graph's webUrl deep links open (conformance examples).
_TEAMS_ASSIGNMENTS_APP = "66aeee93-507d-479a-a3ef-8f494af43945"
_SPEED_GRADER_APP = "de8bc8b5-d9f9-48b1-a8ad-b748da725064"


def identity_set(user_id: str | None) -> Json:
    """An ``identitySet`` naming a user; ``None`` gives the all-null set Graph sends for
    "nobody yet" (``unsubmittedBy`` before any unsubmit, in every example).

    ``displayName`` is null as in the assignment service's examples: callers resolve names
    through the roster (reference §2.4).
    """
    return {"application": None, "device": None, "user": {"id": user_id, "displayName": None}}


def _deep_link(sub_entity: Json) -> str:
    inner = json.dumps(sub_entity, separators=(",", ":"))
    outer = json.dumps({"subEntityId": inner, "channelId": None}, separators=(",", ":"))
    context = urllib.parse.quote(outer, safe=",")
    return (
        f"https://teams.microsoft.com/l/entity/{_TEAMS_ASSIGNMENTS_APP}/classroom?context={context}"
    )


# Deep links are encoded once with placeholders, then filled in: GUIDs need no escaping,
# and tens of thousands of submissions are built when a city loads.
_ASSIGNMENT_LINK = _deep_link(
    {
        "version": "1.0",
        "config": {"classes": [{"id": "@C@", "displayName": None, "assignmentIds": ["@A@"]}]},
        "action": "navigate",
        "view": "assignment-viewer",
    }
)
_SUBMISSION_LINK = _deep_link(
    {
        "version": "1.0",
        "config": {"classes": [{"id": "@C@", "assignmentIds": ["@A@"], "submissionId": "@S@"}]},
        "action": "navigate",
        "view": "speed-grader",
        "appId": _SPEED_GRADER_APP,
    }
)


def assignment_web_url(class_id: str, assignment_id: str) -> str:
    """The Teams deep link of an assignment, encoded like Graph's."""
    return _ASSIGNMENT_LINK.replace("%40C%40", class_id).replace("%40A%40", assignment_id)


def _submission_web_url(class_id: str, assignment_id: str, submission_id: str) -> str:
    return (
        _SUBMISSION_LINK.replace("%40C%40", class_id)
        .replace("%40A%40", assignment_id)
        .replace("%40S%40", submission_id)
    )


def assignment(
    *,
    assignment_id: str,
    class_id: str,
    display_name: str,
    instructions: str,
    due: str | None,
    grading: Json | None,
    assign_to: Json,
    status: str,
    created_by: str,
    created: str,
    modified: str,
    assigned: str | None = None,
    allow_late: bool = True,
) -> Json:
    """An ``educationAssignment`` in the property order of Graph's examples."""
    return {
        "classId": class_id,
        "displayName": display_name,
        "closeDateTime": None,
        "dueDateTime": due,
        "assignDateTime": None,
        "assignedDateTime": assigned,
        "allowLateSubmissions": allow_late,
        "resourcesFolderUrl": None,
        "feedbackResourcesFolderUrl": None,
        "createdDateTime": created,
        "lastModifiedDateTime": modified,
        "allowStudentsToAddResourcesToSubmission": True,
        "status": status,
        "notificationChannelUrl": None,
        "webUrl": assignment_web_url(class_id, assignment_id),
        "addToCalendarAction": "none",
        "addedStudentAction": "none",
        "moduleUrl": None,
        "id": assignment_id,
        "instructions": {"content": instructions, "contentType": "text"},
        "grading": grading,
        "assignTo": assign_to,
        "createdBy": identity_set(created_by),
        "lastModifiedBy": identity_set(created_by),
    }


def points_grade(points: float, graded_by: str, graded: str) -> Json:
    """An ``educationAssignmentPointsGrade``."""
    return {
        "@odata.type": odata_type("educationAssignmentPointsGrade"),
        "points": points,
        "gradedBy": identity_set(graded_by),
        "gradedDateTime": graded,
    }


def submission(
    *,
    submission_id: str,
    assignment_id: str,
    class_id: str,
    student_id: str,
    modified: str,
    modified_by: str | None,
) -> Json:
    """A fresh ``working`` submission (created for each recipient at publish)."""
    return {
        "status": "working",
        "submittedDateTime": None,
        "unsubmittedDateTime": None,
        "returnedDateTime": None,
        "reassignedDateTime": None,
        "excusedDateTime": None,
        "resourcesFolderUrl": None,
        "webUrl": _submission_web_url(class_id, assignment_id, submission_id),
        "id": submission_id,
        "assignmentId": assignment_id,
        "recipient": {
            "@odata.type": odata_type("educationSubmissionIndividualRecipient"),
            "userId": student_id,
        },
        "submittedBy": identity_set(None),
        "unsubmittedBy": identity_set(None),
        "returnedBy": identity_set(None),
        "reassignedBy": identity_set(None),
        "excusedBy": identity_set(None),
        "lastModifiedBy": identity_set(modified_by),
        "lastModifiedDateTime": modified,
    }


def points_outcome(outcome_id: str) -> Json:
    """An empty ``educationPointsOutcome`` (conformance ``list-submissions.2``)."""
    return {
        "@odata.type": odata_type("educationPointsOutcome"),
        "lastModifiedDateTime": None,
        "id": outcome_id,
        "lastModifiedBy": None,
        "points": None,
        "publishedPoints": None,
    }


def feedback_outcome(outcome_id: str) -> Json:
    """An empty ``educationFeedbackOutcome``."""
    return {
        "@odata.type": odata_type("educationFeedbackOutcome"),
        "lastModifiedDateTime": None,
        "id": outcome_id,
        "lastModifiedBy": None,
        "feedback": None,
        "publishedFeedback": None,
    }


def rubric_outcome(outcome_id: str) -> Json:
    """An empty ``educationRubricOutcome``."""
    return {
        "@odata.type": odata_type("educationRubricOutcome"),
        "lastModifiedDateTime": None,
        "id": outcome_id,
        "lastModifiedBy": None,
        "rubricQualityFeedback": [],
        "rubricQualitySelectedLevels": [],
        "publishedRubricQualityFeedback": [],
        "publishedRubricQualitySelectedLevels": [],
    }


def assignment_resource(
    *,
    resource_id: str,
    resource: Json,
    created_by: str,
    created: str,
    distribute: bool = False,
) -> Json:
    """An ``educationAssignmentResource`` wrapping ``resource`` (which carries its
    ``@odata.type``, ``displayName`` and the subtype's own property)."""
    inner = dict(resource)
    inner.update(
        {
            "createdDateTime": created,
            "lastModifiedDateTime": created,
            "createdBy": identity_set(created_by),
            "lastModifiedBy": identity_set(created_by),
        }
    )
    return {"distributeForStudentWork": distribute, "id": resource_id, "resource": inner}
