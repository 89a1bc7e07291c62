"""Single-object reads that do not fit the batched listings: a person, a rubric.

Calls: GET /education/users/{id or UPN}, GET /education/classes/{id}/assignments/{id}/rubric.
"""

from __future__ import annotations

from unified_edu.errors import NotFoundError
from unified_edu.models import Person, Rubric
from unified_edu.providers.microsoft import _mapping as m
from unified_edu.providers.microsoft._context import GraphContext
from unified_edu.providers.microsoft._wire import as_dict

__all__ = ["get_person", "rubric_of"]


async def get_person(ctx: GraphContext, person_id: str) -> Person:
    """One education user by id or user principal name. Calls: GET /education/users/{id}."""
    builder = ctx.education.users.by_education_user_id(person_id)
    payload = await ctx.transport.request("GET", ctx.url(builder))
    return m.to_person(as_dict(payload), tenant=ctx.tenant)


async def rubric_of(ctx: GraphContext, class_id: str, assignment_id: str) -> Rubric | None:
    """The homework's rubric, or ``None`` when it has none (Graph answers 404).

    Calls: GET /education/classes/{id}/assignments/{id}/rubric.
    """
    builder = (
        ctx.education.classes.by_education_class_id(class_id)
        .assignments.by_education_assignment_id(assignment_id)
        .rubric
    )
    try:
        payload = await ctx.transport.request("GET", ctx.url(builder))
    except NotFoundError:
        return None
    if not payload:
        return None
    return m.to_rubric(
        as_dict(payload), tenant=ctx.tenant, class_id=class_id, assignment_id=assignment_id
    )
