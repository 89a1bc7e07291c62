"""Planning homework for many classes: everything is checked before the first write."""

from __future__ import annotations

import datetime as dt

import pytest
from homework_support import active_classes, writes

from unified_edu.client import Municipality
from unified_edu.errors import ConfigurationError, ValidationError
from unified_edu.homework import Action, parse_class_ref, plan_assignment
from unified_edu.models import AssignmentSpec, Material, MaterialKind, Ref
from unified_edu.sandbox import Sandbox

UTC = dt.UTC
DUE = dt.datetime(2026, 12, 4, 21, 59, tzinfo=UTC)  # 23:59 in Sofia


def spec(**changes: object) -> AssignmentSpec:
    values: dict[str, object] = {"title": "Домашна работа: дроби", "due": DUE, "max_points": 10}
    values.update(changes)
    return AssignmentSpec(**values)  # type: ignore[arg-type]


def link(url: str) -> Material:
    return Material(kind=MaterialKind.LINK, url=url)


def test_plan_for_both_platforms_reads_only(sandbox: Sandbox, city: Municipality) -> None:
    classes = active_classes(city)
    assert {c.ref.provider for c in classes} == {"google", "microsoft"}
    plan = plan_assignment(city, classes, spec(), allow_drafts=True)
    assert [step.ref for step in plan.classes] == [c.ref for c in classes]
    assert all(step.action is Action.CREATE for step in plan.classes)
    assert {step.due for step in plan.classes} == {DUE}
    for step in plan.classes:
        draft = step.platform == "microsoft"  # the app-only token cannot publish
        assert step.spec.publish is not draft
        assert any("draft" in note for note in step.notes) is draft
    assert plan.writes == len(classes)
    assert writes(sandbox) == []


def test_date_only_deadline_as_each_platform_stores_it(city: Municipality) -> None:
    classes = active_classes(city)
    plan = plan_assignment(city, classes, spec(due=dt.date(2026, 12, 4)), allow_drafts=True)
    stored = {step.platform: step.due for step in plan.classes}
    assert stored == {
        "google": dt.datetime(2026, 12, 4, 21, 59, tzinfo=UTC),
        "microsoft": dt.datetime(2026, 12, 4, 21, 59, 59, tzinfo=UTC),
    }
    assert all(step.spec.due == step.due for step in plan.classes)


def test_every_problem_is_listed_and_nothing_is_written(
    sandbox: Sandbox, city: Municipality
) -> None:
    google = active_classes(city, "google")
    microsoft = active_classes(city, "microsoft")
    tenant = google[0].ref.tenant
    missing = Ref(provider="google", tenant=tenant, id="123456789")
    nowhere = Ref(provider="google", tenant="nowhere.example", id="1")
    bad = spec(
        title="Т" * 3001,
        max_points=7.5,
        materials=[link("ftp://files.example/a.pdf"), link("https://x.example/" + "a" * 2030)],
    )
    with pytest.raises(ValidationError) as caught:
        plan_assignment(city, [*google[:2], *microsoft[:2], missing, nowhere], bad)
    problems = caught.value.problems
    text = "\n".join(problems)
    assert "no tenant 'nowhere.example'" in text
    assert f"{tenant}:123456789: no such class" in text
    assert "not a web link (http or https): 'ftp://files.example/a.pdf'" in text
    assert "the title is 3,001 characters; Google Classroom allows at most 3,000 (2 classes" in text
    assert "a link is 2,048 characters; Google Classroom allows at most 2,024" in text
    assert "Google Classroom takes whole points only (got 7.5)" in text
    assert "cannot publish: Graph does not let applications publish" in text
    assert "--allow-drafts" in text
    assert "not attach links" in text
    assert len(problems) == 8, problems
    assert caught.value.message.startswith("the homework was not posted anywhere: 8 problems")
    assert writes(sandbox) == []


def test_archived_classes_are_refused(city: Municipality, sandbox: Sandbox) -> None:
    klass = active_classes(city, "google")[0]
    provider = city.provider(klass.ref.tenant)
    from unified_edu.models import ClassUpdate

    provider.update_class(klass.ref.id, ClassUpdate(archived=True))
    sandbox.reset_stats()
    with pytest.raises(ValidationError, match="the class is archived"):
        plan_assignment(city, [klass], spec())
    assert writes(sandbox) == []


def test_category_ids_and_no_classes_are_refused(city: Municipality) -> None:
    klass = active_classes(city, "google")[0]
    with pytest.raises(ValidationError, match="name the category with category="):
        plan_assignment(city, [klass], spec(category_ids=["1"]))
    with pytest.raises(ValidationError, match="name at least one class"):
        plan_assignment(city, [], spec())


def test_category_is_found_created_or_left_out(city: Municipality) -> None:
    google = active_classes(city, "google")[:2]
    microsoft = active_classes(city, "microsoft")[:1]
    provider = city.provider(google[0].ref.tenant)
    topic = provider.create_category(google[0].ref.id, "Домашни  работи")
    plan = plan_assignment(
        city, [*google, *microsoft], spec(), category=" Домашни работи ", allow_drafts=True
    )
    first, second, graph = plan.classes
    assert first.category is not None
    assert first.category.category_id == topic.ref.id
    assert first.spec.category_ids == (topic.ref.id,)
    assert not first.category.create
    assert second.category is not None
    assert second.category.create
    assert second.category.name == "Домашни работи"
    assert second.spec.category_ids == ()
    assert graph.category is None
    assert "no category: app-only credentials cannot attach 'Домашни работи'" in graph.notes
    assert plan.category == "Домашни работи"


def test_a_deadline_in_the_past_is_a_warning(city: Municipality) -> None:
    klass = active_classes(city, "google")[0]
    plan = plan_assignment(city, [klass], spec(), now=DUE + dt.timedelta(days=1))
    assert plan.warnings == ("the deadline 2026-12-04 21:59 UTC is in the past",)
    assert plan_assignment(city, [klass], spec(), now=DUE).warnings == ()


def test_repeated_classes_are_planned_once(city: Municipality) -> None:
    klass = active_classes(city, "google")[0]
    plan = plan_assignment(city, [klass, klass.ref, klass], spec())
    assert len(plan.classes) == 1


def test_parse_class_ref(city: Municipality) -> None:
    tenant = city.tenants[0]
    ref = parse_class_ref(f" {tenant}:42 ", city)
    assert ref == Ref(provider=city.provider(tenant).name, tenant=tenant, id="42")
    provider = city.provider(tenant).name
    assert parse_class_ref(f"{provider}:{tenant}:42", city) == ref  # as a Ref prints
    with pytest.raises(ValidationError, match="is on"):
        parse_class_ref(f"other:{tenant}:42", city)
    for bad in ("42", f"{tenant}:", "a:b:c:d"):
        with pytest.raises(ValidationError, match="tenant:class_id"):
            parse_class_ref(bad, city)
    with pytest.raises(ConfigurationError, match="no tenant 'x'"):
        parse_class_ref("x:42", city)
