"""Graph JSON → model mapping, against every official example of an entity we map.

Each response example of Microsoft's documentation (``shared/conformance/graph``) that
carries an assignment, submission, outcome, class, school, user, category, resource or
rubric parses without an exception and keeps its key fields; a few are checked field by
field. The three flagged examples (date-times in Date/TimeOfDay fields) parse too.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from msgraph_support import CONFORMANCE, conformance_index, load

from unified_edu import (
    AssigneeMode,
    AssignmentState,
    ClassState,
    GuardianLinkState,
    MaterialKind,
    Role,
    SubmissionState,
)
from unified_edu.providers.microsoft import _mapping as m
from unified_edu.providers.microsoft._errors import error_from_response
from unified_edu.providers.microsoft._wire import parse_date, parse_instant, parse_time_of_day

T = "contoso"

# -- classification of every response example ---------------------------------------------

_KINDS = (
    # (file name prefix, entity kind); first match wins
    ("educationassignment-get-rubric", "rubric"),
    ("educationrubric-", "rubric"),
    ("educationuser-list-rubrics", "rubric"),
    ("educationuser-post-rubrics", "rubric"),
    ("educationassignment-list-categories", "category"),
    ("educationcategory-", "category"),
    ("educationclass-list-categories", "category"),
    ("educationclass-post-category", "category"),
    ("educationassignment-list-resources", "resource"),
    ("educationassignment-post-resource", "resource"),
    ("educationassignmentresource-get", "resource"),
    ("educationsubmission-list-resources", "resource"),
    ("educationsubmission-list-submittedresources", "resource"),
    ("educationsubmission-post-resources", "resource"),
    ("educationsubmissionresource-get", "resource"),
    ("educationsubmission-list-outcomes", "outcome"),
    ("educationoutcome-update.", "outcome"),
    ("educationfeedbackresourceoutcome-", "outcome"),
    ("educationassignment-list-submissions", "submission"),
    ("educationsubmission-", "submission"),
    ("educationassignmentdefaults-", "defaults"),
    ("educationassignmentsettings-", "settings"),
    ("educationschool-list-administrativeunit", "administrativeUnit"),
    ("educationschool-list-classes", "class"),
    ("educationschool-list-users", "user"),
    ("educationschool-", "school"),
    ("educationclass-list-schools", "school"),
    ("educationuser-list-schools", "school"),
    ("educationclass-list-members", "user"),
    ("educationclass-list-teachers", "user"),
    ("educationclass-list-assignments", "assignment"),
    ("educationclass-post-assignment", "assignment"),
    ("educationuser-list-assignments", "assignment"),
    ("educationassignment-", "assignment"),
    ("educationuser-list-classes", "class"),
    ("educationuser-list-taughtclasses", "class"),
    ("educationclass-", "class"),
    ("educationuser-", "user"),
)
#: Response kinds the SDK has no model object for (class settings), with the reason.
NOT_MAPPED = {
    "settings": "class assignment settings: no model type (grading schemes)",
    "administrativeUnit": "the directory object behind a school: no model type",
}


def _kind(name: str) -> str:
    for prefix, kind in _KINDS:
        if name.startswith(prefix):
            return kind
    raise AssertionError(f"unclassified conformance file {name}")


RESPONSES = [
    row["file"]
    for row in conformance_index()
    if row["file"].endswith(".response.json") and ".error-" not in row["file"]
]


def _items(payload: Any) -> list[dict[str, Any]]:
    """The entities of a response: a collection's ``value``, a wrapped single entity
    (the docs quirk of ``educationschool-get``/``educationuser-get``), or the body."""
    if isinstance(payload, dict) and "value" in payload:
        value = payload["value"]
        return value if isinstance(value, list) else [value]
    return [payload]


def _placeholder(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(("String", "Boolean"))


def _check_entity(kind: str, item: dict[str, Any]) -> None:
    if "error" in item:  # an error body among the examples (setUpResourcesFolder repeat)
        error = error_from_response(400, {}, item)
        assert (error.code, error.inner_code) == (item["error"]["code"], "folderAlreadyExists")
    elif kind == "assignment":
        a = m.to_assignment(item, tenant=T, class_id="fallback-class")
        assert a.ref.id == item["id"]
        assert a.platform_state == item.get("status")
        assert a.class_id == (item.get("classId") or "fallback-class")
        if item.get("displayName"):
            assert a.title == item["displayName"]
        if item.get("dueDateTime"):
            assert a.due == parse_instant(item["dueDateTime"])
        grading = item.get("grading")
        assert a.max_points == (grading["maxPoints"] if grading else None)
    elif kind == "submission":
        s = m.to_submission(item, tenant=T, class_id="c", assignment_id="a")
        assert s.ref.id == item["id"]
        assert s.platform_state == item.get("status")
        assert s.student_id == item["recipient"]["userId"]
        assert s.turned_in_at == parse_instant(item.get("submittedDateTime"))
        assert s.returned_at == parse_instant(item.get("returnedDateTime"))
    elif kind == "outcome":
        s = m.to_submission({"id": "s", "outcomes": [item]}, tenant=T, class_id="c")
        assert s.extra["outcomes"] == [item]
        outcome_type = item["@odata.type"]
        if outcome_type.endswith("PointsOutcome") and item.get("points"):
            assert s.draft_grade is not None
            assert s.draft_grade.points == item["points"]["points"]
        if outcome_type.endswith("FeedbackOutcome") and item.get("feedback"):
            assert s.draft_grade is not None
            assert s.draft_grade.feedback == item["feedback"]["text"]["content"]
    elif kind == "class":
        c = m.to_class(item, tenant=T)
        assert c.ref.id == item["id"]
        assert c.state is ClassState.ACTIVE
        for key, value in (
            ("displayName", c.name),
            ("externalId", c.external_id),
            ("grade", c.section),
            ("classCode", c.code),
        ):
            if key in item:
                assert value == item[key]
    elif kind == "school":
        s = m.to_school(item, tenant=T)
        assert s.ref.id == item["id"]
        assert s.name == item["displayName"]
        assert s.external_id == item.get("externalId")
    elif kind == "user":
        p = m.to_person(item, tenant=T)
        assert p.ref.id == item["id"]
        assert p.name == (item.get("displayName") or p.name)
        expected = {"student": Role.STUDENT, "teacher": Role.TEACHER}.get(
            item.get("primaryRole", ""), Role.OTHER
        )
        assert p.role is expected
        for key, value in item.items():
            if key not in ("id", "displayName", "mail", "givenName", "surname"):
                assert p.extra[key] == value  # nothing documented is lost
    elif kind == "category":
        cat = m.to_category(item, class_id="c", tenant=T)
        assert (cat.ref.id, cat.name) == (item["id"], item["displayName"])
    elif kind == "resource":
        material = m.to_material(item, tenant=T)
        resource = item.get("resource", item)
        assert material is not None
        assert material.title == resource.get("displayName")
        assert material.kind is m.material_kind(resource)
        assert material.url in (resource.get("link"), resource.get("fileUrl"))
    elif kind == "rubric":
        r = m.to_rubric(item, tenant=T, class_id="c", assignment_id="a")
        assert r.ref.id == item["id"]
        assert r.title == item.get("displayName")
        assert len(r.criteria) == len(item.get("qualities") or [])
    elif kind == "defaults":
        assert parse_time_of_day(item.get("dueTime")) in (None, dt.time(23, 59))
    else:
        assert kind in NOT_MAPPED


def test_every_response_example_is_classified() -> None:
    kinds = {name: _kind(name) for name in RESPONSES}
    assert len(RESPONSES) >= 70
    assert set(kinds.values()) >= {
        "assignment",
        "submission",
        "outcome",
        "class",
        "school",
        "user",
        "category",
        "resource",
        "rubric",
    }


@pytest.mark.parametrize("name", RESPONSES)
def test_response_example_maps_without_loss(name: str) -> None:
    kind = _kind(name)
    for item in _items(load(name)):
        _check_entity(kind, item)


def test_flagged_date_time_in_date_fields_keep_the_page() -> None:
    members = load("educationclass-list-members.response.json")["value"]
    people = [m.to_person(u, tenant=T) for u in members]
    assert [p.role for p in people] == [Role.TEACHER, Role.STUDENT]
    assert people[1].extra["student"]["birthDate"] == "2001-01-01T00:00:00Z"
    assert parse_date(people[1].extra["student"]["birthDate"]) == dt.date(2001, 1, 1)
    updated = load("educationuser-update.response.json")
    assert m.to_person(updated, tenant=T).ref.id == updated["id"]
    defaults = load("educationassignmentdefaults-get.response.json")
    assert parse_time_of_day(defaults["dueTime"]) == dt.time(23, 59)
    assert parse_time_of_day("23:59:00") == dt.time(23, 59)
    assert parse_time_of_day("String") is None


def test_assignment_get_field_by_field() -> None:
    payload = load("educationassignment-get.response.json")
    a = m.to_assignment(payload, tenant=T, app_id="someone-else")
    assert a.ref.id == "3c77de7f-539b-49e1-9c96-1274f2f0ee3b"
    assert a.ref.provider == "microsoft"
    assert a.ref.tenant == T
    assert a.class_id == "f4a941ff-9da6-4707-ba5b-0eae93cad0b4"
    assert a.title == "07.30 SubmissionsUploadResource Word2"
    assert "upload a word document" in a.instructions
    assert a.extra["instructionsContentType"] == "html"
    assert a.state is AssignmentState.PUBLISHED
    assert a.platform_state == "assigned"
    assert a.due == dt.datetime(2021, 8, 1, 6, 59, tzinfo=dt.UTC)
    assert a.published_at == dt.datetime(2021, 7, 30, 16, 1, 32, 551804, tzinfo=dt.UTC)
    assert a.created_at == dt.datetime(2021, 7, 30, 16, 0, 52, 191801, tzinfo=dt.UTC)
    assert a.updated_at == dt.datetime(2021, 7, 30, 19, 39, 9, 638459, tzinfo=dt.UTC)
    assert a.close_at is None
    assert a.scheduled_at is None
    assert a.allow_late is True
    assert a.max_points == 10
    assert a.assignee_mode is AssigneeMode.WHOLE_CLASS
    assert a.student_ids == ()
    assert a.creator_id == "f3a5344e-dbde-48b0-be24-b5b62a243836"
    assert a.web_link is not None
    assert a.web_link.startswith("https://teams.microsoft.com/")
    assert a.created_by_this_app is False
    assert a.extra["resourcesFolderUrl"].startswith("https://graph.microsoft.com/v1.0/drives/")
    assert a.extra["addedStudentAction"] == "none"


def test_inactive_and_unknown_future_value_statuses() -> None:
    without = load("educationassignment-deactivate.1.response.json")
    with_prefer = load("educationassignment-deactivate.2.response.json")
    assert m.to_assignment(without, tenant=T).state is AssignmentState.UNKNOWN
    assert m.to_assignment(with_prefer, tenant=T).state is AssignmentState.INACTIVE
    scheduled = m.to_assignment({"id": "x", "status": "scheduled"}, tenant=T)
    assert (scheduled.state, scheduled.platform_state) == (AssignmentState.UNKNOWN, "scheduled")


def test_individual_recipients_and_ungraded() -> None:
    a = m.to_assignment(
        {
            "id": "a",
            "displayName": "Само за двама",
            "grading": None,
            "assignTo": {
                "@odata.type": "#microsoft.graph.educationAssignmentIndividualRecipient",
                "recipients": ["u1", "u2"],
            },
            "assignDateTime": "2027-01-10T06:00:00Z",
            "categories": [{"id": "k1", "displayName": "Тест"}],
        },
        tenant=T,
        class_id="c",
    )
    assert a.assignee_mode is AssigneeMode.INDIVIDUAL_STUDENTS
    assert a.student_ids == ("u1", "u2")
    assert a.max_points is None
    assert not a.is_graded
    assert a.scheduled_at == dt.datetime(2027, 1, 10, 6, tzinfo=dt.UTC)
    assert a.category_ids == ("k1",)


def test_submission_with_outcomes_draft_and_released() -> None:
    payload = load("educationsubmission-list-outcomes.response.json")["value"]
    s = m.to_submission(
        {"id": "s1", "status": "returned", "recipient": {"userId": "u"}, "outcomes": payload},
        tenant=T,
        class_id="c",
        assignment_id="a",
        max_points=100,
    )
    assert s.state is SubmissionState.RETURNED
    assert s.draft_grade is not None
    assert s.released_grade is not None
    assert s.draft_grade.points == 75
    assert not s.draft_grade.released
    assert s.draft_grade.feedback == "This is feedback for the assignment as a whole."
    assert s.draft_grade.graded_by == "9391878d-903c-406c-bb1c-0f17d00fd878"
    assert s.draft_grade.graded_at == dt.datetime(2019, 7, 15, 22, 36, 2, 259236, tzinfo=dt.UTC)
    assert s.released_grade.released
    assert s.released_grade.points == 75
    assert s.released_grade.max_points == 100
    assert s.released_grade.share == 0.75
    assert set(s.extra["outcomeIds"]) == {"points", "feedback", "rubric"}


def test_submission_list_expand_outcomes_empty_grades() -> None:
    item = load("educationassignment-list-submissions.2.response.json")["value"][0]
    s = m.to_submission(item, tenant=T, class_id="c", assignment_id="a")
    assert s.draft_grade is None
    assert s.released_grade is None
    assert s.extra["outcomeIds"]["points"] == "ea1351f6-ba33-4940-b2cb-6a7254af2dc8"
    assert s.returned_at == dt.datetime(2021, 10, 13, 15, 57, 0, 34986, tzinfo=dt.UTC)
    assert s.updated_at == s.returned_at  # no lastModifiedDateTime: the latest stamp


def test_excuse_and_reassign_with_and_without_prefer() -> None:
    excused = m.to_submission(
        load("educationsubmission-excuse.1.response.json"), tenant=T, class_id="c"
    )
    hidden = m.to_submission(
        load("educationsubmission-excuse.2.response.json"), tenant=T, class_id="c"
    )
    assert excused.state is SubmissionState.EXCUSED
    assert excused.excused_at == dt.datetime(2024, 4, 25, 11, 50, 36, 797216, tzinfo=dt.UTC)
    assert hidden.state is SubmissionState.RETURNED  # what Graph says without the header
    reassigned = load("educationsubmission-reassign.2.response.json")
    assert (
        m.to_submission(reassigned, tenant=T, class_id="c").platform_state == reassigned["status"]
    )


def test_resources_kinds() -> None:
    kinds = {
        m.material_kind(load(f"educationassignmentresource-get.{n}.response.json")["resource"])
        for n in range(1, 7)
    }
    assert kinds == {MaterialKind.FILE, MaterialKind.LINK, MaterialKind.VIDEO}
    app = m.to_material(
        {"@odata.type": "#microsoft.graph.educationTeamsAppResource", "webUrl": "https://x/app"},
        tenant=T,
    )
    assert app is not None
    assert app.kind is MaterialKind.APP
    channel = m.to_material(
        {"resource": {"@odata.type": "microsoft.graph.educationChannelResource", "url": "u"}},
        tenant=T,
    )
    assert channel is not None
    assert channel.kind is MaterialKind.OTHER
    assert m.to_material({"resource": {"@odata.type": "#microsoft.graph.x"}}, tenant=T) is None
    a = m.to_assignment(
        {"id": "a", "resources": [{"id": "r", "resource": {"displayName": "no url"}}]}, tenant=T
    )
    assert a.materials == ()
    assert a.extra["unmappedResources"][0]["id"] == "r"


def test_class_get_and_term() -> None:
    c = m.to_class(load("educationclass-get.response.json"), tenant=T, school_id="s")
    assert (c.name, c.description, c.school_id) == (
        "Leadership 101",
        "Leadership 101 training",
        "s",
    )
    assert c.extra["mailNickname"] == "Leadership101"
    termed = m.to_class(
        {
            "id": "c",
            "displayName": "Математика 5А",
            "course": {"subject": "Математика"},
            "term": {
                "displayName": "2026/2027",
                "startDate": "2026-09-15",
                "endDate": "2027-06-30",
            },
        },
        tenant=T,
    )
    assert termed.subject == "Математика"
    assert termed.term is not None
    assert termed.term.start == dt.date(2026, 9, 15)


def test_guardian_links_from_related_contacts() -> None:
    user = {
        "id": "st1",
        "relatedContacts": [
            {
                "displayName": "Мария Иванова",
                "emailAddress": "Maria@Example.org",
                "mobilePhone": "+359 88 1234567",
                "relationship": "parent",
                "accessConsent": True,
            },
            {"relationship": "guardian"},
        ],
    }
    links = m.to_guardian_links(user, tenant=T)
    assert [link.ref.id for link in links] == ["st1/0", "st1/1"]
    first = links[0]
    assert first.state is GuardianLinkState.ACTIVE
    assert first.student_id == "st1"
    assert first.guardian_email == "maria@example.org"
    assert first.relationship == "parent"
    assert first.guardian is not None
    assert first.guardian.role is Role.GUARDIAN
    assert first.extra == {"mobilePhone": "+359 88 1234567", "accessConsent": True}
    assert links[1].guardian is None
    assert m.to_guardian_links({"id": "x"}, tenant=T) == []


def test_enrollments_members_not_teachers_are_students() -> None:
    teachers = [{"id": "t1", "displayName": "T", "primaryRole": "teacher"}]
    members = [*teachers, {"id": "s1", "displayName": "S", "primaryRole": "student"}]
    out = list(m.to_enrollments("c", teachers, members, tenant=T))
    assert [(e.person_id, e.role) for e in out] == [("t1", Role.TEACHER), ("s1", Role.STUDENT)]
    assert out[1].ref.id == "c/s1"
    assert out[1].person is not None


def test_rubric_field_by_field() -> None:
    r = m.to_rubric(
        load("educationrubric-get.response.json"), tenant=T, class_id="c", assignment_id="a"
    )
    assert r.title == "Example Points Rubric"
    assert [c.title for c in r.criteria] == ["Argument", "Spelling and Grammar"]
    first = r.criteria[0]
    assert first.weight == 50.0
    assert [(lv.title, lv.points) for lv in first.levels] == [("Good", 2.0), ("Poor", 1.0)]
    assert first.levels[0].description == "The essay's argument is persuasive."
    assert r.max_points == 4.0
    assert r.extra["grading"]["maxPoints"] == 100


def test_placeholders_and_bad_values_never_raise() -> None:
    assert parse_instant("String (timestamp)") is None
    assert parse_instant("2021-09-03T23:26:35.4182773Z") == dt.datetime(
        2021, 9, 3, 23, 26, 35, 418277, tzinfo=dt.UTC
    )
    assert parse_date("2001-13-45") is None
    p = m.to_person({"id": "u", "primaryRole": "String", "mail": "String"}, tenant=T)
    assert p.role is Role.OTHER
    assert p.email is None
    with pytest.raises(ValueError, match="without an id"):
        m.to_class({"displayName": "x"}, tenant=T)


def test_conformance_directory_is_present() -> None:
    assert (CONFORMANCE / "index.tsv").is_file()
