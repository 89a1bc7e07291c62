"""The provider interface: abstract methods, capability checks before I/O, lazy iteration."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

import pytest

from unified_edu import (
    Assignment,
    AssignmentSpec,
    AssignmentState,
    AssignmentUpdate,
    Capability,
    Class,
    ClassSpec,
    ClassUpdate,
    Provider,
    Ref,
    Role,
    Submission,
    SubmissionState,
    UnsupportedOperationError,
    ValidationError,
)
from unified_edu.providers.base import OPTIONAL_CAPABILITIES, ids


class Recorder(Provider):
    """A provider that records what reaches the backend layer (the "I/O")."""

    name = "recorder"
    CAPABILITIES: ClassVar[frozenset[Capability]] = frozenset(Capability) - {
        Capability.EXCUSE,
        Capability.REASSIGN,
        Capability.FEEDBACK,
        Capability.INVITE_GUARDIANS,
        Capability.READ_RUBRICS,
        Capability.WRITE_CATEGORIES,
    }

    def __init__(self, capabilities: frozenset[Capability] | None = None) -> None:
        super().__init__(tenant="t")
        self.calls: list[tuple[str, Any]] = []
        self._caps = capabilities

    @property
    def capabilities(self) -> frozenset[Capability]:
        return self._caps if self._caps is not None else self.CAPABILITIES

    def unsupported_reason(self, capability: Capability) -> str:
        return f"no {capability.value} here"

    def _ref(self, id_: str) -> Ref:
        return Ref(provider=self.name, tenant=self.tenant, id=id_)

    def _pages(self) -> Iterator[Class]:
        for i in range(3):
            self.calls.append(("page", i))
            yield Class(ref=self._ref(f"c{i}"), name=f"Клас {i}")

    def _iter_schools(self):  # type: ignore[no-untyped-def]
        return iter(())

    def _iter_classes(self, *, school_id, states):  # type: ignore[no-untyped-def]
        self.calls.append(("iter_classes", (school_id, states)))
        return self._pages()

    def _get_class(self, class_id):  # type: ignore[no-untyped-def]
        return Class(ref=self._ref(class_id), name="x")

    def _iter_people(self, *, class_ids, role):  # type: ignore[no-untyped-def]
        return iter(())

    def _get_person(self, person_id):  # type: ignore[no-untyped-def]
        raise NotImplementedError

    def _iter_enrollments(self, class_ids, *, role):  # type: ignore[no-untyped-def]
        self.calls.append(("iter_enrollments", class_ids))
        return iter(())

    def _iter_guardians(self, *, student_ids):  # type: ignore[no-untyped-def]
        return iter(())

    def _iter_categories(self, class_ids):  # type: ignore[no-untyped-def]
        return iter(())

    def _iter_assignments(self, class_ids, *, states):  # type: ignore[no-untyped-def]
        self.calls.append(("iter_assignments", (class_ids, states)))
        return iter(())

    def _get_assignment(self, class_id, assignment_id):  # type: ignore[no-untyped-def]
        raise NotImplementedError

    def _iter_submissions(self, class_ids, *, assignment_id):  # type: ignore[no-untyped-def]
        return iter(())

    def _get_submission(self, class_id, assignment_id, submission_id):  # type: ignore[no-untyped-def]
        raise NotImplementedError

    def _create_class(self, spec):  # type: ignore[no-untyped-def]
        self.calls.append(("create_class", spec))
        return Class(ref=self._ref("new"), name=spec.name)

    def _update_class(self, class_id, update):  # type: ignore[no-untyped-def]
        raise NotImplementedError

    def _delete_class(self, class_id):  # type: ignore[no-untyped-def]
        self.calls.append(("delete_class", class_id))

    def _add_enrollment(self, class_id, person_id, role):  # type: ignore[no-untyped-def]
        raise NotImplementedError

    def _remove_enrollment(self, class_id, person_id, role):  # type: ignore[no-untyped-def]
        raise NotImplementedError

    def _create_assignment(self, class_id, spec):  # type: ignore[no-untyped-def]
        self.calls.append(("create_assignment", spec))
        return Assignment(ref=self._ref("a"), class_id=class_id, title=spec.title)

    def _update_assignment(self, class_id, assignment_id, update):  # type: ignore[no-untyped-def]
        raise NotImplementedError

    def _publish_assignment(self, class_id, assignment_id):  # type: ignore[no-untyped-def]
        raise NotImplementedError

    def _delete_assignment(self, class_id, assignment_id):  # type: ignore[no-untyped-def]
        raise NotImplementedError

    def _set_grade(self, class_id, assignment_id, submission_id, *, points):  # type: ignore[no-untyped-def]
        self.calls.append(("set_grade", points))
        return Submission(
            ref=self._ref(submission_id),
            class_id=class_id,
            assignment_id=assignment_id,
            student_id="s",
            state=SubmissionState.TURNED_IN,
        )

    def _return_submission(self, class_id, assignment_id, submission_id):  # type: ignore[no-untyped-def]
        raise NotImplementedError


def test_a_missing_method_fails_at_instantiation() -> None:
    class Incomplete(Provider):
        name = "incomplete"
        CAPABILITIES = frozenset()

    with pytest.raises(TypeError, match="abstract"):
        Incomplete(tenant="t")  # type: ignore[abstract]


def test_unsupported_capability_fails_before_any_io() -> None:
    provider = Recorder()
    for call in (
        lambda: provider.excuse_submission("c", "a", "s"),
        lambda: provider.reassign_submission("c", "a", "s"),
        lambda: provider.set_feedback("c", "a", "s", text="Браво"),
        lambda: provider.invite_guardian("s", "parent@mail.example"),
        lambda: provider.get_rubric("c", "a"),
        lambda: provider.create_category("c", "Тест"),
    ):
        with pytest.raises(UnsupportedOperationError) as info:
            call()
        assert info.value.provider == "recorder"
        assert info.value.capability in str(info.value)
        assert "here" in str(info.value)  # the provider's reason
    assert provider.calls == []


def test_narrowed_capabilities_block_publishing_creates() -> None:
    provider = Recorder(capabilities=Recorder.CAPABILITIES - {Capability.PUBLISH_ASSIGNMENTS})
    with pytest.raises(UnsupportedOperationError, match="publish_assignments"):
        provider.create_assignment("c", AssignmentSpec(title="Есе"))
    created = provider.create_assignment("c", AssignmentSpec(title="Есе", publish=False))
    assert created.title == "Есе"
    assert [name for name, _ in provider.calls] == ["create_assignment"]


def test_iteration_is_lazy_and_list_reads_everything() -> None:
    provider = Recorder()
    iterator = provider.iter_classes()
    assert provider.calls == [("iter_classes", (None, None))]
    next(iterator)
    assert provider.calls[-1] == ("page", 0)
    assert [c.name for c in provider.list_classes()] == ["Клас 0", "Клас 1", "Клас 2"]


def test_arguments_are_validated_before_the_backend() -> None:
    provider = Recorder()
    with pytest.raises(ValidationError):
        provider.get_class(" ")
    with pytest.raises(ValidationError):
        provider.set_grade("c", "a", "s", points=-1)
    with pytest.raises(ValidationError):
        provider.set_grade("c", "a", "s", points=float("nan"))
    with pytest.raises(ValidationError):
        provider.iter_enrollments([])
    with pytest.raises(ValidationError):
        provider.iter_submissions(["c1", "c2"], assignment_id="a")
    with pytest.raises(ValidationError):
        provider.add_enrollment("c", "p", Role.GUARDIAN)
    with pytest.raises(ValidationError):
        provider.update_class("c", ClassUpdate())
    with pytest.raises(ValidationError):
        provider.update_assignment("c", "a", AssignmentUpdate())
    assert provider.calls == []
    provider.set_grade("c", "a", "s", points=7)
    assert provider.calls == [("set_grade", 7.0)]


def test_default_assignment_states_exclude_deleted_and_ids_are_deduplicated() -> None:
    provider = Recorder()
    provider.list_assignments(["c1", "c2", "c1"])
    (_, (class_ids, states)) = provider.calls[-1]
    assert class_ids == ("c1", "c2")
    assert AssignmentState.DELETED not in states
    assert AssignmentState.DRAFT in states
    provider.list_enrollments("c9")
    assert provider.calls[-1] == ("iter_enrollments", ("c9",))


def test_ids_helper() -> None:
    assert ids("a") == ("a",)
    assert ids(["a", "b", "a"]) == ("a", "b")
    with pytest.raises(ValidationError):
        ids(["a", ""])


def test_context_manager_closes_and_repr_names_the_tenant() -> None:
    with Recorder() as provider:
        assert "recorder:t" in repr(provider)
    provider.create_class(ClassSpec(name="Математика 5А"))
    provider.delete_class("new")
    assert [name for name, _ in provider.calls] == ["create_class", "delete_class"]


def test_optional_capabilities_default_to_a_clear_error() -> None:
    provider = Recorder(capabilities=frozenset(Capability))  # declares what it lacks
    with pytest.raises(UnsupportedOperationError, match="not implemented"):
        provider.excuse_submission("c", "a", "s")
    assert Capability.EXCUSE in OPTIONAL_CAPABILITIES
