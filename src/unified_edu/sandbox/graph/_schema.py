"""The slice of Graph's v1.0 schema the emulator serves.

Owns the structural property names of each entity type (for ``$select``) and the
navigation properties ``$expand`` may name. Names come from the v1.0 metadata as
msgraph-sdk's generated models spell them; a test checks every name here against
``get_field_deserializers()`` of the matching model, so nothing is invented.
"""

from __future__ import annotations

__all__ = ["EXPANDABLE", "NAVIGATIONS", "PROPERTIES", "odata_type"]

_ORGANIZATION = ("description", "displayName", "externalSource", "externalSourceDetail")

#: Structural (non-navigation) properties per entity type, ``id`` included.
PROPERTIES: dict[str, frozenset[str]] = {
    "educationSchool": frozenset(
        {
            "id",
            *_ORGANIZATION,
            "address",
            "createdBy",
            "externalId",
            "externalPrincipalId",
            "fax",
            "highestGrade",
            "lowestGrade",
            "phone",
            "principalEmail",
            "principalName",
            "schoolNumber",
        }
    ),
    "educationClass": frozenset(
        {
            "id",
            "classCode",
            "course",
            "createdBy",
            "description",
            "displayName",
            "externalId",
            "externalName",
            "externalSource",
            "externalSourceDetail",
            "grade",
            "mailNickname",
            "term",
        }
    ),
    "educationUser": frozenset(
        {
            "id",
            "accountEnabled",
            "assignedLicenses",
            "assignedPlans",
            "businessPhones",
            "createdBy",
            "department",
            "displayName",
            "externalSource",
            "externalSourceDetail",
            "givenName",
            "mail",
            "mailNickname",
            "mailingAddress",
            "middleName",
            "mobilePhone",
            "officeLocation",
            "onPremisesInfo",
            "passwordPolicies",
            "passwordProfile",
            "preferredLanguage",
            "primaryRole",
            "provisionedPlans",
            "refreshTokensValidFromDateTime",
            "relatedContacts",
            "residenceAddress",
            "showInAddressList",
            "student",
            "surname",
            "teacher",
            "usageLocation",
            "userPrincipalName",
            "userType",
        }
    ),
    "educationAssignment": frozenset(
        {
            "id",
            "addToCalendarAction",
            "addedStudentAction",
            "allowLateSubmissions",
            "allowStudentsToAddResourcesToSubmission",
            "assignDateTime",
            "assignTo",
            "assignedDateTime",
            "classId",
            "closeDateTime",
            "createdBy",
            "createdDateTime",
            "displayName",
            "dueDateTime",
            "feedbackResourcesFolderUrl",
            "grading",
            "instructions",
            "languageTag",
            "lastModifiedBy",
            "lastModifiedDateTime",
            "moduleUrl",
            "notificationChannelUrl",
            "resourcesFolderUrl",
            "status",
            "webUrl",
        }
    ),
    "educationSubmission": frozenset(
        {
            "id",
            "assignmentId",
            "excusedBy",
            "excusedDateTime",
            "lastModifiedBy",
            "lastModifiedDateTime",
            "reassignedBy",
            "reassignedDateTime",
            "recipient",
            "resourcesFolderUrl",
            "returnedBy",
            "returnedDateTime",
            "status",
            "submittedBy",
            "submittedDateTime",
            "unsubmittedBy",
            "unsubmittedDateTime",
            "webUrl",
        }
    ),
    "educationCategory": frozenset({"id", "displayName"}),
    "educationAssignmentResource": frozenset({"id", "distributeForStudentWork", "resource"}),
    "educationSubmissionResource": frozenset({"id", "assignmentResourceUrl", "resource"}),
    "educationRubric": frozenset(
        {
            "id",
            "createdBy",
            "createdDateTime",
            "description",
            "displayName",
            "grading",
            "lastModifiedBy",
            "lastModifiedDateTime",
            "levels",
            "qualities",
        }
    ),
    # Outcomes are polymorphic: $select may name any subtype's property.
    "educationOutcome": frozenset(
        {
            "id",
            "lastModifiedBy",
            "lastModifiedDateTime",
            "points",
            "publishedPoints",
            "feedback",
            "publishedFeedback",
            "rubricQualityFeedback",
            "rubricQualitySelectedLevels",
            "publishedRubricQualityFeedback",
            "publishedRubricQualitySelectedLevels",
            "feedbackResource",
            "resourceStatus",
        }
    ),
    "educationAssignmentDefaults": frozenset(
        {"id", "addToCalendarAction", "addedStudentAction", "dueTime", "notificationChannelUrl"}
    ),
    "educationAssignmentSettings": frozenset({"id", "submissionAnimationDisabled"}),
}

#: Navigation properties of each type (named in ``$select`` they are simply ignored).
NAVIGATIONS: dict[str, frozenset[str]] = {
    "educationSchool": frozenset({"administrativeUnit", "classes", "users"}),
    "educationClass": frozenset(
        {
            "assignmentCategories",
            "assignmentDefaults",
            "assignmentSettings",
            "assignments",
            "group",
            "members",
            "modules",
            "schools",
            "teachers",
        }
    ),
    "educationUser": frozenset(
        {"assignments", "classes", "rubrics", "schools", "taughtClasses", "user"}
    ),
    "educationAssignment": frozenset(
        {"categories", "gradingCategory", "gradingScheme", "resources", "rubric", "submissions"}
    ),
    "educationSubmission": frozenset({"outcomes", "resources", "submittedResources"}),
}

#: What ``$expand`` may name, per type, as documented (reference §1.3).
EXPANDABLE: dict[str, frozenset[str]] = {
    "educationAssignment": frozenset({"categories", "resources", "rubric", "submissions"}),
    "educationSubmission": frozenset({"outcomes", "resources", "submittedResources"}),
}


def odata_type(type_name: str) -> str:
    """``#microsoft.graph.<type>``, the ``@odata.type`` annotation value."""
    return f"#microsoft.graph.{type_name}"
