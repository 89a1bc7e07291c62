"""Cross-platform homework: post one piece of homework to many classes, import grades.

Posting is two steps, so that nothing is written until everything has been checked:

    plan = plan_assignment(city, classes, spec, category="Домашни")  # reads, checks
    outcome = apply_plan(city, plan)                                  # writes

Importing grades is one call that checks every row first and writes only when all are
valid:

    result = import_grades(city, "tenant:class_id:assignment_id", read_grades_csv(path))

See ``docs/tutorials/posting-homework.md`` and ``docs/tutorials/importing-grades.md``.
This package must not import any platform client.
"""

from unified_edu.homework._apply import AssignmentOutcome, ClassResult, Outcome, apply_plan
from unified_edu.homework._due import DATE_ONLY_TIME, parse_due_date, parse_local_due, stored_due
from unified_edu.homework._grades import check_grades, import_grades, write_grades
from unified_edu.homework._grades_csv import COLUMNS, GradeRow, read_grades_csv
from unified_edu.homework._grades_model import (
    AssignmentRef,
    GradeImportResult,
    GradePlan,
    GradeResult,
    GradeStatus,
    GradeStep,
)
from unified_edu.homework._plan import (
    Action,
    AssignmentPlan,
    CategoryStep,
    ClassPlan,
    parse_class_ref,
    plan_assignment,
)

__all__ = [
    "COLUMNS",
    "DATE_ONLY_TIME",
    "Action",
    "AssignmentOutcome",
    "AssignmentPlan",
    "AssignmentRef",
    "CategoryStep",
    "ClassPlan",
    "ClassResult",
    "GradeImportResult",
    "GradePlan",
    "GradeResult",
    "GradeRow",
    "GradeStatus",
    "GradeStep",
    "Outcome",
    "apply_plan",
    "check_grades",
    "import_grades",
    "parse_class_ref",
    "parse_due_date",
    "parse_local_due",
    "plan_assignment",
    "read_grades_csv",
    "stored_due",
    "write_grades",
]
