"""The Admin SDK Directory's ``users.list`` in the Classroom emulator (schools by OU)."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Callable

import pytest
from classroom_support import G1, G2, Direct

from unified_edu.sandbox import Sandbox
from unified_edu.sandbox._core import SandboxRequest, SandboxResponse
from unified_edu.sandbox.classroom import ClassroomApp, org_unit_path

USERS = "/admin/directory/v1/users"
G1_EMAILS = {
    f"admin@{G1}",
    f"maria.ivanova@{G1}",
    f"georgi.dimitrov@{G1}",
    *(f"s{n}@{G1}" for n in range(1, 5)),
}


def every_page(client: Direct, **query: object) -> tuple[list[dict[str, object]], int]:
    users: list[dict[str, object]] = []
    pages = 0
    token = ""
    while True:
        extra = {"pageToken": token} if token else {}
        reply = client.get(USERS, **query, **extra)
        assert reply.status == 200, reply.json
        pages += 1
        users += reply.json.get("users", [])
        token = reply.json.get("nextPageToken", "")
        if not token:
            return users, pages


def test_the_admin_lists_the_domains_users_with_their_org_units(admin: Direct) -> None:
    reply = admin.get(USERS, customer="my_customer")
    assert reply.status == 200
    assert reply.json["kind"] == "admin#directory#users"
    users = {u["primaryEmail"]: u for u in reply.json["users"]}
    assert set(users) == G1_EMAILS  # no other domain, no guardian
    assert users[f"maria.ivanova@{G1}"]["orgUnitPath"] == "/Schools/g1/Teachers"
    assert users[f"s1@{G1}"]["orgUnitPath"] == org_unit_path("g1", "student")
    assert users[f"admin@{G1}"]["orgUnitPath"] == org_unit_path("g1") == "/Schools/g1"
    assert users[f"admin@{G1}"]["isAdmin"] is True
    assert users[f"s1@{G1}"]["name"]["fullName"] == "Алекс Ангелов"


def test_pages_follow_max_results_and_tokens(admin: Direct) -> None:
    users, pages = every_page(admin, domain=G1, maxResults=2)
    assert pages == 4  # 7 users, 2 per page
    assert [u["primaryEmail"] for u in users] == sorted(G1_EMAILS)
    assert every_page(admin, domain=G1)[1] == 1  # default 100


@pytest.mark.parametrize("size", ["0", "501", "many"])
def test_max_results_outside_1_to_500_is_400(admin: Direct, size: str) -> None:
    assert admin.get(USERS, domain=G1, maxResults=size).status == 400


def test_fields_keep_only_what_is_asked(admin: Direct) -> None:
    reply = admin.get(
        USERS,
        domain=G1,
        maxResults=3,
        fields="nextPageToken,users(id,primaryEmail,orgUnitPath)",
    )
    assert set(reply.json) == {"users", "nextPageToken"}
    assert all(set(u) == {"id", "primaryEmail", "orgUnitPath"} for u in reply.json["users"])


def test_ids_are_the_classroom_user_ids(admin: Direct) -> None:
    directory = {u["primaryEmail"]: u["id"] for u in admin.get(USERS, domain=G1).json["users"]}
    profile = admin.get(f"/v1/userProfiles/maria.ivanova@{G1}").json
    assert directory[f"maria.ivanova@{G1}"] == profile["id"]


def test_without_the_directory_scope_it_is_403(as_user: Callable[..., Direct]) -> None:
    client = as_user(f"admin@{G1}", scopes=frozenset({"classroom.courses.readonly"}))
    reply = client.get(USERS, customer="my_customer")
    assert reply.status == 403
    assert reply.json["error"]["details"][0]["reason"] == "ACCESS_TOKEN_SCOPE_INSUFFICIENT"


def test_only_the_domains_admin_may_list(
    admin: Direct, teacher: Direct, as_user: Callable[..., Direct]
) -> None:
    assert teacher.get(USERS, customer="my_customer").status == 403
    assert admin.get(USERS, domain=G2).status == 403
    assert admin.get(USERS, customer="C0nobody").status == 403
    assert admin.get(USERS).status == 400  # neither customer nor domain
    assert as_user(f"admin@{G2}").get(USERS, domain=G2).status == 200


def test_the_server_routes_counts_and_does_not_throttle_the_directory(
    tiny_sandbox: Sandbox,
) -> None:
    app = next(a for a in tiny_sandbox.apps if isinstance(a, ClassroomApp))
    assert app.owns(USERS)
    assert not app.owns("/admin/reports/v1/activity/users/all/applications/classroom")
    token = app.issue_token(G1, f"admin@{G1}")
    request = urllib.request.Request(
        f"{tiny_sandbox.url}{USERS}?customer=my_customer",
        headers={"Authorization": f"Bearer {token}"},
    )
    with urllib.request.urlopen(request) as answer:
        assert {u["primaryEmail"] for u in json.load(answer)["users"]} == G1_EMAILS
    assert tiny_sandbox.stats().by_operation["directory.users.list"] == 1
    principal = app.authenticate(
        SandboxRequest(method="GET", path=USERS, headers={"Authorization": f"Bearer {token}"})
    )
    assert not isinstance(principal, SandboxResponse)
    directory = SandboxRequest(method="GET", path=USERS)
    assert app.quota_rules(principal, directory) == []
    assert app.quota_rules(principal, SandboxRequest(method="GET", path="/v1/courses"))
