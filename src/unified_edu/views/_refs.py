"""Class references as users type them: ``tenant:id`` (or ``provider:tenant:id``).

This module must not import any platform client.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from unified_edu.errors import ValidationError
from unified_edu.models import Ref

if TYPE_CHECKING:
    from unified_edu.client import Municipality

__all__ = ["format_class_ref", "parse_class_ref", "split_class_ref"]


def split_class_ref(text: str) -> tuple[str | None, str, str]:
    """``"tenant:id"`` → ``(None, tenant, id)``; ``"provider:tenant:id"`` → all three.

    Raises:
        ValidationError: for anything else.
    """
    parts = [part.strip() for part in text.strip().split(":")]
    if len(parts) == 2:
        provider_name, (tenant, native) = None, parts
    elif len(parts) == 3:
        provider_name, tenant, native = parts
    else:
        raise ValidationError(
            f"a class reference is tenant:id (e.g. su-vazov.plovdiv.example:902285181666), "
            f"not {text!r}",
            field="class",
        )
    if not tenant or not native:
        raise ValidationError(
            f"a class reference needs a tenant and an id: {text!r}", field="class"
        )
    return provider_name, tenant, native


def parse_class_ref(city: Municipality, text: str) -> Ref:
    """Turn ``"tenant:id"`` (or ``str(ref)``, ``"provider:tenant:id"``) into a :class:`Ref`.

    The tenant must be one of the city's; the class is not looked up.

    Raises:
        ValidationError: for a malformed reference or a provider that does not match.
        ConfigurationError: for a tenant the city does not have.
    """
    provider_name, tenant, native = split_class_ref(text)
    provider = city.provider(tenant)
    if provider_name is not None and provider_name != provider.name:
        raise ValidationError(
            f"tenant {tenant!r} is on {provider.name!r}, not {provider_name!r}", field="class"
        )
    return Ref(provider=provider.name, tenant=tenant, id=native)


def format_class_ref(ref: Ref) -> str:
    """The ``tenant:id`` form of a class's ref (what the CLI's ``--class`` accepts)."""
    return f"{ref.tenant}:{ref.id}"
