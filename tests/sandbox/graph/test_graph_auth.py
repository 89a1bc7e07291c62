"""Tokens, permissions, quotas, operation names and the tenant's credentials."""

from __future__ import annotations

import base64
import json
import re
from typing import Any

import pytest
from graph_support import Direct

from unified_edu.sandbox._core import Principal, SandboxRequest
from unified_edu.sandbox.graph import GraphApp

GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def _claims(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def test_tenant_info_and_ready_made_tokens(app: GraphApp, teacher_id: str) -> None:
    (info,) = app.tenant_infos()
    assert info.platform == "microsoft"
    assert info.tenant == "plovdiv-edu.example"
    assert GUID.match(info.tenant_id)
    assert info.school_keys == ("s5", "s6", "s7")
    assert info.admin.endswith("@plovdiv-edu.example")
    app_claims = _claims(info.tokens["app"])
    assert app_claims["tid"] == info.tenant_id
    assert app_claims["aud"] == "https://graph.microsoft.com"
    assert app_claims["idtyp"] == "app"
    assert {"EduRoster.ReadWrite.All", "EduAssignments.ReadWrite.All", "Member.Read.Hidden"} <= set(
        app_claims["roles"]
    )
    teacher_claims = _claims(info.tokens["teacher"])
    assert teacher_claims["scp"] == "EduAssignments.ReadWrite EduRoster.ReadBasic"
    assert teacher_claims["oid"] == teacher_id
    assert teacher_claims["appid"] == app_claims["appid"]


def test_subject_may_be_a_upn_and_unknown_subjects_are_refused(app: GraphApp) -> None:
    user = next(iter(app.store.users.values()))
    token = app.issue_token(app.store.tenant, user["userPrincipalName"].upper())
    assert _claims(token)["oid"] == user["id"]
    with pytest.raises(ValueError, match="no user"):
        app.issue_token(app.store.tenant, "nobody@nowhere.example")
    with pytest.raises(ValueError, match="unknown Microsoft tenant"):
        app.issue_token("contoso.example", "", app_only=True)


def test_missing_and_bad_tokens_are_401(app: GraphApp) -> None:
    empty = Direct(app, None).get("/education/classes", client_request_id="abc-123")
    assert empty.status == 401
    assert empty.json["error"] == {
        "code": "InvalidAuthenticationToken",
        "message": "Access token is empty.",
        "innerError": {
            "date": empty.json["error"]["innerError"]["date"],
            "request-id": empty.headers["request-id"],
            "client-request-id": "abc-123",
        },
    }
    assert empty.headers["client-request-id"] == "abc-123"
    assert empty.headers["WWW-Authenticate"].startswith("Bearer realm")
    good = app.tenant_infos()[0].tokens["app"]
    header, _payload, signature = good.split(".")
    forged_payload = (
        base64.urlsafe_b64encode(
            json.dumps({**_claims(good), "roles": ["Directory.ReadWrite.All"]}).encode()
        )
        .decode()
        .rstrip("=")
    )
    for token in ("not-a-jwt", f"{header}.{forged_payload}.{signature}", good[:-2] + "xx"):
        reply = Direct(app, token).get("/education/classes")
        assert reply.status == 401
        assert reply.json["error"]["message"] == "Access token validation failure."


def test_application_permissions_cannot_author(
    app_client: Direct, teacher: Direct, taught_class: str
) -> None:
    base = f"/education/classes/{taught_class}/assignments"
    created = app_client.post(base, {"displayName": "От приложението"})
    assert created.status == 201  # creating is allowed app-only (ReadWrite.All)
    url = f"{base}/{created.json['id']}"
    for method, path, body in [
        ("POST", f"{url}/publish", None),
        ("POST", f"{url}/deactivate", None),
        ("PATCH", url, {"displayName": "x"}),
        ("DELETE", url, None),
        ("POST", f"{url}/resources", {"resource": {}}),
        ("POST", f"{url}/categories/$ref", {"@odata.id": "x/categories/y"}),
    ]:
        reply = app_client.call(method, path, body)
        assert reply.status == 403, (method, path)
        assert reply.json["error"]["code"] == "accessDenied"
        assert "not supported with application permissions" in reply.json["error"]["message"]
    assert teacher.post(f"{url}/publish").status == 200  # a signed-in teacher can


def test_members_need_member_read_hidden_app_only(app: GraphApp, taught_class: str) -> None:
    roles = frozenset({"EduRoster.Read.All"})
    without = Direct(app, app.issue_token(app.store.tenant, "", app_only=True, scopes=roles))
    reply = without.get(f"/education/classes/{taught_class}/members")
    assert reply.status == 403
    assert "Member.Read.Hidden" in reply.json["error"]["message"]
    assert without.get(f"/education/classes/{taught_class}/teachers").status == 200
    with_hidden = roles | {"Member.Read.Hidden"}
    token = app.issue_token(app.store.tenant, "", app_only=True, scopes=with_hidden)
    assert Direct(app, token).get(f"/education/classes/{taught_class}/members").status == 200


def test_delegated_rules(app: GraphApp, teacher: Direct, teacher_id: str) -> None:
    assert teacher.get("/education/users").status == 403
    assert (
        teacher.post("/education/classes", {"displayName": "x", "mailNickname": "x"}).status == 403
    )
    own = set(app.store.classes_of_user(teacher_id))
    listed = {c["id"] for c in teacher.all("/education/classes")}
    assert listed == own
    foreign = next(c for c in app.store.classes if c not in own)
    assert teacher.get(f"/education/classes/{foreign}").status == 403
    assert teacher.get(f"/education/classes/{foreign}/assignments").status == 403


def test_basic_scopes_cannot_see_or_give_grades(
    app: GraphApp, teacher: Direct, taught_class: str, teacher_id: str
) -> None:
    basic = frozenset({"EduAssignments.ReadWriteBasic", "EduRoster.ReadBasic"})
    basic_teacher = Direct(app, app.issue_token(app.store.tenant, teacher_id, scopes=basic))
    base = f"/education/classes/{taught_class}/assignments"
    assignment = next(a for a in teacher.all(base) if a["status"] == "assigned")
    subs = teacher.all(f"{base}/{assignment['id']}/submissions")
    url = f"{base}/{assignment['id']}/submissions/{subs[0]['id']}"
    assert basic_teacher.get(url).status == 200
    assert basic_teacher.get(f"{url}/outcomes").status == 403
    assert basic_teacher.get(f"{url}?$expand=outcomes").status == 403
    assert basic_teacher.post(f"{url}/return").status == 403


def _rules(app: GraphApp, path: str, method: str = "GET") -> list[tuple[str, int, float]]:
    principal = Principal(
        platform="microsoft", tenant=app.store.tenant, subject="a", app_only=True, app_id="A1"
    )
    request = SandboxRequest(method=method, path=path)
    return [(r.key, r.limit, r.seconds) for r in app.quota_rules(principal, request)]


def test_quota_rules_follow_the_documented_limits(app: GraphApp) -> None:
    tenant = app.store.tenant
    assignments = _rules(app, "/v1.0/education/classes/c1/assignments/a1/submissions")
    assert assignments == [
        (f"graph:app:A1:tenant:{tenant}:assignments", 500, 10),
        (f"graph:app:A1:tenant:{tenant}:assignments:hour", 15000, 3600),
        (f"graph:tenant:{tenant}:assignments", 1000, 10),
        (f"graph:tenant:{tenant}:assignments:hour", 30000, 3600),
    ]
    me = _rules(app, "/v1.0/education/me/assignments")
    assert (f"graph:app:A1:tenant:{tenant}:me-assignments", 50, 10) in me
    assert (f"graph:tenant:{tenant}:me-assignments", 150, 10) in me
    assert _rules(app, "/v1.0/education/classes") == [
        (f"graph:app:A1:tenant:{tenant}:roster", 35000, 10)
    ]
    assert _rules(app, "/v1.0/$batch", "POST") == []


def test_operation_names_are_route_templates(app: GraphApp) -> None:
    def name(method: str, path: str) -> str:
        return app.operation(SandboxRequest(method=method, path=path))

    assert name("GET", "/v1.0/education/classes/x/assignments") == (
        "GET /education/classes/{id}/assignments"
    )
    assert name("GET", "/v1.0/education/classes/delta()") == "GET /education/classes/delta"
    assert name("POST", "/v1.0/$batch") == "POST /$batch"
    assert name("POST", "/v1.0/education/classes/x/assignments/y/submissions/z/return") == (
        "POST /education/classes/{id}/assignments/{id}/submissions/{id}/return"
    )
    assert name("GET", "/v1.0/nowhere") == "unknown"
    assert app.owns("/v1.0/education/schools")
    assert not app.owns("/v1/courses")


def test_server_errors_are_graph_shaped(app: GraphApp) -> None:
    throttled = app.error(429, "Please retry again later.", request_id="r-1", retry_after=2.128)
    body = json.loads(throttled.body)
    assert throttled.headers["Retry-After"] == "2.128"
    assert throttled.headers["request-id"] == "r-1"
    assert body["error"]["code"] == "TooManyRequests"
    assert body["error"]["innerError"]["status"] == 429
    assert body["error"]["innerError"]["request-id"] == "r-1"
    unavailable = json.loads(app.error(503, "down", request_id="r-2").body)
    assert unavailable["error"]["code"] == "serviceNotAvailable"
