"""The typer application: global options and the command table.

Commands import what they use when they run, so ``unified-edu --help`` imports neither
platform client.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from unified_edu.cli import _homework, _views
from unified_edu.cli._common import configure_logging, state
from unified_edu.cli._report import demo, report
from unified_edu.cli._sandbox import sandbox_app
from unified_edu.errors import ConfigurationError
from unified_edu.providers.base import Capability
from unified_edu.registry import available_providers, get_provider_class

app = typer.Typer(
    name="unified-edu",
    help="Google Classroom and Microsoft 365 Education through one model.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)
app.add_typer(sandbox_app)
app.command()(demo)
app.command()(report)
_views.register(app)
_homework.register(app)


@app.callback()
def options(
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only errors.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress.")] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks (credentials redacted).")
    ] = False,
) -> None:
    """Google Classroom and Microsoft 365 Education through one model.

    Exit codes: 0 ok, 1 partial failure, 2 usage or configuration, 3 authentication or
    permission, 4 platform unavailable.
    """
    state.quiet, state.verbose, state.debug = quiet, verbose, debug
    configure_logging(verbose=verbose, debug=debug)


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
            state.errors.print(f"[yellow]{name}:[/] {exc.message}")
    for capability in Capability:
        marks = ["?" if c is None else ("yes" if capability in c else "-") for c in columns]
        table.add_row(capability.value, *marks)
    return table


@app.command()
def providers() -> None:
    """List the providers and what each can do."""
    state.console.print(capability_matrix())


def main() -> None:
    """Entry point of the ``unified-edu`` script."""
    app()
