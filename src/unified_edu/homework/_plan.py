"""Planning one piece of homework for many classes on both platforms, and validating it.

Owns :func:`plan_assignment`: it reads (never writes) every target class, its homework
and, when a category is named, its categories, decides per class what :func:`apply_plan`
will do, and checks the whole plan first. Every problem found (a missing or archived
class, a capability the credentials lack, a value over a platform's limit) is collected
and raised together as one :class:`~unified_edu.errors.ValidationError`; a plan that is
returned is complete and valid.

The "already there" rule: a class already has the homework when its homework list (every
state but deleted) holds an item with the same title (surrounding white space ignored,
inner runs of white space counted as one space) and the same deadline as the platform
stores it (to the second; see ``_due.py``), or both without a deadline. Instructions,
points, links and category are not compared.

This module must not import any platform client.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from typing import TYPE_CHECKING

import attrs

from unified_edu.errors import ValidationError
from unified_edu.homework._checks import (
    Problems,
    can_attach,
    check_platform,
    check_publish,
    check_spec,
    same_title,
)
from unified_edu.homework._due import same_due, stored_due
from unified_edu.homework._reads import read_categories, read_classes, read_homework
from unified_edu.models import (
    Assignment,
    AssignmentSpec,
    AssignmentState,
    Category,
    Class,
    ClassState,
    Ref,
)
from unified_edu.providers.base import Capability, Provider

if TYPE_CHECKING:
    from unified_edu.client import ClassLike, Municipality

__all__ = [
    "Action",
    "AssignmentPlan",
    "CategoryStep",
    "ClassPlan",
    "parse_class_ref",
    "plan_assignment",
]


#: The note on a class whose homework stays a draft because the credentials cannot publish.
DRAFT_NOTE = "draft: a teacher must publish it (these credentials cannot)"


class Action(enum.StrEnum):
    """What :func:`apply_plan` does in one class."""

    CREATE = "create"
    PUBLISH = "publish"  # the homework is there as a draft; publish it
    NOTHING = "nothing"  # the homework is already there


@attrs.frozen(kw_only=True)
class CategoryStep:
    """The category the homework goes into, in one class.

    Attributes:
        name: The category's name (a Classroom topic, a Graph assignment category).
        category_id: Its id when the class has it already, else ``None``.
        create: True when :func:`apply_plan` creates it first.
    """

    name: str
    category_id: str | None = None
    create: bool = False


@attrs.frozen(kw_only=True)
class ClassPlan:
    """What will happen in one class.

    Attributes:
        ref: The class.
        name: The class's name.
        action: Create, publish the existing draft, or nothing.
        spec: The homework as it will be sent to this class's platform: the deadline as
            the platform stores it, ``publish`` False where only a draft is possible,
            the category id when the category exists.
        due: The deadline as the platform stores it (UTC), or ``None``.
        existing: The matching homework already in the class, if any.
        category: The category step, when a category was asked for and can be used.
        notes: What the user should know about this class (drafts, skipped category).
    """

    ref: Ref
    name: str
    action: Action
    spec: AssignmentSpec
    due: dt.datetime | dt.date | None
    existing: Assignment | None = None
    category: CategoryStep | None = None
    notes: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """``tenant:class_id``, as the command line takes it."""
        return f"{self.ref.tenant}:{self.ref.id}"

    @property
    def platform(self) -> str:
        """The provider's name (``google``, ``microsoft``)."""
        return self.ref.provider


@attrs.frozen(kw_only=True)
class AssignmentPlan:
    """One piece of homework for many classes, checked and ready to apply.

    Attributes:
        spec: The homework as asked (deadline in UTC, or a date).
        category: The category name asked for, if any.
        time_zone: The city's zone, in which dates and local times are read.
        classes: One step per class, in the order the classes were given.
        warnings: Things worth a second look that do not stop the plan.
    """

    spec: AssignmentSpec
    category: str | None
    time_zone: str
    classes: tuple[ClassPlan, ...]
    warnings: tuple[str, ...] = ()

    def with_action(self, action: Action) -> list[ClassPlan]:
        """The classes whose step is ``action``."""
        return [step for step in self.classes if step.action is action]

    @property
    def writes(self) -> int:
        """How many classes will be written to."""
        return sum(step.action is not Action.NOTHING for step in self.classes)


def parse_class_ref(text: str, city: Municipality) -> Ref:
    """``"tenant:class_id"`` (or ``"provider:tenant:class_id"``, how a :class:`Ref`
    prints) as a class :class:`Ref` of the city.

    Raises:
        ValidationError: for any other shape, or a provider that is not the tenant's.
        ConfigurationError: for a tenant the city does not have.
    """
    parts = [part.strip() for part in text.strip().split(":")]
    if len(parts) not in (2, 3) or not all(parts):
        raise ValidationError(
            f"a class is named tenant:class_id, not {text!r} (tenants: {', '.join(city.tenants)})",
            field="class",
        )
    *provider_name, tenant, class_id = parts
    provider = city.provider(tenant)
    if provider_name and provider_name[0] != provider.name:
        raise ValidationError(
            f"{text!r}: tenant {tenant!r} is on {provider.name!r}, not {provider_name[0]!r}",
            field="class",
        )
    return Ref(provider=provider.name, tenant=tenant, id=class_id)


def _refs(city: Municipality, classes: Iterable[ClassLike], problems: Problems) -> list[Ref]:
    refs: dict[Ref, None] = {}
    for item in classes:
        ref = item.ref if isinstance(item, Class) else item
        if ref.tenant not in city.tenants:
            problems.add(f"no tenant {ref.tenant!r} (tenants: {', '.join(city.tenants)})")
            continue
        refs[ref] = None
    if not refs and not problems:
        problems.add("name at least one class")
    return list(refs)


def plan_assignment(
    city: Municipality,
    classes: Iterable[ClassLike],
    spec: AssignmentSpec,
    *,
    category: str | None = None,
    allow_drafts: bool = False,
    now: dt.datetime | None = None,
) -> AssignmentPlan:
    """Plan ``spec`` for ``classes`` on whichever platforms they live; write nothing.

    Args:
        city: The city client.
        classes: Classes or class refs, on any tenants; repeats are ignored.
        spec: The homework. Its ``category_ids`` and ``client_key`` are not used: name
            the category with ``category``; "already there" is decided by title and
            deadline (see the module docstring).
        category: A category (Classroom topic, Graph assignment category) by name: used
            when the class has it, created where the credentials may create categories,
            else left out with a note on that class.
        allow_drafts: Where the credentials cannot publish (Graph app-only), create a
            draft that a teacher publishes, instead of refusing the whole plan.
        now: "Now", for the deadline-in-the-past warning (default: the clock).

    Returns:
        The plan: one step per class.

    Raises:
        ValidationError: listing every problem found (``problems``), when there is any.
    """
    problems = Problems()
    if category is not None:
        category = " ".join(category.split())  # as Classroom stores a topic's name
        if not category:
            problems.add("the category name is empty")
    if spec.category_ids:
        problems.add("name the category with category=..., not category_ids")
    check_spec(spec, problems)
    refs = _refs(city, classes, problems)
    found = read_classes(city, refs, problems)
    for (tenant, class_id), klass in found.items():
        label = f"{tenant}:{class_id}"
        if klass.state is not ClassState.ACTIVE:
            problems.add(
                f"the class is {klass.state.value}; homework goes only to active classes", label
            )
        provider = city.provider(tenant)
        check_platform(provider, spec, label, problems, category=category)
        if spec.publish and not allow_drafts:
            check_publish(provider, label, problems)
    if problems:
        raise _failure(problems)
    ordered = [found[(ref.tenant, ref.id)] for ref in refs]
    homework = read_homework(city, ordered)
    categories = read_categories(city, ordered) if category else {}
    steps = [
        _step(
            city,
            klass,
            spec,
            homework=homework,
            categories=categories,
            category=category,
            allow_drafts=allow_drafts,
        )
        for klass in ordered
    ]
    warnings = []
    moment = now or dt.datetime.now(dt.UTC)
    if isinstance(spec.due, dt.datetime) and spec.due < moment:
        warnings.append(f"the deadline {spec.due:%Y-%m-%d %H:%M} UTC is in the past")
    return AssignmentPlan(
        spec=spec,
        category=category,
        time_zone=city.city.time_zone,
        classes=tuple(steps),
        warnings=tuple(warnings),
    )


def _failure(problems: Problems) -> ValidationError:
    lines = problems.lines()
    count = f"{len(lines)} problem" + ("s" if len(lines) != 1 else "")
    return ValidationError(
        f"the homework was not posted anywhere: {count} found: " + "; ".join(lines),
        problems=lines,
    )


def _step(
    city: Municipality,
    klass: Class,
    spec: AssignmentSpec,
    *,
    homework: dict[tuple[str, str], list[Assignment]],
    categories: dict[tuple[str, str], list[Category]],
    category: str | None,
    allow_drafts: bool,
) -> ClassPlan:
    provider = city.provider(klass.ref.tenant)
    key = (klass.ref.tenant, klass.ref.id)
    time_zone = city.city.time_zone
    due = stored_due(provider.name, spec.due, time_zone)
    notes: list[str] = []
    publish = spec.publish
    if publish and not provider.supports(Capability.PUBLISH_ASSIGNMENTS) and allow_drafts:
        publish = False
    matches = [
        a
        for a in homework.get(key, [])
        if same_title(a.title, spec.title) and same_due(due, a.due, time_zone=time_zone)
    ]
    action, existing, step_category = Action.CREATE, None, None
    if matches:
        existing = next((a for a in matches if a.state is not AssignmentState.DRAFT), matches[0])
        action = _existing_action(existing, publish, spec, notes)
        if len(matches) > 1:
            notes.append(f"{len(matches)} copies are there already")
    else:
        if publish != spec.publish:
            notes.append(DRAFT_NOTE)
        if category:
            step_category = _category_step(provider, category, categories.get(key, []), notes)
    sent = attrs.evolve(
        spec,
        due=due,
        publish=publish,
        category_ids=(step_category.category_id,)
        if step_category and step_category.category_id
        else (),
        client_key=None,
    )
    return ClassPlan(
        ref=klass.ref,
        name=klass.name,
        action=action,
        spec=sent,
        due=due,
        existing=existing,
        category=step_category,
        notes=tuple(notes),
    )


def _category_step(
    provider: Provider, name: str, known: list[Category], notes: list[str]
) -> CategoryStep | None:
    if not can_attach(provider):
        notes.append(f"no category: app-only credentials cannot attach {name!r}")
        return None
    if not provider.supports(Capability.READ_CATEGORIES):
        notes.append(f"no category {name!r}: this platform has no categories")
        return None
    for item in known:
        if same_title(item.name, name):
            return CategoryStep(name=item.name, category_id=item.ref.id)
    if provider.supports(Capability.WRITE_CATEGORIES):
        return CategoryStep(name=name, create=True)
    reason = provider.unsupported_reason(Capability.WRITE_CATEGORIES)
    notes.append(
        f"no category: the class has no {name!r} and these credentials cannot create it"
        + (f" ({reason})" if reason else "")
    )
    return None


def _existing_action(
    existing: Assignment,
    publish: bool,
    spec: AssignmentSpec,
    notes: list[str],
) -> Action:
    if existing.state is not AssignmentState.DRAFT:
        return Action.NOTHING
    if not publish:
        notes.append(DRAFT_NOTE if spec.publish else "a draft")
        return Action.NOTHING
    missing = sorted({m.url for m in spec.materials} - {m.url for m in existing.materials})
    if missing:
        notes.append(
            "a draft without the links " + ", ".join(missing) + ": attach them and publish it "
            "on the platform"
        )
        return Action.NOTHING
    if existing.created_by_this_app is False:
        notes.append(
            "a draft made in the platform's own app, which this app may not publish: "
            "publish it there"
        )
        return Action.NOTHING
    return Action.PUBLISH
