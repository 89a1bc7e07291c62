"""examples/google_sandbox.py runs end to end against the sandbox it starts."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).parents[2] / "examples" / "google_sandbox.py"

pytestmark = pytest.mark.block_network(allowed_hosts=[r"127\.0\.0\.1$"])


def test_google_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    runpy.run_path(str(EXAMPLE), run_name="__main__")
    out = capsys.readouterr().out
    assert "School: СУ „Иван Вазов“" in out
    assert "Returned 'Проект: Алгоритъм'" in out
    assert "Created 'Есе: „Под игото“, глава I', due 2026-12-04 21:59 UTC" in out
    assert "batches of at most 50" in out
