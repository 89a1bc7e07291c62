"""The provisional tenants TOML file that points unified_edu at a running sandbox.

Owns the file layout only: one ``[[tenants]]`` table per emulated tenant, credentials
referenced by file (written with 0600 permissions), never inline. The schema is
provisional: the configuration module will define the final one.

This module must not import any platform client.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from unified_edu.sandbox._core import TenantInfo

__all__ = ["write_tenants_toml"]

FILE_NAME = "tenants.toml"


def write_tenants_toml(
    tenants: Iterable[TenantInfo],
    directory: Path,
    *,
    google_endpoint: str,
    graph_base_url: str,
    school_names: Mapping[str, str] | None = None,
    city_name: str | None = None,
    time_zone: str = "Europe/Sofia",
) -> Path:
    """Write ``tenants.toml`` and the credential files it names into ``directory``.

    Args:
        tenants: The emulated tenants.
        directory: Created if missing; existing files of the same names are replaced.
        google_endpoint: The Classroom API endpoint of the sandbox.
        graph_base_url: The Graph base URL of the sandbox.
        school_names: School key → display name; a Google tenant (one school per
            domain) gets its school's name as ``school_name``.
        city_name: The ``[city]`` name, if any.
        time_zone: The ``[city]`` time zone.

    Returns:
        The path of the TOML file.
    """
    directory = Path(directory).resolve()
    directory.mkdir(parents=True, exist_ok=True)
    lines = [
        "# unified_edu tenants of a running sandbox (provisional schema).",
        "# Credentials are files next to this one; they are only valid for this sandbox.",
        "",
        "[city]",
        *([f"name = {_string(city_name)}"] if city_name else []),
        f"time_zone = {_string(time_zone)}",
        "",
    ]
    for info in tenants:
        stem = _safe_name(f"{info.platform}-{info.tenant}")
        if info.platform == "google":
            provider, endpoint = "google", google_endpoint
            if info.service_account is not None:
                key_file = _write_secret(
                    directory / f"{stem}.service-account.json",
                    json.dumps(dict(info.service_account), indent=2),
                )
                credentials = {"kind": "service_account", "file": key_file, "subject": info.admin}
            else:
                credentials = {"kind": "token", "file": _token_file(directory, stem, info)}
        else:
            provider, endpoint = "microsoft", graph_base_url
            credentials = {"kind": "token", "file": _token_file(directory, stem, info)}
        lines += [
            "[[tenants]]",
            f"name = {_string(info.tenant)}",
            f"provider = {_string(provider)}",
            f"endpoint = {_string(endpoint)}",
            f"schools = [{', '.join(_string(key) for key in info.school_keys)}]",
            *(
                [f"school_name = {_string(school_names[info.school_keys[0]])}"]
                if info.platform == "google" and school_names and info.school_keys
                else []
            ),
            "credentials = { "
            + ", ".join(f"{key} = {_string(value)}" for key, value in credentials.items())
            + " }",
            "",
        ]
    path = directory / FILE_NAME
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _token_file(directory: Path, stem: str, info: TenantInfo) -> str:
    # Google: the admin's token; Microsoft: the app-only token (every .All role).
    label = "admin" if info.platform == "google" else "app"
    token = info.tokens.get(label) or next(iter(info.tokens.values()), "")
    return _write_secret(directory / f"{stem}.token", token)


def _write_secret(path: Path, text: str) -> str:
    """Write ``text`` readable by the owner only; returns the absolute path."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    path.chmod(0o600)  # O_CREAT's mode does not apply to a file that already existed.
    return str(path)


def _safe_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name)


def _string(value: str) -> str:
    # A JSON string is a valid TOML basic string (same escapes; Cyrillic kept as is).
    return json.dumps(value, ensure_ascii=False)
