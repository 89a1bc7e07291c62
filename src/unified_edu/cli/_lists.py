"""``schools|classes|people|assignments|submissions list``: the city's objects as a table,
``--json`` or ``--csv``. Pupils are pseudonymised unless ``--names``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from unified_edu.cli._common import ConfigOption, guarded
from unified_edu.errors import ValidationError

if TYPE_CHECKING:
    pass

from unified_edu.cli._output import (
    DEFAULT_CONFIG,
    ClassOption,
    CsvOption,
    JsonOption,
    NamesOption,
    TenantOption,
    _city,
    _emit,
    _enum,
    _format,
    _names_note,
    _zone,
)

__all__ = ["register"]

# -- listings ---------------------------------------------------------------------------


def schools_list(
    *,
    config: ConfigOption = DEFAULT_CONFIG,
    tenant: TenantOption = None,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """Every school of every (or the given) tenant."""
    from unified_edu.views import school_records

    fmt = _format(as_json, as_csv)
    with _city(config, tenants=tenant) as city:
        _emit(school_records(city.iter_schools(tenants=tenant or None)), fmt, title="Schools")


def classes_list(
    *,
    config: ConfigOption = DEFAULT_CONFIG,
    tenant: TenantOption = None,
    class_state: Annotated[
        list[str] | None,
        typer.Option(
            "--state", help="Only classes in this state: active, archived, provisioned, ..."
        ),
    ] = None,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """The classes of every (or the given) tenant, with the tenant:id to pass to --class."""
    from unified_edu.models import ClassState
    from unified_edu.views import class_records

    fmt = _format(as_json, as_csv)
    states = [_enum(ClassState, s, "--state") for s in class_state] if class_state else None
    with _city(config, tenants=tenant) as city:
        classes = city.iter_classes(tenants=tenant or None, states=states)
        records = class_records(classes, _zone(city))
        shown = ("ref", "provider", "name", "section", "state")
        _emit(records, fmt, title="Classes", shown=shown)


def people_list(
    *,
    config: ConfigOption = DEFAULT_CONFIG,
    class_ref: Annotated[
        str | None, typer.Option("--class", help="Only this class's people (tenant:id).")
    ] = None,
    role: Annotated[str | None, typer.Option(help="Only students or only teachers.")] = None,
    tenant: TenantOption = None,
    names: NamesOption = False,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """People: of one class, or everyone each tenant lets the caller see.

    Pupils are shown by pseudonym unless --names; teachers by name.
    """
    from unified_edu.models import Role
    from unified_edu.views import Labeler, parse_class_ref, people_records

    fmt = _format(as_json, as_csv)
    with guarded():
        if class_ref and tenant:
            raise ValidationError("give --class or --tenant, not both", field="tenant")
        if role is not None and role.strip().lower() not in (Role.STUDENT, Role.TEACHER):
            raise ValidationError(f"--role is student or teacher, not {role!r}", field="role")
        chosen = Role(role.strip().lower()) if role else None
    with _city(config, tenants=tenant, class_ref=class_ref) as city:
        classes = [parse_class_ref(city, class_ref)] if class_ref else None
        labeler = Labeler.for_city(city.city, names=names)
        people = city.iter_people(classes=classes, role=chosen, tenants=tenant or None)
        _emit(people_records(people, labeler), fmt, title="People")
        _names_note(labeler)


def assignments_list(
    *,
    class_ref: ClassOption,
    config: ConfigOption = DEFAULT_CONFIG,
    assignment_state: Annotated[
        list[str] | None,
        typer.Option("--state", help="Only this state: draft, published, ... (default: all)."),
    ] = None,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """The homework of one class, by deadline (times in the city's zone)."""
    from unified_edu.models import AssignmentState
    from unified_edu.views import assignment_records, parse_class_ref

    fmt = _format(as_json, as_csv)
    states = (
        [_enum(AssignmentState, s, "--state") for s in assignment_state]
        if assignment_state
        else None
    )
    with _city(config, class_ref=class_ref) as city:
        ref = parse_class_ref(city, class_ref)
        city.get_class(ref)  # an unknown class is an error, not an empty list
        records = assignment_records(city.iter_assignments([ref], states=states), _zone(city))
        shown = ("id", "title", "state", "due", "max_points")
        _emit(records, fmt, title="Homework", shown=shown)


def submissions_list(
    *,
    class_ref: ClassOption,
    config: ConfigOption = DEFAULT_CONFIG,
    assignment: Annotated[
        str | None, typer.Option("--assignment", help="Only this homework (native id).")
    ] = None,
    names: NamesOption = False,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """Students' submissions of one class with draft and released grades (a teacher's list).

    Pupils are shown by pseudonym unless --names.
    """
    from unified_edu.models import Role
    from unified_edu.views import Labeler, parse_class_ref, submission_records

    fmt = _format(as_json, as_csv)
    with _city(config, class_ref=class_ref) as city:
        ref = parse_class_ref(city, class_ref)
        provider = city.provider(ref.tenant)
        labeler = Labeler.for_city(city.city, names=names)
        city.get_class(ref)
        if assignment is not None:
            homework = [city.get_assignment(ref, assignment)]
        else:
            homework = list(city.iter_assignments([ref]))
        titles = {a.ref.id: a.title for a in homework}
        people = {p.ref.id: p for p in city.iter_people(classes=[ref], role=Role.STUDENT)}
        submissions = provider.iter_submissions(ref.id, assignment_id=assignment)
        records = submission_records(
            submissions, _zone(city), labeler, people=people, titles=titles
        )
        shown = (
            "assignment",
            "student",
            "state",
            "late",
            "turned_in_at",
            "draft_points",
            "released_points",
            "max_points",
        )
        _emit(records, fmt, title="Submissions", shown=shown)
        _names_note(labeler)


# -- a parent's view and a teacher's grid -----------------------------------------------


def register(app: typer.Typer) -> None:
    """Add the ``<noun> list`` commands to ``app``."""
    for name, command, help_text in (
        ("schools", schools_list, "Schools."),
        ("classes", classes_list, "Classes."),
        ("people", people_list, "Teachers and pupils."),
        ("assignments", assignments_list, "Homework."),
        ("submissions", submissions_list, "Students' submissions."),
    ):
        group = typer.Typer(name=name, help=help_text, no_args_is_help=True)
        group.command("list")(command)
        app.add_typer(group)
