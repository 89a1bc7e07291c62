"""Rich tables for the terminal (figures only; files are written by ``reports``).

Three narrow tables instead of one wide one, so the report reads in an 80-column
terminal: how the programme is used, how pupils do the work, how teachers grade it.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.table import Table

from unified_edu.reports import ProgressReport, ReportRow

__all__ = ["report_tables"]

Cell = Callable[[ReportRow], str]


def _count(attr: str) -> Cell:
    return lambda row: f"{getattr(row, attr):,}"


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def _share(attr: str) -> Cell:
    """``part`` as a share of the work that was due (expected − excused)."""

    def cell(row: ReportRow) -> str:
        due = row.submissions_expected - row.excused
        return "–" if due <= 0 else f"{getattr(row, attr) / due:.0%}"

    return cell


TABLES: tuple[tuple[str, tuple[tuple[str, Cell], ...]], ...] = (
    (
        "Use",
        (
            ("classes", _count("classes_active")),
            ("teachers", _count("teachers_active")),
            ("pupils", _count("students")),
            ("homework", _count("assignments_posted")),
        ),
    ),
    (
        "Work handed in (share of work due)",
        (
            ("expected", _count("submissions_expected")),
            ("turned in", _share("turned_in")),
            ("on time", _share("on_time")),
            ("late", _share("late")),
            ("missing", _share("missing")),
            ("excused", _count("excused")),
        ),
    ),
    (
        "Grading",
        (
            ("graded", _count("graded")),
            ("returned", _count("returned")),
            ("to return", lambda r: "–" if r.median_return_hours is None
             else f"{r.median_return_hours:.0f} h"),
            ("avg grade", lambda r: _percent(r.average_grade_share)),
        ),
    ),
)  # fmt: skip


def _label(row: ReportRow, width: int = 26) -> str:
    name = row.school if len(row.school) <= width else row.school[: width - 1] + "…"
    mark = "G" if row.provider == "google" else "M" if row.provider == "microsoft" else "?"
    return f"{name} [dim]{mark}[/]"


def report_tables(report: ProgressReport, *, classes: bool = False) -> list[Table]:
    """The per-school tables (with the city's total), and per-class ones when asked."""
    period = f"{report.period.label()}, {report.period.time_zone}; G Google, M Microsoft"
    tables: list[Table] = []
    for title, columns in TABLES:
        table = Table(title=f"{title} — {period}", title_justify="left", header_style="bold")
        table.add_column("school", max_width=30)
        for label, _ in columns:
            table.add_column(label, justify="right")
        for row in report.schools():
            table.add_row(_label(row), *(cell(row) for _, cell in columns))
        table.add_section()
        table.add_row("[bold]city[/]", *(cell(report.city) for _, cell in columns), style="bold")
        tables.append(table)
    if classes:
        per_class = Table(title="Per class", title_justify="left", header_style="bold")
        per_class.add_column("class")
        for label, _ in TABLES[1][1]:
            per_class.add_column(label, justify="right")
        for row in report.classes():
            per_class.add_row(row.class_name, *(cell(row) for _, cell in TABLES[1][1]))
        tables.append(per_class)
    return tables
