"""The ``unified_edu.testing`` pytest plugin, exercised the way a downstream project uses it."""

from __future__ import annotations

import http.client
import json
import tomllib
from pathlib import Path
from typing import Any

import pytest

from unified_edu.sandbox import Sandbox

# How downstream projects enable the plugin (there: in their top-level conftest.py).
pytest_plugins = ["pytester", "unified_edu.testing"]
# pytest-recording's --block-network also blocks loopback unless told otherwise.
pytestmark = pytest.mark.block_network(allowed_hosts=[r"127\.0\.0\.1$"])

CONFTEST = """
import json
from unified_edu.sandbox import PlatformApp, Principal, SandboxResponse, TenantInfo
from unified_edu.testing import sandbox_fixture

pytest_plugins = ["unified_edu.testing"]


class TinyApp(PlatformApp):
    platform = "google"

    def owns(self, path): return path.startswith("/v1/")
    def operation(self, request): return "tiny.get"
    def tenant_infos(self):
        return [TenantInfo(platform="google", tenant="tiny.example", tenant_id="C1",
                           school_keys=("s1",), admin="admin@tiny.example",
                           tokens={"admin": "tok"})]
    def issue_token(self, tenant, subject, **kw): return "tok"
    def authenticate(self, request):
        return Principal(platform="google", tenant="tiny.example", subject="admin")
    def quota_rules(self, principal, request): return []
    def handle(self, request, principal, context):
        return SandboxResponse.json_body(200, {"base": self.base_url})
    def error(self, status, message, *, request_id, retry_after=None):
        return SandboxResponse.json_body(status, {"error": message})


tiny_sandbox = sandbox_fixture(scope="module", apps=[TinyApp()], quotas=False)
renamed = sandbox_fixture(name="other_sandbox", apps=[TinyApp()])
"""

TESTS = """
import json
import urllib.request

SEEN = []


def test_serves(tiny_sandbox):
    with urllib.request.urlopen(tiny_sandbox.url + "/v1/x") as response:
        assert json.load(response) == {"base": tiny_sandbox.url}
    assert tiny_sandbox.stats().calls == 1
    SEEN.append(tiny_sandbox)


def test_module_scope_shares_one_sandbox(tiny_sandbox, other_sandbox):
    assert SEEN == [tiny_sandbox]
    assert other_sandbox.url != tiny_sandbox.url
    assert [t.tenant for t in other_sandbox.tenants] == ["tiny.example"]
"""


def test_fixtures_made_by_the_factory_start_share_and_stop(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_downstream=TESTS)
    result = pytester.runpytest_inprocess("-p", "no:randomly")
    result.assert_outcomes(passed=2)


def test_the_plugin_registers_edu_sandbox(pytester: pytest.Pytester) -> None:
    pytester.makeconftest('pytest_plugins = ["unified_edu.testing"]')
    result = pytester.runpytest_inprocess("--fixtures")
    result.stdout.fnmatch_lines(["edu_sandbox *session scope*"])


# The real thing: both platform emulators behind the plugin's session-wide fixture.


def get(sandbox: Sandbox, path: str, token: str | None = None) -> tuple[int, Any]:
    conn = http.client.HTTPConnection("127.0.0.1", sandbox.port, timeout=10)
    try:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, json.loads(response.read())
    finally:
        conn.close()


def test_edu_sandbox_serves_both_platforms(edu_sandbox: Sandbox, tmp_path: Path) -> None:
    before = edu_sandbox.stats().by_platform
    status, payload = get(edu_sandbox, "/_sandbox/tenants")
    assert status == 200
    assert {t["platform"] for t in payload["tenants"]} == {"google", "microsoft"}
    google = next(t for t in edu_sandbox.tenants if t.platform == "google")
    microsoft = next(t for t in edu_sandbox.tenants if t.platform == "microsoft")
    assert get(edu_sandbox, "/v1/courses?pageSize=1", google.tokens["admin"])[0] == 200
    assert get(edu_sandbox, "/v1.0/education/classes?$top=1", microsoft.tokens["app"])[0] == 200
    assert get(edu_sandbox, "/v1/courses")[0] == 401
    after = edu_sandbox.stats().by_platform  # The session's sandbox may be shared.
    assert after["google"] - before.get("google", 0) == 2
    assert after["microsoft"] - before.get("microsoft", 0) == 1
    config = tomllib.loads(edu_sandbox.tenants_config_toml(tmp_path).read_text("utf-8"))
    assert {t["provider"] for t in config["tenants"]} == {"google", "microsoft"}
