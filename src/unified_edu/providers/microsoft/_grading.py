"""Grading on Graph: outcomes (draft grade, feedback) and the submission actions.

Owns the grading workflow of reference §3.2: the draft grade is the submission's points
outcome (PATCH ``points``), the draft feedback its feedback outcome (PATCH
``feedback``); ``return`` copies both into ``publishedPoints``/``publishedFeedback``,
which is what the student sees. The actions (return, reassign, excuse, submit,
unsubmit) are asynchronous in Graph: the submission is re-read (bounded, with backoff)
until its status settles, always with ``Prefer: include-unknown-enum-members`` so that
``excused`` and ``reassigned`` do not read as ``returned``.
"""

from __future__ import annotations

from typing import Any

from unified_edu.errors import ValidationError
from unified_edu.models import Submission
from unified_edu.providers.microsoft import _mapping as m
from unified_edu.providers.microsoft._context import GraphContext
from unified_edu.providers.microsoft._errors import error_from_response
from unified_edu.providers.microsoft._transport import BatchPart
from unified_edu.providers.microsoft._wire import as_dict

__all__ = ["ACTIONS", "get_submission", "set_feedback", "set_grade", "submission_action"]

#: Action → the status it settles in (educationSubmissionStatus).
ACTIONS = {
    "return_": "returned",
    "reassign": "reassigned",
    "excuse": "excused",
    "submit": "submitted",
    "unsubmit": "working",
}


def _submission(ctx: GraphContext, class_id: str, assignment_id: str, submission_id: str) -> Any:
    return (
        ctx.education.classes.by_education_class_id(class_id)
        .assignments.by_education_assignment_id(assignment_id)
        .submissions.by_education_submission_id(submission_id)
    )


async def _read_pair(
    ctx: GraphContext, class_id: str, assignment_id: str, submission_id: str
) -> tuple[dict[str, Any], float | None]:
    """The submission with outcomes and the homework's maximum, in one ``$batch``."""
    assignment = ctx.education.classes.by_education_class_id(class_id).assignments
    parts = [
        BatchPart(
            "1",
            "GET",
            ctx.url(_submission(ctx, class_id, assignment_id, submission_id), expand=["outcomes"]),
        ),
        BatchPart(
            "2",
            "GET",
            ctx.url(assignment.by_education_assignment_id(assignment_id), select=["id", "grading"]),
        ),
    ]
    replies = await ctx.transport.batch(parts)
    for reply, part in zip(replies, parts, strict=True):
        if reply.status >= 400 or reply.status == 0:
            raise error_from_response(
                reply.status, reply.headers, reply.body, context=f"GET {part.url.split('?')[0]}"
            )
    points = as_dict(as_dict(replies[1].body).get("grading")).get("maxPoints")
    maximum = float(points) if isinstance(points, int | float) and points > 0 else None
    return dict(as_dict(replies[0].body)), maximum


def _map(
    ctx: GraphContext,
    payload: Any,
    class_id: str,
    assignment_id: str,
    maximum: float | None,
) -> Submission:
    return m.to_submission(
        as_dict(payload),
        tenant=ctx.tenant,
        class_id=class_id,
        assignment_id=assignment_id,
        max_points=maximum,
    )


async def get_submission(
    ctx: GraphContext, class_id: str, assignment_id: str, submission_id: str
) -> Submission:
    """One submission with its outcomes and the homework's maximum points.

    Calls: $batch of GET …/submissions/{id}?$expand=outcomes and
    GET …/assignments/{id}?$select=id,grading.
    """
    payload, maximum = await _read_pair(ctx, class_id, assignment_id, submission_id)
    return _map(ctx, payload, class_id, assignment_id, maximum)


def _outcome_id(payload: dict[str, Any], kind: str, submission_id: str) -> str:
    for outcome in map(as_dict, payload.get("outcomes") or []):
        if str(outcome.get("@odata.type", "")).endswith(kind) and outcome.get("id"):
            return str(outcome["id"])
    what = "points" if kind == "educationPointsOutcome" else "feedback"
    raise ValidationError(
        f"submission {submission_id} has no {what} outcome"
        + (" (the homework is ungraded: give it points first)" if what == "points" else ""),
        field="points" if what == "points" else "text",
    )


async def _patch_outcome(
    ctx: GraphContext,
    ids: tuple[str, str, str],
    outcome_id: str,
    body: dict[str, Any],
) -> None:
    outcome = _submission(ctx, *ids).outcomes.by_education_outcome_id(outcome_id)
    await ctx.transport.request("PATCH", ctx.url(outcome), body)


async def set_grade(
    ctx: GraphContext, class_id: str, assignment_id: str, submission_id: str, points: float
) -> Submission:
    """Set the draft grade: PATCH the submission's points outcome.

    Calls: $batch (submission with outcomes + the homework's grading);
    PATCH …/submissions/{id}/outcomes/{pointsOutcomeId}; GET …/submissions/{id}.

    Raises:
        ValidationError: points above the homework's maximum, or ungraded homework.
    """
    payload, maximum = await _read_pair(ctx, class_id, assignment_id, submission_id)
    if maximum is not None and points > maximum:
        raise ValidationError(
            f"points {points:g} exceed the homework's maximum of {maximum:g}", field="points"
        )
    outcome_id = _outcome_id(payload, "educationPointsOutcome", submission_id)
    ids = (class_id, assignment_id, submission_id)
    await _patch_outcome(ctx, ids, outcome_id, m.points_outcome_patch(points))
    return await _reread(ctx, ids, maximum)


async def set_feedback(
    ctx: GraphContext, class_id: str, assignment_id: str, submission_id: str, text: str
) -> Submission:
    """Set the draft feedback: PATCH the submission's feedback outcome.

    Calls: $batch (submission with outcomes + grading);
    PATCH …/outcomes/{feedbackOutcomeId}; GET …/submissions/{id}.
    """
    payload, maximum = await _read_pair(ctx, class_id, assignment_id, submission_id)
    outcome_id = _outcome_id(payload, "educationFeedbackOutcome", submission_id)
    ids = (class_id, assignment_id, submission_id)
    await _patch_outcome(ctx, ids, outcome_id, m.feedback_outcome_patch(text))
    return await _reread(ctx, ids, maximum)


async def _reread(
    ctx: GraphContext, ids: tuple[str, str, str], maximum: float | None
) -> Submission:
    url = ctx.url(_submission(ctx, *ids), expand=["outcomes"])
    payload = await ctx.transport.request("GET", url)
    return _map(ctx, payload, ids[0], ids[1], maximum)


async def submission_action(
    ctx: GraphContext, class_id: str, assignment_id: str, submission_id: str, action: str
) -> Submission:
    """Run ``return_``/``reassign``/``excuse``/``submit``/``unsubmit`` and wait for it.

    Calls: POST …/submissions/{id}/{action}; GET …/submissions/{id}?$expand=outcomes
    until the status settles (and the homework's grading once, for the maximum).

    Raises:
        ServiceUnavailableError: not settled within the poll budget.
    """
    target = ACTIONS[action]
    ids = (class_id, assignment_id, submission_id)
    builder = getattr(_submission(ctx, *ids), action)
    await ctx.transport.request("POST", ctx.action_url(builder))
    maximum: list[float | None] = []

    async def read() -> Submission:
        if not maximum:  # the first read also fetches the homework's maximum points
            payload, found = await _read_pair(ctx, *ids)
            maximum.append(found)
            return _map(ctx, payload, class_id, assignment_id, found)
        return await _reread(ctx, ids, maximum[0])

    def settled(submission: Submission) -> bool:
        return submission.platform_state == target

    what = f"{action.rstrip('_')} of submission {submission_id}"
    return await ctx.poll.until(read, settled, what)
