"""Writing a progress report to CSV, JSON, XLSX, or a pandas DataFrame.

openpyxl (extra ``reports``) and pandas are imported only when their format is asked for.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import attrs

from unified_edu.errors import ConfigurationError
from unified_edu.reports._report import ProgressReport, ReportRow, WeekRow

__all__ = ["report_records", "to_csv", "to_dataframe", "to_json", "to_xlsx", "week_records"]

ROW_FIELDS: tuple[str, ...] = tuple(f.name for f in attrs.fields(ReportRow))
WEEK_FIELDS: tuple[str, ...] = tuple(f.name for f in attrs.fields(WeekRow))


def _plain(value: object) -> object:
    if isinstance(value, float):
        return round(value, 4)
    return str(value) if hasattr(value, "value") else value


def report_records(report: ProgressReport) -> list[dict[str, object]]:
    """The rows as plain dicts (``turn_in_rate`` added)."""
    return [
        {
            **{name: _plain(getattr(row, name)) for name in ROW_FIELDS},
            "turn_in_rate": _plain(row.turn_in_rate),
        }
        for row in report.rows
    ]


def week_records(report: ProgressReport) -> list[dict[str, object]]:
    """The weekly postings as plain dicts."""
    return [{name: _plain(getattr(w, name)) for name in WEEK_FIELDS} for w in report.weeks]


def _write_csv(path: Path, records: Sequence[dict[str, object]], fields: Iterable[str]) -> None:
    with path.open("w", newline="", encoding="utf-8-sig") as handle:  # BOM: Excel reads UTF-8
        writer = csv.DictWriter(handle, fieldnames=list(fields))
        writer.writeheader()
        writer.writerows(records)


def to_csv(report: ProgressReport, path: Path) -> list[Path]:
    """Write ``<path>`` (rows) and ``<path stem>-weeks.csv``; return both paths."""
    rows = report_records(report)
    _write_csv(path, rows, rows[0].keys())
    weeks_path = path.with_name(f"{path.stem}-weeks{path.suffix}")
    _write_csv(weeks_path, week_records(report), WEEK_FIELDS)
    return [path, weeks_path]


def to_json(report: ProgressReport, path: Path) -> Path:
    """Write the whole report as one JSON document (UTF-8, Cyrillic kept readable)."""
    document: dict[str, Any] = {
        "period": {
            "start": report.period.start.isoformat(),
            "end": report.period.end.isoformat(),
            "time_zone": report.period.time_zone,
        },
        "as_of": report.as_of.isoformat(),
        "rows": report_records(report),
        "weeks": week_records(report),
    }
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def to_xlsx(report: ProgressReport, path: Path) -> Path:
    """Write an Excel workbook with sheets ``report`` and ``weeks`` (needs openpyxl).

    Raises:
        ConfigurationError: when openpyxl is not installed.
    """
    try:
        from openpyxl import Workbook
    except ImportError as exc:
        raise ConfigurationError(
            'XLSX output needs openpyxl: pip install "unified-edu[reports]"'
        ) from exc
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "report"
    for title, records, fields in (
        ("report", report_records(report), (*ROW_FIELDS, "turn_in_rate")),
        ("weeks", week_records(report), WEEK_FIELDS),
    ):
        target = sheet if title == "report" else workbook.create_sheet(title)
        target.append(list(fields))
        for record in records:
            target.append([record[f] for f in fields])
        target.freeze_panes = "A2"
    workbook.save(path)
    return path


def to_dataframe(report: ProgressReport) -> Any:
    """The rows as a pandas DataFrame (needs pandas).

    Raises:
        ConfigurationError: when pandas is not installed.
    """
    try:
        import pandas as pd
    except ImportError as exc:
        raise ConfigurationError("a DataFrame needs pandas: pip install pandas") from exc
    return pd.DataFrame.from_records(report_records(report))
