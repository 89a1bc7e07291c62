"""attrs field factories shared by the model modules (validation lives in ``_base``)."""

from __future__ import annotations

from functools import partial
from typing import Any

import attrs

from unified_edu.models._base import aware_utc, due_value, non_empty, points_value

__all__ = ["due_field", "email_field", "points_field", "title_field", "when_field"]


def title_field(field: str) -> Any:
    """A required, non-blank text."""
    return attrs.field(converter=partial(non_empty, field=field))


def when_field(field: str) -> Any:
    """An optional aware datetime, stored in UTC."""
    return attrs.field(default=None, converter=partial(aware_utc, field=field))


def due_field(field: str = "due") -> Any:
    """An optional deadline: aware datetime (UTC) or a date."""
    return attrs.field(default=None, converter=partial(due_value, field=field))


def points_field(field: str, validator: Any = None) -> Any:
    """Optional finite, non-negative points, with an extra validator if given."""
    return attrs.field(
        default=None, converter=partial(points_value, field=field), validator=validator
    )


def _email(value: str | None) -> str | None:
    return value.strip().lower() if isinstance(value, str) and value.strip() else None


def email_field() -> Any:
    """An optional e-mail address, stripped and lower-cased (blank becomes ``None``)."""
    return attrs.field(default=None, converter=_email)
