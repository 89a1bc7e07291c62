"""``unified-edu report`` through the real entry point, on the sandbox's Google tenants."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

from typer.testing import CliRunner

from unified_edu import Municipality
from unified_edu.cli import app
from unified_edu.reports import Period
from unified_edu.sandbox import Sandbox


def google_only(sandbox: Sandbox, directory: Path) -> Path:
    """The sandbox's tenants file without the Microsoft tenant (quota-bound, slow)."""
    path = sandbox.tenants_config_toml(directory)
    head, *tables = path.read_text(encoding="utf-8").split("[[tenants]]")
    kept = [t for t in tables if 'provider = "google"' in t]
    path.write_text(head + "".join(f"[[tenants]]{t}" for t in kept), encoding="utf-8")
    return path


def test_report_prints_tables_and_writes_every_format(sandbox: Sandbox, tmp_path: Path) -> None:
    config = google_only(sandbox, tmp_path / "city")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app,
        [
            "report",
            "-c",
            str(config),
            "--from",
            "2026-09-01",
            "--to",
            "2026-11-30",
            "--out",
            str(out),
        ],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.output
    assert "Use — 2026-09-01..2026-11-30" in result.output
    assert "ОУ „Христо Ботев“" in result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "report-weeks.csv",
        "report.csv",
        "report.json",
        "report.xlsx",
    ]
    with (out / "report.csv").open(encoding="utf-8-sig") as handle:
        city_row = next(csv.DictReader(handle))
    document = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert document["rows"][0]["turned_in"] == int(city_row["turned_in"])
    # The same figures as the Python API (those that do not depend on "now").
    with Municipality.from_config(config) as city:
        expected = city.progress_report(
            Period(start=dt.date(2026, 9, 1), end=dt.date(2026, 11, 30))
        ).city
    assert int(city_row["assignments_posted"]) == expected.assignments_posted
    assert int(city_row["submissions_expected"]) == expected.submissions_expected
    assert int(city_row["turned_in"]) == expected.turned_in


def test_report_rejects_a_bad_period_with_exit_2(sandbox: Sandbox, tmp_path: Path) -> None:
    config = google_only(sandbox, tmp_path / "city")
    result = CliRunner().invoke(
        app, ["report", "-c", str(config), "--from", "2026-12-01", "--to", "2026-09-01"]
    )
    assert result.exit_code == 2
    assert "ends" in result.output
    assert "Traceback" not in result.output
