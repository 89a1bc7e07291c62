"""Credential kinds, app-only vs delegated, national clouds, the device-code record file."""

from __future__ import annotations

import base64
import json
import stat
from pathlib import Path
from typing import Any

import pytest

from unified_edu import Capability, ConfigurationError, UnsupportedOperationError
from unified_edu.providers.microsoft import CLOUDS, GraphCredentials, MicrosoftEducationProvider
from unified_edu.providers.microsoft._auth import token_claims, write_private


def _jwt(claims: dict[str, Any]) -> str:
    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none'})}.{part(claims)}.c2ln"


APP = _jwt({"appid": "app-1", "roles": ["EduRoster.Read.All"], "tid": "t"})
DELEGATED = _jwt({"appid": "app-1", "oid": "user-9", "scp": "EduAssignments.ReadWrite"})


def test_mode_from_claims() -> None:
    app = GraphCredentials.from_token(APP)
    assert (app.mode, app.subject, app.app_id) == ("app_only", "app-1", "app-1")
    user = GraphCredentials.from_token(DELEGATED)
    assert (user.mode, user.subject) == ("delegated", "user-9")
    assert token_claims("opaque") == {}
    with pytest.raises(ConfigurationError, match="mode="):
        GraphCredentials.from_token("opaque-token")
    assert GraphCredentials.from_token("opaque-token", mode="delegated").mode == "delegated"
    with pytest.raises(ConfigurationError):
        GraphCredentials.from_token("  ")


def test_clouds_match_msgraph_core_and_azure_identity() -> None:
    from azure.identity import AzureAuthorityHosts
    from msgraph_core import NationalClouds

    assert {c.graph_host for c in CLOUDS.values()} == {c.value for c in NationalClouds}
    assert CLOUDS["global"].authority == AzureAuthorityHosts.AZURE_PUBLIC_CLOUD
    assert CLOUDS["us_gov"].authority == AzureAuthorityHosts.AZURE_GOVERNMENT
    assert CLOUDS["china"].authority == AzureAuthorityHosts.AZURE_CHINA
    gov = GraphCredentials.from_client_secret("tid", "cid", "secret", cloud="us_gov")
    assert gov.scopes == ("https://graph.microsoft.us/.default",)
    assert gov.cloud.base_url == "https://graph.microsoft.us/v1.0"
    with pytest.raises(ConfigurationError, match="unknown cloud"):
        GraphCredentials.from_client_secret("tid", "cid", "secret", cloud="mars")


def test_client_secret_builds_an_aio_credential_with_the_authority() -> None:
    from azure.identity.aio import ClientSecretCredential

    creds = GraphCredentials.from_client_secret("tid", "cid", "s3cret", cloud="china")
    assert creds.mode == "app_only"
    assert creds.app_id == "cid"
    assert creds.factory is not None
    credential = creds.factory()
    assert isinstance(credential, ClientSecretCredential)
    assert "s3cret" not in repr(creds)


def test_certificate_file_must_exist(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="no certificate file"):
        GraphCredentials.from_certificate("tid", "cid", tmp_path / "missing.pem")
    pem = tmp_path / "app.pem"
    pem.write_text("-----BEGIN CERTIFICATE-----\n")
    creds = GraphCredentials.from_certificate("tid", "cid", pem)
    assert creds.mode == "app_only"
    assert creds.scopes == ("https://graph.microsoft.com/.default",)


def test_write_private_creates_0600_and_tightens_existing(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "record.json"
    write_private(target, "{}")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    target.chmod(0o644)
    write_private(target, '{"a": 1}')
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text() == '{"a": 1}'


class _FakeRecord:
    def serialize(self) -> str:
        return '{"username": "teacher@school.example"}'


class _FakeDeviceCode:
    """Stands in for DeviceCodeCredential.authenticate (the network sign-in)."""

    def __init__(self) -> None:
        self.scopes: list[str] = []

    def authenticate(self, *, scopes: list[str]) -> _FakeRecord:
        self.scopes = scopes
        return _FakeRecord()


def test_device_code_saves_its_record_once_0600(tmp_path: Path) -> None:
    record = tmp_path / "graph-record.json"
    creds = GraphCredentials.from_device_code(
        "tid", "cid", record_path=record, cloud="us_gov", scopes=("EduAssignments.ReadWrite",)
    )
    assert creds.mode == "delegated"
    assert creds.scopes == ("https://graph.microsoft.us/EduAssignments.ReadWrite",)
    fake = _FakeDeviceCode()
    assert creds.prepare is not None
    creds.prepare(fake)
    assert fake.scopes == ["https://graph.microsoft.us/EduAssignments.ReadWrite"]
    assert stat.S_IMODE(record.stat().st_mode) == 0o600
    assert "teacher@school.example" in record.read_text()
    again = _FakeDeviceCode()
    creds.prepare(again)
    assert again.scopes == []  # signed in already: the saved record is used silently


def test_device_code_credential_builds_offline_with_a_plaintext_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # azure-identity puts its cache under ~/.IdentityService; keep it inside tmp_path.
    monkeypatch.setenv("HOME", str(tmp_path))
    creds = GraphCredentials.from_device_code(
        "tid", "cid", record_path=tmp_path / "r.json", allow_unencrypted_cache=True
    )
    assert creds.factory is not None
    credential = creds.factory()
    from azure.identity import DeviceCodeCredential

    assert isinstance(credential._credential, DeviceCodeCredential)


def test_provider_narrows_capabilities_by_credential_kind() -> None:
    app = MicrosoftEducationProvider.from_token("t", APP, base_url="http://127.0.0.1:9/v1.0")
    user = MicrosoftEducationProvider(
        tenant="t", token=DELEGATED, base_url="http://127.0.0.1:9/v1.0"
    )
    try:
        assert app.mode == "app_only"
        assert user.mode == "delegated"
        assert Capability.PUBLISH_ASSIGNMENTS not in app.capabilities
        assert Capability.WRITE_CLASSES in app.capabilities
        assert Capability.PUBLISH_ASSIGNMENTS in user.capabilities
        assert Capability.WRITE_CLASSES not in user.capabilities
        assert Capability.WRITE_ENROLLMENTS not in user.capabilities
        assert Capability.INVITE_GUARDIANS not in app.capabilities | user.capabilities
        assert "from_device_code" in app.unsupported_reason(Capability.PUBLISH_ASSIGNMENTS)
        assert "EduRoster.ReadWrite.All" in user.unsupported_reason(Capability.WRITE_CLASSES)
        assert "relatedContacts" in app.unsupported_reason(Capability.INVITE_GUARDIANS)
        with pytest.raises(UnsupportedOperationError, match="publish"):
            app.publish_assignment("c", "a")
        with pytest.raises(UnsupportedOperationError, match="/education/users"):
            user.list_people()
        with pytest.raises(UnsupportedOperationError, match="deactivating"):
            app.deactivate_assignment("c", "a")
        assert app.request_counts()["http_requests"] == 0  # refused before any request
    finally:
        app.close()
        user.close()


def test_provider_needs_exactly_one_credential() -> None:
    with pytest.raises(ConfigurationError):
        MicrosoftEducationProvider(tenant="t")
    with pytest.raises(ConfigurationError):
        MicrosoftEducationProvider(
            tenant="t", token=APP, credentials=GraphCredentials.from_token(APP)
        )
