"""Building Google providers from the tenants file the sandbox writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from unified_edu import ConfigurationError, get_provider_class
from unified_edu.config import CityConfig, Credentials, TenantConfig, load_config
from unified_edu.sandbox import Sandbox


@pytest.fixture(scope="module")
def sandbox():  # type: ignore[no-untyped-def]
    with Sandbox.start(seed=2026, scale=1) as sb:
        yield sb


def test_every_google_tenant_of_the_sandbox_config_works(sandbox: Sandbox, tmp_path: Path) -> None:
    config = load_config(sandbox.tenants_config_toml(tmp_path))
    google = [t for t in config.tenants if t.provider == "google"]
    assert len(google) == 4
    for tenant in google:
        with get_provider_class("google").from_config(tenant, config.city) as provider:
            assert provider.tenant == tenant.name
            assert [s.ref.id for s in provider.list_schools()] == [tenant.name]
            assert provider.list_classes()


def test_bad_google_credentials_are_named(tmp_path: Path) -> None:
    cls = get_provider_class("google")
    city = CityConfig()

    def tenant(kind: str, **fields: object) -> TenantConfig:
        return TenantConfig(
            name="x.example", provider="google", credentials=Credentials(kind=kind, fields=fields)
        )

    with pytest.raises(ConfigurationError, match="subject"):
        cls.from_config(tenant("service_account", file=str(tmp_path / "k.json")), city)
    (tmp_path / "k.json").write_text("not json")
    with pytest.raises(ConfigurationError, match="not JSON"):
        cls.from_config(
            tenant("service_account", file=str(tmp_path / "k.json"), subject="a@x.example"), city
        )
    with pytest.raises(ConfigurationError, match="not for Google"):
        cls.from_config(tenant("client_secret", client_id="c"), city)
    with pytest.raises(ConfigurationError, match="unknown Google options"):
        cls.from_config(
            TenantConfig(
                name="x",
                provider="google",
                credentials=Credentials(kind="token", fields={"env": "X"}),
                options={"speed": 11},
            ),
            city,
        )
