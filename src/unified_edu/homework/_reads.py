"""The reads a homework plan is made from: the classes, their homework, their categories.

Each read fans out across tenants (one thread per tenant, as the city client reads), and
keys what it found by ``(tenant, class_id)``.

This module must not import any platform client.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING, TypeVar

from unified_edu._fanout import merge
from unified_edu.errors import NotFoundError, PermissionDeniedError
from unified_edu.homework._checks import Problems
from unified_edu.models import Assignment, Category, Class, Ref
from unified_edu.providers.base import Capability, Provider

if TYPE_CHECKING:
    from unified_edu.client import Municipality

__all__ = ["fan_out", "read_categories", "read_classes", "read_homework"]

T = TypeVar("T")


def fan_out(
    city: Municipality,
    grouped: dict[str, list[str]],
    read: Callable[[Provider, list[str]], Iterator[T]],
) -> Iterator[T]:
    sources = [partial(read, city.provider(tenant), ids) for tenant, ids in grouped.items() if ids]
    return merge(sources, name="unified-edu-homework")


def read_classes(
    city: Municipality, refs: list[Ref], problems: Problems
) -> dict[tuple[str, str], Class]:
    def read(provider: Provider, ids: list[str]) -> Iterator[tuple[str, str, Class | str]]:
        for class_id in ids:
            try:
                yield provider.tenant, class_id, provider.get_class(class_id)
            except NotFoundError:
                yield (
                    provider.tenant,
                    class_id,
                    "no such class, or not visible to these credentials",
                )
            except PermissionDeniedError as exc:
                yield provider.tenant, class_id, f"not allowed to read the class: {exc.message}"

    grouped: dict[str, list[str]] = {}
    for ref in refs:
        provider = city.provider(ref.tenant)
        if provider.supports(Capability.READ_CLASSES):
            grouped.setdefault(ref.tenant, []).append(ref.id)
        else:
            reason = provider.unsupported_reason(Capability.READ_CLASSES)
            problems.add(f"cannot read classes: {reason}".rstrip(": "), f"{ref.tenant}:{ref.id}")
    found: dict[tuple[str, str], Class] = {}
    for tenant, class_id, result in fan_out(city, grouped, read):
        if isinstance(result, str):
            problems.add(result, f"{tenant}:{class_id}")
        else:
            found[(tenant, class_id)] = result
    return found


def read_homework(
    city: Municipality, classes: list[Class]
) -> dict[tuple[str, str], list[Assignment]]:
    out: dict[tuple[str, str], list[Assignment]] = {
        (klass.ref.tenant, klass.ref.id): [] for klass in classes
    }
    if classes:
        for assignment in city.iter_assignments(classes):
            out.setdefault((assignment.ref.tenant, assignment.class_id), []).append(assignment)
    return out


def read_categories(
    city: Municipality, classes: list[Class]
) -> dict[tuple[str, str], list[Category]]:
    def read(provider: Provider, ids: list[str]) -> Iterator[Category]:
        return provider.iter_categories(ids)

    grouped: dict[str, list[str]] = {}
    for klass in classes:
        if city.provider(klass.ref.tenant).supports(Capability.READ_CATEGORIES):
            grouped.setdefault(klass.ref.tenant, []).append(klass.ref.id)
    out: dict[tuple[str, str], list[Category]] = {}
    for category in fan_out(city, grouped, read):
        out.setdefault((category.ref.tenant, category.class_id), []).append(category)
    return out
