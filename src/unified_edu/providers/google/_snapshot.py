"""The Google provider's whole-domain read: every listing of a domain in one scheduler run.

Why one run: the read of a domain needs as many HTTP requests as its longest chain of
dependent pages (a page needs the previous page's token) or its calls / 50, whichever is
larger, and a chain can only be hidden behind other work if it starts early.
:meth:`SnapshotMixin._iter_snapshot` therefore sends the first page of courses together
with the domain's guardian listings (which need no course, and are the longest chains of
a domain with many guardians), and every courses page adds its courses' listings to the
*same* :func:`unified_edu._batch.iter_batched` run (``follow``): per course its
courseWork and submissions side by side (submission listings are the long ones; next to
their course's courseWork they rarely have to be held), then the rosters and topics.
Listings of every kind share batches, and only the last batches of the whole read are
part filled. Items are mapped by the same helpers as the single reads (``_reads.py``).

Order: a class comes as soon as its courses page arrives, before any listing of it is
even sent. A course's submission pages are held back while its courseWork listing is
unfinished (its maxima unknown, and homework must come before its submissions).

Only :mod:`unified_edu.providers.google` imports this module.
"""

from __future__ import annotations

from collections.abc import Iterator

from unified_edu._batch import Call, Page
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

    def __init__(self) -> None:
        self.owners: dict[str, str | None] = {}
        self.open_work: set[str] = set()
        self.held: dict[str, list[Page[Listing]]] = {}
        self.maxima: dict[str, dict[str, float | None]] = {}


def _course_listings(page: Page[Listing]) -> list[Call[Listing]]:
    """The listings a page of courses makes possible (``follow`` of the snapshot run)."""
    if page.call.key.kind != "courses":
        return []
    ids = [course["id"] for course in page.items]
    listings = [
        listing
        for course in ids
        for listing in (
            Listing("courseWork", course, states=ALL_WORK_STATES),
            Listing("submissions", course),
        )
    ]
    listings += [
        Listing(kind, course) for kind in ("teachers", "students", "topics") for course in ids
    ]
    return [Call(listing) for listing in listings]


class SnapshotMixin(ReadsMixin):
    """The whole-domain read (see the module docstring)."""

    def _iter_snapshot(self, *, guardians: bool) -> Iterator[SnapshotItem]:
        """Every class, enrollment, category, homework (all states), submission and, with
        ``guardians``, guardian link of the domain.

        Calls, all in batches of one run: GET /v1/courses (every page, every state),
        GET /v1/userProfiles/-/guardians and
        GET /v1/userProfiles/-/guardianInvitations?states=COMPLETE&states=PENDING (with
        ``guardians``), and per course GET .../courseWork?courseWorkStates=DELETED&...
        =DRAFT&...=PUBLISHED, GET .../courseWork/-/studentSubmissions, GET .../teachers,
        GET .../students and GET .../topics.
        """
        progress = _Progress()
        first = [Listing("courses"), *(guardian_listings("-") if guardians else ())]
        for page in self._pages(first, follow=_course_listings):
            yield from self._snapshot_page(page, progress)

    def _snapshot_page(self, page: Page[Listing], progress: _Progress) -> Iterator[SnapshotItem]:
        listing = page.call.key
        if listing.kind == "courses":
            for course in page.items:
                klass = self._class(course)
                progress.owners[klass.ref.id] = klass.owner_id or None
                progress.open_work.add(klass.ref.id)
                yield klass
        elif listing.kind == "courseWork":
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
