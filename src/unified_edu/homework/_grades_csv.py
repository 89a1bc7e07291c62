"""Reading a teacher's grades spreadsheet saved as CSV.

Owns the file format only: the encoding (UTF-8, with or without the byte-order mark
Excel writes), the delimiter (``;`` as Excel writes with Bulgarian regional settings,
``,`` or a tab; told apart by which one makes a known header), the header's column
names (English or Bulgarian, see :data:`COLUMNS`) and row numbers as the spreadsheet
shows them (the header is row 1). Values are kept as text: they are checked, with
everything else, by :func:`~unified_edu.homework.import_grades`, so that every problem of
a file is listed at once.

This module must not import any platform client.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

import attrs

from unified_edu.errors import ValidationError

__all__ = ["COLUMNS", "GradeRow", "read_grades_csv"]

#: Accepted header names (compared lower-cased, with ``-``, ``_`` and ``.`` as spaces).
COLUMNS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "email": frozenset(
            {
                "email",
                "e mail",
                "mail",
                "student email",
                "student e mail",
                "student",
                "pupil",
                "имейл",
                "e mail адрес",
                "ел поща",
                "електронна поща",
                "ученик",
                "имейл на ученика",
            }
        ),
        "student_id": frozenset({"student id", "id", "user id", "идентификатор", "id на ученика"}),
        "points": frozenset(
            {"points", "grade", "score", "mark", "точки", "оценка", "резултат", "брой точки"}
        ),
        "feedback": frozenset(
            {"feedback", "comment", "comments", "обратна връзка", "коментар", "бележка"}
        ),
    }
)
_DELIMITERS = (";", ",", "\t")


@attrs.frozen(kw_only=True)
class GradeRow:
    """One row of a grades file.

    Attributes:
        row: Its row number in the spreadsheet (the header is row 1), for messages.
        student: The student's e-mail address or platform id.
        points: The points as written (``"8"``, ``"7,5"``), a number, or ``None``.
        feedback: Feedback text, or ``None``.
    """

    row: int
    student: str
    points: str | float | None = None
    feedback: str | None = None


def _name(cell: str) -> str:
    return " ".join(re.sub(r"[-_.]", " ", cell.strip().strip('"').lower()).split())


def _columns(header: list[str]) -> dict[str, int] | None:
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        for column, names in COLUMNS.items():
            if _name(cell) in names and column not in found:
                found[column] = index
    has_student = "email" in found or "student_id" in found
    return found if has_student and ("points" in found or "feedback" in found) else None


def _decode(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            f"{where} is not UTF-8 text: in Excel choose 'Save as' → 'CSV UTF-8 (Comma "
            "delimited) (*.csv)'",
            field="file",
        ) from None


def read_grades_csv(source: str | Path | bytes) -> list[GradeRow]:
    """The rows of a grades CSV file.

    Args:
        source: A path, or the file's bytes.

    Returns:
        One :class:`GradeRow` per non-empty row, in file order.

    Raises:
        ValidationError: the file cannot be read, is not UTF-8, or has no header naming
            a student column (e-mail or id) and a points or feedback column.
    """
    if isinstance(source, bytes):
        where, data = "the file", source
    else:
        where = str(source)
        try:
            data = Path(source).read_bytes()
        except OSError as exc:
            raise ValidationError(f"cannot read {where}: {exc.strerror}", field="file") from exc
    text = _decode(data, where)
    first = next((line for line in text.splitlines() if line.strip()), "")
    if not first:
        raise ValidationError(f"{where} is empty", field="file")
    for delimiter in _DELIMITERS:
        header = next(csv.reader([first], delimiter=delimiter))
        columns = _columns(header)
        if columns is not None:
            return _rows(text, delimiter, columns)
    accepted = "; ".join(f"{key}: {', '.join(sorted(names))}" for key, names in COLUMNS.items())
    raise ValidationError(
        f"{where}: the first row must name the columns: a student column (e-mail or id), "
        f"points and/or feedback (accepted names — {accepted}); found {first!r}",
        field="file",
    )


def _rows(text: str, delimiter: str, columns: dict[str, int]) -> list[GradeRow]:
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows: list[GradeRow] = []
    header_seen = False
    for number, cells in enumerate(reader, start=1):  # one record is one spreadsheet row
        if not any(cell.strip() for cell in cells):
            continue
        if not header_seen:
            header_seen = True
            continue

        def cell(column: str, cells: list[str] = cells) -> str:
            index = columns.get(column)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        rows.append(
            GradeRow(
                row=number,
                student=cell("email") or cell("student_id"),
                points=cell("points") or None,
                feedback=cell("feedback") or None,
            )
        )
    return rows
