"""Building Microsoft providers from the tenants file the sandbox writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from unified_edu import Capability, ConfigurationError, get_provider_class
from unified_edu.config import CityConfig, Credentials, TenantConfig, load_config
from unified_edu.sandbox import Sandbox


def test_the_sandbox_microsoft_tenant_works_from_its_config(tmp_path: Path) -> None:
    with Sandbox.start(seed=2026, scale=1) as sandbox:
        config = load_config(sandbox.tenants_config_toml(tmp_path))
        (tenant,) = [t for t in config.tenants if t.provider == "microsoft"]
        with get_provider_class("microsoft").from_config(tenant, config.city) as provider:
            assert provider.tenant == tenant.name
            assert len(provider.list_schools()) == 3
            # The sandbox's tenants file carries an app-only token: no publishing.
            assert Capability.PUBLISH_ASSIGNMENTS not in provider.capabilities


def test_bad_microsoft_credentials_are_named(monkeypatch: pytest.MonkeyPatch) -> None:
    cls = get_provider_class("microsoft")
    city = CityConfig()

    def tenant(kind: str, **fields: object) -> TenantConfig:
        return TenantConfig(
            name="m.example",
            provider="microsoft",
            credentials=Credentials(kind=kind, fields=fields),
        )

    monkeypatch.setenv("GRAPH_SECRET", "s3cr3t")
    with pytest.raises(ConfigurationError, match="need tenant_id"):
        cls.from_config(tenant("client_secret", client_id="c", secret_env="GRAPH_SECRET"), city)
    with pytest.raises(ConfigurationError, match="secret_env or secret_file"):
        cls.from_config(tenant("client_secret", client_id="c", tenant_id="t"), city)
    with pytest.raises(ConfigurationError, match="not for Microsoft"):
        cls.from_config(tenant("service_account", file="x"), city)
    with pytest.raises(ConfigurationError, match="unknown Microsoft options"):
        cls.from_config(
            TenantConfig(
                name="m",
                provider="microsoft",
                credentials=Credentials(kind="token", fields={"env": "X"}),
                options={"turbo": True},
            ),
            city,
        )
