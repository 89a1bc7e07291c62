"""A gradebook as rows of text, and written to CSV (UTF-8 with BOM) or XLSX.

openpyxl (extra ``reports``) is imported only when an XLSX file is written. This module
must not import any platform client.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from unified_edu.errors import ConfigurationError, ValidationError
from unified_edu.models import Role
from unified_edu.views._gradebook import Gradebook, GradebookColumn
from unified_edu.views._privacy import Labeler
from unified_edu.views._time import iso

__all__ = ["column_label", "gradebook_table", "write_gradebook"]


def column_label(column: GradebookColumn) -> str:
    """``"Тест: Есе (2026-11-21, /100)"``: the title, the local due day and the maximum."""
    details = []
    if (due := iso(column.due)) is not None:
        details.append(due[:10])
    if column.max_points is not None:
        details.append(f"/{column.max_points:g}")
    return f"{column.title} ({', '.join(details)})" if details else column.title


def gradebook_table(book: Gradebook, labeler: Labeler) -> tuple[list[str], list[list[str]]]:
    """The header and one row of text per student (cells as :meth:`GradebookCell.text`).

    Students are named by ``labeler`` (pseudonyms unless names are asked for) and sorted
    by what is shown, so pseudonymised output does not leak the alphabetical order.
    """
    header = ["student"]
    if not labeler.pseudonymous:
        header.append("email")
    seen: dict[str, int] = {}
    for column in book.columns:
        label = column_label(column)
        seen[label] = seen.get(label, 0) + 1
        header.append(label if seen[label] == 1 else f"{label} #{seen[label]}")
    tenant = book.klass.ref.tenant
    rows: list[list[str]] = []
    for row in book.rows:
        name = labeler.name(row.person, tenant=tenant, person_id=row.student_id, role=Role.STUDENT)
        first = [name]
        if not labeler.pseudonymous:
            first.append(labeler.email(row.person, role=Role.STUDENT) or "")
        rows.append(first + [cell.text() if cell else "" for cell in row.cells])
    if labeler.pseudonymous:
        rows.sort(key=lambda r: r[0])
    return header, rows


def write_gradebook(book: Gradebook, path: Path, labeler: Labeler) -> Path:
    """Write ``path`` as CSV (UTF-8 with BOM, for Excel) or XLSX, by its suffix.

    Raises:
        ValidationError: for another suffix.
        ConfigurationError: for XLSX without openpyxl.
    """
    header, rows = gradebook_table(book, labeler)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with path.open("w", newline="", encoding="utf-8-sig") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)
        return path
    if suffix == ".xlsx":
        return _write_xlsx(book, path, header, rows, leading=1 if labeler.pseudonymous else 2)
    raise ValidationError(f"write a gradebook to .csv or .xlsx, not {path.name!r}", field="out")


def _write_xlsx(
    book: Gradebook, path: Path, header: list[str], rows: list[list[str]], *, leading: int
) -> Path:
    try:
        from openpyxl import Workbook
        from openpyxl.styles import Font
    except ModuleNotFoundError as exc:
        raise ConfigurationError(
            "writing XLSX needs openpyxl: pip install 'unified-edu[reports]'"
        ) from exc
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "gradebook"
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    draft = Font(italic=True, color="808080")
    for values in rows:
        sheet.append(values[:leading] + [_number_or_text(v) for v in values[leading:]])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value.endswith("(draft)"):
                cell.font = draft
    sheet.freeze_panes = "B2"
    sheet.column_dimensions["A"].width = 28
    workbook.properties.title = book.klass.name
    workbook.save(path)
    return path


_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def _number_or_text(value: str) -> float | str:
    return float(value) if _NUMBER.fullmatch(value) else value
