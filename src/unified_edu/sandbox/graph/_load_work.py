"""Loading a seeded :class:`City` into the Graph store: the assignment service.

Owns the mapping of the city's homework to ``educationAssignment`` (with categories,
resources and, for a few, a rubric), and of each student's work to an
``educationSubmission`` with its outcomes. Homework the city deleted is not loaded:
Graph keeps no tombstone of a discarded assignment.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from typing import Any

from unified_edu.sandbox._city import City, CityHomework, CityMaterial, CityWork
from unified_edu.sandbox.graph import _entities as ent
from unified_edu.sandbox.graph._ids import due_from_city, guid, raw_guid, ts, ts_or_none
from unified_edu.sandbox.graph._rubrics import seeded_rubric
from unified_edu.sandbox.graph._schema import odata_type
from unified_edu.sandbox.graph._store import AssignmentState, Store, SubmissionState

__all__ = ["load_work"]

Json = dict[str, Any]

_STATUS = {"published": "assigned", "draft": "draft", "inactive": "inactive"}
# The neutral work states Graph has no word for are all still "working" on Graph.
_SUBMISSION_STATUS = {
    "new": "working",
    "in_progress": "working",
    "reclaimed": "working",
    "turned_in": "submitted",
    "returned": "returned",
    "reassigned": "reassigned",
    "excused": "excused",
}
# A video is a media file; a form is a link to the form (Graph has no form resource).
_RESOURCE_KIND = {
    "link": ("educationLinkResource", "link"),
    "form": ("educationLinkResource", "link"),
    "file": ("educationFileResource", "fileUrl"),
    "video": ("educationMediaResource", "fileUrl"),
}


def _pick(*parts: object) -> int:
    return int(hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:8], 16)


def load_work(
    city: City, store: Store, *, class_ids: dict[str, str], user_ids: dict[str, str]
) -> None:
    """Add the city's homework and work for the loaded classes to ``store``."""
    works: dict[str, dict[str, CityWork]] = {}
    for work in city.work:
        works.setdefault(work.homework_key, {})[work.student_key] = work
    student_keys = {v: k for k, v in user_ids.items()}
    for hw in city.homework:
        class_id = class_ids.get(hw.class_key)
        if class_id is None or hw.state == "deleted":
            continue
        state = store.class_states[class_id]
        teachers = state.teachers
        creator = user_ids.get(hw.creator_key) or (teachers[0] if teachers else None)
        creator = creator or store.tenant_id  # a class without teachers: the tenant acts
        aid = guid(city.seed, "assignment", hw.key)
        data = _assignment(
            city=city,
            hw=hw,
            aid=aid,
            class_id=class_id,
            creator=creator,
            user_ids=user_ids,
            members=state.members,
        )
        a_state = store.add_assignment(class_id, data)
        if hw.category:
            category_id = guid(city.seed, "category", hw.class_key, hw.category)
            if state.categories.get(category_id) is None:
                state.categories.put(
                    {"displayName": hw.category, "id": category_id}, store.next_seq()
                )
            a_state.categories.append(category_id)
        for index, material in enumerate(hw.materials):
            a_state.resources.put(_resource(city, hw, index, material, creator), store.next_seq())
        # Every seventh graded, published homework has a rubric: enough to exercise
        # rubric outcomes without making them the norm.
        if hw.max_points is not None and hw.state != "draft" and _pick(city.seed, hw.key) % 7 == 0:
            rubric = seeded_rubric(city.seed, hw.key, creator, ts(hw.created_at))
            store.rubrics.put(rubric, store.next_seq())
            a_state.rubric_id = rubric["id"]
        if hw.state == "draft":
            continue  # submissions exist only once an assignment is published
        recipients = data["assignTo"].get("recipients") or [
            m for m in state.members if m not in teachers
        ]
        # Submissions are built on first use: a city has tens of thousands of them and
        # most runs read only a few classes.
        a_state.loader = functools.partial(
            _materialize,
            city=city,
            store=store,
            hw=hw,
            class_id=class_id,
            recipients=tuple(recipients),
            teacher=creator,
            works=works.get(hw.key, {}),
            student_keys=student_keys,
        )


def _materialize(
    a_state: AssignmentState,
    *,
    city: City,
    store: Store,
    hw: CityHomework,
    class_id: str,
    recipients: tuple[str, ...],
    teacher: str,
    works: dict[str, CityWork],
    student_keys: dict[str, str],
) -> None:
    aid = guid(city.seed, "assignment", hw.key)
    for student_id in recipients:
        _add_submission(
            city=city,
            store=store,
            hw=hw,
            a_state=a_state,
            aid=aid,
            class_id=class_id,
            student_id=student_id,
            teacher=teacher,
            work=works.get(student_keys.get(student_id, "")),
        )


def _assignment(
    *,
    city: City,
    hw: CityHomework,
    aid: str,
    class_id: str,
    creator: str,
    user_ids: dict[str, str],
    members: list[str],
) -> Json:
    published = hw.published_at or hw.created_at
    assign_to: Json = {"@odata.type": odata_type("educationAssignmentClassRecipient")}
    if hw.student_keys:
        chosen = [user_ids[k] for k in hw.student_keys if user_ids.get(k) in members]
        assign_to = {
            "@odata.type": odata_type("educationAssignmentIndividualRecipient"),
            "recipients": chosen,
        }
    grading = None
    if hw.max_points is not None:
        grading = {
            "@odata.type": odata_type("educationAssignmentPointsGradeType"),
            "maxPoints": hw.max_points,
        }
    modified = max(hw.created_at, published) if hw.state != "draft" else hw.created_at
    return ent.assignment(
        assignment_id=aid,
        class_id=class_id,
        display_name=hw.title,
        instructions=hw.description,
        due=due_from_city(hw.due, city.time_zone),
        grading=grading,
        assign_to=assign_to,
        status=_STATUS[hw.state],
        created_by=creator,
        created=ts(hw.created_at),
        modified=ts(modified),
        assigned=None if hw.state == "draft" else ts(published),
    )


def _resource(
    city: City, hw: CityHomework, index: int, material: CityMaterial, creator: str
) -> Json:
    type_name, url_property = _RESOURCE_KIND[material.kind]
    return ent.assignment_resource(
        resource_id=guid(city.seed, "resource", hw.key, index),
        resource={
            "@odata.type": odata_type(type_name),
            "displayName": material.title,
            url_property: material.url,
        },
        created_by=creator,
        created=ts(hw.created_at),
    )


def _add_submission(
    *,
    city: City,
    store: Store,
    hw: CityHomework,
    a_state: AssignmentState,
    aid: str,
    class_id: str,
    student_id: str,
    teacher: str,
    work: CityWork | None,
) -> None:
    sid = raw_guid(city.seed, "submission", aid, student_id)
    published = hw.published_at or hw.created_at
    updated = work.updated_at if work else published
    graded_by, graded_at = teacher, ts(updated)
    data = ent.submission(
        submission_id=sid,
        assignment_id=aid,
        class_id=class_id,
        student_id=student_id,
        modified=graded_at,
        modified_by=student_id if work else teacher,
    )
    if work is not None:
        _apply_work(data, work, student_id, teacher)
    a_state.submissions.put(data, store.next_seq())
    sub = a_state.subs.setdefault(sid, SubmissionState())
    if hw.max_points is not None:
        outcome = ent.points_outcome(guid(city.seed, "outcome", sid, "points"))
        if work is not None and work.draft_points is not None:
            outcome["points"] = ent.points_grade(work.draft_points, graded_by, graded_at)
            outcome["lastModifiedDateTime"] = graded_at
            outcome["lastModifiedBy"] = ent.identity_set(graded_by)
        if work is not None and work.released_points is not None:
            outcome["publishedPoints"] = ent.points_grade(
                work.released_points, graded_by, graded_at
            )
        sub.outcomes.put(outcome, store.next_seq())
    feedback = ent.feedback_outcome(guid(city.seed, "outcome", sid, "feedback"))
    if work is not None and work.feedback:
        value = {
            "text": {"content": work.feedback, "contentType": "text"},
            "feedbackBy": ent.identity_set(graded_by),
            "feedbackDateTime": graded_at,
        }
        feedback["feedback"] = value
        feedback["lastModifiedDateTime"] = graded_at
        feedback["lastModifiedBy"] = ent.identity_set(graded_by)
        if work.state in {"returned", "reassigned"}:
            feedback["publishedFeedback"] = dict(value)
    sub.outcomes.put(feedback, store.next_seq())
    if a_state.rubric_id is not None:
        sub.outcomes.put(
            ent.rubric_outcome(guid(city.seed, "outcome", sid, "rubric")), store.next_seq()
        )


def _apply_work(data: Json, work: CityWork, student_id: str, teacher: str) -> None:
    """Project one student's neutral work state onto the submission's timestamps."""
    data["status"] = _SUBMISSION_STATUS[work.state]
    if work.turned_in_at is not None and work.state != "new":
        data["submittedDateTime"] = ts(work.turned_in_at)
        data["submittedBy"] = ent.identity_set(student_id)
    if work.state == "reclaimed":
        data["unsubmittedDateTime"] = ts(work.updated_at)
        data["unsubmittedBy"] = ent.identity_set(student_id)
    done_at: dt.datetime = work.returned_at or work.updated_at
    if work.state == "returned":
        data["returnedDateTime"] = ts(done_at)
        data["returnedBy"] = ent.identity_set(teacher)
    elif work.state == "reassigned":
        data["reassignedDateTime"] = ts(done_at)
        data["reassignedBy"] = ent.identity_set(teacher)
    elif work.state == "excused":
        data["excusedDateTime"] = ts_or_none(work.excused_at or work.updated_at)
        data["excusedBy"] = ent.identity_set(teacher)
    teacher_acted = work.state in {"returned", "reassigned", "excused"}
    data["lastModifiedBy"] = ent.identity_set(teacher if teacher_acted else student_id)
