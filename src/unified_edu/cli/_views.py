"""Read-only commands: ``tenants check``, ``schools|classes|people|assignments|submissions
list``, ``progress`` (a parent's view) and ``gradebook`` (a teacher's grid).

Thin over :mod:`unified_edu.views`: each command opens the city, asks a view, and prints
a rich table, ``--json`` or ``--csv``. Pupils are pseudonymised unless ``--names``.
The city client and the views are imported when a command runs, so ``--help`` stays light.
"""

from __future__ import annotations

import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from unified_edu.cli._common import ConfigOption, ExitCode, exit_code_for, guarded, say, state
from unified_edu.errors import ValidationError, redact

if TYPE_CHECKING:
    from unified_edu.views import TenantStatus

from unified_edu.cli import _lists
from unified_edu.cli._output import (
    _WORST_FIRST,
    DEFAULT_CONFIG,
    ClassOption,
    CsvOption,
    JsonOption,
    NamesOption,
    _city,
    _format,
    _json,
    _names_note,
    _text,
)

__all__ = ["register"]

# -- tenants check ----------------------------------------------------------------------

tenants_app = typer.Typer(name="tenants", help="The tenants of the tenants file.")


@tenants_app.command("check")
def tenants_check(
    *,
    config: ConfigOption = DEFAULT_CONFIG,
    as_json: JsonOption = False,
) -> None:
    """Build every tenant's provider and make one cheap authenticated read.

    Exit 0 when every tenant is ok; else the code of the worst failure (3 credentials or
    permission, 2 configuration, 4 platform unavailable).
    """
    from unified_edu.config import load_config
    from unified_edu.views import check_tenants, status_record

    with guarded():
        results = check_tenants(load_config(config))
        if as_json:
            typer.echo(_json([status_record(r) for r in results]))
        elif not state.quiet:
            _show_statuses(results)
        for result in results:
            if result.error is not None:
                if state.debug:
                    trace = "".join(traceback.format_exception(result.error))
                    state.errors.print(redact(trace), markup=False, highlight=False)
                state.errors.print(
                    f"[red]error:[/] {escape(result.tenant)}: {escape(result.reason)}",
                    highlight=False,
                )
        codes = {exit_code_for(r.error) for r in results if r.error is not None}
        worst = next((code for code in _WORST_FIRST if code in codes), ExitCode.OK)
        if worst is not ExitCode.OK:
            raise typer.Exit(worst)


def _show_statuses(results: Sequence[TenantStatus]) -> None:
    table = Table(title="Tenants", title_justify="left", header_style="bold")
    for column in ("tenant", "provider", "status", "credentials", "mode", "cannot"):
        table.add_column(column, overflow="fold")
    for r in results:
        status = "[green]ok[/]" if r.ok else f"[red]error[/] {escape(r.reason)}"
        cannot = ", ".join(f"{c.value}*" if c in r.narrowed else c.value for c, _ in r.missing)
        if not r.capabilities:
            cannot = "?"
        table.add_row(
            escape(r.tenant), r.provider, status, escape(r.credential_kind), r.mode or "–", cannot
        )
    state.console.print(table)
    built = [r for r in results if r.capabilities]
    if state.verbose and built:
        state.console.print(_capability_matrix(built))
    notes = {
        (r.provider, c.value, why, c in r.narrowed) for r in built for c, why in r.missing if why
    }
    for provider, name, why, narrowed in sorted(notes):
        star = "* (these credentials)" if narrowed else ""
        say(f"[dim]{provider} cannot {name}{star}: {escape(why)}[/]")


def _capability_matrix(built: Sequence[TenantStatus]) -> Table:
    from unified_edu.providers.base import Capability

    matrix = Table(title="Capabilities", title_justify="left", header_style="bold")
    matrix.add_column("capability", overflow="fold")
    for r in built:
        matrix.add_column(escape(r.tenant), justify="center", overflow="fold")
    for capability in Capability:
        marks = [
            "yes" if capability in r.capabilities else ("no*" if capability in r.narrowed else "-")
            for r in built
        ]
        matrix.add_row(capability.value, *marks)
    return matrix


def progress(
    *,
    student: Annotated[str, typer.Option("--student", help="The pupil's e-mail address.")],
    config: ConfigOption = DEFAULT_CONFIG,
    names: NamesOption = False,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """A parent's view: a pupil's homework across all classes and platforms.

    Deadlines are in the city's time zone; only released grades and feedback are shown,
    never a teacher's draft grade. The pupil is shown by pseudonym unless --names.
    """
    from unified_edu.views import (
        PROGRESS_COLUMNS,
        Labeler,
        progress_document,
        student_progress,
        to_csv_text,
    )

    fmt = _format(as_json, as_csv)
    with _city(config) as city:
        labeler = Labeler.for_city(city.city, names=names)
        document = progress_document(student_progress(city, student), labeler)
        if fmt == "json":
            typer.echo(_json(document))
        elif fmt == "csv":
            typer.echo(to_csv_text(PROGRESS_COLUMNS, document["homework"]), nl=False)
        elif not state.quiet:
            _show_progress(document)
        _names_note(labeler)


def _show_progress(document: dict[str, Any]) -> None:
    rows: list[dict[str, Any]] = document["homework"]
    classes = len({row["class"] for row in rows})
    state.console.print(
        f"[bold]{escape(str(document['student']))}[/] — homework in {classes} classes "
        f"({escape(', '.join(document['tenants']))}); times in {document['time_zone']}",
        highlight=False,
    )
    table = Table(header_style="bold")
    for column in ("class", "homework", "due", "status", "late", "grade", "feedback"):
        table.add_column(column, overflow="fold")
    for row in rows:
        grade = ""
        if row["points"] is not None:
            grade = f"{_text(row['points'])}/{_text(row['max_points'])}"
        status = str(row["status"] or "no submission").replace("_", " ")
        if row["missing"]:
            status = f"[red]missing[/] ({status})"
        table.add_row(
            escape(str(row["class"])),
            escape(str(row["title"])),
            _text(row["due"]),
            status,
            "late" if row["late"] else "",
            grade,
            escape(_text(row["feedback"])),
        )
    state.console.print(table)
    counts = document["counts"]
    say(
        f"{len(rows)} pieces of homework: {counts['turned_in']} turned in, "
        f"{counts['missing']} missing, {counts['late']} late, {counts['graded']} graded"
    )


def gradebook(
    *,
    class_ref: ClassOption,
    config: ConfigOption = DEFAULT_CONFIG,
    names: NamesOption = False,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", dir_okay=False, help="Write FILE.csv or FILE.xlsx."),
    ] = None,
) -> None:
    """A teacher's grid: homework (by deadline) × students, released and draft grades.

    Draft grades are marked "(draft)". Pupils are shown by pseudonym unless --names.
    """
    from unified_edu.views import Labeler, gradebook_table, parse_class_ref, write_gradebook
    from unified_edu.views import gradebook as build

    with guarded():
        if out is not None and out.suffix.lower() not in (".csv", ".xlsx"):
            raise ValidationError(f"--out must end in .csv or .xlsx, not {out.name!r}")
    with _city(config, class_ref=class_ref) as city:
        labeler = Labeler.for_city(city.city, names=names)
        book = build(city, parse_class_ref(city, class_ref))
        if out is not None:
            write_gradebook(book, out, labeler)
            say(f"wrote {out}")
        elif not state.quiet:
            header, rows = gradebook_table(book, labeler)
            table = Table(
                title=f"{escape(book.klass.name)} — due dates in {book.time_zone}",
                title_justify="left",
                header_style="bold",
            )
            for label in header:
                table.add_column(escape(label), overflow="fold")
            for row in rows:
                table.add_row(*(escape(cell) for cell in row))
            state.console.print(table)
        _names_note(labeler)


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.add_typer(tenants_app)
    _lists.register(app)
    app.command("progress")(progress)
    app.command("gradebook")(gradebook)
