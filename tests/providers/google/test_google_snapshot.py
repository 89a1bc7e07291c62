"""The whole-domain read (``iter_snapshot``) and ``iter_submissions_of``.

The snapshot must read exactly what the separate reads read, keep its ordering contract
(a class before anything of it, a class's homework before its submissions) and need no
more HTTP requests than the lower bound of docs/performance.md, computed here from the
listings' actual page counts. Pages of one item (``page_size_cap=1``) make every listing
span pages, so submission pages arrive while their course's homework is still unfinished
and must be held back.
"""

from __future__ import annotations

import collections
import math
from collections.abc import Iterator, Sequence

import pytest
from google_scenario import DOMAIN, scenario_city
from google_support import delegated, tenant, token_provider

from unified_edu import (
    Assignment,
    AssignmentState,
    Category,
    Class,
    ClassState,
    Enrollment,
    GuardianLink,
    GuardianLinkState,
    PermissionDeniedError,
    Role,
    Submission,
    ValidationError,
)
from unified_edu._ratelimit import RateLimiter
from unified_edu.providers._backend import SnapshotItem
from unified_edu.providers.google import GoogleClassroomProvider
from unified_edu.providers.google._transport import PER_PROJECT
from unified_edu.sandbox import Sandbox
from unified_edu.sandbox._seed import generate_city
from unified_edu.sandbox.classroom import ClassroomApp

pytestmark = pytest.mark.block_network(allowed_hosts=[r"127\.0\.0\.1$"])

BATCH = 50
ROSTER_CAP = 30  # Classroom's (and the sandbox's) largest roster page


@pytest.fixture
def paged() -> Iterator[Sandbox]:
    """The scenario school served one item per page."""
    city = scenario_city()
    with Sandbox.start(city=city, apps=[ClassroomApp(city, page_size_cap=1)]) as sb:
        yield sb


def separate_reads(provider: GoogleClassroomProvider) -> list[SnapshotItem]:
    """What the snapshot replaces: the single reads, one after the other."""
    classes = provider.list_classes(states=set(ClassState))
    ids = [c.ref.id for c in classes]
    return [
        *classes,
        *provider.list_enrollments(ids),
        *provider.list_categories(ids),
        *provider.list_assignments(ids, states=set(AssignmentState)),
        *provider.list_submissions(ids),
        *provider.list_guardians(),
    ]


def pages(items: int, cap: int) -> int:
    return max(1, math.ceil(items / cap))


def listing_pages(items: Sequence[SnapshotItem], cap: int) -> tuple[int, list[int]]:
    """Pages of the courses listing, and of every other listing, from the items read.

    Each per-course listing's page count comes from the items it gave (a roster page
    holds at most 30); the two guardian listings are split by link state.
    """
    per_listing: collections.Counter[tuple[str, str]] = collections.Counter()
    classes = [item.ref.id for item in items if isinstance(item, Class)]
    for item in items:
        if isinstance(item, Enrollment):
            per_listing[item.role.value, item.class_id] += 1
        elif isinstance(item, Assignment | Submission | Category):
            per_listing[type(item).__name__, item.class_id] += 1
        elif isinstance(item, GuardianLink):
            per_listing[str(item.state is GuardianLinkState.ACTIVE), "-"] += 1
    kinds = {
        "teacher": min(cap, ROSTER_CAP),
        "student": min(cap, ROSTER_CAP),
        "Assignment": cap,
        "Submission": cap,
        "Category": cap,
    }
    chains = [pages(per_listing[kind, c], size) for kind, size in kinds.items() for c in classes]
    chains += [pages(per_listing["True", "-"], cap), pages(per_listing["False", "-"], cap)]
    return pages(len(classes), cap), chains


def round_minimum(items: Sequence[SnapshotItem], cap: int) -> int:
    """HTTP requests of the round-by-round packing (token excluded): P_c pages of
    ``courses``, then Σ_r ceil(k_r / 50), k_r the listings with at least r pages. The
    separate reads cannot beat it; it is not a lower bound for the snapshot."""
    courses, chains = listing_pages(items, cap)
    rounds = sum(
        math.ceil(sum(1 for p in chains if p >= r) / BATCH) for r in range(1, max(chains) + 1)
    )
    return courses + rounds


def true_minimum(items: Sequence[SnapshotItem], cap: int) -> int:
    """The documented lower bound (docs/performance.md), token excluded: the larger of
    ceil(page calls / 50) and the longest chain of dependent pages (courses pages, then
    the longest per-course listing; or a guardian listing)."""
    courses, chains = listing_pages(items, cap)
    per_course, guardian_chains = chains[:-2], chains[-2:]
    chain = max(courses + max(per_course, default=0), *guardian_chains)
    return max(math.ceil((courses + sum(chains)) / BATCH), chain)


def assert_ordered(items: Sequence[SnapshotItem]) -> None:
    """Each class before anything of it; a class's homework before its submissions."""
    classes: set[str] = set()
    submitted: set[str] = set()  # classes whose submissions have started
    for item in items:
        if isinstance(item, Class):
            classes.add(item.ref.id)
        elif not isinstance(item, GuardianLink):
            assert item.class_id in classes, item
            if isinstance(item, Submission):
                submitted.add(item.class_id)
            elif isinstance(item, Assignment):
                assert item.class_id not in submitted, item


@pytest.mark.parametrize("cap", [100, 1])
def test_snapshot_reads_what_the_separate_reads_read(cap: int) -> None:
    city = scenario_city()
    with Sandbox.start(city=city, apps=[ClassroomApp(city, page_size_cap=cap)]) as sb:
        with delegated(sb) as provider:
            snapshot = list(provider.iter_snapshot())
        with delegated(sb) as provider:
            separate = separate_reads(provider)
    assert collections.Counter(snapshot) == collections.Counter(separate)
    kinds = collections.Counter(type(item).__name__ for item in snapshot)
    assert kinds == {
        "Class": 2,
        "Enrollment": 9,
        "Category": 1,
        "Assignment": 4,
        "Submission": 6,
        "GuardianLink": 3,
    }
    maxima = {a.ref.id: a.max_points for a in snapshot if isinstance(a, Assignment)}
    grades = [
        (s.assignment_id, s.released_grade.max_points)
        for s in snapshot
        if isinstance(s, Submission) and s.released_grade
    ]
    assert len(grades) == 2
    assert all(maxima[work] == most for work, most in grades)


def test_snapshot_keeps_its_order_when_submissions_arrive_early(paged: Sandbox) -> None:
    # One item per page: a course's first submission page comes back in the first
    # batch, while its homework listing has pages left (Математика 7А: 4 items), so
    # only holding that page back keeps the homework first.
    with delegated(paged) as provider:
        items = list(provider.iter_snapshot())
    assert_ordered(items)
    assert sum(isinstance(item, Submission) for item in items) == 6


def test_snapshot_needs_fewer_requests_than_the_separate_reads(paged: Sandbox) -> None:
    with delegated(paged) as provider:
        items = list(provider.iter_snapshot())
        snapshot = provider.stats
    with delegated(paged) as provider:
        separate_reads(provider)
        separate = provider.stats
    assert snapshot.calls == separate.calls  # the same pages ...
    assert snapshot.http_requests < separate.http_requests  # ... in fewer requests
    assert snapshot.http_requests <= round_minimum(items, cap=1) < separate.http_requests
    # The guardian listings ride with the first courses page, each course's listings
    # join the run as soon as its page arrives: the read ends with its longest chain.
    assert snapshot.http_requests == true_minimum(items, cap=1)


def test_snapshot_of_a_seeded_domain_stays_within_the_minimum() -> None:
    # The city's largest domain: 270-odd listings (more than five batches' worth) and a
    # course whose submissions span 13 pages.
    city = generate_city(2026, 1)
    with Sandbox.start(city=city, apps=[ClassroomApp(city)]) as sb:
        info = tenant(sb, "su-vazov.plovdiv.example")
        assert info.service_account is not None
        limiter = RateLimiter([PER_PROJECT.scaled(0.9)])  # not shared with other tests
        with GoogleClassroomProvider.from_service_account_info(
            info.service_account,
            admin=info.admin,
            endpoint=sb.google_endpoint,
            project_limiter=limiter,
        ) as provider:
            items = list(provider.iter_snapshot())
            stats = provider.stats
    assert_ordered(items)
    assert sum(isinstance(item, Submission) for item in items) > 5_000
    assert stats.largest_batch == BATCH
    # The 13-page chain starts in the first batch after the courses page, so the read
    # takes no more requests than that chain needs (the round packing would take 21).
    assert stats.http_requests == true_minimum(items, cap=100) < round_minimum(items, cap=100)


def test_snapshot_without_guardians_skips_their_listings(provider: GoogleClassroomProvider) -> None:
    items = list(provider.iter_snapshot(guardians=False))
    assert not any(isinstance(item, GuardianLink) for item in items)
    assert not any("guardian" in method for method in provider.stats.by_method)
    assert sum(isinstance(item, Submission) for item in items) == 6


def test_snapshot_raises_a_failed_listing(sandbox: Sandbox) -> None:
    # studentId="-" is for domain admins only: a teacher's snapshot fails on guardians.
    teacher = token_provider(sandbox, f"maria.petrova@{DOMAIN}")
    with pytest.raises(PermissionDeniedError):
        list(teacher.iter_snapshot())
    assert list(teacher.iter_snapshot(guardians=False))


def test_submissions_of_some_homework(provider: GoogleClassroomProvider) -> None:
    classes = [c.ref.id for c in provider.list_classes()]
    homework = provider.list_assignments(classes, states=set(AssignmentState))
    everything = provider.list_submissions(classes)
    with_work = collections.Counter(s.assignment_id for s in everything)
    chosen = [a for a in homework if with_work[a.ref.id]][:1]
    assert chosen
    assert with_work[chosen[0].ref.id] < len(everything)
    got = list(provider.iter_submissions_of(chosen))
    assert collections.Counter(got) == collections.Counter(
        s for s in everything if s.assignment_id == chosen[0].ref.id
    )
    assert list(provider.iter_submissions_of([])) == []


def test_submissions_of_refuses_another_tenants_homework(
    sandbox: Sandbox, provider: GoogleClassroomProvider
) -> None:
    classes = [c.ref.id for c in provider.list_classes()]
    homework = provider.list_assignments(classes)
    with delegated(sandbox, tenant="elsewhere") as other, pytest.raises(ValidationError):
        other.iter_submissions_of(homework)


def test_classes_of_a_pupil_and_a_teacher(provider: GoogleClassroomProvider) -> None:
    classes = {c.ref.id: c for c in provider.list_classes()}
    enrollments = provider.list_enrollments(list(classes))
    pupil = next(e.person_id for e in enrollments if e.role is Role.STUDENT)
    teacher = next(e.person_id for e in enrollments if e.role is Role.TEACHER)

    def expected(person: str, role: Role) -> list[Class]:
        ids = {e.class_id for e in enrollments if e.person_id == person and e.role is role}
        return sorted((classes[i] for i in ids), key=lambda c: c.ref.id)

    before = provider.stats.http_requests
    mine = sorted(provider.iter_classes_of(pupil), key=lambda c: c.ref.id)
    assert provider.stats.http_requests == before + 1  # courses?studentId=, no roster
    assert mine == expected(pupil, Role.STUDENT)
    taught = sorted(provider.iter_classes_of(teacher, role=Role.TEACHER), key=lambda c: c.ref.id)
    assert taught == expected(teacher, Role.TEACHER)
