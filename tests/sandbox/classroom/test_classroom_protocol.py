"""The emulator's protocol surface, called directly: tokens and 401s, scopes, paging,
partial responses, batch framing, quotas, operation names and tenant information.
"""

from __future__ import annotations

import email.parser
import email.policy
import json
from collections.abc import Callable

import pytest
from classroom_support import G1, G2, Direct, Reply, tiny_city

from unified_edu.errors import ValidationError
from unified_edu.sandbox._core import Principal, QuotaRule, SandboxRequest
from unified_edu.sandbox.classroom import ClassroomApp


def course_id(client: Direct, name: str) -> str:
    courses = client.get("/v1/courses").json["courses"]
    return next(c["id"] for c in courses if c["name"] == name)


def test_missing_and_unknown_tokens_get_googles_two_401s(app: ClassroomApp) -> None:
    missing = Direct(app, None).get("/v1/courses")
    unknown = Direct(app, "ya29.forged").get("/v1/courses")
    assert (missing.status, unknown.status) == (401, 401)
    assert missing.json["error"]["message"].startswith("Request is missing required authentication")
    assert unknown.json["error"]["message"].startswith("Request had invalid authentication")
    assert unknown.json["error"]["status"] == "UNAUTHENTICATED"
    assert unknown.headers["WWW-Authenticate"] == 'Bearer realm="https://accounts.google.com/"'
    token = app.issue_token(G1, f"admin@{G1}")
    assert Direct(app, None).get("/v1/courses", access_token=token).status == 200


def test_issue_token_checks_its_arguments(app: ClassroomApp) -> None:
    with pytest.raises(ValidationError):
        app.issue_token("elsewhere.example", f"admin@{G1}")
    with pytest.raises(ValidationError):
        app.issue_token(G1, f"admin@{G2}")
    with pytest.raises(ValidationError):
        app.issue_token(G1, f"admin@{G1}", app_only=True)


def test_a_method_needs_one_of_its_scopes(as_user: Callable[..., Direct]) -> None:
    narrow = as_user(f"admin@{G1}", scopes=frozenset({"classroom.rosters.readonly"}))
    denied = narrow.get("/v1/courses")
    assert denied.status == 403
    assert denied.json["error"]["message"] == "Request had insufficient authentication scopes."
    # Submissions accept the student-submissions scopes; courseWork.list does not.
    reader = as_user(
        f"maria.ivanova@{G1}",
        scopes=frozenset(
            {"classroom.courses.readonly", "classroom.student-submissions.students.readonly"}
        ),
    )
    cid = course_id(reader, "Математика 5А")
    assert reader.get(f"/v1/courses/{cid}/courseWork/-/studentSubmissions").status == 200
    assert reader.get(f"/v1/courses/{cid}/courseWork").status == 403


def test_profile_fields_follow_the_profile_scopes(as_user: Callable[..., Direct]) -> None:
    plain = as_user(f"admin@{G1}", scopes=frozenset({"classroom.rosters.readonly"}))
    profile = plain.get("/v1/userProfiles/me").json
    assert "emailAddress" not in profile
    assert "photoUrl" not in profile
    full = as_user(f"admin@{G1}").get("/v1/userProfiles/me").json
    assert full["emailAddress"] == f"admin@{G1}"
    assert full["name"]["fullName"] == "Жасмина Петрова"


def test_pages_resume_where_they_stopped_and_tokens_are_bound(admin: Direct) -> None:
    first = admin.get("/v1/courses", pageSize=2)
    assert len(first.json["courses"]) == 2
    token = first.json["nextPageToken"]
    second = admin.get("/v1/courses", pageSize=2, pageToken=token)
    assert "nextPageToken" not in second.json
    names = [c["name"] for c in first.json["courses"] + second.json["courses"]]
    assert names == ["Химия 7В", "История 6Б", "Математика 5А"]  # newest first
    # A token only works for the same request; tampering is detected.
    assert admin.get("/v1/courses", pageToken=token, courseStates="ACTIVE").status == 400
    assert admin.get("/v1/courses", pageToken=token[:-2] + "xx").status == 400
    assert admin.get("/v1/courses", pageSize=-1).status == 400


def test_keyset_pages_neither_repeat_nor_skip_when_items_are_added(admin: Direct) -> None:
    cid = course_id(admin, "Математика 5А")
    path = f"/v1/courses/{cid}/topics"
    first = admin.get(path, pageSize=1).json
    teacher_added = admin.post(path, {"name": "Нова тема"}).json
    rest = admin.get(path, pageSize=10, pageToken=first["nextPageToken"]).json["topic"]
    ids = [t["topicId"] for t in first["topic"] + rest]
    assert len(ids) == len(set(ids)) == 3
    assert ids[-1] == teacher_added["topicId"]


def test_server_page_size_caps(admin: Direct) -> None:
    capped = ClassroomApp(tiny_city(), page_size_cap=2)
    client = Direct(capped, capped.tenant_infos()[0].tokens["admin"])
    assert len(client.get("/v1/courses", pageSize=1000).json["courses"]) == 2
    cid = course_id(admin, "Математика 5А")
    work = f"/v1/courses/{cid}/courseWork/-/studentSubmissions"
    assert len(admin.get(work, pageSize=1000).json["studentSubmissions"]) == 10
    rubric_work = next(
        w["id"]
        for w in admin.get(f"/v1/courses/{cid}/courseWork").json["courseWork"]
        if admin.get(f"/v1/courses/{cid}/courseWork/{w['id']}/rubrics").json
    )
    rubrics = admin.get(f"/v1/courses/{cid}/courseWork/{rubric_work}/rubrics", pageSize=5).json
    assert len(rubrics["rubrics"]) == 1


def test_partial_responses(admin: Direct) -> None:
    trimmed = admin.get("/v1/courses", fields="courses(id,name),nextPageToken").json
    assert all(set(c) == {"id", "name"} for c in trimmed["courses"])
    slashed = admin.get("/v1/courses", fields="courses/teacherFolder/id").json
    assert all(set(c) <= {"teacherFolder"} for c in slashed["courses"])
    assert admin.get("/v1/courses", fields="courses(id").status == 400


def _batch_body(parts: list[tuple[str, str, dict[str, str]]], boundary: str = "b0und") -> bytes:
    chunks = []
    for n, (method, url, headers) in enumerate(parts):
        head = "".join(f"{k}: {v}\n" for k, v in headers.items())
        chunks.append(
            f"--{boundary}\nContent-Type: application/http\nContent-Transfer-Encoding: binary\n"
            f"Content-ID: <id-{n}>\n\n{method} {url} HTTP/1.1\n{head}\n"
        )
    return ("".join(chunks) + f"--{boundary}--\n").encode()


def _parts(reply: Reply) -> dict[str, tuple[int, dict[str, object]]]:
    raw = b"Content-Type: " + reply.headers["Content-Type"].encode() + b"\r\n\r\n" + reply.body
    envelope = email.parser.BytesParser(policy=email.policy.compat32).parsebytes(raw)
    out = {}
    for part in envelope.get_payload():
        status_line, rest = part.get_payload().split("\r\n", 1)
        out[part["Content-ID"]] = (
            int(status_line.split()[1]),
            json.loads(rest.split("\r\n\r\n", 1)[1]),
        )
    return out


def test_batch_framing_auth_inheritance_and_limits(app: ClassroomApp) -> None:
    admin_token = app.issue_token(G1, f"admin@{G1}")
    student_token = app.issue_token(G1, f"s1@{G1}")
    envelope = Direct(app, admin_token)
    multipart = {"Content-Type": "multipart/mixed; boundary=b0und"}
    body = _batch_body(
        [
            ("GET", "/v1/courses?pageSize=1", {}),  # the outer token applies
            ("GET", "/v1/userProfiles/me", {"Authorization": f"Bearer {student_token}"}),
            ("GET", "/v1/courses/404", {}),
            ("POST", "/batch", {}),
        ]
    )
    reply = envelope.call("POST", "/batch", raw=body, headers=multipart)
    assert reply.status == 200
    parts = _parts(reply)
    assert parts["<response-id-0>"][0] == 200
    assert parts["<response-id-1>"][1]["emailAddress"] == f"s1@{G1}"  # type: ignore[index]
    assert parts["<response-id-2>"][0] == 404
    assert parts["<response-id-3>"][0] == 400  # no nesting
    anonymous = Direct(app, None).call("POST", "/batch/classroom/v1", raw=body, headers=multipart)
    assert _parts(anonymous)["<response-id-0>"][0] == 401
    too_many = _batch_body([("GET", "/v1/courses", {})] * 51)
    assert envelope.call("POST", "/batch", raw=too_many, headers=multipart).status == 400
    assert (
        envelope.call(
            "POST", "/batch", raw=b"{}", headers={"Content-Type": "application/json"}
        ).status
        == 400
    )


def test_quota_rules_and_operation_names(app: ClassroomApp) -> None:
    principal = Principal(platform="google", tenant=G1, subject=f"admin@{G1}", project="p1")
    request = SandboxRequest(method="GET", path="/v1/courses/1/courseWork/-/studentSubmissions")
    assert app.quota_rules(principal, request) == [
        QuotaRule(key=f"google:user:admin@{G1}", limit=1200, seconds=60),
        QuotaRule(key="google:project:p1", limit=3000, seconds=60),
    ]
    assert app.quota_rules(principal, SandboxRequest(method="POST", path="/batch")) == []
    assert app.operation(request) == "classroom.courses.courseWork.studentSubmissions.list"
    turn_in = SandboxRequest(
        method="POST", path="/v1/courses/1/courseWork/2/studentSubmissions/x:turnIn"
    )
    assert app.operation(turn_in) == "classroom.courses.courseWork.studentSubmissions.turnIn"
    assert app.operation(SandboxRequest(method="POST", path="/batch")) == "batch"
    assert app.operation(SandboxRequest(method="POST", path="/token")) == "oauth.token"
    assert app.operation(SandboxRequest(method="GET", path="/v1/nothing")) == "unknown"
    assert app.owns("/v1/courses")
    assert app.owns("/batch")
    assert not app.owns("/v1.0/education/me")


def test_server_errors_are_google_shaped(app: ClassroomApp) -> None:
    throttled = app.error(429, "Quota exceeded.", request_id="r1", retry_after=2.2)
    assert throttled.status == 429
    assert throttled.headers["Retry-After"] == "3"
    assert json.loads(throttled.body) == {
        "error": {"code": 429, "message": "Quota exceeded.", "status": "RESOURCE_EXHAUSTED"}
    }
    unavailable = json.loads(app.error(503, "Down.", request_id="r2").body)
    assert unavailable["error"]["status"] == "UNAVAILABLE"


def test_tenant_infos(app: ClassroomApp) -> None:
    infos = {info.tenant: info for info in app.tenant_infos()}
    assert set(infos) == {G1, G2}  # the Microsoft school is not served
    g1 = infos[G1]
    assert (g1.platform, g1.admin, g1.school_keys) == ("google", f"admin@{G1}", ("g1",))
    assert g1.tenant_id.startswith("C0")
    assert Direct(app, g1.tokens["admin"]).get("/v1/courses").status == 200
    assert g1.service_account is not None
    assert g1.service_account["token_uri"] == app.base_url + "/token"
