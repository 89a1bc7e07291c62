"""State and helpers shared by the Google provider's read, write and grading mixins.

Owns what every mixin needs: the transport, the tenant's refs, the course → owner and
course → teacher caches (for choosing whom to impersonate), the bounded cache of
homework maxima (for grade validation) and batched paginated listing through
:func:`unified_edu._batch.iter_batched`. It builds no request bodies (``_bodies.py``) and
maps no JSON (``_mapping.py``).

Only :mod:`unified_edu.providers.google` imports this module.
"""

from __future__ import annotations

import collections
import datetime as dt
import threading
from collections.abc import Callable, Hashable, Iterable, Iterator
from typing import Any, Generic, TypeVar

import attrs

from unified_edu._batch import Call, Page, iter_batched
from unified_edu.errors import (
    ConfigurationError,
    ServiceUnavailableError,
    TransportError,
    UnifiedEduError,
)
from unified_edu.models import Class
from unified_edu.providers.base import Provider
from unified_edu.providers.google import _mapping as mapping
from unified_edu.providers.google._org_units import (
    DIRECTORY_PAGE_SIZE,
    USER_FIELDS,
    OrgUnits,
    UserDirectory,
)
from unified_edu.providers.google._transport import Transport, resource

__all__ = ["BATCH_SIZE", "PAGE_SIZE", "Bounded", "Core", "Listing"]

KT = TypeVar("KT", bound=Hashable)
VT = TypeVar("VT")
T = TypeVar("T")

#: Classroom accepts at most 50 calls per batch (reference §4.2).
BATCH_SIZE = 50
#: Asked on every list; the server caps it (rosters at 30), so pages are always followed.
PAGE_SIZE = 1000
_CACHE_SIZE = 10_000
#: Failures after which a write may or may not have happened.
AMBIGUOUS: tuple[type[UnifiedEduError], ...] = (TransportError, ServiceUnavailableError)


@attrs.frozen
class Listing:
    """One paginated listing (the key of a batched :class:`Call`).

    Attributes:
        kind: ``courses``, ``course`` (one ``courses.get``), ``studentCourses`` and
            ``teacherCourses`` (a user's courses), ``students``, ``teachers``,
            ``courseWork``, ``submissions``, ``topics``, ``guardians`` or
            ``guardianInvitations``.
        parent: The course id; the student id (``"-"``: every student) for guardians;
            the user id for a user's courses.
        states: Repeated state filter (``courseStates``, ``courseWorkStates``, ``states``).
        item: ``courseWorkId`` for submissions (``"-"``: every item of the course).
    """

    kind: str
    parent: str = ""
    states: tuple[str, ...] = ()
    item: str = "-"


# Each kind: the JSON field holding the items ("" for a single object) and the request
# (built on the service's kept resources: see _transport.resource).
_Builder = Callable[[Any, Listing, dict[str, Any]], Any]
_KINDS: dict[str, tuple[str, _Builder]] = {
    "courses": (
        "courses",
        lambda s, k, p: resource(s, "courses").list(courseStates=list(k.states) or None, **p),
    ),
    # A person's courses: ``parent`` is the user, ``item`` says how they take part.
    "studentCourses": (
        "courses",
        lambda s, k, p: resource(s, "courses").list(studentId=k.parent, **p),
    ),
    "teacherCourses": (
        "courses",
        lambda s, k, p: resource(s, "courses").list(teacherId=k.parent, **p),
    ),
    "course": ("", lambda s, k, p: resource(s, "courses").get(id=k.parent)),
    "students": (
        "students",
        lambda s, k, p: resource(s, "courses", "students").list(courseId=k.parent, **p),
    ),
    "teachers": (
        "teachers",
        lambda s, k, p: resource(s, "courses", "teachers").list(courseId=k.parent, **p),
    ),
    # Without courseWorkStates Classroom lists PUBLISHED only: the states are always sent.
    "courseWork": (
        "courseWork",
        lambda s, k, p: resource(s, "courses", "courseWork").list(
            courseId=k.parent, courseWorkStates=list(k.states), **p
        ),
    ),
    "submissions": (
        "studentSubmissions",
        lambda s, k, p: resource(s, "courses", "courseWork", "studentSubmissions").list(
            courseId=k.parent, courseWorkId=k.item, **p
        ),
    ),
    "topics": (
        "topic",
        lambda s, k, p: resource(s, "courses", "topics").list(courseId=k.parent, **p),
    ),
    "guardians": (
        "guardians",
        lambda s, k, p: resource(s, "userProfiles", "guardians").list(studentId=k.parent, **p),
    ),
    "guardianInvitations": (
        "guardianInvitations",
        lambda s, k, p: resource(s, "userProfiles", "guardianInvitations").list(
            studentId=k.parent, states=list(k.states) or None, **p
        ),
    ),
}


def _request(service: Any, call: Call[Listing]) -> Any:
    page: dict[str, Any] = {"pageSize": PAGE_SIZE}
    if call.token:
        page["pageToken"] = call.token
    key = call.key
    if key.kind == "course":
        page = {}
    return _KINDS[key.kind][1](service, key, page)


def _read(call: Call[Listing], response: Any) -> Page[Listing]:
    payload = response or {}
    field = _KINDS[call.key.kind][0]
    if not field:
        return Page(call, items=(payload,))
    return Page(call, items=payload.get(field, ()), next_token=payload.get("nextPageToken"))


class Bounded(Generic[KT, VT]):
    """A thread-safe mapping that forgets its least recently used entries."""

    def __init__(self, size: int = _CACHE_SIZE) -> None:
        self._size = size
        self._lock = threading.Lock()
        self._data: collections.OrderedDict[KT, VT] = collections.OrderedDict()

    def get(self, key: KT) -> tuple[bool, VT | None]:
        """``(True, value)`` when known, else ``(False, None)``."""
        with self._lock:
            if key not in self._data:
                return False, None
            self._data.move_to_end(key)
            return True, self._data[key]

    def put(self, key: KT, value: VT) -> None:
        """Remember ``value`` (evicting the oldest entry when full)."""
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self._size:
                self._data.popitem(last=False)

    def __contains__(self, key: object) -> bool:
        with self._lock:
            return key in self._data


class Core(Provider):
    """The shared part of :class:`GoogleClassroomProvider` (see its docstring)."""

    name = "google"
    #: ``maxResults`` of the Directory listing (its maximum).
    _directory_page_size = DIRECTORY_PAGE_SIZE

    def __init__(
        self,
        *,
        tenant: str,
        transport: Transport,
        domain: str,
        school_name: str,
        org_units: OrgUnits | None,
        time_zone: dt.tzinfo,
        allow_extra_credit: bool,
        concurrency: int,
    ) -> None:
        super().__init__(tenant=tenant)
        self._transport = transport
        self.domain = domain
        self.school_name = school_name
        self.org_units = org_units
        self._directory = UserDirectory(self._directory_pages)
        self._zone = time_zone
        self._allow_extra_credit = allow_extra_credit
        self._concurrency = max(1, concurrency)
        self._ref = mapping.ref_maker(tenant)
        self._lock = threading.Lock()
        self._owners: dict[str, str] = {}
        self._teachers: dict[str, str] = {}
        self._maxima: Bounded[tuple[str, str], float | None] = Bounded()
        # Coursework this provider created, and client keys → coursework ids.
        self._created_work: Bounded[str, None] = Bounded()
        self._client_keys: Bounded[tuple[str, str], str] = Bounded()

    # -- listing ------------------------------------------------------------------------

    def _pages(
        self,
        listings: Iterable[Listing],
        subject: str | None = None,
        follow: Callable[[Page[Listing]], Iterable[Call[Listing]]] | None = None,
    ) -> Iterator[Page[Listing]]:
        """Every page of the listings, batched ≤ 50, continuations in later batches;
        ``follow`` adds listings a page makes possible (see ``iter_batched``).

        Raises:
            UnifiedEduError: The first listing that failed for good (404 for an unknown
                class, 403 ...).
        """
        transport = self._transport
        pages = iter_batched(
            (Call(listing) for listing in listings),
            lambda batch: transport.send(subject, batch, _request, _read),
            batch_size=BATCH_SIZE,
            retry=transport.retry,
            concurrency=self._concurrency,
            follow=follow,
        )
        for page in pages:
            if page.error is not None:
                raise page.error
            yield page

    def _items(
        self, listings: Iterable[Listing], subject: str | None = None
    ) -> Iterator[tuple[Listing, Any]]:
        """Each item of the listings with the listing it came from, page by page."""
        for page in self._pages(listings, subject):
            for item in page.items:
                yield page.call.key, item

    # -- caches -------------------------------------------------------------------------

    def _directory_pages(self) -> Iterator[Any]:
        """Every page of the domain's users (as the admin; see ``_org_units.py``).

        Calls: GET admin/directory/v1/users?domain=...&projection=basic&maxResults=500
        &fields=nextPageToken,users(id,primaryEmail,orgUnitPath) (every page).
        """

        def request(token: str | None) -> Callable[[Any], Any]:
            return lambda s: resource(s, "users").list(
                domain=self.domain,
                projection="basic",
                maxResults=self._directory_page_size,
                fields=USER_FIELDS,
                pageToken=token,
            )

        token: str | None = None
        while True:
            page = self._transport.execute(None, request(token), api="directory")
            yield page
            token = page.get("nextPageToken")
            if not token:
                return

    def _school_id(self, owner_id: str | None) -> str:
        """The school of a class owned by ``owner_id``: its OU's, else the domain's."""
        if self.org_units is None or not owner_id:
            return self.domain
        path = self._directory.org_unit_of(owner_id)
        return self.org_units.school_of(path) or self.domain

    def _class(self, course: Any) -> Class:
        """Map a course and remember its owner (for ``is_owner`` and impersonation)."""
        school = self._school_id(course.get("ownerId"))
        mapped = mapping.to_class(course, self._ref, school_id=school)
        if mapped.owner_id:
            with self._lock:
                self._owners[mapped.ref.id] = mapped.owner_id
        return mapped

    def _owner(self, class_id: str) -> str:
        """The course's ``ownerId`` (cached). Calls: GET /v1/courses/{id} when unknown."""
        with self._lock:
            known = self._owners.get(class_id)
        if known is not None:
            return known
        course = self._transport.execute(None, lambda s: s.courses().get(id=class_id))
        return self._class(course).owner_id or ""

    def _known_owners(self, class_ids: Iterable[str]) -> dict[str, str]:
        """Owners of the classes, fetching unknown ones in batches of ``courses.get``."""
        wanted = tuple(class_ids)
        with self._lock:
            missing = [c for c in wanted if c not in self._owners]
        for _, course in self._items(Listing("course", c) for c in missing):
            self._class(course)
        with self._lock:
            return {c: self._owners[c] for c in wanted if c in self._owners}

    def _teacher(self, class_id: str) -> str | None:
        """Whom to impersonate for coursework writes and grading in ``class_id``.

        With domain-wide delegation: the course owner's e-mail (a teacher of the course;
        Classroom refuses coursework writes from admins who do not teach). Without
        delegation: ``None`` (every call runs as the credential's own user).

        Calls: GET /v1/courses/{id} (unless cached) and
        GET /v1/courses/{courseId}/teachers/{userId}, once per class.

        Raises:
            ConfigurationError: When the owner's e-mail is not visible (the
                ``classroom.profile.emails`` scope is missing).
        """
        if not self._transport.auth.delegated:
            return None
        with self._lock:
            known = self._teachers.get(class_id)
        if known is not None:
            return known
        owner = self._owner(class_id)
        member = self._transport.execute(
            None, lambda s: s.courses().teachers().get(courseId=class_id, userId=owner)
        )
        email = (member.get("profile") or {}).get("emailAddress")
        if not email:
            raise ConfigurationError(
                "cannot impersonate the course's teacher: their e-mail is not visible; "
                "grant the classroom.profile.emails scope to the service account",
                field="scopes",
            )
        with self._lock:
            self._teachers[class_id] = email
        return str(email)

    def _remember_max(self, class_id: str, assignment_id: str, max_points: float | None) -> None:
        self._maxima.put((class_id, assignment_id), max_points)

    def _cached_max(self, class_id: str, assignment_id: str) -> tuple[bool, float | None]:
        return self._maxima.get((class_id, assignment_id))

    def _max_points(self, class_id: str, assignment_id: str) -> float | None:
        """The homework's maximum (``None``: ungraded), fetched once and cached.

        Calls: GET /v1/courses/{courseId}/courseWork/{id} when not cached.
        """
        known, value = self._cached_max(class_id, assignment_id)
        if known:
            return value
        work = self._transport.execute(
            None, lambda s: s.courses().courseWork().get(courseId=class_id, id=assignment_id)
        )
        value = work.get("maxPoints") or None
        self._remember_max(class_id, assignment_id, value)
        return value

    # -- ambiguous writes ---------------------------------------------------------------

    def _once(self, write: Callable[[], T], find: Callable[[], T | None]) -> T:
        """Run a non-idempotent ``write`` so that it takes effect at most once.

        When the write fails ambiguously (the connection dropped, a 5xx: it may have been
        applied), ``find`` looks for its effect first; only when nothing is found is the
        write tried again (with the retry policy's backoff and attempt cap).

        Raises:
            UnifiedEduError: The write's error when it failed for sure, or the last
                ambiguous failure once the attempts are used up.
        """
        policy = self._transport.retry
        attempt = 0
        while True:
            attempt += 1
            try:
                return write()
            except AMBIGUOUS as exc:
                found = find()
                if found is not None:
                    return found
                if attempt >= policy.max_attempts:
                    raise
                policy.sleep(policy.backoff(attempt, exc))
