"""Graph homework JSON → the domain model: assignments, resources, submissions, rubrics.

Pure functions on plain JSON dicts (see :mod:`._wire`); re-exported by :mod:`._mapping`.
Unknown enum values are kept as ``platform_state`` and normalized to ``UNKNOWN``; an
unreadable value becomes ``None`` with the raw property kept in ``extra``.

This module must not import msgraph or do I/O.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from unified_edu.models import (
    MICROSOFT_ASSIGNMENT_STATES,
    MICROSOFT_SUBMISSION_STATES,
    AssigneeMode,
    Assignment,
    AssignmentState,
    Grade,
    Material,
    MaterialKind,
    Ref,
    Rubric,
    RubricCriterion,
    RubricLevel,
    Submission,
    SubmissionState,
    normalize,
)
from unified_edu.providers.microsoft._wire import (
    Json,
    as_dict,
    as_list,
    body_text,
    identity_id,
    odata_type,
    parse_instant,
    rest,
    text,
)

__all__ = ["material_kind", "to_assignment", "to_material", "to_rubric", "to_submission"]

_PROVIDER = "microsoft"

# educationResource subtypes (msgraph-sdk discriminators) → kind and the property holding
# the URL to open. Office documents are files; media is video (Teams plays it).
_RESOURCES: dict[str, tuple[MaterialKind, tuple[str, ...]]] = {
    "educationLinkResource": (MaterialKind.LINK, ("link",)),
    "educationFileResource": (MaterialKind.FILE, ("fileUrl",)),
    "educationWordResource": (MaterialKind.FILE, ("fileUrl",)),
    "educationExcelResource": (MaterialKind.FILE, ("fileUrl",)),
    "educationPowerPointResource": (MaterialKind.FILE, ("fileUrl",)),
    "educationMediaResource": (MaterialKind.VIDEO, ("fileUrl",)),
    "educationTeamsAppResource": (
        MaterialKind.APP,
        ("teamsEmbeddedContentUrl", "webUrl", "appIconWebUrl"),
    ),
    "educationChannelResource": (MaterialKind.OTHER, ("url",)),
    "educationExternalResource": (MaterialKind.OTHER, ("webUrl",)),
    "educationLinkedAssignmentResource": (MaterialKind.OTHER, ("url",)),
}
_ANY_URL = ("link", "fileUrl", "webUrl", "url", "teamsEmbeddedContentUrl")


def _tuple(items: Iterable[Any]) -> Any:
    # mypy's attrs plugin types a ``converter=tuple`` field as ``Iterable[_T_co]`` with the
    # type variable unbound, which rejects every concrete element type; Any sidesteps it.
    return tuple(items)


def _ref(tenant: str, native_id: str) -> Ref:
    return Ref(provider=_PROVIDER, tenant=tenant, id=native_id)


def material_kind(resource: Json) -> MaterialKind:
    """The kind of an ``educationResource`` by its ``@odata.type`` (``OTHER`` if unknown)."""
    return _RESOURCES.get(odata_type(resource), (MaterialKind.OTHER, ()))[0]


def to_material(wrapper: Json, *, tenant: str) -> Material | None:
    """An ``educationAssignmentResource`` (or a bare ``educationResource``) → :class:`Material`.

    Returns ``None`` for a resource that has no URL to open (for example a speaker
    progress resource); the caller keeps such resources in the homework's ``extra``.
    """
    resource = as_dict(wrapper.get("resource")) if "resource" in wrapper else wrapper
    kind, keys = _RESOURCES.get(odata_type(resource), (MaterialKind.OTHER, _ANY_URL))
    url = next((text(resource.get(key)) for key in keys if text(resource.get(key))), None)
    if url is None:
        return None
    wrapper_id = text(wrapper.get("id"))
    extra = rest(resource, ("displayName", *keys))
    if "distributeForStudentWork" in wrapper:
        extra["distributeForStudentWork"] = wrapper["distributeForStudentWork"]
    return Material(
        kind=kind,
        url=url,
        title=text(resource.get("displayName")),
        ref=_ref(tenant, wrapper_id) if wrapper_id else None,
        extra=extra,
    )


def _max_points(grading: Any) -> float | None:
    points = as_dict(grading).get("maxPoints")
    if isinstance(points, bool) or not isinstance(points, int | float):
        return None
    return float(points) if points > 0 else None


_ASSIGNMENT_KEYS = (
    "id",
    "classId",
    "displayName",
    "instructions",
    "status",
    "dueDateTime",
    "grading",
    "resources",
    "categories",
    "createdDateTime",
    "lastModifiedDateTime",
    "assignedDateTime",
    "assignDateTime",
    "closeDateTime",
    "allowLateSubmissions",
    "webUrl",
)


def to_assignment(
    payload: Json, *, tenant: str, class_id: str | None = None, app_id: str | None = None
) -> Assignment:
    """An ``educationAssignment`` → :class:`Assignment`.

    ``status`` maps through ``MICROSOFT_ASSIGNMENT_STATES`` (``published`` is the
    transient ``PUBLISHING``, ``assigned`` is ``PUBLISHED``, ``inactive`` needs the Prefer
    header); ``grading: null`` is ungraded; ``assignTo`` with ``recipients`` is for
    individual students; expanded ``categories`` and ``resources`` become category ids and
    materials. ``assignDateTime`` is ``scheduled_at`` while the homework is not yet
    assigned. ``created_by_this_app`` is known only when ``app_id`` is given (it compares
    ``createdBy.application.id``).

    Raises:
        ValueError: when the payload has no ``id``.
    """
    assignment_id = text(payload.get("id"))
    if assignment_id is None:
        raise ValueError("a Graph assignment without an id cannot be mapped")
    status = text(payload.get("status"))
    extra = rest(payload, _ASSIGNMENT_KEYS)
    instructions = as_dict(payload.get("instructions"))
    if text(instructions.get("contentType")):
        extra["instructionsContentType"] = instructions["contentType"]
    recipients = [r for r in as_list(as_dict(payload.get("assignTo")).get("recipients")) if text(r)]
    materials = []
    unmapped = []
    for wrapper in as_list(payload.get("resources")):
        material = to_material(as_dict(wrapper), tenant=tenant)
        if material is None:
            unmapped.append(wrapper)
        else:
            materials.append(material)
    if unmapped:
        extra["unmappedResources"] = unmapped
    assigned_at = parse_instant(payload.get("assignedDateTime"))
    application = text(as_dict(as_dict(payload.get("createdBy")).get("application")).get("id"))
    return Assignment(
        ref=_ref(tenant, assignment_id),
        class_id=text(payload.get("classId")) or class_id or "",
        title=text(payload.get("displayName")) or assignment_id,
        instructions=body_text(payload.get("instructions")) or "",
        state=normalize(MICROSOFT_ASSIGNMENT_STATES, status, AssignmentState.UNKNOWN),
        platform_state=status,
        due=parse_instant(payload.get("dueDateTime")),
        max_points=_max_points(payload.get("grading")),
        materials=_tuple(materials),
        category_ids=tuple(
            c["id"] for c in map(as_dict, as_list(payload.get("categories"))) if text(c.get("id"))
        ),
        assignee_mode=(
            AssigneeMode.INDIVIDUAL_STUDENTS if recipients else AssigneeMode.WHOLE_CLASS
        ),
        student_ids=tuple(recipients),
        created_at=parse_instant(payload.get("createdDateTime")),
        updated_at=parse_instant(payload.get("lastModifiedDateTime")),
        published_at=assigned_at,
        scheduled_at=(
            parse_instant(payload.get("assignDateTime")) if assigned_at is None else None
        ),
        close_at=parse_instant(payload.get("closeDateTime")),
        allow_late=(
            payload["allowLateSubmissions"]
            if isinstance(payload.get("allowLateSubmissions"), bool)
            else None
        ),
        creator_id=identity_id(payload.get("createdBy")),
        web_link=text(payload.get("webUrl")),
        created_by_this_app=None if app_id is None else application == app_id,
        extra=extra,
    )


def _level_points(grading: Any) -> float | None:
    # A rubric level may be worth 0 points ("Poor"), unlike a homework's maximum.
    points = as_dict(grading).get("maxPoints")
    if isinstance(points, bool) or not isinstance(points, int | float) or points < 0:
        return None
    return float(points)


def _points(value: Any) -> float | None:
    points = as_dict(value).get("points")
    if isinstance(points, bool) or not isinstance(points, int | float):
        return None
    return float(points) if points >= 0 else None


def _feedback(value: Any) -> str | None:
    return body_text(as_dict(value).get("text"))


def _grade(points: Any, feedback: Any, *, released: bool, max_points: float | None) -> Grade | None:
    score, words = _points(points), _feedback(feedback)
    if score is None and not words:
        return None
    graded = as_dict(points) if score is not None else as_dict(feedback)
    return Grade(
        points=score,
        max_points=max_points,
        released=released,
        feedback=words,
        graded_at=parse_instant(graded.get("gradedDateTime") or graded.get("feedbackDateTime")),
        graded_by=identity_id(graded.get("gradedBy") or graded.get("feedbackBy")),
    )


_SUBMISSION_KEYS = (
    "id",
    "assignmentId",
    "status",
    "recipient",
    "submittedDateTime",
    "returnedDateTime",
    "excusedDateTime",
    "lastModifiedDateTime",
    "webUrl",
    "outcomes",
)


def to_submission(
    payload: Json,
    *,
    tenant: str,
    class_id: str,
    assignment_id: str | None = None,
    max_points: float | None = None,
) -> Submission:
    """An ``educationSubmission`` (ideally with ``$expand=outcomes``) → :class:`Submission`.

    The points outcome's ``points`` and the feedback outcome's ``feedback`` make the draft
    grade; ``publishedPoints`` and ``publishedFeedback`` (copied by Graph on return) make
    the released grade. ``reassignedDateTime`` and the raw outcomes stay in ``extra``
    (``extra["outcomeIds"]`` maps ``"points"``/``"feedback"``/``"rubric"`` to outcome ids).
    ``late`` is ``None``: Graph does not say.

    Raises:
        ValueError: when the payload has no ``id``.
    """
    submission_id = text(payload.get("id"))
    if submission_id is None:
        raise ValueError("a Graph submission without an id cannot be mapped")
    status = text(payload.get("status"))
    outcomes: dict[str, Json] = {}
    outcome_ids: dict[str, str] = {}
    for raw in as_list(payload.get("outcomes")):
        outcome = as_dict(raw)
        kind = odata_type(outcome)
        short = {
            "educationPointsOutcome": "points",
            "educationFeedbackOutcome": "feedback",
            "educationRubricOutcome": "rubric",
        }.get(kind)
        if short and short not in outcomes:
            outcomes[short] = outcome
            if text(outcome.get("id")):
                outcome_ids[short] = outcome["id"]
    points, feedback = outcomes.get("points", {}), outcomes.get("feedback", {})
    extra = rest(payload, _SUBMISSION_KEYS)
    if "outcomes" in payload:
        extra["outcomes"] = payload["outcomes"]
        extra["outcomeIds"] = outcome_ids
    updated = parse_instant(payload.get("lastModifiedDateTime"))
    if updated is None:
        stamps = [
            parse_instant(payload.get(k))
            for k in (
                "submittedDateTime",
                "unsubmittedDateTime",
                "returnedDateTime",
                "reassignedDateTime",
                "excusedDateTime",
            )
        ]
        updated = max((s for s in stamps if s is not None), default=None)
    return Submission(
        ref=_ref(tenant, submission_id),
        class_id=class_id,
        assignment_id=text(payload.get("assignmentId")) or assignment_id or "",
        student_id=text(as_dict(payload.get("recipient")).get("userId"))
        or identity_id(payload.get("submittedBy"))
        or "",
        state=normalize(MICROSOFT_SUBMISSION_STATES, status, SubmissionState.UNKNOWN),
        platform_state=status,
        late=None,
        turned_in_at=parse_instant(payload.get("submittedDateTime")),
        returned_at=parse_instant(payload.get("returnedDateTime")),
        excused_at=parse_instant(payload.get("excusedDateTime")),
        updated_at=updated,
        draft_grade=_grade(
            points.get("points"), feedback.get("feedback"), released=False, max_points=max_points
        ),
        released_grade=_grade(
            points.get("publishedPoints"),
            feedback.get("publishedFeedback"),
            released=True,
            max_points=max_points,
        ),
        web_link=text(payload.get("webUrl")),
        extra=extra,
    )


def to_rubric(payload: Json, *, tenant: str, class_id: str, assignment_id: str) -> Rubric:
    """An ``educationRubric`` → :class:`Rubric`.

    Graph's levels are columns shared by every quality (criterion): each criterion gets
    every level, titled by the level and described by the quality's matching
    ``criteria[i]``; a level's points are its ``grading.maxPoints``. A quality's
    ``weight`` (percent) is the criterion's weight; the rubric's own ``grading`` stays in
    ``extra``.

    Raises:
        ValueError: when the payload has no ``id``.
    """
    rubric_id = text(payload.get("id"))
    if rubric_id is None:
        raise ValueError("a Graph rubric without an id cannot be mapped")
    levels = [as_dict(level) for level in as_list(payload.get("levels"))]
    criteria = []
    for index, raw in enumerate(as_list(payload.get("qualities"))):
        quality = as_dict(raw)
        cells = [as_dict(c) for c in as_list(quality.get("criteria"))]
        quality_id = text(quality.get("qualityId")) or str(index)
        weight = quality.get("weight")
        criteria.append(
            RubricCriterion(
                id=quality_id,
                title=text(quality.get("displayName"))
                or body_text(quality.get("description"))
                or quality_id,
                description=body_text(quality.get("description")) or "",
                weight=float(weight) if isinstance(weight, int | float) else None,
                levels=_tuple(
                    RubricLevel(
                        id=text(level.get("levelId")) or str(position),
                        title=text(level.get("displayName")) or str(position),
                        description=(
                            body_text(cells[position].get("description"))
                            if position < len(cells)
                            else body_text(level.get("description"))
                        )
                        or "",
                        points=_level_points(level.get("grading")),
                    )
                    for position, level in enumerate(levels)
                ),
            )
        )
    return Rubric(
        ref=_ref(tenant, rubric_id),
        class_id=class_id,
        assignment_id=assignment_id,
        title=text(payload.get("displayName")),
        criteria=_tuple(criteria),
        created_at=parse_instant(payload.get("createdDateTime")),
        updated_at=parse_instant(payload.get("lastModifiedDateTime")),
        extra=rest(
            payload,
            ("id", "displayName", "levels", "qualities", "createdDateTime", "lastModifiedDateTime"),
        ),
    )
