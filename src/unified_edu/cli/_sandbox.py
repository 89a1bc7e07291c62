"""``unified-edu sandbox``: run the embedded sandbox in the foreground.

Thin over :class:`unified_edu.sandbox.Sandbox`, which is imported only when a command runs.
"""

from __future__ import annotations

import signal
import tempfile
import threading
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

__all__ = ["sandbox_app"]

sandbox_app = typer.Typer(
    name="sandbox",
    help="The embedded sandbox: Google Classroom and Microsoft Graph on loopback.",
    no_args_is_help=True,
)


@sandbox_app.command()
def serve(
    *,
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port on 127.0.0.1 (0: any).")] = 8765,
    seed: Annotated[int, typer.Option(help="Seed of the synthetic city.")] = 2026,
    scale: Annotated[int, typer.Option(min=1, help="Size of the city (1: a few schools).")] = 1,
    latency: Annotated[
        float, typer.Option(min=0.0, help="Seconds added to every HTTP request.")
    ] = 0.0,
    quotas: Annotated[
        bool, typer.Option("--quotas/--no-quotas", help="Enforce the platforms' quotas.")
    ] = True,
    config_dir: Annotated[
        Path | None,
        typer.Option(
            file_okay=False,
            help="Where to write tenants.toml and credential files (default: a new temp dir).",
        ),
    ] = None,
) -> None:
    """Serve a seeded city on both platforms until Ctrl-C."""
    from unified_edu.errors import ConfigurationError
    from unified_edu.sandbox import Sandbox

    console = Console()
    try:
        sandbox = Sandbox.start(seed, scale, latency=latency, quotas=quotas, port=port)
    except (ConfigurationError, OSError) as exc:
        Console(stderr=True).print(f"[red]cannot start the sandbox:[/] {exc}")
        raise typer.Exit(1) from exc
    with sandbox:
        directory = config_dir or Path(tempfile.mkdtemp(prefix="unified-edu-sandbox-"))
        config = sandbox.tenants_config_toml(directory)
        table = Table(title="Tenants")
        for column in ("platform", "tenant", "schools", "admin"):
            table.add_column(column)
        for info in sandbox.tenants:
            table.add_row(info.platform, info.tenant, ", ".join(info.school_keys), info.admin)
        console.print(f"Sandbox serving on [bold]{sandbox.url}[/]")
        console.print(f"  Classroom api_endpoint: {sandbox.google_endpoint}")
        console.print(f"  Graph base URL:         {sandbox.graph_base_url}")
        console.print(table)
        console.print(f"Tenants config: {config}")
        console.print(f"Counters: {sandbox.url}/_sandbox/stats   Press Ctrl-C to stop.")
        # SIGTERM (docker stop, kill) stops as cleanly as Ctrl-C.
        previous = signal.signal(signal.SIGTERM, _interrupt)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            console.print("Stopped.")
        finally:
            signal.signal(signal.SIGTERM, previous)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt
