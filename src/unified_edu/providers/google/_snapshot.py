"""The Google provider's whole-domain read: every listing of a domain in one scheduler run.

:meth:`SnapshotMixin._iter_snapshot` lists the courses, then sends every per-course
listing (courseWork, submissions, teachers, students, topics) and the domain's guardian
listings through *one* :func:`unified_edu._batch.iter_batched` run, so listings of
different kinds share batches and only the last batches of the whole read are part
filled (a read through the separate ``iter_*`` methods ends each of them so). Items are
mapped by the same helpers as the single reads (``_reads.py``).

Order: classes first, as their pages arrive. A course's submission pages are held back
while its courseWork listing is unfinished (its maxima unknown, and homework must come
before its submissions); courseWork listings go first in the call order, so they usually
finish in the first round and almost nothing is held.

Only :mod:`unified_edu.providers.google` imports this module.
"""

from __future__ import annotations

from collections.abc import Iterator

from unified_edu._batch import Page
from unified_edu.providers._backend import SnapshotItem
from unified_edu.providers.google import _mapping as mapping
from unified_edu.providers.google import _mapping_work as work_mapping
from unified_edu.providers.google._core import Listing
from unified_edu.providers.google._reads import ALL_WORK_STATES, ReadsMixin, guardian_listings

__all__ = ["SnapshotMixin"]


class _Progress:
    """What one snapshot run knows: owners, open courseWork listings, held pages, maxima.

    Maxima are kept here per course, not only in the provider's bounded cache (which a
    large domain's homework could overflow before the submissions arrive), and dropped
    once the course's submissions are all read.
    """

    def __init__(self, owners: dict[str, str | None]) -> None:
        self.owners = owners
        self.open_work = set(owners)
        self.held: dict[str, list[Page[Listing]]] = {}
        self.maxima: dict[str, dict[str, float | None]] = {}


class SnapshotMixin(ReadsMixin):
    """The whole-domain read (see the module docstring)."""

    def _iter_snapshot(self, *, guardians: bool) -> Iterator[SnapshotItem]:
        """Every class, enrollment, category, homework (all states), submission and, with
        ``guardians``, guardian link of the domain.

        Calls: GET /v1/courses (every page, every state); then, batched together,
        GET .../courseWork?courseWorkStates=DELETED&...=DRAFT&...=PUBLISHED,
        GET .../courseWork/-/studentSubmissions, GET .../teachers, GET .../students and
        GET .../topics per course, and GET /v1/userProfiles/-/guardians and
        GET /v1/userProfiles/-/guardianInvitations?states=COMPLETE&states=PENDING.
        """
        owners: dict[str, str | None] = {}
        for _, course in self._items([Listing("courses")]):
            klass = self._class(course)
            owners[klass.ref.id] = klass.owner_id or None
            yield klass
        listings = [
            Listing(kind, course, states=ALL_WORK_STATES if kind == "courseWork" else ())
            for kind in ("courseWork", "submissions", "teachers", "students", "topics")
            for course in owners
        ]
        if guardians:
            listings += guardian_listings("-")
        progress = _Progress(owners)
        for page in self._pages(listings):
            yield from self._snapshot_page(page, progress)

    def _snapshot_page(self, page: Page[Listing], progress: _Progress) -> Iterator[SnapshotItem]:
        listing = page.call.key
        if listing.kind == "courseWork":
            yield from self._snapshot_work(page, progress)
        elif listing.kind == "submissions":
            if listing.parent in progress.open_work:
                progress.held.setdefault(listing.parent, []).append(page)
            else:
                yield from self._snapshot_submissions(page, progress)
        elif listing.kind == "topics":
            yield from (mapping.to_category(topic, self._ref) for topic in page.items)
        elif listing.kind in ("teachers", "students"):
            owner = progress.owners.get(listing.parent)
            yield from (self._enrollment(listing, member, owner) for member in page.items)
        else:
            yield from (self._guardian_link(listing, item) for item in page.items)

    def _snapshot_work(self, page: Page[Listing], progress: _Progress) -> Iterator[SnapshotItem]:
        # The course's homework; after its last page, the submissions held for it.
        course = page.call.key.parent
        maxima = progress.maxima.setdefault(course, {})
        for work in page.items:
            assignment = self._assignment(work)
            maxima[assignment.ref.id] = assignment.max_points
            yield assignment
        if page.next_token is None:
            progress.open_work.discard(course)
            for held in progress.held.pop(course, ()):
                yield from self._snapshot_submissions(held, progress)

    def _snapshot_submissions(
        self, page: Page[Listing], progress: _Progress
    ) -> Iterator[SnapshotItem]:
        # Reached only once the course's courseWork listing is finished.
        course = page.call.key.parent
        maxima = progress.maxima.get(course, {})
        for sub in page.items:
            max_points = maxima.get(sub["courseWorkId"])
            yield work_mapping.to_submission(sub, self._ref, max_points=max_points)
        if page.next_token is None:
            progress.maxima.pop(course, None)
