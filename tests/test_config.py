"""The tenants file: valid files load; bad ones name the file, tenant and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from unified_edu import ConfigurationError
from unified_edu.config import load_config

GOOD = """
[city]
name = "Пловдив"
time_zone = "Europe/Sofia"
pseudonym_key_file = "keys/pseudonym.key"

[[tenants]]
name = "ou-vazov.plovdiv.example"
provider = "google"
school_name = "ОУ „Иван Вазов“"
endpoint = "http://127.0.0.1:8765/"
[tenants.credentials]
kind = "service_account"
file = "keys/vazov.json"
subject = "admin@ou-vazov.plovdiv.example"

[[tenants]]
name = "plovdiv-edu.example"
provider = "microsoft"
schools = ["s5", "s6"]
[tenants.credentials]
kind = "client_secret"
tenant_id = "6a1b2c3d-0000-4000-8000-000000000001"
client_id = "11111111-2222-4333-8444-555555555555"
secret_env = "PLOVDIV_GRAPH_SECRET"
[tenants.options]
time_zone = "Europe/Sofia"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "tenants.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_file_loads_with_paths_resolved(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, GOOD))
    assert config.city.name == "Пловдив"
    assert config.city.pseudonym_key_file == (tmp_path / "keys/pseudonym.key").resolve()
    google, microsoft = config.tenants
    assert google.provider == "google"
    assert google.credentials.kind == "service_account"
    assert google.credentials.fields["file"] == str((tmp_path / "keys/vazov.json").resolve())
    assert google.endpoint == "http://127.0.0.1:8765/"
    assert microsoft.schools == ("s5", "s6")
    assert microsoft.options == {"time_zone": "Europe/Sofia"}
    assert config.tenant("plovdiv-edu.example") is microsoft


def test_secrets_come_from_env_or_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    microsoft = load_config(write(tmp_path, GOOD)).tenants[1]
    monkeypatch.delenv("PLOVDIV_GRAPH_SECRET", raising=False)
    with pytest.raises(ConfigurationError, match="PLOVDIV_GRAPH_SECRET"):
        microsoft.credentials.secret("secret_env", "secret_file")
    monkeypatch.setenv("PLOVDIV_GRAPH_SECRET", "  s3cr3t-value  ")
    assert microsoft.credentials.secret("secret_env", "secret_file") == "s3cr3t-value"
    assert "s3cr3t" not in repr(microsoft)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            ('secret_env = "PLOVDIV_GRAPH_SECRET"', 'client_secret = "hunter2-very-secret"'),
            "credentials.client_secret",
            "must not be written",
        ),
        (
            ('kind = "client_secret"', 'kind = "magic"'),
            "credentials.kind",
            "unknown credentials kind",
        ),
        (('provider = "microsoft"', 'provider = ""'), "provider", "needs a provider"),
        (('schools = ["s5", "s6"]', 'schools = "s5"'), "schools", "list of strings"),
        (('school_name = "ОУ „Иван Вазов“"', 'colour = "blue"'), "colour", "unknown keys"),
        (
            ('endpoint = "http://127.0.0.1:8765/"', 'endpoint = "localhost"'),
            "endpoint",
            "must be a URL",
        ),
        (
            ('subject = "admin@ou-vazov.plovdiv.example"', 'subjekt = "x"'),
            "credentials.subjekt",
            "unknown keys",
        ),
    ],
)
def test_bad_fields_are_named_and_secrets_never_echoed(
    tmp_path: Path, change: tuple[str, str], field: str, message: str
) -> None:
    path = write(tmp_path, GOOD.replace(*change))
    with pytest.raises(ConfigurationError, match=message) as info:
        load_config(path)
    error = info.value
    assert error.file == str(path)
    assert error.field == field
    assert error.tenant in {"ou-vazov.plovdiv.example", "plovdiv-edu.example"}
    assert "hunter2" not in str(error)


def test_file_level_problems(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="cannot read"):
        load_config(tmp_path / "missing.toml")
    with pytest.raises(ConfigurationError, match="not valid TOML"):
        load_config(write(tmp_path, "[[tenants]\nname="))
    with pytest.raises(ConfigurationError, match="at least one"):
        load_config(write(tmp_path, "[city]\nname='x'\n"))
    with pytest.raises(ConfigurationError, match="unique"):
        load_config(
            write(tmp_path, GOOD.replace("plovdiv-edu.example", "ou-vazov.plovdiv.example"))
        )
    with pytest.raises(ConfigurationError, match="time zone"):
        load_config(
            write(
                tmp_path,
                GOOD.replace(
                    'time_zone = "Europe/Sofia"\npseudonym',
                    'time_zone = "Europe/Plovdiv"\npseudonym',
                ),
            )
        )
    with pytest.raises(ConfigurationError, match="no tenant"):
        load_config(write(tmp_path, GOOD)).tenant("nope")
