"""``unified-edu assign`` and ``unified-edu grade``: homework and grades on both platforms.

Thin over :mod:`unified_edu.homework`: the commands parse options, call
``plan_assignment``/``apply_plan`` and ``read_grades_csv``/``check_grades``/
``write_grades``, and print. Every problem of a plan or a grades file is printed on its
own line (exit code 2, nothing written); a partial failure lists which classes or rows
did not get it and why (exit code 1); running the same command again completes the rest.
"""

from __future__ import annotations

import datetime as dt
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from unified_edu.cli._common import ConfigOption, ExitCode, guarded, say, state
from unified_edu.errors import UnifiedEduError, ValidationError, redact

if TYPE_CHECKING:
    from unified_edu.client import Municipality
    from unified_edu.homework import (
        AssignmentOutcome,
        AssignmentPlan,
        ClassPlan,
        GradeImportResult,
        GradePlan,
        GradeStep,
    )
    from unified_edu.models import AssignmentSpec, Ref

__all__ = ["assign", "grade", "register"]

DEFAULT_CONFIG = Path("tenants.toml")


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command()(assign)
    app.command()(grade)


@contextmanager
def _problems_listed() -> Iterator[None]:
    """Print each collected problem on its own line; exit 2 (nothing was written)."""
    try:
        yield
    except ValidationError as exc:
        if exc.problems == (exc.message,):  # one error, not a list of collected problems
            raise
        if state.debug:
            state.errors.print(redact("".join(traceback.format_exception(exc))), markup=False)
        count = f"{len(exc.problems)} problem" + ("s" if len(exc.problems) != 1 else "")
        state.errors.print(f"[red]error:[/] {count}; nothing was written:")
        for problem in exc.problems:
            state.errors.print(f"  - {escape(redact(problem))}", highlight=False, soft_wrap=True)
        raise typer.Exit(ExitCode.USAGE) from None


def _error_text(error: UnifiedEduError | None) -> str:
    return "" if error is None else f"{type(error).__name__}: {error.message}"


def _failure_line(prefix: str, where: str, error: UnifiedEduError | None) -> None:
    """One failed class or row on stderr; with --debug its traceback (redacted) first."""
    if state.debug and error is not None:
        state.errors.print(redact("".join(traceback.format_exception(error))), markup=False)
    state.errors.print(
        f"[red]{prefix}[/] {escape(where)}: {escape(_error_text(error))}",
        highlight=False,
        soft_wrap=True,
    )


# -- assign -----------------------------------------------------------------------------


def _class_refs(city: Municipality, values: list[str], file: Path | None) -> list[Ref]:
    from unified_edu.homework import parse_class_ref

    texts = list(values)
    if file is not None:
        try:
            lines = file.read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise ValidationError(f"cannot read {file}: {exc}", field="classes-file") from exc
        texts += [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    if not texts:
        raise ValidationError("name the classes with --class tenant:id or --classes-file")
    problems, refs = [], []
    for text in texts:
        try:
            refs.append(parse_class_ref(text, city))
        except UnifiedEduError as exc:
            problems.append(exc.message)
    if problems:
        raise ValidationError("; ".join(problems), problems=problems)
    return refs


def _spec(
    *,
    title: str,
    instructions: str,
    links: list[str],
    due: str | None,
    due_date: str | None,
    points: float | None,
    ungraded: bool,
    draft: bool,
    time_zone: str,
) -> AssignmentSpec:
    from unified_edu.homework import parse_due_date, parse_local_due
    from unified_edu.models import AssignmentSpec, Material, MaterialKind

    problems = []
    if due and due_date:
        problems.append("give --due or --due-date, not both")
    if (points is None) == (not ungraded):
        problems.append("give --points N for graded homework or --ungraded")
    if problems:
        raise ValidationError("; ".join(problems), problems=problems)
    deadline = (
        parse_local_due(due, time_zone) if due else parse_due_date(due_date) if due_date else None
    )
    return AssignmentSpec(
        title=title,
        instructions=instructions,
        due=deadline,
        max_points=None if ungraded else points,
        materials=[Material(kind=MaterialKind.LINK, url=url.strip()) for url in links],
        publish=not draft,
    )


def _due_text(step: ClassPlan) -> str:
    if step.due is None:
        return "–"
    if isinstance(step.due, dt.datetime):
        return f"{step.due:%Y-%m-%d %H:%M:%S} UTC"
    return f"{step.due:%Y-%m-%d} (date)"


_ACTIONS = {
    "create": "will create",
    "publish": "will publish the draft",
    "nothing": "there already",
}


def _plan_table(plan: AssignmentPlan) -> Table:
    from unified_edu.homework._due import zone_of

    title = f"Plan: {escape(plan.spec.title)}"
    if isinstance(plan.spec.due, dt.datetime):
        local = plan.spec.due.astimezone(zone_of(plan.time_zone))
        title += f", due {local:%Y-%m-%d %H:%M} {plan.time_zone}"
    elif plan.spec.due is not None:
        title += f", due {plan.spec.due:%Y-%m-%d} (end of the day, {plan.time_zone})"
    table = Table(title=title)
    for column in ("class", "name", "platform", "due (as stored)", "action", "notes"):
        table.add_column(column, overflow="fold")
    for step in plan.classes:
        action = _ACTIONS[step.action.value]
        if step.action.value == "create" and not step.spec.publish:
            action += " (draft)"
        if step.category is not None:
            category = step.category
            made = "create category" if category.create else "category"
            action += f"; {made} {category.name!r}"
        table.add_row(
            step.label,
            escape(step.name),
            step.platform,
            _due_text(step),
            escape(action),
            escape("; ".join(step.notes)),
        )
    return table


def _result_table(outcome: AssignmentOutcome) -> Table:
    table = Table(title=f"Homework: {escape(outcome.plan.spec.title)}")
    for column in ("class", "name", "platform", "result", "homework id", "notes"):
        table.add_column(column, overflow="fold")
    for result in outcome.results:
        status = result.outcome.value + (" (draft)" if result.draft else "")
        style = "red" if result.outcome.value == "failed" else ""
        notes = list(result.notes)
        if result.error is not None:
            notes.insert(0, _error_text(result.error))
        table.add_row(
            result.label,
            escape(result.step.name),
            result.step.platform,
            f"[{style}]{status}[/]" if style else status,
            result.assignment.ref.id if result.assignment is not None else "",
            escape("; ".join(notes)),
        )
    return table


def _summary(outcome: AssignmentOutcome) -> None:
    from unified_edu.homework import Outcome

    counts = {o: len(outcome.having(o)) for o in Outcome}
    say(
        f"created in {counts[Outcome.CREATED]}, published an earlier draft in "
        f"{counts[Outcome.PUBLISHED]}, already there in {counts[Outcome.ALREADY_THERE]}, "
        f"failed in {counts[Outcome.FAILED]} of {len(outcome.results)} classes"
    )
    if outcome.drafts:
        drafts = len(outcome.drafts)
        classes = "1 class has" if drafts == 1 else f"{drafts} classes have"
        say(
            f"[yellow]{classes} it as a draft that students do not see yet:[/] a teacher "
            "must publish it (Teams), or run this command again with credentials that can "
            "publish (a delegated sign-in)"
        )
    for result in outcome.failed:
        _failure_line("not posted:", f"{result.label} ({result.step.name})", result.error)
    if outcome.failed:
        state.errors.print("run the same command again to post it to the classes that failed")


def assign(  # noqa: PLR0917 - typer maps parameters to options
    title: Annotated[str, typer.Option(help="The homework's title.")],
    config: ConfigOption = DEFAULT_CONFIG,
    classes: Annotated[
        list[str] | None,
        typer.Option("--class", help="A class as tenant:class_id (repeat for more)."),
    ] = None,
    classes_file: Annotated[
        Path | None,
        typer.Option(help="A file with one tenant:class_id per line ('#' starts a comment)."),
    ] = None,
    instructions: Annotated[str, typer.Option(help="Instructions for the pupils.")] = "",
    link: Annotated[
        list[str] | None, typer.Option("--link", help="A web link to attach (repeatable).")
    ] = None,
    due: Annotated[
        str | None,
        typer.Option(help="Deadline 'YYYY-MM-DD HH:MM' in the city's time zone."),
    ] = None,
    due_date: Annotated[
        str | None,
        typer.Option(help="Date-only deadline YYYY-MM-DD (the end of that day)."),
    ] = None,
    points: Annotated[
        float | None, typer.Option(min=0.0, help="Maximum points (graded homework).")
    ] = None,
    ungraded: Annotated[bool, typer.Option(help="Homework without points.")] = False,
    category: Annotated[
        str | None,
        typer.Option(help="Classroom topic / Teams category by name (created if missing)."),
    ] = None,
    draft: Annotated[bool, typer.Option(help="Create drafts; do not publish.")] = False,
    allow_drafts: Annotated[
        bool,
        typer.Option(
            help="Where the credentials cannot publish (Microsoft app-only), create a draft "
            "that a teacher publishes instead of refusing."
        ),
    ] = False,
    dry_run: Annotated[bool, typer.Option(help="Show the plan; write nothing.")] = False,
) -> None:
    """Post one piece of homework to many classes, on Google Classroom and Microsoft 365.

    Everything is checked before the first write (classes, permissions, limits); every
    problem is listed and nothing is written if there is one. A class that already has
    homework with the same title and deadline is skipped, so running the command again
    creates nothing twice and completes what failed.
    """
    from unified_edu.client import Municipality
    from unified_edu.homework import apply_plan, plan_assignment

    with guarded(), _problems_listed(), Municipality.from_config(config) as city:
        refs = _class_refs(city, classes or [], classes_file)
        spec = _spec(
            title=title,
            instructions=instructions,
            links=link or [],
            due=due,
            due_date=due_date,
            points=points,
            ungraded=ungraded,
            draft=draft,
            time_zone=city.city.time_zone,
        )
        plan = plan_assignment(city, refs, spec, category=category, allow_drafts=allow_drafts)
        for warning in plan.warnings:
            state.errors.print(f"[yellow]warning:[/] {escape(warning)}")
        if dry_run:
            if not state.quiet:
                state.console.print(_plan_table(plan))
            say(
                f"dry run: {plan.writes} of {len(plan.classes)} classes would be written to; "
                "nothing was written"
            )
            return
        outcome = apply_plan(city, plan)
        if not state.quiet:
            state.console.print(_result_table(outcome))
        _summary(outcome)
    if not outcome.ok:
        raise typer.Exit(ExitCode.PARTIAL)


# -- grade ------------------------------------------------------------------------------


def _student_cell(step: GradeStep, names: bool) -> list[str]:
    return [escape(step.row.student)] if names else []


def _grade_plan_table(plan: GradePlan, *, names: bool) -> Table:
    table = Table(title=f"Grades for {escape(plan.assignment.title)} (dry run)")
    columns = ["row", *(["student"] if names else []), "points", "feedback", "will"]
    for column in columns:
        table.add_column(column, overflow="fold")
    for step in plan.steps:
        will = [
            what
            for what, wanted in (
                ("set grade", step.set_points),
                ("set feedback", step.set_feedback),
                ("return", step.give_back),
            )
            if wanted
        ]
        text = ", ".join(will) or "nothing (already so)"
        if step.note:
            text += f"; {step.note}"
        table.add_row(
            str(step.row.row),
            *_student_cell(step, names),
            "" if step.points is None else f"{step.points:g}",
            "yes" if step.feedback else "",
            escape(text),
        )
    return table


def _grade_result_table(result: GradeImportResult, *, names: bool) -> Table:
    table = Table(title=f"Grades for {escape(result.plan.assignment.title)}")
    columns = ["row", *(["student"] if names else []), "points", "feedback", "result", "notes"]
    for column in columns:
        table.add_column(column, overflow="fold")
    for item in result.results:
        step = item.step
        notes = [n for n in (step.note, _error_text(item.error)) if n]
        status = item.status.value
        table.add_row(
            str(step.row.row),
            *_student_cell(step, names),
            "" if step.points is None else f"{step.points:g}",
            "yes" if step.feedback else "",
            f"[red]{status}[/]" if status == "failed" else status,
            escape("; ".join(notes)),
        )
    return table


def grade(  # noqa: PLR0917 - typer maps parameters to options
    assignment: Annotated[str, typer.Option(help="The homework as tenant:class_id:assignment_id.")],
    file: Annotated[
        Path,
        typer.Option(
            "--file",
            dir_okay=False,
            help="CSV with a header: student e-mail (or id), points, optional feedback.",
        ),
    ],
    config: ConfigOption = DEFAULT_CONFIG,
    release: Annotated[
        bool, typer.Option("--return", help="Also return the work: pupils see the grades.")
    ] = False,
    dry_run: Annotated[bool, typer.Option(help="Check the file; write nothing.")] = False,
    names: Annotated[
        bool,
        typer.Option(
            "--names", help="Show pupils' e-mail addresses in the table (default: row numbers)."
        ),
    ] = False,
) -> None:
    """Import grades from a teacher's spreadsheet (CSV, ';' or ',', UTF-8).

    Every row is checked first (student, points, maximum, duplicates, feedback); every
    problem is listed with its row number and nothing is written if there is one.
    Importing the same file again changes nothing.
    """
    from unified_edu.client import Municipality
    from unified_edu.homework import (
        AssignmentRef,
        GradeStatus,
        check_grades,
        read_grades_csv,
        write_grades,
    )

    with guarded(), _problems_listed():
        ref = AssignmentRef.parse(assignment)
        rows = read_grades_csv(file)
        with Municipality.from_config(config) as city:
            plan = check_grades(city, ref, rows, release=release)
            if dry_run:
                if not state.quiet:
                    state.console.print(_grade_plan_table(plan, names=names))
                writes = sum(step.writes for step in plan.steps)
                say(f"dry run: {len(plan.steps)} rows are valid, {writes} would be written")
                return
            result = write_grades(city, plan)
        if not state.quiet:
            state.console.print(_grade_result_table(result, names=names))
        counts = {s: sum(r.status is s for r in result.results) for s in GradeStatus}
        say(
            f"returned {counts[GradeStatus.RETURNED]}, graded as drafts "
            f"{counts[GradeStatus.GRADED]}, unchanged {counts[GradeStatus.UNCHANGED]}, failed "
            f"{counts[GradeStatus.FAILED]} of {len(result.results)} rows"
        )
        kept = sum(1 for r in result.results if r.step.note)
        if kept:
            were = "1 row was" if kept == 1 else f"{kept} rows were"
            say(f"[yellow]{were} graded but not returned[/] (see notes)")
        for item in result.failed:
            _failure_line("not written:", f"row {item.step.row.row}", item.error)
        if result.failed:
            state.errors.print("run the same command again to write the rows that failed")
    if not result.ok:
        raise typer.Exit(ExitCode.PARTIAL)
