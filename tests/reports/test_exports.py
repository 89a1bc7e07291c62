"""Report files: CSV, JSON, XLSX and a DataFrame carry the same figures; pseudonyms."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import stat
from pathlib import Path

import openpyxl
import pytest

from unified_edu import ConfigurationError
from unified_edu.reports import Level, Period, ProgressReport, ReportRow, WeekRow
from unified_edu.reports._export import to_csv, to_dataframe, to_json, to_xlsx
from unified_edu.reports._pseudonym import ENV_KEY, Pseudonymizer


def row(level: Level, school: str = "", name: str = "", turned_in: int = 3) -> ReportRow:
    return ReportRow(
        level=level, tenant="t", provider="google", school=school, class_name=name, class_id="",
        classes_active=1, teachers_active=1, students=4, assignments_posted=2,
        submissions_expected=8, turned_in=turned_in, on_time=2, late=1, missing=4, excused=1,
        graded=1, returned=1, median_return_hours=48.0, average_grade_share=0.81234,
    )  # fmt: skip


REPORT = ProgressReport(
    period=Period(start=dt.date(2026, 9, 1), end=dt.date(2027, 8, 31)),
    as_of=dt.datetime(2026, 11, 27, tzinfo=dt.UTC),
    rows=(
        row(Level.CITY),
        row(Level.SCHOOL, "СУ „Св. Патриарх Евтимий“"),
        row(Level.CLASS, "СУ „Св. Патриарх Евтимий“", "Физика 9Б"),
    ),
    weeks=(WeekRow(level=Level.CITY, school="", week="2026-W40", assignments_posted=2),),
)


def test_csv_is_excel_friendly_utf8_with_every_row(tmp_path: Path) -> None:
    paths = to_csv(REPORT, tmp_path / "report.csv")
    assert [p.name for p in paths] == ["report.csv", "report-weeks.csv"]
    raw = paths[0].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with paths[0].open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["level"] for r in rows] == ["city", "school", "class"]
    assert rows[2]["class_name"] == "Физика 9Б"
    assert rows[0]["average_grade_share"] == "0.8123"
    assert rows[0]["turn_in_rate"] == str(round(3 / 7, 4))


def test_json_and_xlsx_and_dataframe_agree(tmp_path: Path) -> None:
    document = json.loads(to_json(REPORT, tmp_path / "r.json").read_text(encoding="utf-8"))
    assert document["period"] == {
        "start": "2026-09-01",
        "end": "2027-08-31",
        "time_zone": "Europe/Sofia",
    }
    assert document["rows"][1]["school"] == "СУ „Св. Патриарх Евтимий“"
    workbook = openpyxl.load_workbook(to_xlsx(REPORT, tmp_path / "r.xlsx"))
    sheet = workbook["report"]
    header = [c.value for c in sheet[1]]
    assert header[0] == "level"
    assert sheet.max_row == 4
    assert workbook["weeks"]["C2"].value == "2026-W40"
    frame = to_dataframe(REPORT)
    assert list(frame["turned_in"]) == [3, 3, 3]
    assert frame.loc[2, "class_name"] == "Физика 9Б"


def test_pseudonyms_are_stable_keyed_and_key_file_is_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(ENV_KEY, raising=False)
    key_file = tmp_path / "keys" / "pseudonym.key"
    first = Pseudonymizer.from_environment_or_file(key_file)
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    again = Pseudonymizer.from_key_file(key_file)
    alias = first.alias("Maria.Ivanova@ou-vazov.plovdiv.example")
    assert alias == again.alias("maria.ivanova@ou-vazov.plovdiv.example")
    assert alias.startswith("P-")
    assert len(alias) == 12
    assert "maria" not in alias.lower()
    other = Pseudonymizer(bytes(32))
    assert other.alias("maria.ivanova@ou-vazov.plovdiv.example") != alias
    assert "***" in repr(first)
    monkeypatch.setenv(ENV_KEY, "00" * 32)
    assert Pseudonymizer.from_environment_or_file(key_file).alias("x") == other.alias("x")
    monkeypatch.setenv(ENV_KEY, "not hex")
    with pytest.raises(ConfigurationError):
        Pseudonymizer.from_environment_or_file(key_file)
    with pytest.raises(ConfigurationError):
        Pseudonymizer(b"short")
