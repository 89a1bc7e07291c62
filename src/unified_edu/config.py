"""The tenants file: one TOML file listing a city's tenants and how to reach them.

Secrets are never written in the file: credentials name an environment variable or a
file holding them. A malformed file raises :class:`ConfigurationError` naming the file,
the tenant and the field; secret values are never echoed.

Example::

    [city]
    name = "Пловдив"
    time_zone = "Europe/Sofia"

    [[tenants]]
    name = "ou-vazov.plovdiv.example"
    provider = "google"
    school_name = "ОУ „Иван Вазов“"
    [tenants.credentials]
    kind = "service_account"
    file = "keys/vazov.json"
    subject = "admin@ou-vazov.plovdiv.example"

    [[tenants]]
    name = "plovdiv-edu.example"
    provider = "microsoft"
    [tenants.credentials]
    kind = "client_secret"
    tenant_id = "…"
    client_id = "…"
    secret_env = "PLOVDIV_GRAPH_SECRET"

This module must not import any platform client.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import attrs

from unified_edu.errors import ConfigurationError

__all__ = ["CityConfig", "Config", "Credentials", "TenantConfig", "load_config"]

#: Credential kinds per provider and the fields each accepts (``*_env``/``*_file`` name
#: where a secret is; the secret itself never appears in the file).
CREDENTIAL_FIELDS: Mapping[str, frozenset[str]] = {
    "service_account": frozenset({"file", "env", "subject"}),
    "authorized_user": frozenset({"file", "client_secrets_file", "scopes"}),
    "token": frozenset({"file", "env"}),
    "client_secret": frozenset({"tenant_id", "client_id", "secret_env", "secret_file", "cloud"}),
    "certificate": frozenset(
        {"tenant_id", "client_id", "certificate_file", "password_env", "cloud"}
    ),
    "device_code": frozenset({"tenant_id", "client_id", "cache_file", "scopes", "cloud"}),
}
INLINE_SECRET_FIELDS = frozenset(
    {"secret", "client_secret", "token", "access_token", "password", "private_key", "key"}
)
TENANT_FIELDS = frozenset(
    {"name", "provider", "endpoint", "schools", "school_name", "credentials", "options"}
)


@attrs.frozen(kw_only=True)
class Credentials:
    """How to authenticate one tenant: a ``kind`` and its (non-secret) fields.

    Attributes:
        kind: ``service_account``, ``authorized_user``, ``token`` (Google);
            ``client_secret``, ``certificate``, ``device_code``, ``token`` (Microsoft).
        fields: The other fields, with relative file paths resolved against the file.
    """

    kind: str
    fields: Mapping[str, Any] = attrs.field(factory=dict)

    def secret(self, env_field: str, file_field: str) -> str | None:
        """Read a secret from the environment variable or file the fields name."""
        if (var := self.fields.get(env_field)) is not None:
            value = os.environ.get(str(var))
            if not value:
                raise ConfigurationError(
                    f"environment variable {var!r} is not set", field=env_field
                )
            return value.strip()
        if (path := self.fields.get(file_field)) is not None:
            try:
                return Path(path).read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise ConfigurationError(
                    f"cannot read {path}: {exc.strerror}", field=file_field
                ) from exc
        return None

    def __repr__(self) -> str:
        return f"Credentials(kind={self.kind!r}, fields={sorted(self.fields)})"


@attrs.frozen(kw_only=True)
class TenantConfig:
    """One tenant: a Google Workspace domain or a Microsoft tenant.

    Attributes:
        name: Unique name; it becomes every object's ``ref.tenant``.
        provider: Registry name of the backend (``google``, ``microsoft``).
        credentials: How to authenticate.
        endpoint: API base URL override (sandbox, proxy, national cloud), if any.
        schools: School keys or ids this tenant serves, if listed.
        school_name: Google: the school's display name (one school per domain).
        options: Backend-specific settings, passed through.
    """

    name: str
    provider: str
    credentials: Credentials
    endpoint: str | None = None
    schools: tuple[str, ...] = ()
    school_name: str | None = None
    options: Mapping[str, Any] = attrs.field(factory=dict)


@attrs.frozen(kw_only=True)
class CityConfig:
    """The city: its name and time zone (deadlines are entered in it)."""

    name: str = "city"
    time_zone: str = "Europe/Sofia"
    pseudonym_key_file: Path | None = None


@attrs.frozen(kw_only=True)
class Config:
    """A whole tenants file."""

    path: Path | None
    city: CityConfig
    tenants: tuple[TenantConfig, ...]

    def tenant(self, name: str) -> TenantConfig:
        """One tenant by name."""
        for tenant in self.tenants:
            if tenant.name == name:
                return tenant
        known = ", ".join(t.name for t in self.tenants)
        raise ConfigurationError(f"no tenant {name!r}; tenants: {known}", file=_str(self.path))


def _str(path: Path | None) -> str | None:
    return str(path) if path else None


def load_config(path: str | Path) -> Config:
    """Read and validate a tenants file.

    Raises:
        ConfigurationError: naming the file, tenant and field of the first problem.
    """
    file = Path(path).expanduser()
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigurationError(
            f"cannot read the tenants file: {exc.strerror}", file=str(file)
        ) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigurationError(f"not valid TOML: {exc}", file=str(file)) from exc
    return parse_config(data, base=file.parent, path=file)


def parse_config(data: Mapping[str, Any], *, base: Path, path: Path | None = None) -> Config:
    """Validate an already parsed tenants document (see :func:`load_config`)."""
    where = _str(path)
    unknown = set(data) - {"city", "tenants"}
    if unknown:
        raise ConfigurationError(f"unknown top-level keys {sorted(unknown)}", file=where)
    city = _city(data.get("city", {}), base, where)
    raw = data.get("tenants")
    if not isinstance(raw, list) or not raw:
        raise ConfigurationError(
            "at least one [[tenants]] table is needed", file=where, field="tenants"
        )
    tenants = tuple(_tenant(item, i, base, where) for i, item in enumerate(raw))
    names = [t.name for t in tenants]
    if dupes := sorted({n for n in names if names.count(n) > 1}):
        raise ConfigurationError(f"tenant names must be unique: {dupes}", file=where, field="name")
    return Config(path=path, city=city, tenants=tenants)


def _city(raw: object, base: Path, where: str | None) -> CityConfig:
    if not isinstance(raw, dict):
        raise ConfigurationError("[city] must be a table", file=where, field="city")
    unknown = set(raw) - {"name", "time_zone", "pseudonym_key_file"}
    if unknown:
        raise ConfigurationError(f"unknown keys {sorted(unknown)}", file=where, field="city")
    zone = raw.get("time_zone", "Europe/Sofia")
    try:
        ZoneInfo(zone)
    except (KeyError, ValueError, TypeError) as exc:
        raise ConfigurationError(
            f"unknown time zone {zone!r}", file=where, field="city.time_zone"
        ) from exc
    key_file = raw.get("pseudonym_key_file")
    return CityConfig(
        name=str(raw.get("name", "city")),
        time_zone=zone,
        pseudonym_key_file=_resolve(base, key_file) if key_file else None,
    )


def _resolve(base: Path, value: object) -> Path:
    path = Path(str(value)).expanduser()
    return path if path.is_absolute() else (base / path).resolve()


def _tenant(raw: object, index: int, base: Path, where: str | None) -> TenantConfig:
    label = f"#{index + 1}"
    if not isinstance(raw, dict):
        raise ConfigurationError("each [[tenants]] entry must be a table", file=where, tenant=label)
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ConfigurationError("a tenant needs a name", file=where, tenant=label, field="name")
    unknown = set(raw) - TENANT_FIELDS
    if unknown:
        raise ConfigurationError(
            f"unknown keys {sorted(unknown)}; allowed: {sorted(TENANT_FIELDS)}",
            file=where, tenant=name, field=sorted(unknown)[0],
        )  # fmt: skip
    provider = raw.get("provider")
    if not isinstance(provider, str) or not provider:
        raise ConfigurationError(
            "a tenant needs a provider", file=where, tenant=name, field="provider"
        )
    schools = raw.get("schools", [])
    if not isinstance(schools, list) or not all(isinstance(s, str) for s in schools):
        raise ConfigurationError(
            "schools must be a list of strings", file=where, tenant=name, field="schools"
        )
    options = raw.get("options", {})
    if not isinstance(options, dict):
        raise ConfigurationError(
            "options must be a table", file=where, tenant=name, field="options"
        )
    endpoint = raw.get("endpoint")
    if endpoint is not None and (not isinstance(endpoint, str) or "://" not in endpoint):
        raise ConfigurationError(
            "endpoint must be a URL", file=where, tenant=name, field="endpoint"
        )
    return TenantConfig(
        name=name,
        provider=provider,
        credentials=_credentials(raw.get("credentials"), base, where, name),
        endpoint=endpoint,
        schools=tuple(schools),
        school_name=raw.get("school_name"),
        options=options,
    )


def _credentials(raw: object, base: Path, where: str | None, tenant: str) -> Credentials:
    if not isinstance(raw, dict):
        raise ConfigurationError(
            "credentials must be a table", file=where, tenant=tenant, field="credentials"
        )
    inline = INLINE_SECRET_FIELDS & set(raw)
    if inline:
        # Never echo the value: only the field's name.
        field = sorted(inline)[0]
        raise ConfigurationError(
            f"secrets must not be written in the tenants file; put it in a file or an "
            f"environment variable and name that instead (e.g. {field}_env or {field}_file)",
            file=where, tenant=tenant, field=f"credentials.{field}",
        )  # fmt: skip
    kind = raw.get("kind")
    allowed = CREDENTIAL_FIELDS.get(str(kind))
    if allowed is None:
        raise ConfigurationError(
            f"unknown credentials kind {kind!r}; known: {sorted(CREDENTIAL_FIELDS)}",
            file=where, tenant=tenant, field="credentials.kind",
        )  # fmt: skip
    fields = {k: v for k, v in raw.items() if k != "kind"}
    if unknown := set(fields) - allowed:
        raise ConfigurationError(
            f"unknown keys {sorted(unknown)} for kind {kind!r}; allowed: {sorted(allowed)}",
            file=where, tenant=tenant, field=f"credentials.{sorted(unknown)[0]}",
        )  # fmt: skip
    for key, value in list(fields.items()):
        if key == "file" or key.endswith("_file"):
            fields[key] = str(_resolve(base, value))
    return Credentials(kind=str(kind), fields=fields)
