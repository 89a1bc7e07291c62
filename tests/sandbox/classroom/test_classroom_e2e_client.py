"""The unmodified google-api-python-client against the real sandbox server: batches,
errors, grading semantics, default filters, Cyrillic, and a 401 seen without google-auth.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

import google.oauth2.credentials
import pytest
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError
from googleapiclient.http import BatchHttpRequest

from unified_edu.sandbox import Sandbox, TenantInfo

pytestmark = pytest.mark.block_network(allowed_hosts=[r"127\.0\.0\.1$"])


def service(sb: Sandbox, token: str) -> Any:
    return build(
        "classroom",
        "v1",
        credentials=google.oauth2.credentials.Credentials(token),
        client_options={"api_endpoint": sb.google_endpoint},
        static_discovery=True,
    )


def first_tenant(sb: Sandbox) -> TenantInfo:
    return next(t for t in sb.tenants if t.platform == "google")


def a_course(svc: Any, name: str | None = None) -> dict[str, Any]:
    courses = svc.courses().list(courseStates=["ACTIVE"]).execute()["courses"]
    return next(c for c in courses if name is None or c["name"] == name)


def test_a_batch_answers_each_part_and_reports_failures(seeded_sandbox: Sandbox) -> None:
    svc = service(seeded_sandbox, first_tenant(seeded_sandbox).tokens["admin"])
    course = a_course(svc)
    answers: dict[str, tuple[Any, Exception | None]] = {}

    def collect(request_id: str, response: Any, exception: Exception | None) -> None:
        answers[request_id] = (response, exception)

    batch = BatchHttpRequest(callback=collect, batch_uri=seeded_sandbox.google_endpoint + "batch")
    batch.add(svc.courses().get(id=course["id"]), request_id="course")
    batch.add(svc.courses().students().list(courseId=course["id"]), request_id="students")
    batch.add(svc.courses().topics().list(courseId=course["id"]), request_id="topics")
    batch.add(svc.courses().get(id="999999999999"), request_id="missing")
    batch.execute()

    # Each part answers exactly what the same call answers on its own.
    assert answers["course"] == (svc.courses().get(id=course["id"]).execute(), None)
    students = svc.courses().students().list(courseId=course["id"]).execute()
    assert answers["students"] == (students, None)
    topics = svc.courses().topics().list(courseId=course["id"]).execute()
    assert answers["topics"] == (topics, None)
    error = answers["missing"][1]
    assert isinstance(error, HttpError)
    assert error.status_code == 404
    assert json.loads(error.content)["error"]["status"] == "NOT_FOUND"


def test_more_than_fifty_calls_in_a_batch_fail_as_a_whole(seeded_sandbox: Sandbox) -> None:
    svc = service(seeded_sandbox, first_tenant(seeded_sandbox).tokens["admin"])
    batch = BatchHttpRequest(batch_uri=seeded_sandbox.google_endpoint + "batch")
    for _ in range(51):
        batch.add(svc.courses().list(pageSize=1))
    with pytest.raises(HttpError) as caught:
        batch.execute()
    assert caught.value.status_code == 400
    assert json.loads(caught.value.content)["error"]["status"] == "INVALID_ARGUMENT"


def _ui_made_submission(sb: Sandbox) -> tuple[Any, dict[str, Any], TenantInfo]:
    """A teacher's service and a submission of coursework made in the Classroom UI."""
    tenant = first_tenant(sb)
    admin = service(sb, tenant.tokens["admin"])
    for course in admin.courses().list(courseStates=["ACTIVE"]).execute()["courses"]:
        work = admin.courses().courseWork().list(courseId=course["id"]).execute()
        ui_made = [w for w in work.get("courseWork", []) if not w.get("associatedWithDeveloper")]
        if not ui_made:
            continue
        subs = admin.courses().courseWork().studentSubmissions()
        page = subs.list(courseId=course["id"], courseWorkId=ui_made[0]["id"]).execute()
        if page.get("studentSubmissions"):
            owner = admin.userProfiles().get(userId=course["ownerId"]).execute()
            teacher = sb.issue_token("google", tenant.tenant, owner["emailAddress"])
            return service(sb, teacher), page["studentSubmissions"][0], tenant
    raise AssertionError("the seeded city has no UI-made coursework with submissions")


def test_grading_ui_made_coursework_is_a_project_permission_error(seeded_sandbox: Sandbox) -> None:
    teacher, submission, _ = _ui_made_submission(seeded_sandbox)
    subs = teacher.courses().courseWork().studentSubmissions()
    patch = subs.patch(
        courseId=submission["courseId"],
        courseWorkId=submission["courseWorkId"],
        id=submission["id"],
        updateMask="assignedGrade",
        body={"assignedGrade": 5},
    )
    with pytest.raises(HttpError) as caught:
        patch.execute()
    body = json.loads(caught.value.content)
    assert body == {
        "error": {
            "code": 403,
            "message": "@ProjectPermissionDenied The Developer Console project is not "
            "permitted to make this request.",
            "status": "PERMISSION_DENIED",
        }
    }
    # Reading the same submission is allowed.
    fetched = subs.get(
        courseId=submission["courseId"],
        courseWorkId=submission["courseWorkId"],
        id=submission["id"],
    ).execute()
    assert fetched["id"] == submission["id"]
    assert "associatedWithDeveloper" not in fetched


def test_course_work_lists_default_to_published(seeded_sandbox: Sandbox) -> None:
    svc = service(seeded_sandbox, first_tenant(seeded_sandbox).tokens["admin"])
    work = svc.courses().courseWork()
    for course in svc.courses().list().execute()["courses"]:
        every = work.list(
            courseId=course["id"], courseWorkStates=["PUBLISHED", "DRAFT", "DELETED"], pageSize=100
        ).execute()
        states = {w["state"] for w in every.get("courseWork", [])}
        if {"DRAFT", "PUBLISHED"} <= states:
            default = work.list(courseId=course["id"], pageSize=100).execute()["courseWork"]
            assert {w["state"] for w in default} == {"PUBLISHED"}
            assert all("alternateLink" in w for w in default)
            return
    raise AssertionError("no seeded course has both drafts and published work")


def test_a_bad_token_gets_googles_401_body(seeded_sandbox: Sandbox) -> None:
    # google-auth turns a 401 into RefreshError, so look at the wire with urllib.
    request = urllib.request.Request(
        seeded_sandbox.google_endpoint + "v1/courses",
        headers={"Authorization": "Bearer ya29.not-a-token"},
    )
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=10)
    assert caught.value.code == 401
    assert caught.value.headers["WWW-Authenticate"].startswith("Bearer")
    assert json.loads(caught.value.read()) == {
        "error": {
            "code": 401,
            "message": "Request had invalid authentication credentials. Expected OAuth 2 "
            "access token, login cookie or other valid authentication credential. See "
            "https://developers.google.com/identity/sign-in/web/devconsole-project.",
            "status": "UNAUTHENTICATED",
        }
    }


def test_grades_and_return_follow_the_api_not_the_web_ui(tiny_sandbox: Sandbox) -> None:
    tenant = first_tenant(tiny_sandbox)
    teacher = service(
        tiny_sandbox,
        tiny_sandbox.issue_token("google", tenant.tenant, f"maria.ivanova@{tenant.tenant}"),
    )
    student_email = f"s2@{tenant.tenant}"
    student = service(
        tiny_sandbox, tiny_sandbox.issue_token("google", tenant.tenant, student_email)
    )
    course = a_course(teacher, "Математика 5А")
    body = {
        "title": "Контролна работа № 1 — „дроби“",
        "description": "Решете задачите. Успех! ✏️",
        "workType": "ASSIGNMENT",
        "state": "PUBLISHED",
        "maxPoints": 20,
        "dueDate": {"year": 2027, "month": 1, "day": 15},
        "dueTime": {"hours": 21, "minutes": 59},
    }
    created = teacher.courses().courseWork().create(courseId=course["id"], body=body).execute()
    assert created["associatedWithDeveloper"] is True
    fetched = teacher.courses().courseWork().get(courseId=course["id"], id=created["id"]).execute()
    assert (fetched["title"], fetched["description"]) == (body["title"], body["description"])

    subs = student.courses().courseWork().studentSubmissions()
    mine = subs.list(courseId=course["id"], courseWorkId=created["id"], userId="me").execute()
    sub_id = mine["studentSubmissions"][0]["id"]
    assert mine["studentSubmissions"][0]["state"] == "NEW"
    ids = {"courseId": course["id"], "courseWorkId": created["id"], "id": sub_id}
    subs.turnIn(**ids, body={}).execute()

    grading = teacher.courses().courseWork().studentSubmissions()
    graded = grading.patch(**ids, updateMask="draftGrade", body={"draftGrade": 17.456}).execute()
    assert graded["draftGrade"] == 17.46
    grading.return_(**ids, body={}).execute()
    returned = grading.get(**ids).execute()
    assert returned["state"] == "RETURNED"
    assert returned["draftGrade"] == 17.46
    assert "assignedGrade" not in returned  # return does not promote the draft grade
    grading.patch(**ids, updateMask="assignedGrade", body={"assignedGrade": 17.46}).execute()
    seen_by_student = subs.get(**ids).execute()
    assert seen_by_student["assignedGrade"] == 17.46
    assert "draftGrade" not in seen_by_student  # private to teachers
    states = [
        h["stateHistory"]["state"]
        for h in seen_by_student["submissionHistory"]
        if "stateHistory" in h
    ]
    assert states == ["CREATED", "TURNED_IN", "RETURNED"]

    with pytest.raises(HttpError) as caught:
        grading.turnIn(**ids, body={}).execute()  # teachers cannot turn work in
    assert caught.value.status_code == 403
    with pytest.raises(HttpError) as negative:
        grading.patch(**ids, updateMask="assignedGrade", body={"assignedGrade": -1}).execute()
    assert negative.value.status_code == 400
