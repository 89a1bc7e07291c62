"""``unified-edu report`` and ``unified-edu demo``: the municipal progress report."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from unified_edu.cli._common import ConfigOption, guarded, say, state
from unified_edu.cli._render import report_tables
from unified_edu.errors import ValidationError
from unified_edu.reports import Period, ProgressReport

if TYPE_CHECKING:
    from unified_edu.client import Municipality

__all__ = ["demo", "report"]

FORMATS = ("csv", "xlsx", "json")
DEFAULT_CONFIG = Path("tenants.toml")


def write_files(result: ProgressReport, directory: Path, formats: str) -> list[Path]:
    """Write the report in each of ``formats`` (comma-separated) into ``directory``."""
    from unified_edu.reports._export import to_csv, to_json, to_xlsx

    chosen = [f.strip() for f in formats.split(",") if f.strip()]
    if unknown := sorted(set(chosen) - set(FORMATS)):
        raise ValidationError(f"unknown formats {unknown}; choose from {list(FORMATS)}")
    directory.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    if "csv" in chosen:
        written += to_csv(result, directory / "report.csv")
    if "xlsx" in chosen:
        written.append(to_xlsx(result, directory / "report.xlsx"))
    if "json" in chosen:
        written.append(to_json(result, directory / "report.json"))
    return written


def read_report(
    city: Municipality, period: Period | None, as_of: dt.datetime | None = None
) -> ProgressReport:
    """Run the report with a live progress line on stderr (hidden with --quiet)."""
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    counts: dict[str, int] = {}
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=state.errors,
        transient=True,
        disable=state.quiet,
    ) as progress:
        task = progress.add_task("reading the tenants…")

        def on_progress(tenant: str, read: int) -> None:
            counts[tenant] = read
            progress.update(
                task,
                description=f"read {sum(counts.values()):,} objects from {len(counts)} tenants",
            )

        return city.progress_report(period, as_of=as_of, on_progress=on_progress)


def show(result: ProgressReport, *, classes: bool) -> None:
    """Print the report's tables unless --quiet."""
    if state.quiet:
        return
    for table in report_tables(result, classes=classes):
        state.console.print(table)


def report(  # noqa: PLR0917 - typer maps parameters to options
    config: ConfigOption = DEFAULT_CONFIG,
    start: Annotated[
        dt.datetime | None,
        typer.Option("--from", formats=["%Y-%m-%d"], help="First day (default: school year)."),
    ] = None,
    end: Annotated[
        dt.datetime | None,
        typer.Option("--to", formats=["%Y-%m-%d"], help="Last day (default: school year)."),
    ] = None,
    out: Annotated[Path | None, typer.Option(help="Write report files into this folder.")] = None,
    formats: Annotated[
        str, typer.Option(help="Comma-separated: csv, xlsx, json.")
    ] = "csv,xlsx,json",
    classes: Annotated[bool, typer.Option(help="Also show one row per class.")] = False,
) -> None:
    """The municipal progress report: per school, per class and for the whole city."""
    from unified_edu.client import Municipality
    from unified_edu.reports import school_year

    with guarded(), Municipality.from_config(config) as city:
        zone = city.city.time_zone
        if (start is None) != (end is None):
            default = school_year(dt.date.today(), zone)
            start_day = start.date() if start else default.start
            end_day = end.date() if end else default.end
            period: Period | None = Period(start=start_day, end=end_day, time_zone=zone)
        elif start and end:
            period = Period(start=start.date(), end=end.date(), time_zone=zone)
        else:
            period = None
        result = read_report(city, period)
        show(result, classes=classes)
        if out is not None:
            for path in write_files(result, out, formats):
                say(f"wrote {path}")


def demo(
    out: Annotated[Path, typer.Option(help="Where to write the report files.")] = Path(
        "demo-output"
    ),
    scale: Annotated[int, typer.Option(min=1, help="Size of the synthetic city.")] = 1,
    latency: Annotated[float, typer.Option(min=0.0, help="Seconds added per request.")] = 0.0,
) -> None:
    """Run the main job on the embedded sandbox: no accounts, no network."""
    from unified_edu.client import Municipality
    from unified_edu.reports import school_year
    from unified_edu.sandbox import RemoteSandbox

    with guarded():
        say("[bold]unified_edu[/] — Google Classroom and Microsoft 365 Education, one model")
        started = time.perf_counter()
        # The sandbox runs in its own process, as the real platforms would.
        with RemoteSandbox.start(seed=2026, scale=scale, latency=latency) as sandbox:
            seeded = sandbox.summary
            say(
                f"sandbox at {sandbox.url}: a synthetic city of {seeded['schools']} schools "
                f"({seeded['google_schools']} on Google Classroom, "
                f"{seeded['microsoft_schools']} on Microsoft 365) and "
                f"{seeded['students']:,} pupils; platform quotas on"
            )
            as_of = dt.datetime.fromisoformat(seeded["as_of"])
            read_started = time.perf_counter()
            with Municipality.from_config(sandbox.config) as city:
                period = school_year(as_of.date(), city.city.time_zone)
                result = read_report(city, period, as_of)
            elapsed = time.perf_counter() - read_started
            stats = sandbox.stats()
        show(result, classes=False)
        for path in write_files(result, out, ",".join(FORMATS)):
            say(f"wrote {path}")
        say(
            f"read both platforms in {elapsed:.1f} s: {stats['http_requests']:,} HTTP requests "
            f"carrying {stats['calls']:,} API calls, {stats['throttled']} throttled "
            f"({time.perf_counter() - started:.1f} s in all)"
        )
