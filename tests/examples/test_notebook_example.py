"""The notebook-style example runs top to bottom."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "city_report_notebook.py"


def test_the_notebook_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    runpy.run_path(str(EXAMPLE), run_name="__main__")
    out = capsys.readouterr().out
    assert "plovdiv-edu.example" in out
    assert "assignments_posted" in out
    assert "not handed in yet" in out
