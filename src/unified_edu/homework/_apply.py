"""Carrying out an assignment plan: idempotent, class by class, failures reported per class.

Owns :func:`apply_plan`. Right before writing it reads the homework of the classes the
plan would create in once more, so a plan made a while ago (or a second run started
meanwhile) finds what appeared since instead of duplicating it. Then each tenant is
written on its own thread, its classes one after another. A failure in one class is
recorded with its error and the others go on; nothing is rolled back, and running the
same plan (or command) again completes the rest, since every class that got the
homework now has it and is skipped.

A create whose answer is lost is the backends' business: each checks whether the
homework exists before trying again, so one call never makes two. A category is created
once too: after a lost answer or a "name already exists", it is looked up by name.

This module must not import any platform client.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING

import attrs

from unified_edu._fanout import merge
from unified_edu.errors import (
    ConflictError,
    ServiceUnavailableError,
    TransportError,
    UnifiedEduError,
)
from unified_edu.homework._checks import same_title
from unified_edu.homework._due import same_due
from unified_edu.homework._plan import Action, AssignmentPlan, ClassPlan
from unified_edu.models import Assignment, AssignmentState, Category, Ref
from unified_edu.providers.base import Provider

if TYPE_CHECKING:
    from unified_edu.client import Municipality

__all__ = ["AssignmentOutcome", "ClassResult", "Outcome", "apply_plan"]

log = logging.getLogger("unified_edu.homework")


class Outcome(enum.StrEnum):
    """What happened in one class."""

    CREATED = "created"
    PUBLISHED = "published"  # an earlier run's draft was published
    ALREADY_THERE = "already there"
    FAILED = "failed"


@attrs.frozen(kw_only=True)
class ClassResult:
    """The result in one class.

    Attributes:
        step: The plan's step for the class.
        outcome: Created, published, already there, or failed.
        assignment: The homework as it now is (created, published or found), if known.
        error: Why it failed, for ``FAILED``.
        notes: The step's notes, and anything learned while writing.
    """

    step: ClassPlan
    outcome: Outcome
    assignment: Assignment | None = None
    error: UnifiedEduError | None = attrs.field(default=None, eq=False)
    notes: tuple[str, ...] = ()

    @property
    def ref(self) -> Ref:
        """The class."""
        return self.step.ref

    @property
    def label(self) -> str:
        """``tenant:class_id``."""
        return self.step.label

    @property
    def draft(self) -> bool:
        """True when the class's homework is (still) a draft students do not see."""
        return self.assignment is not None and self.assignment.state is AssignmentState.DRAFT


@attrs.frozen(kw_only=True)
class AssignmentOutcome:
    """Every class's result, in the plan's order."""

    plan: AssignmentPlan
    results: tuple[ClassResult, ...]

    def having(self, outcome: Outcome) -> list[ClassResult]:
        """The results with ``outcome``."""
        return [r for r in self.results if r.outcome is outcome]

    @property
    def failed(self) -> list[ClassResult]:
        """The classes that did not get the homework."""
        return self.having(Outcome.FAILED)

    @property
    def drafts(self) -> list[ClassResult]:
        """The classes whose homework is a draft a teacher still has to publish."""
        return [r for r in self.results if r.draft and r.outcome is not Outcome.FAILED]

    @property
    def ok(self) -> bool:
        """True when every class has the homework."""
        return not self.failed


def apply_plan(
    city: Municipality,
    plan: AssignmentPlan,
    *,
    on_result: Callable[[ClassResult], None] | None = None,
) -> AssignmentOutcome:
    """Carry out ``plan``: create, publish or skip in each class.

    Args:
        city: The city client the plan was made with.
        plan: From :func:`plan_assignment`.
        on_result: Called with each class's result as it comes (on the calling thread).

    Returns:
        Every class's result. Failures are results, not exceptions: check
        :attr:`AssignmentOutcome.ok`.

    Raises:
        UnifiedEduError: only when the last check before writing cannot read the
            classes' homework; nothing has been written then.
    """
    steps = list(plan.classes)
    appeared = _appeared(city, plan)
    grouped: dict[str, list[ClassPlan]] = {}
    done: dict[Ref, ClassResult] = {}
    for step in steps:
        if step.ref in appeared:
            found = appeared[step.ref]
            done[step.ref] = ClassResult(
                step=step,
                outcome=Outcome.ALREADY_THERE,
                assignment=found,
                notes=(*step.notes, "appeared after the plan was made"),
            )
        else:
            grouped.setdefault(step.ref.tenant, []).append(step)
    if on_result is not None:
        for result in done.values():
            on_result(result)
    sources = [
        partial(_tenant_writer, city.provider(tenant), tenant_steps)
        for tenant, tenant_steps in grouped.items()
    ]
    for result in merge(sources, name="unified-edu-assign"):
        done[result.ref] = result
        if on_result is not None:
            on_result(result)
    return AssignmentOutcome(plan=plan, results=tuple(done[step.ref] for step in steps))


def _appeared(city: Municipality, plan: AssignmentPlan) -> dict[Ref, Assignment]:
    """Homework matching the plan that is now in a class the plan would create in."""
    creating = {step.ref: step for step in plan.with_action(Action.CREATE)}
    if not creating:
        return {}
    by_key = {(ref.tenant, ref.id): step for ref, step in creating.items()}
    found: dict[Ref, Assignment] = {}
    for assignment in city.iter_assignments(list(creating)):
        step = by_key.get((assignment.ref.tenant, assignment.class_id))
        if (
            step is not None
            and step.ref not in found
            and same_title(assignment.title, step.spec.title)
            and same_due(step.due, assignment.due, time_zone=plan.time_zone)
        ):
            found[step.ref] = assignment
    return found


def _tenant_writer(provider: Provider, steps: list[ClassPlan]) -> Iterator[ClassResult]:
    for step in steps:
        yield _write(provider, step)


def _write(provider: Provider, step: ClassPlan) -> ClassResult:
    notes = list(step.notes)
    try:
        if step.action is Action.NOTHING:
            return ClassResult(
                step=step, outcome=Outcome.ALREADY_THERE, assignment=step.existing, notes=step.notes
            )
        if step.action is Action.PUBLISH:
            assert step.existing is not None
            published = provider.publish_assignment(step.ref.id, step.existing.ref.id)
            log.info("published the draft homework in %s", step.label)
            return ClassResult(
                step=step, outcome=Outcome.PUBLISHED, assignment=published, notes=step.notes
            )
        spec = step.spec
        if step.category is not None and step.category.create:
            category = _ensure_category(provider, step.ref.id, step.category.name)
            spec = attrs.evolve(spec, category_ids=(category.ref.id,))
            notes.append(f"category {category.name!r} created")
        created = provider.create_assignment(step.ref.id, spec)
        log.info("created homework in %s", step.label)
        return ClassResult(
            step=step, outcome=Outcome.CREATED, assignment=created, notes=tuple(notes)
        )
    except UnifiedEduError as exc:
        log.warning("homework in %s failed: %s", step.label, exc)
        return ClassResult(step=step, outcome=Outcome.FAILED, error=exc, notes=tuple(notes))


def _ensure_category(provider: Provider, class_id: str, name: str) -> Category:
    """Create the category, or find it when it exists already or an answer was lost."""

    def lookup() -> Category | None:
        for category in provider.iter_categories(class_id):
            if same_title(category.name, name):
                return category
        return None

    for attempt in (1, 2):
        try:
            return provider.create_category(class_id, name)
        except ConflictError:
            found = lookup()
            if found is not None:
                return found
            raise
        except (TransportError, ServiceUnavailableError):
            found = lookup()
            if found is not None:
                return found
            if attempt == 2:
                raise
    raise AssertionError("unreachable")  # pragma: no cover
