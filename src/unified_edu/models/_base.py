"""Shared building blocks of the domain model: references, ``extra`` and validators.

Pure data; no I/O, no platform imports.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import attrs

from unified_edu.errors import ValidationError

__all__ = ["UNSET", "Extra", "Ref", "Unset"]

Extra = Mapping[str, Any]


@attrs.frozen(kw_only=True, order=True)
class Ref:
    """Where an object lives: the provider, the tenant and the platform's own id.

    Attributes:
        provider: Registry name of the backend (``"google"``, ``"microsoft"``).
        tenant: The tenant's name as configured (a Google domain, a Microsoft tenant).
        id: The platform's native id, unchanged.
    """

    provider: str = attrs.field(validator=attrs.validators.min_len(1))
    tenant: str = attrs.field(validator=attrs.validators.min_len(1))
    id: str = attrs.field(validator=attrs.validators.min_len(1))

    def __str__(self) -> str:
        return f"{self.provider}:{self.tenant}:{self.id}"


def freeze_extra(value: Mapping[str, Any] | None) -> Mapping[str, Any]:
    """Return a read-only copy of ``value`` (``extra`` fields are never mutable)."""
    if value is None:
        return MappingProxyType({})
    if isinstance(value, MappingProxyType):
        return value
    return MappingProxyType(dict(value))


def extra_field() -> Any:
    """An ``extra`` attribute: read-only mapping, excluded from equality, hash and repr."""
    return attrs.field(factory=dict, converter=freeze_extra, eq=False, repr=False)


def aware_utc(value: dt.datetime | None, field: str) -> dt.datetime | None:
    """Validate that ``value`` is timezone-aware and return it in UTC.

    Raises:
        ValidationError: for a naive datetime.
    """
    if value is None:
        return None
    if not isinstance(value, dt.datetime):
        raise ValidationError(
            f"{field} must be a datetime, not {type(value).__name__}", field=field
        )
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValidationError(
            f"{field} must be timezone-aware (got naive {value.isoformat()}); "
            "attach a zone, e.g. ZoneInfo('Europe/Sofia')",
            field=field,
        )
    return value.astimezone(dt.UTC)


def due_value(
    value: dt.datetime | dt.date | None, field: str = "due"
) -> dt.datetime | dt.date | None:
    """Validate a due moment: an aware datetime (kept in UTC) or a date-only deadline."""
    if isinstance(value, dt.datetime):
        return aware_utc(value, field)
    if value is None or isinstance(value, dt.date):
        return value
    raise ValidationError(f"{field} must be a datetime or a date", field=field)


def points_value(value: float | None, field: str) -> float | None:
    """Validate a number of points: finite and not negative."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(f"{field} must be a number, not {type(value).__name__}", field=field)
    number = float(value)
    if not math.isfinite(number):
        raise ValidationError(f"{field} must be finite (got {value!r})", field=field)
    if number < 0:
        raise ValidationError(f"{field} must not be negative (got {value!r})", field=field)
    return number


def non_empty(value: str, field: str) -> str:
    """Validate that a text is not empty or only white space."""
    if not isinstance(value, str):
        raise ValidationError(f"{field} must be a string", field=field)
    if not value.strip():
        raise ValidationError(f"{field} must not be empty", field=field)
    return value


class Unset:
    """Marker for "leave this field unchanged" in update objects."""

    _instance: Unset | None = None

    def __new__(cls) -> Unset:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> bool:
        return False


UNSET = Unset()
