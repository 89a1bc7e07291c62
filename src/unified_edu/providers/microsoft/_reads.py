"""Reading a Microsoft tenant at the fewest requests: async generators of model objects.

Owns which Graph collections each read lists and how: the largest page (``$top``),
``$select`` where it cuts payload, ``$expand=categories,resources`` on assignments and
``$expand=outcomes`` on submissions, every per-class and per-assignment listing packed
into ``$batch`` requests (:mod:`._listing`). Objects are yielded a page at a time (a list
per page: the sync side then crosses threads once per page, not per object); nothing
is held whole but the few ids a later phase needs (teacher ids per class, assignment
ids and maximum points).

Calls: GET /education/schools, /education/classes, /education/schools/{id}/classes,
/education/users, /education/users/{id}, /education/classes/{id}/members,
/education/classes/{id}/teachers, /education/classes/{id}/assignmentCategories,
/education/classes/{id}/assignments, /education/classes/{id}/assignments/{id}/submissions.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Iterable
from typing import Any, TypeVar
from urllib.parse import quote

from unified_edu.models import (
    Assignment,
    AssignmentState,
    Category,
    Class,
    Enrollment,
    GuardianLink,
    Person,
    Role,
    School,
    Submission,
)
from unified_edu.providers.microsoft import _mapping as m
from unified_edu.providers.microsoft._context import GraphContext
from unified_edu.providers.microsoft._listing import Listing, run_listings
from unified_edu.providers.microsoft._wire import as_dict

__all__ = [
    "aiter_assignments",
    "aiter_categories",
    "aiter_classes",
    "aiter_classes_of",
    "aiter_enrollments",
    "aiter_guardians",
    "aiter_people",
    "aiter_schools",
    "aiter_submissions",
    "aiter_submissions_of",
]

log = logging.getLogger("unified_edu.microsoft")
T = TypeVar("T")

# Stand-in ids of a URL pattern (no Graph id looks like them).
_CLASS, _HOMEWORK = "unified-edu-class-id", "unified-edu-homework-id"

#: Assignment properties a submissions read needs from its homework.
_ASSIGNMENT_KEYS = ["id", "status", "grading"]


def _safe(what: str, mapper: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
    """Map one item; an item that cannot be mapped at all (no id) is skipped, logged."""
    try:
        return mapper(*args, **kwargs)
    except ValueError as exc:
        log.warning("skipping a Graph %s that cannot be mapped: %s", what, exc)
        return None


async def aiter_schools(ctx: GraphContext) -> AsyncIterator[list[School]]:
    """Every school. Calls: GET /education/schools."""
    listing = Listing("schools", ctx.list_url(ctx.education.schools))
    async for _, items in run_listings(ctx, [listing]):
        page: list[Any] = []
        for item in items:
            if (
                school := _safe("school", m.to_school, as_dict(item), tenant=ctx.tenant)
            ) is not None:
                page.append(school)
        if page:
            yield page


async def _class_schools(ctx: GraphContext) -> dict[str, str]:
    """Class id → school id, from each school's class list (ids only)."""
    schools = [s.ref.id async for page in aiter_schools(ctx) for s in page]
    listings = [
        Listing(
            "school_classes",
            ctx.list_url(ctx.education.schools.by_education_school_id(sid).classes, select=["id"]),
            (sid,),
        )
        for sid in schools
    ]
    owner: dict[str, str] = {}
    async for listing, items in run_listings(ctx, listings):
        for item in items:
            owner.setdefault(str(as_dict(item).get("id")), listing.ids[0])
    return owner


async def aiter_classes(ctx: GraphContext, school_id: str | None) -> AsyncIterator[list[Class]]:
    """The classes the caller sees, each with its school when known.

    Calls: GET /education/schools/{id}/classes (one school), else GET /education/schools,
    /education/schools/{id}/classes?$select=id (batched) and GET /education/classes.
    """
    if school_id is not None:
        builder = ctx.education.schools.by_education_school_id(school_id).classes
        listing = Listing("classes", ctx.list_url(builder), (school_id,))
        owner: dict[str, str] = {}
    else:
        owner = await _class_schools(ctx)
        listing = Listing("classes", ctx.list_url(ctx.education.classes))
    async for _, items in run_listings(ctx, [listing], skip_missing=False):
        page: list[Any] = []
        for item in items:
            payload = as_dict(item)
            where = school_id or owner.get(str(payload.get("id")))
            found = _safe("class", m.to_class, payload, tenant=ctx.tenant, school_id=where)
            if found is not None:
                page.append(found)
        if page:
            yield page


async def aiter_classes_of(
    ctx: GraphContext, person_id: str, role: Role
) -> AsyncIterator[list[Class]]:
    """The user's classes: those they are a member of, or with ``Role.TEACHER`` those they
    teach. Graph gives no school here (``school_id`` is ``None``).

    Calls: GET /education/users/{id}/classes or …/taughtClasses.
    """
    user = ctx.education.users.by_education_user_id(person_id)
    builder = user.taught_classes if role is Role.TEACHER else user.classes
    listing = Listing("classes", ctx.list_url(builder), (person_id,))
    async for _, items in run_listings(ctx, [listing], skip_missing=False):
        page = [
            found
            for item in items
            if (found := _safe("class", m.to_class, as_dict(item), tenant=ctx.tenant)) is not None
        ]
        if page:
            yield page


def _roster(ctx: GraphContext, kind: str, class_id: str, select: list[str] | None) -> Listing:
    klass = ctx.education.classes.by_education_class_id(class_id)
    builder = klass.teachers if kind == "teachers" else klass.members
    options: dict[str, Any] = {"select": select} if select else {}
    return Listing(kind, ctx.list_url(builder, **options), (class_id,))


async def aiter_enrollments(
    ctx: GraphContext, class_ids: Iterable[str], role: Role | None
) -> AsyncIterator[list[Enrollment]]:
    """Teachers, then students (members who are not teachers) of the classes.

    Two phases, each batched across classes: teachers first, so that a member who also
    teaches is never reported as a student. For students only, teachers are read with
    ``$select=id``. Calls: GET /education/classes/{id}/teachers, …/members.
    """
    classes = list(class_ids)
    teachers: dict[str, set[str]] = {c: set() for c in classes}
    select = ["id"] if role is Role.STUDENT else None
    async for listing, items in run_listings(
        ctx, [_roster(ctx, "teachers", c, select) for c in classes]
    ):
        class_id = listing.ids[0]
        page: list[Any] = []
        for item in items:
            payload = as_dict(item)
            teachers[class_id].add(str(payload.get("id")))
            if role in (None, Role.TEACHER):
                found = _safe(
                    "teacher", m.to_enrollment, class_id, payload, Role.TEACHER, tenant=ctx.tenant
                )
                if found is not None:
                    page.append(found)
        if page:
            yield page
    if role is Role.TEACHER:
        return
    async for listing, items in run_listings(
        ctx, [_roster(ctx, "members", c, None) for c in classes]
    ):
        class_id = listing.ids[0]
        page = []
        for item in items:
            payload = as_dict(item)
            if str(payload.get("id")) in teachers[class_id]:
                continue
            found = _safe(
                "member", m.to_enrollment, class_id, payload, Role.STUDENT, tenant=ctx.tenant
            )
            if found is not None:
                page.append(found)
        if page:
            yield page


async def aiter_people(
    ctx: GraphContext, class_ids: Iterable[str] | None, role: Role | None
) -> AsyncIterator[list[Person]]:
    """People of the classes (each once), or every education user (app-only).

    ``role`` filters on the person's ``primaryRole``. Calls: GET /education/users, or
    GET /education/classes/{id}/teachers and (unless only teachers are asked for)
    …/members (batched).
    """
    seen: set[str] = set()
    if class_ids is None:
        listings = [Listing("users", ctx.list_url(ctx.education.users))]
    else:
        classes = list(class_ids)
        kinds = ("teachers",) if role is Role.TEACHER else ("teachers", "members")
        listings = [_roster(ctx, kind, c, None) for kind in kinds for c in classes]
    async for _, items in run_listings(ctx, listings):
        page: list[Any] = []
        for item in items:
            person = _safe("user", m.to_person, as_dict(item), tenant=ctx.tenant)
            if person is None or person.ref.id in seen:
                continue
            seen.add(person.ref.id)
            if role is None or person.role is role:
                page.append(person)
        if page:
            yield page


async def aiter_guardians(
    ctx: GraphContext, student_ids: Iterable[str] | None
) -> AsyncIterator[list[GuardianLink]]:
    """Guardian links from users' ``relatedContacts`` (read-only in Graph).

    Calls: GET /education/users?$select=id,relatedContacts (app-only), or
    GET /education/users/{id}?$select=id,relatedContacts per student (batched).
    """
    select = ["id", "relatedContacts"]
    if student_ids is None:
        listings = [Listing("users", ctx.list_url(ctx.education.users, select=select))]
    else:
        listings = [
            Listing(
                "user",
                ctx.url(ctx.education.users.by_education_user_id(sid), select=select),
                (sid,),
                single=True,
            )
            for sid in student_ids
        ]
    async for _, items in run_listings(ctx, listings):
        page: list[Any] = []
        for item in items:
            links = _safe("user", m.to_guardian_links, as_dict(item), tenant=ctx.tenant)
            for link in links or ():
                page.append(link)
        if page:
            yield page


async def aiter_categories(
    ctx: GraphContext, class_ids: Iterable[str]
) -> AsyncIterator[list[Category]]:
    """Assignment categories of the classes. Calls: GET …/classes/{id}/assignmentCategories."""
    listings = [
        Listing(
            "categories",
            ctx.list_url(ctx.education.classes.by_education_class_id(c).assignment_categories),
            (c,),
        )
        for c in class_ids
    ]
    async for listing, items in run_listings(ctx, listings):
        page: list[Any] = []
        for item in items:
            found = _safe(
                "category", m.to_category, as_dict(item), class_id=listing.ids[0], tenant=ctx.tenant
            )
            if found is not None:
                page.append(found)
        if page:
            yield page


def _assignments_listing(ctx: GraphContext, class_id: str, *, full: bool) -> Listing:
    builder = ctx.education.classes.by_education_class_id(class_id).assignments
    if full:
        url = ctx.list_url(builder, expand=["categories", "resources"])
    else:
        url = ctx.list_url(builder, select=_ASSIGNMENT_KEYS)
    return Listing("assignments", url, (class_id,))


async def aiter_assignments(
    ctx: GraphContext, class_ids: Iterable[str], states: frozenset[AssignmentState]
) -> AsyncIterator[list[Assignment]]:
    """Homework of the classes with categories and resources, in the wanted states.

    Graph documents no ``$filter`` on ``status``, so states are filtered here.
    Calls: GET /education/classes/{id}/assignments?$expand=categories,resources.
    """
    listings = [_assignments_listing(ctx, c, full=True) for c in class_ids]
    async for listing, items in run_listings(ctx, listings):
        page: list[Any] = []
        for item in items:
            found = _safe(
                "assignment",
                m.to_assignment,
                as_dict(item),
                tenant=ctx.tenant,
                class_id=listing.ids[0],
            )
            if found is not None and found.state in states:
                page.append(found)
        if page:
            yield page


async def aiter_submissions(
    ctx: GraphContext, class_ids: Iterable[str], assignment_id: str | None
) -> AsyncIterator[list[Submission]]:
    """Submissions with their outcomes (draft and released grades, feedback).

    Without ``assignment_id``, first the classes' assignments (``$select=id,status,
    grading``, batched), then every non-draft assignment's submissions (drafts have none).
    Calls: GET /education/classes/{id}/assignments, then
    GET /education/classes/{id}/assignments/{id}/submissions?$expand=outcomes.
    """
    classes = list(class_ids)
    targets: list[tuple[str, str, float | None]] = []
    if assignment_id is not None:
        builder = ctx.education.classes.by_education_class_id(classes[0]).assignments
        single = Listing(
            "assignment",
            ctx.url(builder.by_education_assignment_id(assignment_id), select=_ASSIGNMENT_KEYS),
            (classes[0],),
            single=True,
        )
        sources = [single]
    else:
        sources = [_assignments_listing(ctx, c, full=False) for c in classes]
    async for listing, items in run_listings(ctx, sources, skip_missing=assignment_id is None):
        for item in items:
            payload = as_dict(item)
            if payload.get("status") == "draft" or not payload.get("id"):
                continue
            points = as_dict(payload.get("grading")).get("maxPoints")
            targets.append(
                (
                    listing.ids[0],
                    str(payload["id"]),
                    float(points) if isinstance(points, int | float) else None,
                )
            )
    async for page in _submissions_of(ctx, targets):
        yield page


async def aiter_submissions_of(
    ctx: GraphContext, assignments: Iterable[Assignment]
) -> AsyncIterator[list[Submission]]:
    """Submissions of homework already listed (drafts have none and are skipped).

    Calls: GET /education/classes/{id}/assignments/{id}/submissions?$expand=outcomes.
    """
    targets = [
        (a.class_id, a.ref.id, a.max_points)
        for a in assignments
        if a.state is not AssignmentState.DRAFT
    ]
    async for page in _submissions_of(ctx, targets):
        yield page


async def _submissions_of(
    ctx: GraphContext, targets: Iterable[tuple[str, str, float | None]]
) -> AsyncIterator[list[Submission]]:
    # The URL is built once by the SDK's request builders, for stand-in ids, then the
    # ids are put in: a builder chain costs ~0.4 ms, seconds over a city's homework.
    pattern = ctx.list_url(
        ctx.education.classes.by_education_class_id(_CLASS)
        .assignments.by_education_assignment_id(_HOMEWORK)
        .submissions,
        expand=["outcomes"],
    )
    listings = [
        Listing(
            "submissions",
            pattern.replace(_CLASS, quote(class_id, safe=""), 1).replace(
                _HOMEWORK, quote(aid, safe=""), 1
            ),
            (class_id, aid, "" if maximum is None else repr(maximum)),
        )
        for class_id, aid, maximum in targets
    ]
    async for listing, items in run_listings(ctx, listings):
        class_id, aid, maximum = listing.ids
        page: list[Any] = []
        for item in items:
            found = _safe(
                "submission",
                m.to_submission,
                as_dict(item),
                tenant=ctx.tenant,
                class_id=class_id,
                assignment_id=aid,
                max_points=float(maximum) if maximum else None,
            )
            if found is not None:
                page.append(found)
        if page:
            yield page
