"""Lenient readers of Graph JSON values: instants, dates, types, identity sets, item bodies.

Graph payloads are read as plain JSON dicts, never through msgraph-sdk's models: one
``Edm.Date`` field holding a date-time string (``"birthDate": "2001-01-01T00:00:00Z"`` in
Microsoft's own examples) makes msgraph-sdk abort the whole page, and an enum value it
does not know becomes ``None``. Here a value that cannot be read becomes ``None`` and the
raw value stays in the object's ``extra``; nothing raises.

Pure functions; this module must not import msgraph or do I/O.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = [
    "Json",
    "as_dict",
    "as_list",
    "body_text",
    "identity_id",
    "odata_type",
    "parse_date",
    "parse_instant",
    "parse_time_of_day",
    "rest",
    "text",
    "wire_instant",
]

Json = Mapping[str, Any]

_FRACTION = re.compile(r"\.(\d+)")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def as_dict(value: Any) -> Json:
    """``value`` if it is a JSON object, else an empty one."""
    return value if isinstance(value, Mapping) else {}


def as_list(value: Any) -> list[Any]:
    """``value`` if it is a JSON array, else an empty list."""
    return value if isinstance(value, list) else []


def text(value: Any) -> str | None:
    """A non-blank string, else ``None``."""
    return value if isinstance(value, str) and value.strip() else None


def odata_type(payload: Json) -> str:
    """The short ``@odata.type`` (``"educationLinkResource"``), ``""`` when absent.

    Graph writes ``#microsoft.graph.X``; Microsoft's request examples also write
    ``microsoft.graph.X`` without the ``#``. Both read the same.
    """
    raw = payload.get("@odata.type")
    if not isinstance(raw, str):
        return ""
    return raw.lstrip("#").removeprefix("microsoft.graph.")


def parse_instant(value: Any) -> dt.datetime | None:
    """An ``Edm.DateTimeOffset`` as an aware UTC datetime; ``None`` when unreadable.

    Accepts Graph's seven fractional digits (``2021-09-03T23:26:35.4182773Z``), a ``Z`` or
    an offset, and placeholders such as ``"String (timestamp)"`` (→ ``None``). A text
    without a zone is taken as UTC, which is what Graph means by it.
    """
    if not isinstance(value, str) or not value.strip():
        return None
    raw = value.strip()
    match = _FRACTION.search(raw)
    if match:
        raw = raw[: match.start()] + "." + match.group(1)[:6].ljust(6, "0") + raw[match.end() :]
    try:
        parsed = dt.datetime.fromisoformat(raw.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)


def parse_date(value: Any) -> dt.date | None:
    """An ``Edm.Date`` (``2012-05-04``); a date-time string gives its date part.

    Microsoft's own examples put ``"2001-01-01T00:00:00Z"`` into Date fields; the date part
    is what was meant. Anything else unreadable gives ``None``.
    """
    if not isinstance(value, str):
        return None
    match = _DATE.match(value.strip())
    if match is None:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def parse_time_of_day(value: Any) -> dt.time | None:
    """An ``Edm.TimeOfDay`` (``23:59:00``); a date-time string gives its time part.

    Microsoft's ``assignmentDefaults`` example sends ``"dueTime": "2021-08-30T23:59:00Z"``
    where a TimeOfDay belongs; the time part is what was meant.
    """
    if not isinstance(value, str) or not value.strip():
        return None
    raw = value.strip()
    if "T" in raw:
        instant = parse_instant(raw)
        return instant.time() if instant is not None else None
    match = _FRACTION.search(raw)
    if match:
        raw = raw[: match.start()] + "." + match.group(1)[:6].ljust(6, "0") + raw[match.end() :]
    try:
        return dt.time.fromisoformat(raw)
    except ValueError:
        return None


def wire_instant(value: dt.datetime) -> str:
    """An aware datetime as Graph wants it in a request: UTC with ``Z``.

    Raises:
        ValueError: for a naive datetime (the model never holds one).
    """
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("a naive datetime has no instant")
    utc = value.astimezone(dt.UTC)
    if utc.microsecond:
        return utc.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return utc.strftime("%Y-%m-%dT%H:%M:%SZ")


def identity_id(value: Any) -> str | None:
    """The id inside an ``identitySet``: the user's, else the application's."""
    identity = as_dict(value)
    for key in ("user", "application", "device"):
        found = text(as_dict(identity.get(key)).get("id"))
        if found:
            return found
    return None


def body_text(value: Any) -> str | None:
    """The ``content`` of an ``itemBody`` (``{"content", "contentType"}``)."""
    return text(as_dict(value).get("content"))


def rest(payload: Json, mapped: Iterable[str]) -> dict[str, Any]:
    """The properties of ``payload`` a model object does not hold, for its ``extra``.

    OData control annotations (``@odata.context``, ``@odata.etag``) are dropped;
    ``@odata.type`` is kept when it names a subtype.
    """
    skip = set(mapped)
    return {
        key: value
        for key, value in payload.items()
        if key not in skip and not (key.startswith("@odata.") and key != "@odata.type")
    }
