"""Google's batch endpoint (``POST /batch``, ``/batch/classroom/v1``): ``multipart/mixed``.

Each part is an ``application/http`` message: a request line with a path-only URL,
headers, a blank line, a JSON body. Outer headers (``Authorization`` above all) apply to
every part that does not set them itself; a part's ``Content-ID: <x>`` comes back as
``Content-ID: <response-x>``; each part runs through the server's full pipeline
(:meth:`Context.dispatch`: auth, quota, faults, log). Classroom takes at most 50 calls per
batch (reference §4.2); more fails the whole batch with 400. The answer is
``multipart/mixed`` with one ``application/http`` part per call, CRLF line ends (the
Python client splits a part's head from its body at ``\\r\\n\\r\\n``).

This module must not import any platform client.
"""

from __future__ import annotations

import email.parser
import email.policy
import http
import re
import secrets
from email.message import Message
from urllib.parse import parse_qs, urlsplit

from unified_edu.sandbox._core import Context, SandboxRequest, SandboxResponse
from unified_edu.sandbox.classroom._errors import error_response

__all__ = ["MAX_PARTS", "handle_batch", "is_batch_path"]

MAX_PARTS = 50
_BATCH_PATHS = frozenset({"/batch", "/batch/classroom/v1"})
# Outer headers that describe the envelope, not the calls inside it.
_ENVELOPE_ONLY = frozenset(
    {
        "content-type",
        "content-length",
        "content-transfer-encoding",
        "transfer-encoding",
        "host",
        "connection",
        "accept-encoding",
    }
)
_HEAD_END = re.compile(rb"\r?\n\r?\n")
_FOLD = re.compile(r"\r?\n(?=[ \t])")


def is_batch_path(path: str) -> bool:
    """Whether ``path`` is Classroom's batch endpoint."""
    return path in _BATCH_PATHS


def _bad(message: str) -> SandboxResponse:
    return error_response(400, message, status="INVALID_ARGUMENT")


def _parse_part(payload: bytes, outer: dict[str, str]) -> SandboxRequest | None:
    """One ``application/http`` part as a request; ``None`` when it is not one."""
    found = _HEAD_END.search(payload)
    head, body = (payload[: found.start()], payload[found.end() :]) if found else (payload, b"")
    lines = head.decode("utf-8", "replace").splitlines()
    if not lines or len(lines[0].split()) < 2:
        return None
    method, target = lines[0].split()[:2]
    headers = dict(outer)
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if sep:
            headers[name.strip().lower()] = value.strip()
    length = headers.get("content-length", "")
    if length.isdigit():
        body = body[: int(length)]
    url = urlsplit(target)
    query = {k: tuple(v) for k, v in parse_qs(url.query, keep_blank_values=True).items()}
    return SandboxRequest(
        method=method.upper(), path=url.path, query=query, headers=headers, body=body, in_batch=True
    )


def _answer_part(content_id: str | None, response: SandboxResponse) -> bytes:
    head = ["Content-Type: application/http"]
    if content_id:
        # The client's MIME generator folds long headers; unfold (RFC 5322 §2.2.3).
        inner = _FOLD.sub("", content_id).strip()
        inner = inner[1:-1] if inner.startswith("<") and inner.endswith(">") else inner
        head.append(f"Content-ID: <response-{inner}>")
    try:
        phrase = http.HTTPStatus(response.status).phrase
    except ValueError:
        phrase = "Unknown"
    head += ["", f"HTTP/1.1 {response.status} {phrase}"]
    head += [f"{k}: {v}" for k, v in response.headers.items() if k.lower() != "content-length"]
    head += [f"Content-Length: {len(response.body)}", "", ""]
    return "\r\n".join(head).encode("utf-8") + response.body


def handle_batch(request: SandboxRequest, context: Context) -> SandboxResponse:
    """Run every part of a batch and answer them in one ``multipart/mixed`` body."""
    content_type = request.header("content-type") or ""
    if not content_type.lower().startswith("multipart/mixed") or "boundary" not in content_type:
        return _bad("Batch requests must be multipart/mixed with a boundary.")
    parser = email.parser.BytesParser(policy=email.policy.compat32)
    envelope = parser.parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + request.body
    )
    parts = envelope.get_payload() if envelope.is_multipart() else []
    assert isinstance(parts, list)
    if not parts:
        return _bad("The batch request contains no parts.")
    if len(parts) > MAX_PARTS:
        return _bad(f"A batch request cannot contain more than {MAX_PARTS} requests.")
    outer = {k: v for k, v in request.headers.items() if k not in _ENVELOPE_ONLY}
    answers: list[bytes] = []
    for part in parts:
        assert isinstance(part, Message)
        raw = part.get_payload()
        # compat32 decodes bytes as ASCII with surrogateescape: undo it for UTF-8 bodies.
        payload = raw.encode("ascii", "surrogateescape") if isinstance(raw, str) else b""
        inner = _parse_part(payload, outer)
        if inner is None:
            response = _bad("A batch part is not an application/http request.")
        elif is_batch_path(inner.path):
            response = _bad("Batch requests cannot be nested.")
        else:
            response = context.dispatch(inner)
        answers.append(_answer_part(part.get("Content-ID"), response))
    boundary = "batch_" + secrets.token_urlsafe(18)
    delimiter = f"--{boundary}\r\n".encode()
    body = b"".join(delimiter + answer + b"\r\n" for answer in answers)
    body += f"--{boundary}--\r\n".encode()
    return SandboxResponse(
        status=200,
        headers={"Content-Type": f"multipart/mixed; boundary={boundary}", "Vary": "Origin"},
        body=body,
    )
