"""Rich tables for the terminal (figures only; files are written by ``reports``)."""

from __future__ import annotations

from rich.table import Table

from unified_edu.reports import ProgressReport, ReportRow

__all__ = ["report_tables"]

COLUMNS: tuple[tuple[str, str], ...] = (
    ("classes", "classes_active"),
    ("teachers", "teachers_active"),
    ("students", "students"),
    ("homework", "assignments_posted"),
    ("expected", "submissions_expected"),
    ("turned in", "turned_in"),
    ("on time", "on_time"),
    ("late", "late"),
    ("missing", "missing"),
    ("excused", "excused"),
    ("graded", "graded"),
    ("returned", "returned"),
)


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def _hours(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f} h"


def _cells(row: ReportRow) -> list[str]:
    return [
        *(f"{getattr(row, attr):,}" for _, attr in COLUMNS),
        _percent(row.turn_in_rate),
        _hours(row.median_return_hours),
        _percent(row.average_grade_share),
    ]


def _table(title: str, first: str) -> Table:
    table = Table(title=title, title_justify="left", header_style="bold")
    table.add_column(first)
    for label, _ in COLUMNS:
        table.add_column(label, justify="right")
    for label in ("turn-in rate", "median to return", "average grade"):
        table.add_column(label, justify="right")
    return table


def report_tables(report: ProgressReport, *, classes: bool = False) -> list[Table]:
    """The city and per-school tables, and per-class ones when asked."""
    period = f"{report.period.label()} ({report.period.time_zone})"
    schools = _table(f"Homework programme, {period}", "school")
    for row in report.schools():
        schools.add_row(f"{row.school} [dim]({row.provider})[/]", *_cells(row))
    schools.add_section()
    schools.add_row("[bold]city[/]", *_cells(report.city), style="bold")
    tables = [schools]
    if classes:
        per_class = _table("Per class", "class")
        for row in report.classes():
            per_class.add_row(f"{row.class_name} [dim]· {row.school}[/]", *_cells(row))
        tables.append(per_class)
    return tables
