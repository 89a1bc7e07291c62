"""Building a Microsoft provider from a ``[[tenants]]`` entry of the tenants file.

Credentials kinds: ``client_secret`` (``tenant_id``, ``client_id``, ``secret_env`` or
``secret_file``), ``certificate`` (``tenant_id``, ``client_id``, ``certificate_file``,
``password_env``), ``device_code`` (``tenant_id``, ``client_id``, ``cache_file`` for the
sign-in record, ``scopes``) and ``token`` (``file`` or ``env``); ``cloud`` picks a national
cloud. ``endpoint`` overrides the Graph base URL. Backend options
(``[tenants.options]``): ``page_size``, ``concurrency``, ``timeout``.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from unified_edu.config import CityConfig, TenantConfig
from unified_edu.errors import ConfigurationError

if TYPE_CHECKING:
    from unified_edu.providers.microsoft._provider import MicrosoftEducationProvider

__all__ = ["from_tenant_config"]

OPTIONS = frozenset({"page_size", "concurrency", "timeout"})


def _required(tenant: TenantConfig, name: str) -> str:
    value = tenant.credentials.fields.get(name)
    if not value:
        raise ConfigurationError(
            f"{tenant.credentials.kind} credentials need {name}",
            tenant=tenant.name,
            field=f"credentials.{name}",
        )
    return str(value)


def from_tenant_config(
    cls: type[MicrosoftEducationProvider], tenant: TenantConfig, city: CityConfig
) -> MicrosoftEducationProvider:
    """Build the provider (see the module docstring for the accepted fields)."""
    unknown = set(tenant.options) - OPTIONS
    if unknown:
        raise ConfigurationError(
            f"unknown Microsoft options {sorted(unknown)}; allowed: {sorted(OPTIONS)}",
            tenant=tenant.name,
            field=f"options.{sorted(unknown)[0]}",
        )
    options: dict[str, Any] = {"time_zone": city.time_zone, **tenant.options}
    if tenant.endpoint:
        options["base_url"] = tenant.endpoint
    credentials = tenant.credentials
    fields = credentials.fields
    cloud = {"cloud": fields["cloud"]} if "cloud" in fields else {}
    kind = credentials.kind
    if kind == "token":
        token = credentials.secret("env", "file")
        if not token:
            raise ConfigurationError(
                "name the token with file or env", tenant=tenant.name, field="credentials.file"
            )
        return cls.from_token(tenant.name, token, **options)
    if kind == "client_secret":
        secret = credentials.secret("secret_env", "secret_file")
        if not secret:
            raise ConfigurationError(
                "name the client secret with secret_env or secret_file",
                tenant=tenant.name,
                field="credentials.secret_env",
            )
        return cls.from_client_secret(
            tenant.name,
            tenant_id=_required(tenant, "tenant_id"),
            client_id=_required(tenant, "client_id"),
            client_secret=secret,
            **cloud,
            **options,
        )
    if kind == "certificate":
        return cls.from_certificate(
            tenant.name,
            tenant_id=_required(tenant, "tenant_id"),
            client_id=_required(tenant, "client_id"),
            certificate_path=os.fspath(_required(tenant, "certificate_file")),
            password=credentials.secret("password_env", "password_file"),
            **cloud,
            **options,
        )
    if kind == "device_code":
        auth: dict[str, Any] = dict(cloud)
        if "cache_file" in fields:
            auth["record_path"] = fields["cache_file"]
        if "scopes" in fields:
            auth["scopes"] = list(fields["scopes"])
        return cls.from_device_code(
            tenant.name,
            tenant_id=_required(tenant, "tenant_id"),
            client_id=_required(tenant, "client_id"),
            **auth,
            **options,
        )
    raise ConfigurationError(
        f"credentials kind {kind!r} is not for Microsoft; use client_secret, certificate, "
        "device_code or token",
        tenant=tenant.name,
        field="credentials.kind",
    )
