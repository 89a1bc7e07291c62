"""Building a Google provider from a ``[[tenants]]`` entry of the tenants file.

Credentials kinds: ``service_account`` (``file`` or ``env`` naming a variable that holds
the key JSON; ``subject`` = the admin to impersonate), ``authorized_user`` (``file`` =
the token cache, ``client_secrets_file`` for the first login) and ``token`` (``file`` or
``env``). Backend options (``[tenants.options]``): ``domain``, ``allow_extra_credit``,
``quota_share``, ``concurrency``, ``timeout``, ``directory_endpoint`` and the table
``[tenants.options.org_units]`` (OU path = school name: schools by the class owner's
organisational unit, see ``_org_units.py``).
"""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Any

from unified_edu.config import CityConfig, TenantConfig
from unified_edu.errors import ConfigurationError
from unified_edu.providers.google._org_units import parse_org_units

if TYPE_CHECKING:
    from unified_edu.providers.google._provider import GoogleClassroomProvider

__all__ = ["from_tenant_config"]

OPTIONS = frozenset(
    {
        "domain",
        "allow_extra_credit",
        "quota_share",
        "concurrency",
        "timeout",
        "org_units",
        "directory_endpoint",
    }
)


def from_tenant_config(
    cls: type[GoogleClassroomProvider], tenant: TenantConfig, city: CityConfig
) -> GoogleClassroomProvider:
    """Build the provider (see the module docstring for the accepted fields)."""
    unknown = set(tenant.options) - OPTIONS
    if unknown:
        raise ConfigurationError(
            f"unknown Google options {sorted(unknown)}; allowed: {sorted(OPTIONS)}",
            tenant=tenant.name,
            field=f"options.{sorted(unknown)[0]}",
        )
    if "org_units" in tenant.options:
        parse_org_units(tenant.options["org_units"], tenant=tenant.name)
    options: dict[str, Any] = {
        "tenant": tenant.name,
        "time_zone": city.time_zone,
        "school_name": tenant.school_name,
        **tenant.options,
    }
    if tenant.endpoint:
        options["endpoint"] = tenant.endpoint
    credentials = tenant.credentials
    fields = credentials.fields
    if credentials.kind == "service_account":
        subject = fields.get("subject")
        if not subject:
            raise ConfigurationError(
                "a service account needs subject = the admin to impersonate",
                tenant=tenant.name,
                field="credentials.subject",
            )
        raw = credentials.secret("env", "file")
        if raw is None:
            raise ConfigurationError(
                "name the key with file or env", tenant=tenant.name, field="credentials.file"
            )
        try:
            info = json.loads(raw)
        except ValueError as exc:
            raise ConfigurationError(
                "the service-account key is not JSON", tenant=tenant.name, field="credentials"
            ) from exc
        return cls.from_service_account_info(info, admin=str(subject), **options)
    if credentials.kind == "authorized_user":
        if "file" not in fields:
            raise ConfigurationError(
                "name the token cache with file", tenant=tenant.name, field="credentials.file"
            )
        extra: dict[str, Any] = {}
        if "scopes" in fields:
            extra["scopes"] = list(fields["scopes"])
        return cls.from_authorized_user_file(
            os.fspath(fields["file"]),
            client_secrets_file=fields.get("client_secrets_file"),
            **extra,
            **options,
        )
    if credentials.kind == "token":
        token = credentials.secret("env", "file")
        if not token:
            raise ConfigurationError(
                "name the token with file or env", tenant=tenant.name, field="credentials.file"
            )
        return cls.from_token(token, **options)
    raise ConfigurationError(
        f"credentials kind {credentials.kind!r} is not for Google; use service_account, "
        "authorized_user or token",
        tenant=tenant.name,
        field="credentials.kind",
    )
