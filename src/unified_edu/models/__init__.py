"""The provider-agnostic domain model: pure, typed, frozen data with no I/O.

Every entity carries a :class:`Ref` (provider, tenant, native id) and a read-only
``extra`` mapping for platform fields the model does not cover. Mapping to and from
each platform's wire format lives in the backends, never here.
"""

from unified_edu.models._base import UNSET, Ref, Unset
from unified_edu.models._coursework import (
    Assignment,
    Category,
    Material,
    Rubric,
    RubricCriterion,
    RubricLevel,
)
from unified_edu.models._grading import Grade, Submission
from unified_edu.models._roster import Class, Enrollment, GuardianLink, Person, School, Term
from unified_edu.models._specs import AssignmentSpec, AssignmentUpdate, ClassSpec, ClassUpdate
from unified_edu.models._states import (
    GOOGLE_ASSIGNMENT_STATES,
    GOOGLE_CLASS_STATES,
    GOOGLE_GUARDIAN_INVITATION_STATES,
    GOOGLE_SUBMISSION_STATES,
    MICROSOFT_ASSIGNMENT_STATES,
    MICROSOFT_SUBMISSION_STATES,
    AssigneeMode,
    AssignmentState,
    ClassState,
    GuardianLinkState,
    MaterialKind,
    Role,
    SubmissionState,
    normalize,
)

__all__ = [
    "GOOGLE_ASSIGNMENT_STATES",
    "GOOGLE_CLASS_STATES",
    "GOOGLE_GUARDIAN_INVITATION_STATES",
    "GOOGLE_SUBMISSION_STATES",
    "MICROSOFT_ASSIGNMENT_STATES",
    "MICROSOFT_SUBMISSION_STATES",
    "UNSET",
    "AssigneeMode",
    "Assignment",
    "AssignmentSpec",
    "AssignmentState",
    "AssignmentUpdate",
    "Category",
    "Class",
    "ClassSpec",
    "ClassState",
    "ClassUpdate",
    "Enrollment",
    "Grade",
    "GuardianLink",
    "GuardianLinkState",
    "Material",
    "MaterialKind",
    "Person",
    "Ref",
    "Role",
    "Rubric",
    "RubricCriterion",
    "RubricLevel",
    "School",
    "Submission",
    "SubmissionState",
    "Term",
    "Unset",
    "normalize",
]
