"""Stable pseudonyms for pupils in student-level outputs (GDPR: data minimisation).

A pseudonym is a keyed hash (HMAC-SHA256) of the person's e-mail or tenant-scoped id:
the same pupil gets the same pseudonym across runs and platforms as long as the key is
kept, and without the key nobody can recompute or reverse it. The key lives in a file
created with 0600 permissions, or in ``UNIFIED_EDU_PSEUDONYM_KEY`` (hex).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from pathlib import Path

from unified_edu.errors import ConfigurationError

__all__ = ["Pseudonymizer"]

ENV_KEY = "UNIFIED_EDU_PSEUDONYM_KEY"
KEY_BYTES = 32


class Pseudonymizer:
    """Turns identifiers into stable pseudonyms such as ``P-7K2Q9XW4MB``."""

    def __init__(self, key: bytes) -> None:
        if len(key) < 16:
            raise ConfigurationError("a pseudonym key needs at least 16 bytes")
        self._key = key

    def __repr__(self) -> str:
        return "Pseudonymizer(key=***)"

    def alias(self, identifier: str) -> str:
        """The pseudonym of an e-mail address (case-insensitive) or id."""
        digest = hmac.new(self._key, identifier.strip().lower().encode(), hashlib.sha256)
        return "P-" + base64.b32encode(digest.digest()).decode()[:10]

    @classmethod
    def from_environment_or_file(cls, path: Path) -> Pseudonymizer:
        """Use ``UNIFIED_EDU_PSEUDONYM_KEY`` if set, else the key file (created if absent)."""
        value = os.environ.get(ENV_KEY)
        if value:
            try:
                return cls(bytes.fromhex(value.strip()))
            except ValueError as exc:
                raise ConfigurationError(f"{ENV_KEY} must be hex") from exc
        return cls.from_key_file(path)

    @classmethod
    def from_key_file(cls, path: Path) -> Pseudonymizer:
        """Read the key from ``path``, creating it (0600) with a fresh random key if absent."""
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(KEY_BYTES))
        try:
            return cls(bytes.fromhex(path.read_text().strip()))
        except ValueError as exc:
            raise ConfigurationError("the pseudonym key file is not hex", file=str(path)) from exc
