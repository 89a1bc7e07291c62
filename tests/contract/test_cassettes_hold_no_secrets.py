"""The contract cassettes hold no secret, stay readable and belong to a scenario.

Scans every file under ``cassettes/`` (the YAML cassettes and ``recorded.json``) for
bearer tokens, JWTs, Google access tokens, OAuth token fields, service-account keys and
assertions, and ``Authorization`` headers (direct or inside a Google batch), then for
the sandbox's own deterministic tokens. A failure names the file and line: scrub it in
``contract_vcr.py`` and re-record (docs/testing.md).
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
import yaml
from contract_env import Session
from contract_vcr import CASSETTES

_SECRETS = {
    "a bearer token": re.compile(r"(?i)\bbearer\s+(?!SCRUBBED\b)[A-Za-z0-9._~+/=-]{8,}"),
    "a JWT": re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"),
    "a Google access token": re.compile(r"\bya29\.[A-Za-z0-9._-]+"),
    "a sandbox token": re.compile(r"sandbox-[A-Za-z0-9_-]{20,}"),
    "a PEM private key": re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    "a private_key field": re.compile(r"\"private_key\"\s*:"),
    "an OAuth token field": re.compile(
        r"\"(?:access_token|refresh_token|id_token|client_secret)\"\s*:\s*\"(?!SCRUBBED\")"
    ),
    "a signed assertion": re.compile(r"assertion=(?!SCRUBBED\b)"),
    "an Authorization header": re.compile(r"(?im)^\s*(?:-\s*)?['\"]?authorization['\"]?\s*:"),
}


def _files() -> list[Path]:
    return sorted(p for p in CASSETTES.rglob("*") if p.is_file())


def _cassettes() -> list[Path]:
    return [p for p in _files() if p.suffix == ".yaml"]


def test_there_are_cassettes() -> None:
    backends = {p.parent.name for p in _cassettes()}
    assert backends == {"google", "microsoft"}
    assert (CASSETTES / "recorded.json").is_file()


@pytest.mark.parametrize("path", _files(), ids=lambda p: str(p.relative_to(CASSETTES)))
def test_no_secret_in(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    found = [
        f"line {text.count(chr(10), 0, match.start()) + 1}: {what}"
        for what, pattern in _SECRETS.items()
        for match in pattern.finditer(text)
    ]
    assert not found, f"{path.name} holds secrets: {found[:10]}"


def test_no_sandbox_credential_in_cassettes(contract_session: Session) -> None:
    """The sandbox's Microsoft tokens are the same on every run (seeded): none leaked."""
    sb = contract_session.sandbox("live", "reads")
    secrets = [token for info in sb.tenants for token in info.tokens.values()]
    secrets += [
        str(info.service_account["private_key_id"])
        for info in sb.tenants
        if info.service_account is not None
    ]
    for path in _files():
        text = path.read_text(encoding="utf-8")
        leaked = [s[:12] + "…" for s in secrets if s in text]
        assert not leaked, f"{path.name} holds sandbox credentials: {leaked}"


@pytest.mark.parametrize("path", _cassettes(), ids=lambda p: str(p.relative_to(CASSETTES)))
def test_bodies_are_readable(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert "!!binary" not in text, "a body was stored as binary: decode it when recording"
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    for interaction in data["interactions"]:
        response = interaction["response"]
        headers = {k.lower(): v for k, v in response["headers"].items()}
        body = response["body"]["string"]
        assert isinstance(body, str)
        assert "content-encoding" not in headers, "a compressed body was stored"
        if "json" in headers.get("content-type", [""])[0] and body.strip():
            json.loads(body)


def _scenarios() -> set[str]:
    names = {"_discovery"}
    for module in Path(__file__).parent.glob("test_contract_*.py"):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        names |= {
            node.name.removeprefix("test_")
            for node in tree.body
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
        }
    return names


def test_every_cassette_belongs_to_a_scenario() -> None:
    stray = [
        str(p.relative_to(CASSETTES))
        for p in _cassettes()
        if p.stem.split("-")[0] not in _scenarios()
    ]
    assert not stray, f"cassettes of no scenario (delete them, or re-record): {stray}"


@pytest.mark.parametrize(
    "line",
    [
        "      Authorization:",
        "authorization: Bearer ya29.sandbox-0123456789abcdefghijklmnop",
        '  "access_token": "ya29.a0AfH6SMB"',
        "string: eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.sig",
        "body: assertion=eyJhbGciOiJSUzI1NiJ9.e30.c2ln&grant_type=x",
        '  "private_key": "-----BEGIN PRIVATE KEY-----\\nMIIE"',
    ],
)
def test_the_scan_catches(line: str) -> None:
    assert any(pattern.search(line) for pattern in _SECRETS.values())


@pytest.mark.parametrize(
    "line",
    [
        '  "access_token": "SCRUBBED",',
        '  "token_type": "Bearer"',
        "body: assertion=SCRUBBED&grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer",
        '  "displayName": "Домашна работа: Сезон"',
    ],
)
def test_the_scan_lets_pass(line: str) -> None:
    assert not any(pattern.search(line) for pattern in _SECRETS.values())
