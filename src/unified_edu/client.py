"""The city client: many tenants on both platforms as one.

:class:`Municipality` holds one provider per tenant (a Google Workspace domain, a
Microsoft tenant). Reads fan out across tenants concurrently, each tenant on its own
thread, and arrive as one stream; every object already carries its tenant in ``ref``
and its school through ``school_id``. Writes are routed to the tenant named by the
object's ``ref``. Provider-specific extras stay on the providers (``city.provider(name)``).

This module must not import any platform client.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Collection, Hashable, Iterable, Iterator, Mapping
from functools import partial
from pathlib import Path
from types import TracebackType
from typing import Any, Self, TypeVar
from zoneinfo import ZoneInfo

from unified_edu._fanout import merge
from unified_edu.config import CityConfig, Config, load_config
from unified_edu.errors import ConfigurationError, ValidationError
from unified_edu.models import (
    Assignment,
    AssignmentSpec,
    AssignmentState,
    Class,
    ClassState,
    Enrollment,
    GuardianLink,
    Person,
    Ref,
    Role,
    School,
    Submission,
)
from unified_edu.providers.base import Provider
from unified_edu.registry import get_provider_class
from unified_edu.reports import Period, ProgressReport, ProgressReportBuilder, school_year
from unified_edu.reports._metrics import POSTED_STATES

__all__ = ["ClassLike", "Municipality"]

T = TypeVar("T")
ClassLike = Class | Ref


def _class_ref(value: ClassLike) -> Ref:
    if isinstance(value, Class):
        return value.ref
    if isinstance(value, Ref):
        return value
    raise ValidationError(f"expected a Class or a Ref, got {type(value).__name__}")


class Municipality:
    """A city's tenants on both platforms behind the provider vocabulary.

    Args:
        providers: One provider per tenant; tenant names must be unique.
        city: The city's settings (name, time zone), default Plovdiv's zone.
    """

    def __init__(self, providers: Iterable[Provider], *, city: CityConfig | None = None) -> None:
        self._providers: dict[str, Provider] = {}
        for provider in providers:
            if provider.tenant in self._providers:
                raise ConfigurationError(f"two providers for tenant {provider.tenant!r}")
            self._providers[provider.tenant] = provider
        if not self._providers:
            raise ConfigurationError("a city needs at least one tenant")
        self.city = city or CityConfig()

    @classmethod
    def from_config(cls, config: Config | str | Path) -> Municipality:
        """Build every tenant's provider from a tenants file (see ``unified_edu.config``).

        Raises:
            ConfigurationError: for a bad file, an unknown provider or a missing extra.
        """
        loaded = config if isinstance(config, Config) else load_config(config)
        providers: list[Provider] = []
        try:
            for tenant in loaded.tenants:
                providers.append(
                    get_provider_class(tenant.provider).from_config(tenant, loaded.city)
                )
        except BaseException:
            for provider in providers:
                provider.close()
            raise
        return cls(providers, city=loaded.city)

    # -- tenants ----------------------------------------------------------------------

    @property
    def tenants(self) -> list[str]:
        """The tenants' names, in configuration order."""
        return list(self._providers)

    @property
    def providers(self) -> Mapping[str, Provider]:
        """Tenant name → provider (read-only view)."""
        return dict(self._providers)

    def provider(self, tenant: str | Ref | Class) -> Provider:
        """The provider serving ``tenant`` (a name, or an object's ``ref``)."""
        name = tenant if isinstance(tenant, str) else _class_ref(tenant).tenant
        try:
            return self._providers[name]
        except KeyError:
            raise ConfigurationError(
                f"no tenant {name!r}; tenants: {', '.join(self._providers)}"
            ) from None

    def close(self) -> None:
        """Close every provider."""
        for provider in self._providers.values():
            provider.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- fan-out ----------------------------------------------------------------------

    def _each(
        self,
        read: Callable[[Provider], Iterable[T]],
        tenants: Collection[str] | None = None,
        *,
        at_once: Mapping[str, int] | None = None,
    ) -> Iterator[T]:
        chosen = [p for name, p in self._providers.items() if tenants is None or name in tenants]
        # A small buffer per tenant: a fast tenant waits for the consumer instead of piling
        # up pages, and cannot hold up a quota-bound tenant (the consumer takes in turn).
        # At most TENANTS_AT_ONCE tenants of one platform are read at once (or what
        # `at_once` says per platform): Google's domains share one project quota, so more
        # would only hold more pages in memory.
        limits: dict[Hashable, int] = {p.name: TENANTS_AT_ONCE for p in chosen}
        limits.update(at_once or {})
        return merge(
            [partial(read, p) for p in chosen],
            buffer=8,
            name="unified-edu-tenant",
            groups=[p.name for p in chosen],
            per_group=limits,
        )

    def _by_tenant(self, classes: Iterable[ClassLike]) -> dict[str, list[str]]:
        grouped: dict[str, list[str]] = {}
        for item in classes:
            ref = _class_ref(item)
            self.provider(ref.tenant)  # fail early on an unknown tenant
            grouped.setdefault(ref.tenant, []).append(ref.id)
        if not grouped:
            raise ValidationError("name at least one class", field="classes")
        return grouped

    # -- reads ------------------------------------------------------------------------

    def iter_schools(self, *, tenants: Collection[str] | None = None) -> Iterator[School]:
        """Yield every school of every (or the given) tenant."""
        return self._each(lambda p: p.iter_schools(), tenants)

    def list_schools(self, *, tenants: Collection[str] | None = None) -> list[School]:
        """Every school (see :meth:`iter_schools`)."""
        return list(self.iter_schools(tenants=tenants))

    def iter_classes(
        self,
        *,
        tenants: Collection[str] | None = None,
        states: Collection[ClassState] | None = None,
    ) -> Iterator[Class]:
        """Yield the classes of every (or the given) tenant."""
        return self._each(lambda p: p.iter_classes(states=states), tenants)

    def list_classes(
        self,
        *,
        tenants: Collection[str] | None = None,
        states: Collection[ClassState] | None = None,
    ) -> list[Class]:
        """The classes (see :meth:`iter_classes`)."""
        return list(self.iter_classes(tenants=tenants, states=states))

    def iter_enrollments(
        self, classes: Iterable[ClassLike], *, role: Role | None = None
    ) -> Iterator[Enrollment]:
        """Yield the teachers and students of the given classes, tenants in parallel."""
        grouped = self._by_tenant(classes)
        return self._each(
            lambda p: p.iter_enrollments(grouped[p.tenant], role=role), grouped.keys()
        )

    def iter_assignments(
        self,
        classes: Iterable[ClassLike],
        *,
        states: Collection[AssignmentState] | None = None,
    ) -> Iterator[Assignment]:
        """Yield the homework of the given classes, tenants in parallel."""
        grouped = self._by_tenant(classes)
        return self._each(
            lambda p: p.iter_assignments(grouped[p.tenant], states=states), grouped.keys()
        )

    def iter_submissions(self, classes: Iterable[ClassLike]) -> Iterator[Submission]:
        """Yield the submissions of the given classes, tenants in parallel."""
        grouped = self._by_tenant(classes)
        return self._each(lambda p: p.iter_submissions(grouped[p.tenant]), grouped.keys())

    def iter_classes_of(
        self, people: Mapping[str, str], *, role: Role = Role.STUDENT
    ) -> Iterator[Class]:
        """Yield the classes of one person in several tenants (``{tenant: person id}``),
        tenants in parallel (see :meth:`Provider.iter_classes_of`)."""
        for tenant in people:
            self.provider(tenant)  # fail early on an unknown tenant
        return self._each(lambda p: p.iter_classes_of(people[p.tenant], role=role), people.keys())

    def iter_submissions_of(self, assignments: Iterable[Assignment]) -> Iterator[Submission]:
        """Yield the submissions of homework already read, tenants in parallel (see
        :meth:`Provider.iter_submissions_of`: saves listing the homework again)."""
        grouped: dict[str, list[Assignment]] = {}
        for item in assignments:
            self.provider(item.ref.tenant)  # fail early on an unknown tenant
            grouped.setdefault(item.ref.tenant, []).append(item)
        return self._each(lambda p: p.iter_submissions_of(grouped[p.tenant]), grouped.keys())

    def iter_guardians(self, *, tenants: Collection[str] | None = None) -> Iterator[GuardianLink]:
        """Yield guardian links of every (or the given) tenant."""
        return self._each(lambda p: p.iter_guardians(), tenants)

    def iter_people(
        self,
        *,
        classes: Iterable[ClassLike] | None = None,
        role: Role | None = None,
        tenants: Collection[str] | None = None,
    ) -> Iterator[Person]:
        """Yield people: of the given classes, or everyone each tenant lets the caller see."""
        if classes is None:
            return self._each(lambda p: p.iter_people(role=role), tenants)
        grouped = self._by_tenant(classes)
        return self._each(
            lambda p: p.iter_people(class_ids=grouped[p.tenant], role=role), grouped.keys()
        )

    def get_class(self, ref: Ref) -> Class:
        """One class by reference."""
        return self.provider(ref.tenant).get_class(ref.id)

    def get_assignment(self, klass: ClassLike, assignment_id: str) -> Assignment:
        """One piece of homework of a class."""
        ref = _class_ref(klass)
        return self.provider(ref.tenant).get_assignment(ref.id, assignment_id)

    def find_person(self, email: str) -> list[Person]:
        """Everyone with this e-mail address, in every tenant (a person may be in several).

        Calls each tenant's ``get_person`` concurrently; tenants without them are skipped.
        """
        from unified_edu.errors import NotFoundError

        def lookup(provider: Provider) -> Iterator[Person]:
            try:
                yield provider.get_person(email)
            except NotFoundError:
                return

        return list(self._each(lookup))

    # -- writes -----------------------------------------------------------------------

    def create_assignment(self, klass: ClassLike, spec: AssignmentSpec) -> Assignment:
        """Create homework in one class, on whichever platform it lives."""
        ref = _class_ref(klass)
        return self.provider(ref.tenant).create_assignment(ref.id, spec)

    def set_grade(self, submission: Submission, *, points: float) -> Submission:
        """Set a draft grade on a submission, on whichever platform it lives."""
        return self.provider(submission.ref.tenant).set_grade(
            submission.class_id, submission.assignment_id, submission.ref.id, points=points
        )

    def return_submission(self, submission: Submission) -> Submission:
        """Return a submission and release its grade."""
        return self.provider(submission.ref.tenant).return_submission(
            submission.class_id, submission.assignment_id, submission.ref.id
        )

    # -- the main job -----------------------------------------------------------------

    def progress_report(
        self,
        period: Period | None = None,
        *,
        as_of: dt.datetime | None = None,
        on_progress: Callable[[str, int], None] | None = None,
    ) -> ProgressReport:
        """The municipal progress report for ``period`` (default: this school year).

        Each tenant is read on its own thread, every listing batched inside its provider;
        submissions stream through the report's counters and are never held together.

        Args:
            period: Local dates in the city's zone.
            as_of: "Now" (default: the clock).
            on_progress: Called with (tenant, objects read so far) now and then.
        """
        now = as_of or dt.datetime.now(dt.UTC)
        today = now.astimezone(ZoneInfo(self.city.time_zone)).date()
        chosen = period or school_year(today, self.city.time_zone)
        builder = ProgressReportBuilder(chosen, as_of=now)
        feed: dict[str, Callable[[Any], None]] = {
            "school": builder.add_school,
            "class": builder.add_class,
            "enrollments": builder.add_enrollments,
            "assignments": builder.add_assignments,
            "submissions": builder.add_submissions,
        }
        counts: dict[str, int] = {}
        reading = self._each(_tenant_reader(chosen), at_once=REPORT_TENANTS_AT_ONCE)
        for tenant, kind, payload in reading:
            feed[kind](payload)
            if on_progress is not None:
                counts[tenant] = counts.get(tenant, 0) + (
                    len(payload) if isinstance(payload, list) else 1
                )
                on_progress(tenant, counts[tenant])
        return builder.build()


#: Tenants of one platform read at once: enough that light reads (a request or two per
#: tenant) overlap their round trips, few enough that the pages in flight stay small
#: (Google's domains share one project quota, which far fewer keep busy).
TENANTS_AT_ONCE = 8

#: Tenants of one platform the report reads at once, where it differs from
#: TENANTS_AT_ONCE. Reading a Google domain's submissions is bound by the client's CPU
#: (one interpreter decodes and maps every page), and one domain's batches of 50 already
#: outpace the project's 3,000 calls per minute (≈ 950 calls in ≈ 14 s in a trace of the
#: scale-1 report on the 2-core benchmark machine: ≈ 68 calls/s, against 50). More
#: domains at once would not finish the Google side sooner; they would take the
#: interpreter from the Graph tenants, whose reads are paced by their own quota windows
#: and must fill each window on time (docs/performance.md: scale 1, 4 domains at once
#: 33-34 s, 2 at once 29-31 s, 1 at a time 26-27 s).
REPORT_TENANTS_AT_ONCE: Mapping[str, int] = {"google": 1}

#: Objects handed from a tenant's thread to the report at once (with a buffer of 8 per
#: tenant, at most ~1,800 objects per tenant wait between its thread and the report).
CHUNK = 200


def _tenant_reader(period: Period) -> Callable[[Provider], Iterator[tuple[str, str, Any]]]:
    """Read one tenant in the order the report builder needs, in page-sized chunks."""

    def read(provider: Provider) -> Iterator[tuple[str, str, Any]]:
        tenant = provider.tenant
        for school in provider.iter_schools():
            yield tenant, "school", school
        class_ids: list[str] = []
        for klass in provider.iter_classes():
            class_ids.append(klass.ref.id)
            yield tenant, "class", klass
        if not class_ids:
            return
        # Homework and submissions first: on Graph they are paced by the assignment
        # service's quota, so they start as early as possible. The posted homework is
        # kept (small beside its submissions) so that the submissions are read without
        # listing the classes' homework again; their reading starts (and on Graph reads
        # ahead) before anything is handed over, and the rosters (a quota of their own,
        # far larger; a few objects per pupil) are read meanwhile, instead of after the
        # last submission. The builder counts people when the report is built.
        posted = list(provider.iter_assignments(class_ids, states=POSTED_STATES))
        submissions = provider.iter_submissions_of(posted)
        first = next(submissions, None)
        enrollments = list(provider.iter_enrollments(class_ids))
        yield from _chunked(tenant, "assignments", posted)
        yield from _chunked(tenant, "enrollments", enrollments)
        if first is not None:
            yield from _chunked(tenant, "submissions", itertools.chain([first], submissions))

    return read


def _chunked(tenant: str, kind: str, items: Iterable[Any]) -> Iterator[tuple[str, str, Any]]:
    """``(tenant, kind, list)`` for every :data:`CHUNK` items (the last may be shorter)."""
    stream = iter(items)
    while chunk := list(itertools.islice(stream, CHUNK)):
        yield tenant, kind, chunk
