"""Credentials: the installed-app token cache, delegation subjects, scope-narrowed capabilities."""

from __future__ import annotations

import datetime as dt
import json
import stat
from collections.abc import Sequence
from pathlib import Path

import pytest
from google.oauth2 import credentials as user_credentials
from google_scenario import DOMAIN
from google_support import delegated, tenant

from unified_edu import Capability, ConfigurationError, UnsupportedOperationError
from unified_edu.providers.google import READ_ONLY_SCOPES, SCOPES, GoogleClassroomProvider
from unified_edu.providers.google._auth import (
    authorized_user_auth,
    service_account_auth,
    write_private,
)
from unified_edu.sandbox import Sandbox

pytestmark = pytest.mark.block_network(allowed_hosts=[r"127\.0\.0\.1$"])

TEACHER = f"maria.petrova@{DOMAIN}"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _user_credentials(token: str) -> user_credentials.Credentials:
    return user_credentials.Credentials(
        token=token,
        refresh_token="1//refresh",
        token_uri="https://oauth2.googleapis.com/token",
        client_id="123-desktop.apps.googleusercontent.com",
        client_secret="desktop-secret",
        scopes=list(SCOPES),
        # google-auth keeps expiry as naive UTC.
        expiry=dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(hours=1),
    )


def test_installed_app_flow_runs_once_and_caches_the_token_0600(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    token = sandbox.issue_token("google", DOMAIN, TEACHER)
    cache = tmp_path / "nested" / "token.json"
    asked: list[Sequence[str]] = []

    def consent(scopes: Sequence[str]) -> user_credentials.Credentials:
        asked.append(scopes)
        return _user_credentials(token)

    with GoogleClassroomProvider.from_authorized_user_file(
        cache, tenant=DOMAIN, flow=consent, endpoint=sandbox.google_endpoint
    ) as provider:
        classes = provider.list_classes()
    assert asked == [list(SCOPES)]
    assert _mode(cache) == 0o600
    saved = json.loads(cache.read_text())
    assert saved["refresh_token"] == "1//refresh"
    assert saved["token"] == token
    # The teacher sees her own classes: the calls ran with the cached user token.
    assert {c.name for c in classes} == {"Математика 7А"}

    def refuse(scopes: Sequence[str]) -> user_credentials.Credentials:
        raise AssertionError("the cached token should have been used")

    again = authorized_user_auth(cache, flow=refuse)
    assert not again.delegated
    assert again.scopes == frozenset(SCOPES)
    assert again.credentials("anyone").token == token  # type: ignore[attr-defined]


def test_cached_token_without_the_wanted_scopes_asks_again(tmp_path: Path) -> None:
    cache = tmp_path / "token.json"
    narrow = _user_credentials("old")
    narrow._scopes = list(READ_ONLY_SCOPES)
    cache.write_text(narrow.to_json())
    cache.chmod(0o644)
    asked: list[Sequence[str]] = []

    def consent(scopes: Sequence[str]) -> user_credentials.Credentials:
        asked.append(scopes)
        return _user_credentials("new")

    auth = authorized_user_auth(cache, scopes=SCOPES, flow=consent)
    assert asked
    assert auth.credentials(None).token == "new"
    assert _mode(cache) == 0o600
    assert json.loads(cache.read_text())["token"] == "new"


def test_loose_cache_permissions_are_tightened(tmp_path: Path) -> None:
    cache = tmp_path / "token.json"
    cache.write_text(_user_credentials("t").to_json())
    cache.chmod(0o644)
    authorized_user_auth(cache, flow=lambda scopes: pytest.fail("no flow expected"))
    assert _mode(cache) == 0o600


def test_flow_needs_client_secrets(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="client_secrets_file"):
        authorized_user_auth(tmp_path / "missing.json")


def test_write_private_replaces_atomically(tmp_path: Path) -> None:
    target = tmp_path / "secret.json"
    target.write_text("old")
    target.chmod(0o666)
    write_private(target, "new")
    assert target.read_text() == "new"
    assert _mode(target) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["secret.json"]  # no temp file left


def test_delegation_caches_one_credential_per_user(sandbox: Sandbox) -> None:
    info = tenant(sandbox)
    assert info.service_account is not None
    auth = service_account_auth(info.service_account, admin=info.admin)
    admin = auth.credentials(None)
    assert admin is auth.credentials(info.admin)
    teacher = auth.credentials(TEACHER)
    assert teacher is auth.credentials(TEACHER)
    assert teacher is not admin
    assert (auth.subject(None), auth.subject(TEACHER)) == (info.admin, TEACHER)
    assert auth.project == info.service_account["project_id"]


def test_delegation_needs_an_admin_address(sandbox: Sandbox) -> None:
    info = tenant(sandbox)
    assert info.service_account is not None
    with pytest.raises(ConfigurationError, match="admin"):
        service_account_auth(info.service_account, admin="")


def test_service_account_file_and_tenant_from_the_admins_domain(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    info = tenant(sandbox)
    key = tmp_path / "key.json"
    write_private(key, json.dumps(dict(info.service_account or {})))
    with GoogleClassroomProvider.from_service_account_file(
        key, admin=info.admin, endpoint=sandbox.google_endpoint
    ) as provider:
        assert provider.tenant == DOMAIN
        assert [s.ref.id for s in provider.list_schools()] == [DOMAIN]
    with pytest.raises(ConfigurationError):
        GoogleClassroomProvider.from_service_account_file(tmp_path / "nope.json", admin="a@b")


def test_read_only_scopes_narrow_the_capabilities(sandbox: Sandbox) -> None:
    provider = delegated(sandbox, scopes=READ_ONLY_SCOPES)
    assert provider.supports(Capability.READ_SUBMISSIONS)
    assert not provider.supports(Capability.GRADE)
    with pytest.raises(UnsupportedOperationError, match=r"classroom\.coursework\.students"):
        provider.set_grade("1", "2", "3", points=1)
    assert provider.stats.calls == 0


def test_unknown_time_zone_is_a_configuration_error(sandbox: Sandbox) -> None:
    with pytest.raises(ConfigurationError, match="time zone"):
        delegated(sandbox, time_zone="Europe/Nowhere")
