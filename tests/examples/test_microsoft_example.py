"""The Microsoft example runs as a plain script (a fresh interpreter) and does what it says."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_microsoft_sandbox_example_runs() -> None:
    done = subprocess.run(
        [sys.executable, str(REPO / "examples" / "microsoft_sandbox.py")],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert "3 schools, 118 classes" in out
    assert "app-only can publish: False" in out
    assert "published: 'Прочетете „Под игото“, глава I' (published" in out
    assert "returned: 9/10 — Отлично!" in out
