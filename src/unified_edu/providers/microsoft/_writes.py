"""Changing a Microsoft tenant: classes, rosters, categories, homework and its lifecycle.

Owns every Graph write but grading, and the rule that an ambiguous create never
duplicates. A create is a POST msgraph would replay after a 503/504; here it is sent
once (the retry policy repeats a POST only after a 429, which Graph did not execute).
When the answer is lost (connection reset, timeout, 5xx), the object is looked for
before trying again:

- a class by its ``mailNickname``, which Graph keeps unique and which is chosen here
  with a random suffix for each create (``$filter=mailNickname eq '…'``);
- an assignment by a snapshot: the ids of the class's assignments titled like the new
  one are read just before the POST (one GET with ``$select``); afterwards a new id with
  the exact title, created by this caller (``createdBy`` user or application), is ours.
  This needs no clock agreement; it would only mistake a twin created at the same moment,
  by the same caller, with the same title, in the same class.

Publishing and (de)activation are asynchronous in Graph: the status is polled (bounded,
with backoff) until it settles.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from unified_edu.errors import (
    ConflictError,
    NotFoundError,
    ProviderError,
    ServiceUnavailableError,
    TransportError,
    ValidationError,
)
from unified_edu.models import (
    Assignment,
    AssignmentSpec,
    AssignmentUpdate,
    Category,
    Class,
    ClassSpec,
    ClassUpdate,
    Enrollment,
    Role,
)
from unified_edu.providers.microsoft import _mapping as m
from unified_edu.providers.microsoft._bodies import mail_nickname
from unified_edu.providers.microsoft._context import GraphContext
from unified_edu.providers.microsoft._listing import Listing, run_listings
from unified_edu.providers.microsoft._wire import as_dict, as_list, identity_id

__all__ = [
    "activate_assignment",
    "add_enrollment",
    "create_assignment",
    "create_category",
    "create_class",
    "deactivate_assignment",
    "delete_assignment",
    "delete_class",
    "get_assignment",
    "get_class",
    "publish_assignment",
    "remove_enrollment",
    "update_assignment",
    "update_class",
]

#: Attempts at one create, the first included, when answers keep getting lost.
CREATE_ATTEMPTS = 3


def _ambiguous(error: BaseException) -> bool:
    """The request may have been executed: no answer, or the service failed midway."""
    return isinstance(error, TransportError | ServiceUnavailableError)


async def _create_once(
    post: Callable[[], Awaitable[Any]], find: Callable[[], Awaitable[Any | None]]
) -> Any:
    """POST, and after an ambiguous failure look for the object before posting again."""
    for attempt in range(1, CREATE_ATTEMPTS + 1):
        try:
            return await post()
        except ProviderError as exc:
            if not _ambiguous(exc) or attempt == CREATE_ATTEMPTS:
                raise
        except TransportError:
            if attempt == CREATE_ATTEMPTS:
                raise
        found = await find()
        if found is not None:
            return found
    raise AssertionError("unreachable")  # pragma: no cover


def _classes(ctx: GraphContext) -> Any:
    return ctx.education.classes


def _class(ctx: GraphContext, class_id: str) -> Any:
    return ctx.education.classes.by_education_class_id(class_id)


def _assignment(ctx: GraphContext, class_id: str, assignment_id: str) -> Any:
    return _class(ctx, class_id).assignments.by_education_assignment_id(assignment_id)


# -- classes and rosters ----------------------------------------------------------------


async def get_class(ctx: GraphContext, class_id: str) -> Class:
    """One class with its school (the first, when Graph links it to several).

    Calls: GET /education/classes/{id} and GET /education/classes/{id}/schools?$select=id,
    in one ``$batch``.

    Raises:
        NotFoundError: For an unknown class.
    """
    klass = _class(ctx, class_id)
    listings = [
        Listing("class", ctx.url(klass), (class_id,), single=True),
        Listing("schools", ctx.list_url(klass.schools, select=["id"]), (class_id,)),
    ]
    payload: dict[str, Any] = {}
    schools: list[str] = []
    async for listing, items in run_listings(ctx, listings, skip_missing=False):
        for item in items:
            if listing.kind == "class":
                payload = dict(as_dict(item))
            elif (school := as_dict(item).get("id")) is not None:
                schools.append(str(school))
    return m.to_class(payload, tenant=ctx.tenant, school_id=schools[0] if schools else None)


async def create_class(ctx: GraphContext, spec: ClassSpec) -> Class:
    """Create a class, then link its owner (teacher and member) and school.

    Calls: POST /education/classes; on an ambiguous failure GET /education/classes?
    $filter=mailNickname eq '…'; POST …/teachers/$ref, …/members/$ref,
    /education/schools/{id}/classes/$ref.
    """
    body = m.class_body(spec, nickname=mail_nickname(spec.name, secrets.token_hex(4)))
    nickname = str(body["mailNickname"]).replace("'", "''")

    async def post() -> Any:
        return await ctx.transport.request("POST", ctx.url(_classes(ctx)), body)

    async def find() -> Any | None:
        url = ctx.url(_classes(ctx), filter=f"mailNickname eq '{nickname}'")
        found = as_list(as_dict(await ctx.transport.request("GET", url)).get("value"))
        return found[0] if found else None

    created = as_dict(await _create_once(post, find))
    class_id = str(created["id"])
    if spec.owner_id:
        await add_enrollment(ctx, class_id, spec.owner_id, Role.TEACHER)
    if spec.school_id:
        school = ctx.education.schools.by_education_school_id(spec.school_id)
        await _link(ctx, school.classes.ref, f"{_graph_root(ctx)}/education/classes/{class_id}")
    return m.to_class(created, tenant=ctx.tenant, school_id=spec.school_id)


async def update_class(ctx: GraphContext, class_id: str, update: ClassUpdate) -> Class:
    """Change a class. Calls: PATCH /education/classes/{id} (then GET when it answers 204)."""
    body = m.class_patch(update)
    answer = await ctx.transport.request("PATCH", ctx.url(_class(ctx, class_id)), body)
    if answer:
        return m.to_class(as_dict(answer), tenant=ctx.tenant)
    return await get_class(ctx, class_id)


async def delete_class(ctx: GraphContext, class_id: str) -> None:
    """Delete a class. Calls: DELETE /education/classes/{id}."""
    await ctx.transport.request("DELETE", ctx.url(_class(ctx, class_id)))


def _graph_root(ctx: GraphContext) -> str:
    # What @odata.id names: the cloud's real Graph host (Microsoft's example), never the
    # base URL requests happen to go to.
    return ctx.transport.credentials.cloud.base_url


async def _link(ctx: GraphContext, ref_builder: Any, odata_id: str) -> None:
    """POST a ``$ref``; "already linked" counts as done (the call is then idempotent)."""
    url = ctx.transport.relative(ref_builder.to_get_request_information())
    try:
        await ctx.transport.request("POST", url, {"@odata.id": odata_id}, idempotent=True)
    except ProviderError as exc:
        if not (isinstance(exc, ConflictError) or "already" in (exc.platform_message or "")):
            raise


async def _user_id(ctx: GraphContext, person_id: str) -> dict[str, Any]:
    builder = ctx.education.users.by_education_user_id(person_id)
    return dict(as_dict(await ctx.transport.request("GET", ctx.url(builder))))


async def add_enrollment(
    ctx: GraphContext, class_id: str, person_id: str, role: Role
) -> Enrollment:
    """Add a teacher (to ``teachers`` and ``members``, as Office needs) or a student.

    Calls: GET /education/users/{id or UPN}; POST /education/classes/{id}/teachers/$ref
    and/or …/members/$ref with ``@odata.id`` ``https://graph.microsoft.com/v1.0/education/
    users/{id}``.
    """
    user = await _user_id(ctx, person_id)
    user_ref = f"{ctx.transport.credentials.cloud.users_ref_base}{user['id']}"
    klass = _class(ctx, class_id)
    if role is Role.TEACHER:
        await _link(ctx, klass.teachers.ref, user_ref)
    await _link(ctx, klass.members.ref, user_ref)
    return m.to_enrollment(class_id, user, role, tenant=ctx.tenant)


async def remove_enrollment(ctx: GraphContext, class_id: str, person_id: str, role: Role) -> None:
    """Remove a teacher (from ``teachers`` and ``members``) or a student (``members``).

    Calls: DELETE /education/classes/{id}/teachers/{user}/$ref, …/members/{user}/$ref.
    """
    user_id = person_id
    if "@" in person_id:
        user_id = str((await _user_id(ctx, person_id))["id"])
    klass = _class(ctx, class_id)
    targets = [klass.members]
    if role is Role.TEACHER:
        targets.insert(0, klass.teachers)
    for target in targets:
        ref = target.by_education_user_id(user_id).ref
        try:
            await ctx.transport.request("DELETE", ctx.delete_url(ref))
        except NotFoundError:
            if target is klass.members and role is Role.TEACHER:
                continue  # a teacher who was not also a member
            raise


async def _categories_named(ctx: GraphContext, class_id: str, name: str) -> list[dict[str, Any]]:
    """The class's assignment categories called ``name`` (every page)."""
    listing = Listing("categories", ctx.list_url(_class(ctx, class_id).assignment_categories))
    return [
        dict(as_dict(item))
        async for _, items in run_listings(ctx, [listing], skip_missing=False)
        for item in items
        if as_dict(item).get("displayName") == name
    ]


async def create_category(ctx: GraphContext, class_id: str, name: str) -> Category:
    """Create an assignment category; an ambiguous failure never makes a second one.

    Calls: GET /education/classes/{id}/assignmentCategories (the same-named categories
    before: Graph allows several with one name), POST …/assignmentCategories; after an
    ambiguous failure (no answer, 5xx) GET …/assignmentCategories again before retrying.
    """
    url = ctx.url(_class(ctx, class_id).assignment_categories)
    known = {str(c.get("id")) for c in await _categories_named(ctx, class_id, name)}

    async def post() -> Any:
        return await ctx.transport.request("POST", url, {"displayName": name})

    async def find() -> Any | None:
        fresh = [
            c for c in await _categories_named(ctx, class_id, name) if str(c.get("id")) not in known
        ]
        return fresh[-1] if fresh else None

    created = await _create_once(post, find)
    return m.to_category(as_dict(created), class_id=class_id, tenant=ctx.tenant)


# -- homework ---------------------------------------------------------------------------


async def get_assignment(ctx: GraphContext, class_id: str, assignment_id: str) -> Assignment:
    """One assignment with categories and resources.

    Calls: GET /education/classes/{id}/assignments/{id}?$expand=categories,resources.
    """
    url = ctx.url(_assignment(ctx, class_id, assignment_id), expand=["categories", "resources"])
    payload = await ctx.transport.request("GET", url)
    return m.to_assignment(as_dict(payload), tenant=ctx.tenant, class_id=class_id)


async def _titled(ctx: GraphContext, class_id: str, title: str) -> list[dict[str, Any]]:
    """The class's assignments titled ``title`` (every page; id, title, creator)."""
    url: str | None = ctx.list_url(
        _class(ctx, class_id).assignments, select=["id", "displayName", "createdBy"]
    )
    found: list[dict[str, Any]] = []
    while url:
        page = as_dict(await ctx.transport.request("GET", url))
        found += [
            dict(a)
            for a in map(as_dict, as_list(page.get("value")))
            if a.get("displayName") == title
        ]
        link = page.get("@odata.nextLink")
        url = ctx.transport.relative(link) if isinstance(link, str) else None
    return found


async def create_assignment(ctx: GraphContext, class_id: str, spec: AssignmentSpec) -> Assignment:
    """Create a draft, attach its materials and categories, publish it if asked.

    With ``spec.client_key``, an assignment with the same title already created by this
    caller in the class is returned instead (Graph has no property to store the key in).

    Calls: GET /education/classes/{id}/assignments?$select=id,displayName,createdBy
    (the snapshot); POST /education/classes/{id}/assignments; POST …/resources per
    material; POST …/categories/$ref per category; then see :func:`publish_assignment`.
    """
    before = await _titled(ctx, class_id, spec.title)
    mine = [a for a in before if identity_id(a.get("createdBy")) == ctx.subject]
    if spec.client_key and mine:
        return await get_assignment(ctx, class_id, str(mine[-1]["id"]))
    known = {str(a.get("id")) for a in before}
    body = m.assignment_body(spec, time_zone=ctx.time_zone)
    url = ctx.url(_class(ctx, class_id).assignments)

    async def post() -> Any:
        return await ctx.transport.request("POST", url, body)

    async def find() -> Any | None:
        fresh = [
            a
            for a in await _titled(ctx, class_id, spec.title)
            if str(a.get("id")) not in known
            and (ctx.subject is None or identity_id(a.get("createdBy")) == ctx.subject)
        ]
        return fresh[-1] if fresh else None

    created = as_dict(await _create_once(post, find))
    assignment_id = str(created["id"])
    item = _assignment(ctx, class_id, assignment_id)
    for material in spec.materials:
        await ctx.transport.request("POST", ctx.url(item.resources), m.resource_body(material))
    for category_id in spec.category_ids:
        target = (
            f"{_graph_root(ctx)}/education/classes/{class_id}/assignmentCategories/{category_id}"
        )
        await _link(ctx, item.categories.ref, target)
    if spec.publish:
        return await publish_assignment(ctx, class_id, assignment_id)
    return await get_assignment(ctx, class_id, assignment_id)


async def update_assignment(
    ctx: GraphContext, class_id: str, assignment_id: str, update: AssignmentUpdate
) -> Assignment:
    """Change an assignment. Calls: PATCH /education/classes/{id}/assignments/{id}, GET."""
    body = m.assignment_patch(update, time_zone=ctx.time_zone)
    await ctx.transport.request("PATCH", ctx.url(_assignment(ctx, class_id, assignment_id)), body)
    return await get_assignment(ctx, class_id, assignment_id)


async def delete_assignment(ctx: GraphContext, class_id: str, assignment_id: str) -> None:
    """Delete an assignment. Calls: DELETE /education/classes/{id}/assignments/{id}."""
    await ctx.transport.request("DELETE", ctx.url(_assignment(ctx, class_id, assignment_id)))


async def _act_and_settle(
    ctx: GraphContext, class_id: str, assignment_id: str, action: str, target: str
) -> Assignment:
    item = _assignment(ctx, class_id, assignment_id)
    # Retrying an action POST is safe only after a 429; the poll below tells the truth.
    await ctx.transport.request("POST", ctx.action_url(getattr(item, action)))

    async def read() -> Assignment:
        return await get_assignment(ctx, class_id, assignment_id)

    def settled(assignment: Assignment) -> bool:
        if action == "publish" and assignment.platform_state == "draft":
            raise ConflictError(
                "Graph reverted the publish: the assignment is a draft again",
                provider="microsoft",
                code="publishFailed",
            )
        return assignment.platform_state == target

    return await ctx.poll.until(read, settled, f"{action} of assignment {assignment_id}")


async def publish_assignment(ctx: GraphContext, class_id: str, assignment_id: str) -> Assignment:
    """Publish a draft and wait until it reads ``assigned`` (students have it).

    Calls: POST …/assignments/{id}/publish; GET …/assignments/{id} until settled.

    Raises:
        ConflictError: Graph reverted it to a draft (publishing failed).
        ServiceUnavailableError: not settled within the poll budget.
    """
    return await _act_and_settle(ctx, class_id, assignment_id, "publish", "assigned")


async def deactivate_assignment(ctx: GraphContext, class_id: str, assignment_id: str) -> Assignment:
    """Make an assigned assignment ``inactive``. Calls: POST …/deactivate; GET until settled."""
    return await _act_and_settle(ctx, class_id, assignment_id, "deactivate", "inactive")


async def activate_assignment(ctx: GraphContext, class_id: str, assignment_id: str) -> Assignment:
    """Make an inactive assignment ``assigned`` again. Calls: POST …/activate; GET."""
    return await _act_and_settle(ctx, class_id, assignment_id, "activate", "assigned")


def check_app_only_create(spec: AssignmentSpec) -> None:
    """Refuse before any request what app-only tokens cannot do on a create.

    Raises:
        ValidationError: materials or categories with an app-only credential (Graph
            allows attaching them only with delegated permissions).
    """
    if spec.materials or spec.category_ids:
        raise ValidationError(
            "Graph attaches resources and categories only with delegated permissions; "
            "create without them app-only, or sign in as a teacher "
            "(GraphCredentials.from_device_code)",
            field="materials" if spec.materials else "category_ids",
        )
