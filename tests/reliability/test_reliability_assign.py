"""Posting homework to 50 classes on both platforms while the network misbehaves.

Every create may lose its answer (a reset after the handler ran) or fail with a 503; the
backends look for what they created before trying again, so each class ends up with
exactly one copy. A class whose attempts all failed is reported, and running the same
plan again (what the CLI tells the user to do) completes it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator

import pytest
from reliability_support import faults, municipality, small_city

from unified_edu.client import Municipality
from unified_edu.homework import Outcome, apply_plan, plan_assignment
from unified_edu.models import AssignmentSpec, Class, ClassState
from unified_edu.sandbox import FaultConfig, Sandbox

SCHOOLS = ("s1", "s2", "s3", "s4", "s5", "s6", "s7")
SPEC = AssignmentSpec(
    title="Контролна работа № 3",
    instructions="Решете задачите от стр. 42.",
    due=dt.datetime(2026, 12, 4, 21, 59, tzinfo=dt.UTC),
    max_points=20,
)


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox.start(city=small_city(SCHOOLS, 9, with_work=False)) as sb:
        yield sb


def fifty_classes(city: Municipality) -> list[Class]:
    active = sorted(
        (c for c in city.list_classes() if c.state is ClassState.ACTIVE),
        key=lambda c: (c.ref.provider, c.ref.tenant, c.ref.id),
    )
    google = [c for c in active if c.ref.provider == "google"][:25]
    microsoft = [c for c in active if c.ref.provider == "microsoft"][:25]
    assert len(google) == len(microsoft) == 25
    return google + microsoft


def copies(city: Municipality, classes: list[Class]) -> Counter[str]:
    found: Counter[str] = Counter({c.ref.id: 0 for c in classes})
    for assignment in city.iter_assignments(classes):
        if assignment.title == SPEC.title:
            found[assignment.class_id] += 1
    return found


def test_assign_to_fifty_classes_under_faults_makes_one_copy_each(sandbox: Sandbox) -> None:
    with municipality(sandbox) as city:
        classes = fifty_classes(city)
        sandbox.reset_stats()
        sandbox.faults.configure(faults(7))
        try:
            runs = []
            for _ in range(3):  # what a user does after a partial failure: run it again
                plan = plan_assignment(city, classes, SPEC, allow_drafts=True)
                outcome = apply_plan(city, plan)
                runs.append(outcome)
                for result in outcome.failed:
                    assert result.error is not None  # a failure always says why
                if outcome.ok:
                    break
            injected = sandbox.stats().faults
        finally:
            sandbox.faults.configure(FaultConfig())
        assert runs[-1].ok, [f"{r.label}: {r.error}" for r in runs[-1].failed]
        created = Counter(
            r.ref.id for run in runs for r in run.results if r.outcome is Outcome.CREATED
        )
        assert set(created) == {c.ref.id for c in classes}
        assert set(created.values()) == {1}
        assert sum(injected.values()) >= 20, injected
        assert copies(city, classes) == Counter({c.ref.id: 1 for c in classes})


def test_lost_answers_on_every_create_never_duplicate(sandbox: Sandbox) -> None:
    """Each create's answer is lost once (the create happened): still one copy each."""
    title = "Домашна работа № 9"
    with municipality(sandbox) as city:
        classes = fifty_classes(city)[::5]
        for klass in classes:
            path = (
                f"/courses/{klass.ref.id}/courseWork$"
                if klass.ref.provider == "google"
                else f"/education/classes/{klass.ref.id}/assignments$"
            )
            sandbox.faults.add("reset_after", method="POST", path_regex=path)
        outcome = apply_plan(
            city,
            plan_assignment(
                city,
                classes,
                SPEC.__class__(title=title, due=SPEC.due, max_points=SPEC.max_points),
                allow_drafts=True,
            ),
        )
        assert sandbox.faults.pending() == []
        assert outcome.ok, [f"{r.label}: {r.error}" for r in outcome.failed]
        found: Counter[str] = Counter()
        for assignment in city.iter_assignments(classes):
            if assignment.title == title:
                found[assignment.class_id] += 1
        assert found == Counter({c.ref.id: 1 for c in classes})
