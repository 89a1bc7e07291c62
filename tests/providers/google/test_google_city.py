"""The whole Google side of the seeded city, read through the provider, against the City.

One sandbox with Classroom's real quotas serves the seeded municipality (scale 1); each
Google tenant is read once through its own delegated provider. The counts must match the
City exactly, batches must hold at most 50 calls, and nothing may be throttled.
"""

from __future__ import annotations

import collections
from collections.abc import Iterator

import attrs
import pytest

from unified_edu import GuardianLinkState
from unified_edu.providers.google import GoogleClassroomProvider, TransportStats
from unified_edu.sandbox import Sandbox, StatsSnapshot, TenantInfo
from unified_edu.sandbox._city import City
from unified_edu.sandbox._seed import generate_city
from unified_edu.sandbox.classroom import ClassroomApp

pytestmark = pytest.mark.block_network(allowed_hosts=[r"127\.0\.0\.1$"])

_GUARDIAN_STATES = {
    "active": GuardianLinkState.ACTIVE,
    "invited": GuardianLinkState.INVITED,
    "closed": GuardianLinkState.INVITATION_CLOSED,
}


@attrs.frozen
class Counts:
    classes: int
    enrollments: int
    people: int
    assignments: int
    submissions: int
    categories: int
    guardians: dict[GuardianLinkState, int]


@attrs.frozen
class Reading:
    city: City
    counts: dict[str, Counts]
    expected: dict[str, Counts]
    provider_stats: list[TransportStats]
    sandbox_stats: StatsSnapshot
    first_page_calls: int


def expected_counts(city: City, info: TenantInfo) -> Counts:
    schools = set(info.school_keys)
    classes = [c for c in city.classes if c.school_key in schools]
    keys = {c.key for c in classes}
    homework = [h for h in city.homework if h.class_key in keys]
    published = {h.key for h in homework if h.state in ("published", "inactive")}
    students = {p.key for p in city.people if p.school_key in schools and p.role == "student"}
    guardians = collections.Counter(
        _GUARDIAN_STATES[g.state] for g in city.guardians if g.student_key in students
    )
    return Counts(
        classes=len(classes),
        enrollments=sum(len(c.teacher_keys) + len(c.student_keys) for c in classes),
        people=len({k for c in classes for k in (*c.teacher_keys, *c.student_keys)}),
        assignments=sum(h.state != "deleted" for h in homework),
        submissions=sum(w.homework_key in published for w in city.work),
        categories=len({(h.class_key, h.category) for h in homework if h.category}),
        guardians=dict(guardians),
    )


def read(provider: GoogleClassroomProvider) -> Counts:
    class_ids = [c.ref.id for c in provider.iter_classes()]
    guardians = collections.Counter(g.state for g in provider.iter_guardians())
    return Counts(
        classes=len(class_ids),
        enrollments=sum(1 for _ in provider.iter_enrollments(class_ids)),
        people=sum(1 for _ in provider.iter_people()),
        assignments=sum(1 for _ in provider.iter_assignments(class_ids)),
        submissions=sum(1 for _ in provider.iter_submissions(class_ids)),
        categories=sum(1 for _ in provider.iter_categories(class_ids)),
        guardians=dict(guardians),
    )


@pytest.fixture(scope="module")
def reading() -> Iterator[Reading]:
    city = generate_city(2026, 1)
    with Sandbox.start(city=city, apps=[ClassroomApp(city)], quotas=True) as sb:
        counts: dict[str, Counts] = {}
        expected: dict[str, Counts] = {}
        stats: list[TransportStats] = []
        first_page_calls = 0
        for info in (t for t in sb.tenants if t.platform == "google"):
            assert info.service_account is not None
            with GoogleClassroomProvider.from_service_account_info(
                info.service_account, admin=info.admin, endpoint=sb.google_endpoint
            ) as provider:
                counts[info.tenant] = read(provider)
                expected[info.tenant] = expected_counts(city, info)
                if not first_page_calls:
                    # Streaming: the first submission arrives after one batch, not all.
                    class_ids = [c.ref.id for c in provider.iter_classes()]
                    before = provider.stats.calls
                    next(provider.iter_submissions(class_ids))
                    first_page_calls = provider.stats.calls - before
                stats.append(provider.stats)
        yield Reading(city, counts, expected, stats, sb.stats(), first_page_calls)


def test_every_tenant_matches_the_city(reading: Reading) -> None:
    assert len(reading.counts) == 4
    for tenant, counts in reading.counts.items():
        assert counts == reading.expected[tenant], tenant


def test_the_city_is_not_trivial(reading: Reading) -> None:
    total = sum(c.submissions for c in reading.counts.values())
    assert total > 10_000
    assert all(c.categories > 0 and c.guardians for c in reading.counts.values())


def test_batches_hold_at_most_fifty_calls(reading: Reading) -> None:
    assert max(s.largest_batch for s in reading.provider_stats) == 50
    sandbox = reading.sandbox_stats
    assert sandbox.batches == sum(s.batches for s in reading.provider_stats)
    assert sandbox.batch_parts == sum(s.batch_parts for s in reading.provider_stats)
    # Batching: far fewer HTTP requests than calls.
    assert sandbox.http_requests * 5 < sandbox.calls


def test_reading_with_quotas_on_is_never_throttled(reading: Reading) -> None:
    assert reading.sandbox_stats.throttled == 0
    assert reading.sandbox_stats.quota_rejections == 0
    assert set(reading.sandbox_stats.by_status) == {200}


def test_submissions_stream_page_by_page(reading: Reading) -> None:
    assert 0 < reading.first_page_calls <= 50


def test_concurrent_batches_read_the_same(reading: Reading) -> None:
    city = reading.city
    with Sandbox.start(city=city, apps=[ClassroomApp(city)], quotas=True) as sb:
        info = min(
            (t for t in sb.tenants if t.platform == "google"),
            key=lambda t: reading.expected[t.tenant].submissions,
        )
        assert info.service_account is not None
        with GoogleClassroomProvider.from_service_account_info(
            info.service_account, admin=info.admin, endpoint=sb.google_endpoint, concurrency=4
        ) as provider:
            class_ids = [c.ref.id for c in provider.iter_classes()]
            submissions = sum(1 for _ in provider.iter_submissions(class_ids))
            enrollments = sum(1 for _ in provider.iter_enrollments(class_ids))
    expected = reading.expected[info.tenant]
    assert (submissions, enrollments) == (expected.submissions, expected.enrollments)
