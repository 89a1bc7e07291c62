"""Server-side paging: bounded page sizes and opaque ``nextPageToken`` values.

Classroom's page tokens are opaque and only valid "if the list request is otherwise
identical" (discovery doc, every ``pageToken``). A token here carries the sort key of the
last item sent (keyset paging, so items added or removed between pages neither repeat nor
go missing) and a fingerprint of the request; it is signed so that a hand-made or edited
token is rejected like Google rejects one: 400 INVALID_ARGUMENT.

This module must not import any platform client.
"""

from __future__ import annotations

import base64
import bisect
import hashlib
import hmac
import json
from collections.abc import Callable, Sequence
from typing import TypeVar

from unified_edu.sandbox._core import Principal, SandboxRequest
from unified_edu.sandbox.classroom._errors import invalid_argument

__all__ = ["Pager", "SortKey"]

T = TypeVar("T")
SortKey = tuple[int | str, ...]

# Parameters that may differ between pages of one listing.
_PAGING_PARAMS = frozenset({"pageToken", "pageSize", "access_token", "prettyPrint", "alt"})


class Pager:
    """Cuts sorted lists into pages.

    Args:
        secret: Signs page tokens (per app instance).
    """

    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def page(
        self,
        items: Sequence[T],
        key: Callable[[T], SortKey],
        request: SandboxRequest,
        principal: Principal,
        *,
        cap: int,
    ) -> tuple[list[T], str | None]:
        """One page of ``items`` (sorted here by ``key``) and the next token, if more.

        Args:
            items: Everything the caller may see for this request.
            key: A unique, ascending sort key per item.
            request: The list request (``pageSize``, ``pageToken``).
            principal: The caller (a token is only valid for the same caller).
            cap: The server's maximum page size; ``pageSize`` above it is lowered,
                ``0`` or unset means the maximum.
        """
        size = self._size(request, cap)
        ordered = sorted(items, key=key)
        fingerprint = self._fingerprint(request, principal)
        start = 0
        token = request.param("pageToken")
        if token:
            last = self._decode(token, fingerprint)
            start = bisect.bisect_right(ordered, last, key=key)
        chunk = ordered[start : start + size]
        more = start + size < len(ordered)
        return chunk, (self._encode(key(chunk[-1]), fingerprint) if more and chunk else None)

    @staticmethod
    def _size(request: SandboxRequest, cap: int) -> int:
        raw = request.param("pageSize")
        try:
            size = int(raw) if raw else 0
        except ValueError:
            raise invalid_argument() from None
        if size < 0:
            raise invalid_argument()
        return min(size, cap) if size else cap

    @staticmethod
    def _fingerprint(request: SandboxRequest, principal: Principal) -> str:
        params = sorted((k, list(v)) for k, v in request.query.items() if k not in _PAGING_PARAMS)
        material = json.dumps([principal.subject, request.path, params], ensure_ascii=False)
        return hashlib.sha256(material.encode()).hexdigest()[:24]

    def _encode(self, last: SortKey, fingerprint: str) -> str:
        payload = json.dumps([fingerprint, list(last)], separators=(",", ":")).encode()
        mac = hmac.new(self._secret, payload, hashlib.sha256).digest()[:12]
        return base64.urlsafe_b64encode(mac + payload).decode().rstrip("=")

    def _decode(self, token: str, fingerprint: str) -> SortKey:
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            mac, payload = raw[:12], raw[12:]
            if not hmac.compare_digest(
                mac, hmac.new(self._secret, payload, hashlib.sha256).digest()[:12]
            ):
                raise ValueError("bad signature")
            stored, last = json.loads(payload)
        except (ValueError, TypeError):
            raise invalid_argument() from None
        if stored != fingerprint:
            raise invalid_argument()
        return tuple(last)
