"""The typer application and its top-level commands."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from unified_edu.cli._sandbox import sandbox_app
from unified_edu.errors import ConfigurationError
from unified_edu.providers.base import Capability
from unified_edu.registry import available_providers, get_provider_class

app = typer.Typer(
    name="unified-edu",
    help="Google Classroom and Microsoft 365 Education through one model.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(sandbox_app)


def capability_matrix() -> Table:
    """A table of every known provider × capability (generated from the code)."""
    table = Table(title="Providers and what they can do")
    table.add_column("capability")
    columns: list[frozenset[Capability] | None] = []
    for name in available_providers():
        try:
            columns.append(get_provider_class(name).CAPABILITIES)
            table.add_column(name, justify="center")
        except ConfigurationError as exc:
            columns.append(None)
            table.add_column(f"{name}\n(unavailable)", justify="center")
            Console(stderr=True).print(f"[yellow]{name}:[/] {exc.message}")
    for capability in Capability:
        marks = ["?" if c is None else ("yes" if capability in c else "-") for c in columns]
        table.add_row(capability.value, *marks)
    return table


@app.command()
def demo() -> None:
    """Show what unified_edu is for, on the embedded sandbox (no accounts needed)."""
    console = Console()
    console.print(
        "[bold]unified_edu[/] — one model for Google Classroom and Microsoft 365 Education"
    )
    console.print(capability_matrix())


@app.command()
def providers() -> None:
    """List the providers and their capabilities."""
    Console().print(capability_matrix())


def main() -> None:
    """Entry point of the ``unified-edu`` script."""
    app()
