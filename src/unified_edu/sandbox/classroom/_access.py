"""One call as the handlers see it: who calls, what they may see, and request parsing.

Classroom's access rules live here so that every handler applies them the same way
(reference §3.5, §3.6 and the discovery doc's method descriptions):

- a course is visible to its teachers and students and to its domain's admins; a
  ``PROVISIONED``/``DECLINED`` course only to its owner and admins, a ``SUSPENDED`` one
  only to its owner; an invisible course is answered 404, as if it did not exist;
- "staff" of a course (teachers and domain admins) see everything in it; a token with
  only ``*.me`` coursework scopes sees the student view even for a teacher;
- user ids in paths and filters may be a numeric id, an e-mail or ``"me"``.

This module must not import any platform client.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

import attrs

from unified_edu.sandbox._core import Principal, SandboxRequest
from unified_edu.sandbox.classroom._errors import (
    invalid_argument,
    not_found,
    permission_denied,
)
from unified_edu.sandbox.classroom._ids import IdMint
from unified_edu.sandbox.classroom._paging import Pager, SortKey
from unified_edu.sandbox.classroom._partial import Selection, parse_fields, selects
from unified_edu.sandbox.classroom._store import Course, Store, User

__all__ = ["SCOPE_PREFIX", "Call", "Env", "listing", "micros", "scope_url"]

T = TypeVar("T")
SCOPE_PREFIX = "https://www.googleapis.com/auth/"


def scope_url(name: str) -> str:
    """A full scope URL from ``classroom.courses`` or the URL itself."""
    return name if name.startswith("https://") else SCOPE_PREFIX + name


@attrs.define
class Env:
    """What lives as long as the app: the store, id mint, pager, clock and limits."""

    store: Store
    mint: IdMint
    pager: Pager
    clock: Callable[[], dt.datetime]
    page_size_cap: int


def _camel(name: str) -> str:
    head, *rest = name.strip().split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


class Call:
    """One authenticated call being handled.

    Args:
        env: The app's state.
        request: The HTTP call.
        principal: Who calls.
        params: Path parameters, percent-decoded.
    """

    def __init__(
        self, env: Env, request: SandboxRequest, principal: Principal, params: Mapping[str, str]
    ) -> None:
        self.env = env
        self.store = env.store
        self.request = request
        self.principal = principal
        self.params = dict(params)

    # -- who calls ---------------------------------------------------------------------

    @functools.cached_property
    def caller(self) -> User:
        """The calling user; a token whose subject is no Classroom user may do nothing."""
        user = self.store.user_by_email(self.principal.subject)
        if user is None:
            raise permission_denied()
        return user

    @property
    def project(self) -> str:
        """The caller's developer project (coursework ownership)."""
        return self.principal.project

    def now(self) -> dt.datetime:
        """The sandbox's current time (UTC)."""
        return self.env.clock()

    def has_scope(self, *names: str) -> bool:
        """Whether the token carries any of these scopes."""
        return any(scope_url(n) in self.principal.scopes for n in names)

    def is_admin(self, tenant: str | None = None) -> bool:
        """Whether the caller administers ``tenant`` (default: the token's tenant)."""
        target = tenant if tenant is not None else self.principal.tenant
        return self.caller.role == "admin" and self.caller.tenant == target

    # -- users -------------------------------------------------------------------------

    def user(self, ident: str) -> User | None:
        """Resolve a numeric id, an e-mail or ``"me"``; 400 for any other shape."""
        if ident == "me":
            return self.caller
        if "@" in ident:
            return self.store.user_by_email(ident)
        if ident.isdigit():
            return self.store.users.get(ident)
        raise invalid_argument()

    def existing_user(self, ident: str) -> User:
        """Like :meth:`user`, but 404 when nobody has that id."""
        found = self.user(ident)
        if found is None:
            raise not_found()
        return found

    # -- courses -----------------------------------------------------------------------

    def can_see(self, course: Course) -> bool:
        """Course visibility (see the module docstring)."""
        uid = self.caller.id
        if course.state == "SUSPENDED":
            return uid == course.owner_id
        admin = self.is_admin(course.tenant)
        if course.state in ("PROVISIONED", "DECLINED"):
            return admin or uid == course.owner_id
        return admin or uid in course.teacher_ids or uid in course.student_ids

    def course_record(self, ident: str) -> Course:
        """The course with this id or alias, visible or not; 404 when missing.

        Accepts a Classroom id or an alias (``d:`` domain-wide, ``p:`` only for the
        project that made it).
        """
        course_id = ident
        if ident.startswith(("d:", "p:")):
            alias = self.store.aliases.get(ident)
            if alias is None or (ident.startswith("p:") and alias[1] != self.project):
                raise not_found()
            course_id = alias[0]
        found = self.store.courses.get(course_id)
        if found is None:
            raise not_found()
        return found

    def course(self, ident: str | None = None) -> Course:
        """The course named by ``ident`` (default: the ``courseId`` path parameter).

        404 when missing or invisible to the caller (Classroom does not tell them apart).
        """
        found = self.course_record(ident if ident is not None else self.params["courseId"])
        if not self.can_see(found):
            raise not_found()
        return found

    def is_teacher(self, course: Course) -> bool:
        """Whether the caller teaches ``course`` (the owner is always a teacher)."""
        return self.caller.id in course.teacher_ids or self.caller.id == course.owner_id

    def is_staff(self, course: Course) -> bool:
        """Teachers of the course and its domain's admins."""
        return self.is_teacher(course) or self.is_admin(course.tenant)

    def coursework_staff_view(self, course: Course) -> bool:
        """Staff holding a ``*.students`` scope see everything; ``*.me`` gets the student view.

        The discovery doc says lists factor in "the OAuth scopes of the request".
        """
        return self.is_staff(course) and self.has_scope(
            "classroom.coursework.students",
            "classroom.coursework.students.readonly",
            "classroom.student-submissions.students.readonly",
        )

    def require_teacher(self, course: Course) -> None:
        """403 unless the caller teaches the course (admins who do not teach included)."""
        if not self.is_teacher(course):
            raise permission_denied()

    # -- request parsing ---------------------------------------------------------------

    @functools.cached_property
    def selection(self) -> Selection | None:
        """The parsed ``fields`` parameter (partial response), if any."""
        raw = self.request.param("fields")
        return parse_fields(raw) if raw else None

    def selects(self, *path: str) -> bool:
        """Whether the answer keeps the field at ``path`` (so it is worth building)."""
        return selects(self.selection, *path)

    def body(self) -> dict[str, Any]:
        """The JSON body as an object; 400 for anything else."""
        try:
            payload = self.request.json()
        except (ValueError, UnicodeDecodeError):
            raise invalid_argument("Invalid JSON payload received.") from None
        if payload is None:
            return {}
        if not isinstance(payload, dict):
            raise invalid_argument("Invalid JSON payload received.")
        return payload

    def checked_body(self, known: Iterable[str], resource: str) -> dict[str, Any]:
        """The body, rejecting names its schema does not have, as Google's JSON parser does."""
        payload = self.body()
        names = frozenset(known)
        for name in payload:
            if name not in names:
                raise invalid_argument(
                    f'Invalid JSON payload received. Unknown name "{name}" at '
                    f"'{resource}': Cannot find field."
                )
        return payload

    def mask(self, allowed: Iterable[str]) -> list[str]:
        """The ``updateMask`` as camelCase names; 400 when missing, empty or not allowed.

        Google accepts both the snake_case names its docs list and camelCase.
        """
        raw = self.request.param("updateMask") or ""
        fields = [_camel(part) for part in raw.split(",") if part.strip()]
        allowed_set = frozenset(allowed)
        if not fields or any(field not in allowed_set for field in fields):
            raise invalid_argument()
        return fields

    def enums(self, name: str, allowed: Iterable[str]) -> list[str]:
        """A repeated enum query parameter; 400 for a value outside ``allowed``."""
        values = list(self.request.query.get(name, ()))
        allowed_set = frozenset(allowed)
        if any(v not in allowed_set for v in values):
            raise invalid_argument()
        return values

    def page(
        self, items: Sequence[T], key: Callable[[T], SortKey], *, cap: int | None = None
    ) -> tuple[list[T], str | None]:
        """One page of ``items`` for this request."""
        limit = min(cap, self.env.page_size_cap) if cap else self.env.page_size_cap
        return self.env.pager.page(items, key, self.request, self.principal, cap=limit)


def micros(value: dt.datetime) -> int:
    """Microseconds since the epoch: an exact integer sort key for a timestamp."""
    return int(value.timestamp()) * 1_000_000 + value.microsecond


def listing(name: str, items: list[dict[str, Any]], token: str | None) -> dict[str, Any]:
    """A list response: empty lists and the last page's token are left out (proto3)."""
    payload: dict[str, Any] = {}
    if items:
        payload[name] = items
    if token:
        payload["nextPageToken"] = token
    return payload
