"""The sandbox's fast paths against the plain code they replace.

Ids and timestamps are formatted for every object a listing renders, so each has a faster
spelling than the obvious one; these tests hold them to the obvious one's text. (Graph's
route and token fast paths: ``graph/test_graph_fast_paths.py``.)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import uuid
import zoneinfo

from unified_edu.sandbox._core import SandboxResponse
from unified_edu.sandbox.classroom._history import timestamp
from unified_edu.sandbox.graph._ids import guid, raw_guid, ts

_ZONES = (
    dt.UTC,
    zoneinfo.ZoneInfo("UTC"),
    zoneinfo.ZoneInfo("Europe/Sofia"),
    dt.timezone(dt.timedelta(hours=-5, minutes=-30)),
    None,
)


def _instants(count: int) -> list[dt.datetime]:
    rng = random.Random(2026)
    out = [
        dt.datetime(999, 12, 31, 23, 59, 59, 999_999, tzinfo=dt.UTC),
        dt.datetime(1000, 1, 1, tzinfo=dt.UTC),
        dt.datetime(2026, 9, 18, 4, 46, 35, tzinfo=dt.UTC),
        dt.datetime(2026, 9, 18, 4, 46, 35, 999, tzinfo=dt.UTC),
        dt.datetime(2026, 9, 18, 4, 46, 35, 1000, tzinfo=dt.UTC),
    ]
    while len(out) < count:
        year = rng.choice((rng.randrange(2, 9999), rng.randrange(1990, 2100)))
        micro = rng.choice((0, rng.randrange(1_000_000)))
        out.append(
            dt.datetime(
                year,
                rng.randrange(1, 13),
                rng.randrange(1, 29),
                rng.randrange(24),
                rng.randrange(60),
                rng.randrange(60),
                micro,
                tzinfo=rng.choice(_ZONES),
            )
        )
    return out


def _graph_reference(value: dt.datetime) -> str:
    utc = value.astimezone(dt.UTC) if value.tzinfo else value.replace(tzinfo=dt.UTC)
    seventh = (utc.microsecond * 7 + utc.second) % 10 if utc.microsecond else 0
    return f"{utc:%Y-%m-%dT%H:%M:%S}.{utc.microsecond:06d}{seventh}Z"


def _classroom_reference(value: dt.datetime) -> str:
    text = value.astimezone(dt.UTC).isoformat(timespec="milliseconds")
    return text.removesuffix("+00:00") + "Z"


def test_graph_timestamps_read_as_strftime_writes_them() -> None:
    for value in _instants(3000):
        assert ts(value) == _graph_reference(value), value


def test_classroom_timestamps_read_as_isoformat_writes_them() -> None:
    for value in _instants(3000):
        if value.tzinfo is None:
            continue  # naive values are local time: not comparable across machines
        assert timestamp(value) == _classroom_reference(value), value


def test_guids_read_as_uuid_writes_them() -> None:
    for n in range(3000):
        parts = (2026, "submission", f"key-{n}", n * 7919, "кирилица")
        digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).digest()
        assert guid(*parts) == str(uuid.UUID(bytes=digest[:16], version=4))
        assert raw_guid(*parts) == str(uuid.UUID(bytes=digest[:16]))


def test_only_json_body_answers_are_marked_as_json_text() -> None:
    assert SandboxResponse.json_body(200, {"a": 1}).json_text
    assert not SandboxResponse(status=200, body=b'{"a": 1}').json_text
    assert SandboxResponse.json_body(200, {}) == SandboxResponse(
        status=200,
        headers={"Content-Type": "application/json; charset=UTF-8"},
        body=b"{}",
    )
