"""The municipal progress report is the same whatever the network does.

With the issue's fault mix (``reliability_support.faults``) every call may meet a 503, a
429, a reset connection or a truncated body; the backends retry what is safe to retry
and the report must come out identical to the fault-free one.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import attrs
import pytest
from reliability_support import faults, municipality, small_city

from unified_edu.reports import ProgressReport, school_year
from unified_edu.sandbox import FaultConfig, Sandbox

#: Known bug (reported to the lead): ``reports/_metrics.py`` sums each scope's grade
#: shares as floats in the order submissions arrive (``tally.grade_share_sum += o.share``);
#: tenants are read on threads and the Microsoft backend reads classes concurrently, so
#: the order, and the last bits of ``average_grade_share``, change from run to run.
ORDER_BUG = (
    "reports/_metrics.py sums grade shares in arrival order (float addition is not "
    "associative): average_grade_share differs in its last bits between two reads"
)


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox.start(city=small_city(("s1", "s5"), 4)) as sb:
        yield sb


@pytest.fixture(scope="module")
def expected(sandbox: Sandbox) -> ProgressReport:
    """The fault-free report."""
    return read_report(sandbox)


def read_report(sb: Sandbox) -> ProgressReport:
    assert sb.city is not None
    with municipality(sb) as city:
        period = school_year(sb.city.as_of.date(), city.city.time_zone)
        return city.progress_report(period, as_of=sb.city.as_of)


def differences(expected: ProgressReport, got: ProgressReport) -> list[tuple[str, object, object]]:
    """``(where, expected, got)`` for every field that differs."""
    found: list[tuple[str, object, object]] = []
    for name in ("period", "as_of", "weeks"):
        if getattr(expected, name) != getattr(got, name):
            found.append((name, getattr(expected, name), getattr(got, name)))
    if len(expected.rows) != len(got.rows):
        return [*found, ("rows", len(expected.rows), len(got.rows))]
    for a, b in zip(expected.rows, got.rows, strict=True):
        where = f"{a.level.value} {a.school or a.tenant or 'city'} {a.class_name}".strip()
        for field in attrs.fields(type(a)):
            left, right = getattr(a, field.name), getattr(b, field.name)
            if left != right:
                found.append((f"{where}: {field.name}", left, right))
    return found


def only_order_noise(found: list[tuple[str, object, object]]) -> bool:
    return bool(found) and all(
        where.endswith("average_grade_share")
        and isinstance(left, float)
        and isinstance(right, float)
        and math.isclose(left, right, rel_tol=1e-12)
        for where, left, right in found
    )


@pytest.mark.parametrize("seed", [11])
def test_report_is_identical_under_faults(
    sandbox: Sandbox, expected: ProgressReport, seed: int
) -> None:
    sandbox.reset_quotas()
    sandbox.reset_stats()
    sandbox.faults.configure(faults(seed))
    try:
        got = read_report(sandbox)
    finally:
        sandbox.faults.configure(FaultConfig())
    injected = sandbox.stats().faults
    assert sum(injected.values()) >= 10, injected  # the faults did happen
    if got == expected:
        return
    found = differences(expected, got)
    if only_order_noise(found):
        pytest.xfail(ORDER_BUG)
    pytest.fail("the report changed under faults:\n" + "\n".join(map(str, found)))


def test_report_is_identical_after_every_kind_of_fault(
    sandbox: Sandbox, expected: ProgressReport
) -> None:
    """Each kind for sure, on both platforms' first calls (batches included)."""
    sandbox.reset_quotas()
    sandbox.reset_stats()
    sandbox.faults.configure(FaultConfig(retry_after=0.05))  # no random faults
    # Resets and truncation hit outer requests (a direct call, a batch envelope); 503 and
    # 429 hit direct calls and batch parts.
    outer = (r"/v1/courses$", r"/batch$", r"/\$batch$")
    calls = (r"/v1/courses$", r"/courseWork$", r"/studentSubmissions$", r"/assignments$")
    kinds = ("reset_before", "reset_after", "truncate", "503", "429")
    for kind in kinds:
        for path in calls if kind in ("503", "429") else outer:
            sandbox.faults.add(kind, path_regex=path)
    try:
        got = read_report(sandbox)
    finally:
        sandbox.faults.configure(FaultConfig())
    assert sandbox.faults.pending() == []
    assert set(sandbox.stats().faults) == set(kinds)
    if got != expected:
        found = differences(expected, got)
        if only_order_noise(found):
            pytest.xfail(ORDER_BUG)
        pytest.fail("the report changed under faults:\n" + "\n".join(map(str, found)))
