"""Classroom-shaped native ids, deterministic from the seed.

Classroom ids have recognisable shapes, and clients sometimes rely on them (a numeric
course id versus a ``d:`` alias): courses, courseWork and topics are numeric strings of
about 12 digits, users 21 digits starting with ``1``, student submissions an opaque
base64url token (``Cg4I...``, a serialized protobuf key), everything else opaque. Each id
is a hash of the seed, a kind and a stable key, so the same city always gets the same
ids, and a collision (vanishingly rare) is resolved by rehashing.

This module must not import any platform client.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import string

__all__ = ["IdMint", "b64"]

_ALNUM = string.ascii_lowercase + string.digits


@functools.lru_cache(maxsize=8192)  # every listed submission's link encodes three ids
def b64(text: str) -> str:
    """URL-safe base64 without padding (Classroom's ``alternateLink`` path segments)."""
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


class IdMint:
    """Hands out unique ids of each shape from ``(seed, kind, key)``.

    Args:
        seed: The city's seed.
    """

    def __init__(self, seed: int) -> None:
        self._seed = seed
        self._used: set[str] = set()
        self._counter = 0

    def _digest(self, kind: str, key: str, attempt: int) -> bytes:
        return hashlib.sha256(f"{self._seed}:{kind}:{key}:{attempt}".encode()).digest()

    def fresh_key(self) -> str:
        """A key for an object created through the API (deterministic call order)."""
        self._counter += 1
        return f"api-{self._counter}"

    def numeric(self, kind: str, key: str, digits: int = 12, *, lead: str = "") -> str:
        """A numeric id of ``digits`` digits (the first one non-zero, or ``lead``)."""
        attempt = 0
        while True:
            number = int.from_bytes(self._digest(kind, key, attempt)[:16], "big")
            body_digits = digits - 1
            first = lead or str(1 + number % 9)
            value = first + str(number // 9 % 10**body_digits).zfill(body_digits)
            if value not in self._used:
                self._used.add(value)
                return value
            attempt += 1

    def user(self, key: str) -> str:
        """A 21-digit Google user id (they start with ``1``)."""
        return self.numeric("user", key, 21, lead="1")

    def opaque(self, kind: str, key: str, length: int = 16) -> str:
        """An opaque lower-case alphanumeric id."""
        attempt = 0
        while True:
            digest = self._digest(kind, key, attempt)
            value = "".join(_ALNUM[b % len(_ALNUM)] for b in digest[:length])
            if value not in self._used:
                self._used.add(value)
                return value
            attempt += 1

    def token(self, kind: str, key: str, length: int = 12) -> str:
        """An opaque base64url id without padding (invitations, rubric parts)."""
        attempt = 0
        while True:
            digest = self._digest(kind, key, attempt)
            value = base64.urlsafe_b64encode(digest).decode().rstrip("=")[:length]
            if value not in self._used:
                self._used.add(value)
                return value
            attempt += 1

    def submission(self, user_id: str, course_work_id: str) -> str:
        """A submission id shaped like Classroom's (``Cg4I...``): opaque, unique per pair.

        Real ids are base64url protobuf keys; this packs the pair into the same shape.
        """
        attempt = 0
        while True:
            user = (int(user_id) + attempt) % 2**48
            raw = (
                b"\x0a\x0e\x08"
                + user.to_bytes(6, "big")
                + b"\x10"
                + (int(course_work_id) % 2**48).to_bytes(6, "big")
            )
            value = base64.urlsafe_b64encode(raw).decode().rstrip("=")
            if value not in self._used:
                self._used.add(value)
                return value
            attempt += 1

    def enrollment_code(self, key: str) -> str:
        """A seven-character enrollment code, as the Classroom UI shows them."""
        return self.opaque("enrollment", key, 7)
