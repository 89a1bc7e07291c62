"""``Sandbox.tenants_config_toml``: the provisional tenants file and its credential files."""

from __future__ import annotations

import json
import stat
import tomllib
from pathlib import Path
from typing import Any

import pytest

from unified_edu.sandbox import (
    Context,
    PlatformApp,
    Principal,
    QuotaRule,
    Sandbox,
    SandboxRequest,
    SandboxResponse,
    TenantInfo,
)

pytestmark = pytest.mark.block_network(allowed_hosts=[r"127\.0\.0\.1$"])

SERVICE_ACCOUNT = {"type": "service_account", "client_email": "sa@p.iam", "token_uri": "x"}


class StaticApp(PlatformApp):
    """Serves nothing; only describes its tenants."""

    def __init__(self, platform: str, infos: list[TenantInfo]) -> None:
        self.platform = platform  # type: ignore[assignment]
        self.infos = infos

    def owns(self, path: str) -> bool:
        return False

    def operation(self, request: SandboxRequest) -> str:
        return "unknown"

    def tenant_infos(self) -> list[TenantInfo]:
        return self.infos

    def issue_token(self, tenant: str, subject: str, **_: Any) -> str:
        return "unused"

    def authenticate(self, request: SandboxRequest) -> Principal | SandboxResponse:
        return SandboxResponse.empty(401)

    def quota_rules(self, principal: Principal, request: SandboxRequest) -> list[QuotaRule]:
        return []

    def handle(
        self, request: SandboxRequest, principal: Principal, context: Context
    ) -> SandboxResponse:
        return SandboxResponse.empty(404)

    def error(
        self, status: int, message: str, *, request_id: str, retry_after: float | None = None
    ) -> SandboxResponse:
        return SandboxResponse.empty(status)


def tenant(platform: str, name: str, **kw: Any) -> TenantInfo:
    return TenantInfo(
        platform=platform,  # type: ignore[arg-type]
        tenant=name,
        tenant_id="id-" + name,
        school_keys=("s1", "s2"),
        admin=f"admin@{name}",
        **kw,
    )


@pytest.fixture
def sandbox() -> Any:
    google = StaticApp(
        "google",
        [
            tenant("google", "sou1.example.bg", tokens={"admin": "g-admin-token"}),
            tenant(
                "google", "sou2.example.bg", tokens={"admin": "g2"}, service_account=SERVICE_ACCOUNT
            ),
        ],
    )
    microsoft = StaticApp(
        "microsoft",
        [tenant("microsoft", "obshtina", tokens={"app": "ms-app-token", "teacher": "t"})],
    )
    with Sandbox([google, microsoft]) as sb:
        yield sb


def test_one_table_per_tenant_with_credentials_in_private_files(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    path = sandbox.tenants_config_toml(tmp_path / "config")
    text = path.read_text(encoding="utf-8")
    tenants = tomllib.loads(text)["tenants"]
    assert [(t["name"], t["provider"], t["endpoint"], t["schools"]) for t in tenants] == [
        ("sou1.example.bg", "google", sandbox.google_endpoint, ["s1", "s2"]),
        ("sou2.example.bg", "google", sandbox.google_endpoint, ["s1", "s2"]),
        ("obshtina", "microsoft", sandbox.graph_base_url, ["s1", "s2"]),
    ]
    token, service, app_only = (t["credentials"] for t in tenants)
    assert token["kind"] == "token"
    assert Path(token["file"]).read_text() == "g-admin-token"
    assert service["kind"] == "service_account"
    assert service["subject"] == "admin@sou2.example.bg"
    assert json.loads(Path(service["file"]).read_text()) == SERVICE_ACCOUNT
    assert app_only["kind"] == "token"
    assert Path(app_only["file"]).read_text() == "ms-app-token"
    for credentials in (token, service, app_only):
        assert Path(credentials["file"]).parent == path.parent
        assert stat.S_IMODE(Path(credentials["file"]).stat().st_mode) == 0o600
    assert "g-admin-token" not in text
    assert "ms-app-token" not in text


def test_rewriting_keeps_files_private(sandbox: Sandbox, tmp_path: Path) -> None:
    token_file = tmp_path / "google-sou1.example.bg.token"
    token_file.write_text("old")
    token_file.chmod(0o644)
    sandbox.tenants_config_toml(tmp_path)
    assert token_file.read_text() == "g-admin-token"
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
