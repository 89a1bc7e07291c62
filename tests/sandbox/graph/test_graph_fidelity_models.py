"""Every property the emulator emits exists in msgraph-sdk's model of that type.

Each JSON object is parsed with msgraph's own JSON parse node into the model class of
its route (or of its ``@odata.type``), then walked side by side with the model: every key
must be in the model's ``get_field_deserializers()`` (annotations ``@odata.*`` aside), and
every non-null value must survive parsing (an enum member msgraph does not know, or a
datetime in a ``Date`` field, would not).
"""

from __future__ import annotations

import json
import re
from typing import Any

from graph_support import Direct
from kiota_serialization_json.json_parse_node import JsonParseNode
from msgraph.generated.models import (
    education_assignment,
    education_assignment_defaults,
    education_assignment_resource,
    education_assignment_settings,
    education_category,
    education_class,
    education_outcome,
    education_rubric,
    education_school,
    education_submission,
    education_submission_resource,
    education_user,
)

from unified_edu.sandbox.graph import GraphApp
from unified_edu.sandbox.graph._bodies import ENUMS
from unified_edu.sandbox.graph._schema import NAVIGATIONS, PROPERTIES

Assignment = education_assignment.EducationAssignment
Defaults = education_assignment_defaults.EducationAssignmentDefaults
Settings = education_assignment_settings.EducationAssignmentSettings
AssignmentResource = education_assignment_resource.EducationAssignmentResource
Category = education_category.EducationCategory
Klass = education_class.EducationClass
Outcome = education_outcome.EducationOutcome
Rubric = education_rubric.EducationRubric
School = education_school.EducationSchool
Submission = education_submission.EducationSubmission
SubmissionResource = education_submission_resource.EducationSubmissionResource
User = education_user.EducationUser

MODELS: dict[str, type[Any]] = {
    "educationSchool": School,
    "educationClass": Klass,
    "educationUser": User,
    "educationAssignment": Assignment,
    "educationSubmission": Submission,
    "educationCategory": Category,
    "educationAssignmentResource": AssignmentResource,
    "educationSubmissionResource": SubmissionResource,
    "educationRubric": Rubric,
    "educationOutcome": Outcome,
    "educationAssignmentDefaults": Defaults,
    "educationAssignmentSettings": Settings,
}


def _snake(name: str) -> str:
    return re.sub(r"([A-Z])", r"_\1", name).lower()


def _walk(data: dict[str, Any], model: Any, path: str, problems: list[str]) -> None:
    fields = model.get_field_deserializers()
    for key, value in data.items():
        if key.startswith("@odata."):
            continue
        where = f"{path}.{key}"
        if key not in fields:
            problems.append(f"{where}: no such property on {type(model).__name__}")
            continue
        parsed = getattr(model, _snake(key))
        if value is not None and parsed is None:
            problems.append(f"{where}: {value!r} did not survive msgraph parsing")
        if isinstance(value, dict) and parsed is not None:
            _walk(value, parsed, where, problems)
        elif isinstance(value, list) and parsed is not None:
            for index, (item, parsed_item) in enumerate(zip(value, parsed, strict=True)):
                if isinstance(item, dict):
                    _walk(item, parsed_item, f"{where}[{index}]", problems)


def check(payload: dict[str, Any], model_class: type[Any]) -> list[str]:
    """Problems of one emitted object against the msgraph model."""
    parsed = JsonParseNode(json.loads(json.dumps(payload))).get_object_value(model_class)
    problems: list[str] = []
    _walk(payload, parsed, model_class.__name__, problems)
    return problems


# msgraph-sdk parses ~10-40 ms per entity, so objects are not parsed one by one: objects
# of one model whose top-level keys (and nested ``@odata.type``s) agree are merged into a
# single object holding every non-null value seen, and parsed once; each further value
# of an enum-typed property is parsed in a variant of that object.
_ENUM_KEYS = frozenset({*ENUMS, "status", "resourceStatus"})


def _shape(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted((k, _shape(v) if k != "@odata.type" else v) for k, v in value.items()))
    if isinstance(value, list):
        return ("list", tuple(sorted({repr(_shape(v)) for v in value})))
    return type(value).__name__


def _merge(old: Any, new: Any) -> Any:
    if old is None or new is None:
        return new if old is None else old
    if isinstance(old, dict) and isinstance(new, dict):
        if old.get("@odata.type") != new.get("@odata.type"):
            return old
        return {**new, **{k: _merge(v, new.get(k)) for k, v in old.items()}}
    if isinstance(old, list) and isinstance(new, list):
        shapes = {repr(_shape(v)) for v in old}
        return old + [v for v in new if repr(_shape(v)) not in shapes]
    return old


class Collector:
    """Merges emitted objects by model and key signature, keeping enum values apart."""

    def __init__(self) -> None:
        self.merged: dict[Any, tuple[str, dict[str, Any], type[Any]]] = {}
        self.enums: dict[Any, dict[str, set[str]]] = {}
        self.count = 0

    def add(self, label: str, body: Any, model: type[Any]) -> None:
        assert isinstance(body, dict), (label, body)
        for raw in body.get("value", [body]):
            self.count += 1
            if "@removed" in raw:
                continue
            item = self._thin(label, raw, model)
            signature = tuple(
                sorted(
                    (k, v.get("@odata.type") if isinstance(v, dict) else None)
                    for k, v in item.items()
                )
            )
            key = (model, signature)
            known = self.merged.get(key)
            self.merged[key] = (label, item if known is None else _merge(known[1], item), model)
            values = self.enums.setdefault(key, {})
            for name in _ENUM_KEYS & item.keys():
                if isinstance(item[name], str):
                    values.setdefault(name, set()).add(item[name])

    def _thin(self, label: str, item: dict[str, Any], model: type[Any]) -> dict[str, Any]:
        """Expanded collections are checked as objects of their own; the parent keeps
        the (empty) navigation property so that its name is checked too."""
        out = dict(item)
        for key, value in item.items():
            child = _NAVIGATION_MODELS.get((model, key))
            if child is not None and isinstance(value, list):
                if value:
                    self.add(f"{label}.{key}", {"value": value}, child)
                out[key] = []
        return out

    def objects(self) -> list[tuple[str, dict[str, Any], type[Any]]]:
        """Each merged object, plus one variant per further enum value."""
        out = []
        for key, (label, item, model) in self.merged.items():
            out.append((label, item, model))
            for name, values in self.enums[key].items():
                out.extend(
                    (f"{label}[{name}={v}]", {**item, name: v}, model)
                    for v in sorted(values - {item[name]})
                )
        return out


_NAVIGATION_MODELS: dict[tuple[type[Any], str], type[Any]] = {
    (Assignment, "submissions"): Submission,
    (Assignment, "resources"): AssignmentResource,
    (Assignment, "categories"): Category,
    (Submission, "outcomes"): Outcome,
    (Submission, "resources"): SubmissionResource,
    (Submission, "submittedResources"): SubmissionResource,
}


def _fields(type_name: str) -> set[str]:
    if type_name == "educationOutcome":  # polymorphic: $select may name any subtype's
        from msgraph.generated.models import (
            education_feedback_outcome,
            education_feedback_resource_outcome,
            education_points_outcome,
            education_rubric_outcome,
        )

        subtypes = [
            education_feedback_outcome.EducationFeedbackOutcome,
            education_feedback_resource_outcome.EducationFeedbackResourceOutcome,
            education_points_outcome.EducationPointsOutcome,
            education_rubric_outcome.EducationRubricOutcome,
        ]
        return {name for t in subtypes for name in t().get_field_deserializers()}
    return set(MODELS[type_name]().get_field_deserializers())


def test_schema_names_exist_in_msgraph_models() -> None:
    for type_name, names in PROPERTIES.items():
        assert names <= _fields(type_name), (type_name, names - _fields(type_name))
    for type_name, names in NAVIGATIONS.items():
        fields = MODELS[type_name]().get_field_deserializers()
        assert names <= set(fields), (type_name, names - set(fields))


def test_the_check_catches_unknown_properties_and_lost_values() -> None:
    problems = check(
        {"displayName": "x", "dueDate": "2026-01-01", "status": "scheduled"}, Assignment
    )
    assert problems == [
        "EducationAssignment.dueDate: no such property on EducationAssignment",
        "EducationAssignment.status: 'scheduled' did not survive msgraph parsing",
    ]


def test_every_emitted_property_is_in_the_msgraph_model(
    app: GraphApp,
    app_client: Direct,
    teacher: Direct,
    student: Direct,
    taught_class: str,
) -> None:
    out = Collector()
    prefer = {"Prefer": "include-unknown-enum-members"}
    for url, model in [
        ("/education/schools", School),
        ("/education/classes?$top=999", Klass),
        ("/education/users?$top=999", User),
        ("/education/classes/delta", Klass),
        ("/education/schools/delta", School),
        ("/education/users/delta?$top=999", User),
    ]:
        out.add(url, app_client.get(url).json, model)
    classes = list(app.store.classes)
    for class_id in classes:
        base = f"/education/classes/{class_id}"
        out.add("members", app_client.get(f"{base}/members?$top=999").json, User)
        out.add("teachers", app_client.get(f"{base}/teachers").json, User)
        out.add("schools", app_client.get(f"{base}/schools").json, School)
        out.add("categories", app_client.get(f"{base}/assignmentCategories").json, Category)
        out.add("defaults", app_client.get(f"{base}/assignmentDefaults").json, Defaults)
        out.add("settings", app_client.get(f"{base}/assignmentSettings").json, Settings)
        for headers in ({}, prefer):
            url = f"{base}/assignments?$top=999&$expand=*"
            assignments = app_client.all(url, **headers)
            out.add("assignments", {"value": assignments}, Assignment)
            for assignment in assignments[:6]:
                url = f"{base}/assignments/{assignment['id']}/submissions?$expand=*"
                out.add("submissions", {"value": app_client.all(url, **headers)}, Submission)
        out.add("delta", app_client.get(f"{base}/assignments/delta").json, Assignment)
    # Writes, as the teacher of one class.
    base = f"/education/classes/{taught_class}"
    created = teacher.post(
        f"{base}/assignments",
        {
            "displayName": "Проверка",
            "dueDateTime": "2026-12-01T21:59:59Z",
            "grading": {
                "@odata.type": "#microsoft.graph.educationAssignmentPointsGradeType",
                "maxPoints": 6,
            },
        },
    )
    out.add("create", created.json, Assignment)
    aid = created.json["id"]
    link = {
        "distributeForStudentWork": False,
        "resource": {
            "@odata.type": "#microsoft.graph.educationLinkResource",
            "displayName": "Учебник",
            "link": "https://example.org/учебник",
        },
    }
    out.add(
        "resource",
        teacher.post(f"{base}/assignments/{aid}/resources", link).json,
        AssignmentResource,
    )
    out.add(
        "folder", teacher.post(f"{base}/assignments/{aid}/setUpResourcesFolder").json, Assignment
    )
    out.add("publish", teacher.post(f"{base}/assignments/{aid}/publish").json, Assignment)
    subs = teacher.all(f"{base}/assignments/{aid}/submissions?$expand=outcomes")
    mine = next(
        s for s in subs if s["recipient"]["userId"] == student.get("/education/me").json["id"]
    )
    sub_url = f"{base}/assignments/{aid}/submissions/{mine['id']}"
    out.add("resource", student.post(f"{sub_url}/resources", link).json, SubmissionResource)
    out.add("submit", student.post(f"{sub_url}/submit").json, Submission)
    for outcome in teacher.get(f"{sub_url}/outcomes").json["value"]:
        body: dict[str, Any] = {"@odata.type": outcome["@odata.type"]}
        if outcome["@odata.type"].endswith("PointsOutcome"):
            body["points"] = {"points": 5.5}
        else:
            body["feedback"] = {"text": {"content": "Браво!", "contentType": "text"}}
        out.add("outcome", teacher.patch(f"{sub_url}/outcomes/{outcome['id']}", body).json, Outcome)
    out.add("return", teacher.post(f"{sub_url}/return").json, Submission)
    out.add("outcomes", teacher.get(f"{sub_url}/outcomes").json, Outcome)
    out.add("excuse", teacher.post(f"{sub_url}/excuse", headers=prefer).json, Submission)
    out.add("submitted", teacher.get(f"{sub_url}/submittedResources").json, SubmissionResource)
    rubrics = teacher.get("/education/me/rubrics").json
    out.add("rubrics", rubrics, Rubric)
    out.add(
        "category",
        teacher.post(f"{base}/assignmentCategories", {"displayName": "Тест"}).json,
        Category,
    )
    seen = out.objects()
    problems = [f"{label}: {p}" for label, item, model in seen for p in check(item, model)]
    assert problems == []
    assert out.count > 300  # the walk covered the seeded data, not just a few objects
    statuses = {i["status"] for _, i, m in seen if m is Submission}
    assert {"working", "submitted", "returned", "reassigned", "excused"} <= statuses
    kinds = {item.get("@odata.type") for _, item, _ in seen if item.get("@odata.type")}
    assert "#microsoft.graph.educationClass" in kinds  # delta items carry their type
