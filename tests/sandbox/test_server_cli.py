"""``unified-edu sandbox serve``: its help and argument checks (it never blocks here)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from unified_edu.cli import app

runner = CliRunner()


def test_sandbox_is_mounted_on_the_main_app() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "sandbox" in result.output


def test_serve_help_lists_its_options() -> None:
    result = runner.invoke(app, ["sandbox", "serve", "--help"])
    assert result.exit_code == 0
    for option in ("--port", "--seed", "--scale", "--latency", "--no-quotas", "--config-dir"):
        assert option in result.output


@pytest.mark.parametrize(
    ("args", "complaint"),
    [
        (["--port", "70000"], "--port"),
        (["--scale", "0"], "--scale"),
        (["--latency", "-0.5"], "--latency"),
        (["--seed", "many"], "--seed"),
        (["--quotas=no"], "--quotas"),
    ],
)
def test_serve_rejects_bad_arguments_before_starting(args: list[str], complaint: str) -> None:
    result = runner.invoke(app, ["sandbox", "serve", *args])
    assert result.exit_code == 2
    assert complaint in result.output
