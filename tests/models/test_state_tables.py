"""The state mapping tables cover every platform value, as the official schemas list them.

Google values come from the discovery document bundled in google-api-python-client;
Microsoft values from msgraph-sdk's generated enums (the v1.0 metadata).
"""

from __future__ import annotations

import json
from pathlib import Path

import googleapiclient
import pytest
from msgraph.generated.models.education_assignment_status import EducationAssignmentStatus
from msgraph.generated.models.education_submission_status import EducationSubmissionStatus

from unified_edu.models import (
    GOOGLE_ASSIGNMENT_STATES,
    GOOGLE_CLASS_STATES,
    GOOGLE_GUARDIAN_INVITATION_STATES,
    GOOGLE_SUBMISSION_STATES,
    MICROSOFT_ASSIGNMENT_STATES,
    MICROSOFT_SUBMISSION_STATES,
    AssignmentState,
    ClassState,
    SubmissionState,
    normalize,
)

DISCOVERY = json.loads(
    (
        Path(googleapiclient.__file__).parent / "discovery_cache/documents/classroom.v1.json"
    ).read_text(encoding="utf-8")
)


def schema_enum(schema: str, prop: str) -> set[str]:
    return set(DISCOVERY["schemas"][schema]["properties"][prop]["enum"])


@pytest.mark.parametrize(
    ("table", "schema", "prop"),
    [
        (GOOGLE_CLASS_STATES, "Course", "courseState"),
        (GOOGLE_ASSIGNMENT_STATES, "CourseWork", "state"),
        (GOOGLE_SUBMISSION_STATES, "StudentSubmission", "state"),
        (GOOGLE_GUARDIAN_INVITATION_STATES, "GuardianInvitation", "state"),
    ],
)
def test_google_tables_match_the_discovery_document(table: object, schema: str, prop: str) -> None:
    assert set(table) == schema_enum(schema, prop)  # type: ignore[arg-type]


def test_microsoft_tables_match_msgraph_enums() -> None:
    assert set(MICROSOFT_ASSIGNMENT_STATES) == {m.value for m in EducationAssignmentStatus}
    assert set(MICROSOFT_SUBMISSION_STATES) == {m.value for m in EducationSubmissionStatus}


def test_key_mappings() -> None:
    assert GOOGLE_SUBMISSION_STATES["TURNED_IN"] is SubmissionState.TURNED_IN
    assert MICROSOFT_SUBMISSION_STATES["submitted"] is SubmissionState.TURNED_IN
    assert MICROSOFT_SUBMISSION_STATES["excused"] is SubmissionState.EXCUSED
    assert MICROSOFT_ASSIGNMENT_STATES["published"] is AssignmentState.PUBLISHING
    assert MICROSOFT_ASSIGNMENT_STATES["assigned"] is AssignmentState.PUBLISHED
    assert GOOGLE_CLASS_STATES["PROVISIONED"] is ClassState.PROVISIONED


def test_unknown_values_normalize_to_unknown() -> None:
    assert (
        normalize(GOOGLE_SUBMISSION_STATES, "SOMETHING_NEW", SubmissionState.UNKNOWN)
        is SubmissionState.UNKNOWN
    )
    assert (
        normalize(MICROSOFT_ASSIGNMENT_STATES, None, AssignmentState.UNKNOWN)
        is AssignmentState.UNKNOWN
    )
    # Without `Prefer: include-unknown-enum-members` Graph sends this for `inactive`.
    assert MICROSOFT_ASSIGNMENT_STATES["unknownFutureValue"] is AssignmentState.UNKNOWN
