"""Native Graph identifiers and time values of the emulated tenant.

Owns: deterministic GUIDs (the same seed always yields the same ids), the logical clock
that stamps every change, and the wire formats of Graph's time values. Imports nothing
from the rest of the emulator.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import threading
import zoneinfo

__all__ = [
    "Clock",
    "date_str",
    "due_from_city",
    "guid",
    "parse_datetime",
    "raw_guid",
    "ts",
    "ts_or_none",
    "wire_datetime",
]

_FRACTION = re.compile(r"\.(\d+)")


# The variant nibble of a version-4 GUID keeps the hash's two low bits (RFC 4122: 10xx).
_VARIANT = "89ab89ab89ab89ab"


def _hex(parts: tuple[object, ...]) -> str:
    return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()


def guid(*parts: object) -> str:
    """A version-4-shaped GUID derived from ``parts`` (stable across runs).

    The same text as ``str(uuid.UUID(bytes=sha256[:16], version=4))``, formatted from
    the hex digest directly (tens of thousands are made when a city loads).
    """
    h = _hex(parts)
    variant = _VARIANT[int(h[16], 16)]
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{variant}{h[17:20]}-{h[20:32]}"


def raw_guid(*parts: object) -> str:
    """A GUID-shaped id without version bits.

    Submission ids in Graph's own examples (``02bb5de1-7205-2a25-fe33-f99cf53de1c4``) are
    not version-4 GUIDs; they are derived from the assignment and the student. The same
    text as ``str(uuid.UUID(bytes=sha256[:16]))``.
    """
    h = _hex(parts)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def ts(value: dt.datetime) -> str:
    """A service timestamp as Graph writes it: UTC, seven fractional digits, ``Z``.

    Python keeps microseconds (six digits); the seventh digit is derived from the value so
    that the text looks like Graph's (``2021-09-03T23:26:35.4182773Z``) and stays stable.
    """
    if value.tzinfo is dt.UTC:
        utc = value
    else:
        utc = value.astimezone(dt.UTC) if value.tzinfo else value.replace(tzinfo=dt.UTC)
    micro, second = utc.microsecond, utc.second
    seventh = (micro * 7 + second) % 10 if micro else 0
    if utc.year < 1000:  # strftime does not pad the year to four digits
        return f"{utc:%Y-%m-%dT%H:%M:%S}.{micro:06d}{seventh}Z"
    # The same text as the strftime above, many times faster (a city has ~10^5 of them).
    return "%04d-%02d-%02dT%02d:%02d:%02d.%06d%dZ" % (  # noqa: UP031 - the fast form
        utc.year,
        utc.month,
        utc.day,
        utc.hour,
        utc.minute,
        second,
        micro,
        seventh,
    )


def ts_or_none(value: dt.datetime | None) -> str | None:
    """:func:`ts`, passing ``None`` through."""
    return None if value is None else ts(value)


def wire_datetime(value: dt.datetime) -> str:
    """A caller-chosen instant (due, close, assign): seconds precision when exact.

    Graph echoes ``"dueDateTime": "2021-09-07T00:00:00Z"`` without a fraction for such
    values (conformance ``educationclass-post-assignment``).
    """
    utc = value.astimezone(dt.UTC)
    if utc.microsecond:
        return ts(utc)
    return f"{utc:%Y-%m-%dT%H:%M:%S}Z"


def date_str(value: dt.date) -> str:
    """An ``Edm.Date`` value (``2012-05-04``): never a datetime (msgraph rejects those)."""
    return value.isoformat()


def parse_datetime(text: str) -> dt.datetime:
    """Parse an ``Edm.DateTimeOffset`` from a request body.

    Raises:
        ValueError: The text is not an ISO-8601 instant with a zone.
    """
    match = _FRACTION.search(text)
    if match:
        # Graph sends seven digits; Python accepts at most six before 3.12 in every form.
        text = text[: match.start()] + "." + match.group(1)[:6].ljust(6, "0") + text[match.end() :]
    value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None:
        raise ValueError(f"no time zone in {text!r}")
    return value.astimezone(dt.UTC)


def due_from_city(due: dt.datetime | dt.date | None, time_zone: str) -> str | None:
    """``dueDateTime`` for a seeded deadline.

    A date-only deadline (Classroom's dueDate without dueTime) means "by the end of that
    day" for the school, so it becomes 23:59:59 local time in the city's zone, converted to
    UTC: Graph has only instants (``Edm.DateTimeOffset``), and Teams shows the local day.
    """
    if due is None:
        return None
    if isinstance(due, dt.datetime):
        return wire_datetime(due)
    local = dt.datetime.combine(due, dt.time(23, 59, 59), tzinfo=zoneinfo.ZoneInfo(time_zone))
    return wire_datetime(local)


class Clock:
    """The emulator's notion of "now": deterministic, strictly increasing.

    Starts at the city's ``as_of`` and moves 1.25 s per reading, so two runs with the same
    seed and the same calls produce byte-identical payloads. A caller may pass any other
    ``now`` function (for example ``lambda: datetime.now(UTC)``).
    """

    def __init__(self, start: dt.datetime, step: dt.timedelta | None = None) -> None:
        self._now = start.astimezone(dt.UTC)
        self._step = step if step is not None else dt.timedelta(seconds=1, microseconds=250_000)
        self._lock = threading.Lock()  # read from the server's threads

    def __call__(self) -> dt.datetime:
        with self._lock:
            self._now += self._step
            return self._now
