"""What the read-only commands share: options, output (table, JSON, CSV), the city.

Names here are private to ``unified_edu.cli``.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar
from zoneinfo import ZoneInfo

import typer
from rich.markup import escape
from rich.table import Table

from unified_edu.cli._common import ExitCode, guarded, say, state
from unified_edu.errors import ValidationError

if TYPE_CHECKING:
    from unified_edu.client import Municipality
    from unified_edu.views import Labeler, Records

E = TypeVar("E", bound=enum.Enum)

DEFAULT_CONFIG = Path("tenants.toml")

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON (UTF-8) instead of a table.")]
CsvOption = Annotated[bool, typer.Option("--csv", help="Print CSV instead of a table.")]
NamesOption = Annotated[
    bool,
    typer.Option(
        "--names", help="Show pupils' real names and e-mail addresses (default: pseudonyms)."
    ),
]
ClassOption = Annotated[
    str, typer.Option("--class", help="The class as tenant:id (see `classes list`).")
]
TenantOption = Annotated[
    list[str] | None, typer.Option("--tenant", "-t", help="Only this tenant (repeatable).")
]

#: Severity of a failed tenant check, worst first: credentials, configuration, outage.
_WORST_FIRST = (ExitCode.AUTH, ExitCode.USAGE, ExitCode.UNAVAILABLE, ExitCode.PARTIAL)


# -- output -----------------------------------------------------------------------------


def _format(as_json: bool, as_csv: bool) -> str:
    """``"json"``, ``"csv"`` or ``"table"``; both flags are a usage error (before any I/O)."""
    with guarded():
        if as_json and as_csv:
            raise ValidationError("choose one of --json and --csv", field="format")
    return "json" if as_json else "csv" if as_csv else "table"


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    text = str(value)
    if len(text) >= 16 and text[4:5] == "-" and text[10:11] == "T":  # ISO instant
        return text[:16].replace("T", " ")
    return text


def _emit(
    records: Records,
    fmt: str,
    *,
    title: str,
    shown: Sequence[str] | None = None,
) -> None:
    """Print records as JSON, CSV or (unless --quiet) a rich table of ``shown`` columns."""
    from unified_edu.views import to_csv_text, to_json_text

    columns, rows = records
    if fmt == "json":
        typer.echo(to_json_text(rows))
        return
    if fmt == "csv":
        typer.echo(to_csv_text(columns, rows), nl=False)
        return
    if state.quiet:
        return
    table = Table(title=title, title_justify="left", header_style="bold")
    chosen = [c for c in (shown or columns) if c in columns]
    for column in chosen:
        table.add_column(column.replace("_", " "), overflow="fold")
    for row in rows:
        table.add_row(*(escape(_text(row.get(column))) for column in chosen))
    state.console.print(table)
    say(f"[dim]{len(rows)} rows[/]")


def _names_note(labeler: Labeler) -> None:
    if not labeler.pseudonymous and not state.quiet:
        state.errors.print(
            "[yellow]note:[/] real names of pupils are shown (--names): personal data under "
            "the GDPR; share the output only with those entitled to it"
        )


@contextmanager
def _city(
    config: Path, *, tenants: Sequence[str] | None = None, class_ref: str | None = None
) -> Iterator[Municipality]:
    """The city of ``config`` inside :func:`guarded` (errors → one line and an exit code).

    Only the providers of ``tenants`` (or of ``class_ref``'s tenant) are built: a
    command about one class neither signs in to nor imports the other platforms.
    """
    import attrs

    from unified_edu.client import Municipality
    from unified_edu.config import load_config
    from unified_edu.views import split_class_ref

    with guarded():
        loaded = load_config(config)
        only = list(tenants or ())
        if class_ref is not None:
            only.append(split_class_ref(class_ref)[1])
        if only:
            chosen = {loaded.tenant(name).name for name in only}  # unknown → error
            kept = tuple(t for t in loaded.tenants if t.name in chosen)
            loaded = attrs.evolve(loaded, tenants=kept)
        with Municipality.from_config(loaded) as city:
            yield city


def _zone(city: Municipality) -> ZoneInfo:
    return ZoneInfo(city.city.time_zone)


def _enum(kind: type[E], value: str, option: str) -> E:
    """An option's value as an enum member; an unknown value is a usage error (no I/O)."""
    with guarded():
        try:
            return kind(value.strip().lower())
        except ValueError:
            known = ", ".join(str(member.value) for member in kind)
            raise ValidationError(
                f"{option}: unknown value {value!r}; choose from {known}", field=option
            ) from None


def _json(value: object) -> str:
    from unified_edu.views import to_json_text

    return to_json_text(value)
