"""Service accounts with domain-wide delegation through the sandbox's ``/token``.

google-auth's own ``service_account.Credentials`` signs the JWT and trades it at the key
file's ``token_uri``; the sandbox checks it as Google does and answers Google's OAuth
errors, which google-auth raises as ``RefreshError``.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

import pytest
from classroom_support import G1, G2
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from google.auth import crypt, jwt
from google.auth.exceptions import RefreshError
from google.oauth2 import service_account
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError

from unified_edu.sandbox import Sandbox

pytestmark = pytest.mark.block_network(allowed_hosts=[r"127\.0\.0\.1$"])

COURSES = "https://www.googleapis.com/auth/classroom.courses.readonly"
COURSEWORK = "https://www.googleapis.com/auth/classroom.coursework.students.readonly"


def key_file(sb: Sandbox, tenant: str) -> dict[str, Any]:
    info = next(t for t in sb.tenants if t.tenant == tenant).service_account
    assert info is not None
    return dict(info)


def delegated(sb: Sandbox, tenant: str, subject: str, scopes: list[str]) -> Any:
    credentials = service_account.Credentials.from_service_account_info(
        key_file(sb, tenant), scopes=scopes, subject=subject
    )
    return build(
        "classroom",
        "v1",
        credentials=credentials,
        client_options={"api_endpoint": sb.google_endpoint},
        static_discovery=True,
    )


def test_the_key_file_looks_like_googles(tiny_sandbox: Sandbox) -> None:
    info = key_file(tiny_sandbox, G1)
    assert info["type"] == "service_account"
    assert info["token_uri"] == tiny_sandbox.url + "/token"
    assert info["client_email"].endswith(f"@{info['project_id']}.iam.gserviceaccount.com")
    key = serialization.load_pem_private_key(info["private_key"].encode(), password=None)
    assert isinstance(key, rsa.RSAPrivateKey)
    assert key.key_size == 2048
    assert info["client_email"] != key_file(tiny_sandbox, G2)["client_email"]


def test_impersonating_the_admin_and_a_teacher(tiny_sandbox: Sandbox) -> None:
    admin = delegated(tiny_sandbox, G1, f"admin@{G1}", [COURSES])
    every = admin.courses().list().execute()["courses"]
    assert {c["name"] for c in every} == {"Математика 5А", "История 6Б", "Химия 7В"}
    teacher = delegated(tiny_sandbox, G1, f"georgi.dimitrov@{G1}", [COURSES])
    own = teacher.courses().list().execute()["courses"]
    assert {c["name"] for c in own} == {"Математика 5А", "История 6Б"}


def test_the_token_carries_only_the_requested_scopes(tiny_sandbox: Sandbox) -> None:
    admin = delegated(tiny_sandbox, G1, f"admin@{G1}", [COURSES])
    course = admin.courses().list().execute()["courses"][0]
    with pytest.raises(HttpError) as caught:
        admin.courses().courseWork().list(courseId=course["id"]).execute()
    error = json.loads(caught.value.content)["error"]
    assert (error["code"], error["status"]) == (403, "PERMISSION_DENIED")
    assert error["message"] == "Request had insufficient authentication scopes."
    assert error["details"][0]["reason"] == "ACCESS_TOKEN_SCOPE_INSUFFICIENT"


@pytest.mark.parametrize(
    ("subject", "scopes", "error"),
    [
        ("nobody@g1.school.example", [COURSES], "invalid_grant"),
        (f"admin@{G2}", [COURSES], "unauthorized_client"),  # delegation is per domain
        (f"admin@{G1}", ["https://www.googleapis.com/auth/drive"], "unauthorized_client"),
    ],
)
def test_refused_delegations(
    tiny_sandbox: Sandbox, subject: str, scopes: list[str], error: str
) -> None:
    service = delegated(tiny_sandbox, G1, subject, scopes)
    with pytest.raises(RefreshError, match=error):
        service.courses().list().execute()


def _exchange(
    sb: Sandbox, assertion: str, grant_type: str = "urn:ietf:params:oauth:grant-type:jwt-bearer"
) -> tuple[int, dict[str, Any]]:
    form = urllib.parse.urlencode({"grant_type": grant_type, "assertion": assertion}).encode()
    request = urllib.request.Request(sb.url + "/token", data=form, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_the_token_endpoint_checks_the_jwt(tiny_sandbox: Sandbox) -> None:
    info = key_file(tiny_sandbox, G1)
    signer = crypt.RSASigner.from_service_account_info(info)
    now = int(time.time())
    claims = {
        "iss": info["client_email"],
        "aud": "https://oauth2.googleapis.com/token",
        "scope": COURSES,
        "sub": f"admin@{G1}",
        "iat": now,
        "exp": now + 3600,
    }
    good = jwt.encode(signer, claims).decode()
    status, body = _exchange(tiny_sandbox, good)
    assert status == 200
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600

    head, _, signature = good.split(".")
    forged = jwt.encode(signer, {**claims, "sub": f"maria.ivanova@{G1}"}).decode().split(".")[1]
    assert _exchange(tiny_sandbox, f"{head}.{forged}.{signature}") == (
        400,
        {"error": "invalid_grant", "error_description": "Invalid JWT Signature."},
    )
    stale = jwt.encode(signer, {**claims, "iat": now - 7200, "exp": now - 3600}).decode()
    assert _exchange(tiny_sandbox, stale)[1]["error"] == "invalid_grant"
    wrong_audience = jwt.encode(signer, {**claims, "aud": "https://example.org/token"}).decode()
    assert "audience" in _exchange(tiny_sandbox, wrong_audience)[1]["error_description"]
    assert (
        _exchange(tiny_sandbox, good, grant_type="password")[1]["error"] == "unsupported_grant_type"
    )
