"""Read-only views over a city: a parent's view of a pupil, a teacher's gradebook,
flat records of the model for tables and files, and a check of every tenant.

Pure functions and frozen objects over the model and a
:class:`~unified_edu.client.Municipality`; the CLI (``unified-edu progress``,
``gradebook``, ``* list``, ``tenants check``) is a thin layer over them. Student-level
views name pupils through a :class:`Labeler`: pseudonyms unless names are asked for.

Importing this package imports no platform client (nor openpyxl, nor rich).
"""

from unified_edu.views._gradebook import (
    Gradebook,
    GradebookCell,
    GradebookColumn,
    GradebookRow,
    gradebook,
)
from unified_edu.views._gradebook_export import column_label, gradebook_table, write_gradebook
from unified_edu.views._privacy import DEFAULT_KEY_FILE, Labeler, pseudonymizer_for
from unified_edu.views._progress import ProgressRow, StudentProgress, student_progress
from unified_edu.views._refs import format_class_ref, parse_class_ref, split_class_ref
from unified_edu.views._tables import (
    PROGRESS_COLUMNS,
    Records,
    assignment_records,
    class_records,
    people_records,
    progress_document,
    progress_records,
    school_records,
    submission_records,
    to_csv_text,
    to_json_text,
)
from unified_edu.views._tenants import TenantStatus, check_tenants, status_record

__all__ = [
    "DEFAULT_KEY_FILE",
    "PROGRESS_COLUMNS",
    "Gradebook",
    "GradebookCell",
    "GradebookColumn",
    "GradebookRow",
    "Labeler",
    "ProgressRow",
    "Records",
    "StudentProgress",
    "TenantStatus",
    "assignment_records",
    "check_tenants",
    "class_records",
    "column_label",
    "format_class_ref",
    "gradebook",
    "gradebook_table",
    "parse_class_ref",
    "people_records",
    "progress_document",
    "progress_records",
    "pseudonymizer_for",
    "school_records",
    "split_class_ref",
    "status_record",
    "student_progress",
    "submission_records",
    "to_csv_text",
    "to_json_text",
    "write_gradebook",
]
