"""Deadlines: local input in the city's zone, and the instant each platform stores."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from unified_edu.errors import ValidationError
from unified_edu.homework import DATE_ONLY_TIME, parse_due_date, parse_local_due, stored_due
from unified_edu.homework._due import same_due
from unified_edu.providers.google._bodies import split_due
from unified_edu.providers.microsoft._bodies import due_instant

SOFIA = "Europe/Sofia"
UTC = dt.UTC


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Winter: Sofia is UTC+2.
        ("2026-12-04 23:59", dt.datetime(2026, 12, 4, 21, 59, tzinfo=UTC)),
        ("2026-12-04T23:59", dt.datetime(2026, 12, 4, 21, 59, tzinfo=UTC)),
        ("2026-12-04 23:59:30", dt.datetime(2026, 12, 4, 21, 59, 30, tzinfo=UTC)),
        # Summer: UTC+3.
        ("2026-06-01 08:00", dt.datetime(2026, 6, 1, 5, 0, tzinfo=UTC)),
        # Past midnight UTC the UTC date is the day before.
        ("2026-12-05 01:30", dt.datetime(2026, 12, 4, 23, 30, tzinfo=UTC)),
        # An explicit offset wins over the city's zone.
        ("2026-12-04T23:59+00:00", dt.datetime(2026, 12, 4, 23, 59, tzinfo=UTC)),
        ("  2026-12-04 23:59  ", dt.datetime(2026, 12, 4, 21, 59, tzinfo=UTC)),
    ],
)
def test_local_due_is_read_in_the_city_zone(text: str, expected: dt.datetime) -> None:
    assert parse_local_due(text, SOFIA) == expected


def test_a_time_that_does_not_exist_is_refused() -> None:
    # 2026-03-29: clocks go from 03:00 to 04:00 in Sofia.
    with pytest.raises(ValidationError, match="does not exist"):
        parse_local_due("2026-03-29 03:30", SOFIA)


def test_a_time_that_happens_twice_is_refused() -> None:
    # 2026-10-25: clocks go back from 04:00 to 03:00 in Sofia.
    with pytest.raises(ValidationError, match="happens twice"):
        parse_local_due("2026-10-25 03:30", SOFIA)
    assert parse_local_due("2026-10-25T03:30+03:00", SOFIA) == dt.datetime(
        2026, 10, 25, 0, 30, tzinfo=UTC
    )


@pytest.mark.parametrize("text", ["tomorrow", "04.12.2026 23:59", "2026-13-01 10:00", ""])
def test_unreadable_deadlines_are_refused(text: str) -> None:
    with pytest.raises(ValidationError, match="YYYY-MM-DD HH:MM"):
        parse_local_due(text, SOFIA)


def test_due_date() -> None:
    assert parse_due_date("2026-12-04") == dt.date(2026, 12, 4)
    with pytest.raises(ValidationError, match="YYYY-MM-DD"):
        parse_due_date("4.12.2026")


def test_stored_due_of_an_instant_is_utc_to_the_second() -> None:
    local = dt.datetime(2026, 12, 4, 23, 59, 30, 123456, tzinfo=ZoneInfo(SOFIA))
    expected = dt.datetime(2026, 12, 4, 21, 59, 30, tzinfo=UTC)
    for platform in ("google", "microsoft", "other"):
        assert stored_due(platform, local, SOFIA) == expected
    assert stored_due("google", None, SOFIA) is None


def test_stored_due_of_a_date_follows_each_platform() -> None:
    day = dt.date(2026, 12, 4)
    assert stored_due("google", day, SOFIA) == dt.datetime(2026, 12, 4, 21, 59, tzinfo=UTC)
    assert stored_due("microsoft", day, SOFIA) == dt.datetime(2026, 12, 4, 21, 59, 59, tzinfo=UTC)
    assert stored_due("other", day, SOFIA) == day  # no known convention: left to the backend


@pytest.mark.parametrize(
    "day", [dt.date(2026, 12, 4), dt.date(2026, 6, 1), dt.date(2026, 3, 29), dt.date(2026, 10, 25)]
)
def test_date_only_table_matches_the_backends(day: dt.date) -> None:
    """The plan shows what the backends would store for a date: same instant, both."""
    zone = ZoneInfo(SOFIA)
    date, time = split_due(day, zone=zone)
    google = dt.datetime(
        date["year"], date["month"], date["day"], time["hours"], time["minutes"],
        time.get("seconds", 0), tzinfo=UTC,
    )  # fmt: skip
    assert stored_due("google", day, SOFIA) == google
    microsoft = dt.datetime.fromisoformat(due_instant(day, SOFIA).replace("Z", "+00:00"))
    assert stored_due("microsoft", day, SOFIA) == microsoft
    assert set(DATE_ONLY_TIME) == {"google", "microsoft"}


def test_same_due() -> None:
    moment = dt.datetime(2026, 12, 4, 21, 59, tzinfo=UTC)
    assert same_due(moment, moment.replace(microsecond=5), time_zone=SOFIA)
    assert not same_due(moment, moment + dt.timedelta(seconds=1), time_zone=SOFIA)
    assert same_due(None, None, time_zone=SOFIA)
    assert not same_due(moment, None, time_zone=SOFIA)
    assert not same_due(None, moment, time_zone=SOFIA)
    # Classroom reads a deadline at 00:00 UTC back as a date.
    midnight = dt.datetime(2026, 12, 5, 0, 0, tzinfo=UTC)
    assert same_due(midnight, dt.date(2026, 12, 5), time_zone=SOFIA)
    # A provider without a convention: any instant on that local day.
    assert same_due(dt.date(2026, 12, 4), moment, time_zone=SOFIA)
    assert not same_due(dt.date(2026, 12, 5), moment, time_zone=SOFIA)
