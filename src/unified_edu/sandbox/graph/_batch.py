"""JSON batching: ``POST /v1.0/$batch``.

Owns the envelope (at most 20 requests, unique ids, relative URLs, a ``Content-Type``
for every body, ``dependsOn`` naming earlier requests) and its execution: each part goes
back through the server's pipeline with :meth:`Context.dispatch` (so it is
authenticated with the envelope's token, counted, throttled and fault-injected like a
direct call; an inner 429 comes back as that part's answer with its ``Retry-After``). A
part whose dependency failed answers 424. Answers are returned in reverse order: Graph
promises no order, and clients must match them by ``id`` (reference §4.2).

msgraph-core 1.5.2 serialises the dependency list as ``depends_on``; Graph reads only
``dependsOn`` and ignores unknown properties (msgraph-sdk-python-core PR #996), and so
does the emulator.
"""

from __future__ import annotations

import base64
import binascii
import json
import urllib.parse
from typing import Any

from unified_edu.sandbox._core import SandboxRequest, SandboxResponse
from unified_edu.sandbox.graph._errors import CONTENT_TYPE, GraphError, bad_request
from unified_edu.sandbox.graph._routes import Call, Route

__all__ = ["MAX_REQUESTS", "ROUTES"]

Json = dict[str, Any]

MAX_REQUESTS = 20
# Transport-level headers that belong to the envelope, not to a part's answer.
_ENVELOPE_ONLY = frozenset(
    {"request-id", "client-request-id", "x-ms-ags-diagnostic", "date", "content-length"}
)


def _check(requests: Any) -> list[Json]:
    if not isinstance(requests, list) or not requests:
        raise bad_request("Invalid batch payload format.", "BadRequest")
    if len(requests) > MAX_REQUESTS:
        raise bad_request(
            f"Number of requests in the batch exceeds the limit of {MAX_REQUESTS}.", "BadRequest"
        )
    seen: set[str] = set()
    for item in requests:
        if not isinstance(item, dict) or not all(
            isinstance(item.get(k), str) and item.get(k) for k in ("id", "method", "url")
        ):
            raise bad_request("Each batch request needs 'id', 'method' and 'url'.", "BadRequest")
        if item["id"] in seen:
            raise bad_request(f"Batch request id '{item['id']}' is not unique.", "BadRequest")
        depends = item.get("dependsOn") or []
        if not isinstance(depends, list) or any(d not in seen for d in depends):
            raise bad_request(
                f"Invalid dependency for request Id '{item['id']}': a request may only depend "
                "on requests listed before it.",
                "BadRequest",
            )
        seen.add(item["id"])
    return requests


def _part_error(code: str, message: str) -> Json:
    return {"error": {"code": code, "message": message}}


def _to_request(call: Call, item: Json) -> SandboxRequest:
    url = str(item["url"])
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme or parsed.netloc:
        raise GraphError(
            400, "BadRequest", "The URL of a batch request must be relative, e.g. '/me'."
        )
    headers = {str(k).lower(): str(v) for k, v in (item.get("headers") or {}).items()}
    authorization = call.request.header("authorization")
    if authorization:
        headers["authorization"] = authorization
    body = b""
    if "body" in item and item["body"] is not None:
        content_type = headers.get("content-type")
        if not content_type:
            raise GraphError(
                400, "BadRequest", "A Content-Type header is required when a body is specified."
            )
        raw = item["body"]
        if isinstance(raw, str) and "json" not in content_type:
            try:
                body = base64.b64decode(raw, validate=True)
            except binascii.Error as exc:
                raise bad_request("A non-JSON body must be base64-encoded.", "BadRequest") from exc
        else:
            body = json.dumps(raw, ensure_ascii=False).encode("utf-8")
    query: dict[str, tuple[str, ...]] = {}
    for name, value in urllib.parse.parse_qsl(parsed.query, keep_blank_values=True):
        query[name] = (*query.get(name, ()), value)
    path = parsed.path if parsed.path.startswith("/") else "/" + parsed.path
    return SandboxRequest(
        method=str(item["method"]).upper(),
        path="/v1.0" + path,
        query=query,
        headers=headers,
        body=body,
        in_batch=True,
    )


def _answer(item_id: str, response: SandboxResponse) -> tuple[Json, bytes | None]:
    """A part's answer: its JSON object without the body, and the body's JSON text when
    it can be embedded as is (``None``: the object carries its own ``body``, if any)."""
    headers = {k: v for k, v in response.headers.items() if k.lower() not in _ENVELOPE_ONLY}
    out: Json = {"id": item_id, "status": response.status, "headers": headers}
    if not response.body:
        return out, None
    if response.json_text:
        # Decoding and encoding again would give these very bytes back (and costs more
        # than the part's handler itself for a page of submissions).
        return out, response.body
    try:
        out["body"] = json.loads(response.body)
    except ValueError:
        out["body"] = base64.b64encode(response.body).decode("ascii")
    return out, None


def _encode(answer: Json, body: bytes | None) -> bytes:
    """One answer as ``json.dumps`` writes it, with ``body`` spliced in last."""
    text = json.dumps(answer, ensure_ascii=False).encode("utf-8")
    if body is None:
        return text
    return text[:-1] + b', "body": ' + body + b"}"


def handle_batch(call: Call) -> SandboxResponse:
    """Run a batch envelope."""
    body = call.body()
    requests = _check(body.get("requests") if isinstance(body, dict) else None)
    statuses: dict[str, int] = {}
    answers: list[bytes] = []
    for item in requests:
        failed = [d for d in item.get("dependsOn") or [] if statuses[d] >= 400]
        raw: bytes | None = None
        if failed:
            answer: Json = {
                "id": item["id"],
                "status": 424,
                "headers": {"Content-Type": "application/json"},
                "body": _part_error("FailedDependency", f"Dependent request(s) {failed} failed."),
            }
        else:
            try:
                part = _to_request(call, item)
            except GraphError as exc:
                answer = {
                    "id": item["id"],
                    "status": exc.status,
                    "headers": {"Content-Type": "application/json"},
                    "body": _part_error(exc.code, exc.message),
                }
            else:
                answer, raw = _answer(item["id"], call.context.dispatch(part))
        statuses[item["id"]] = int(answer["status"])
        answers.append(_encode(answer, raw))
    # What ok({"responses": [...]}) would write, without encoding the parts' bodies again.
    envelope = b'{"responses": [' + b", ".join(reversed(answers)) + b"]}"
    return SandboxResponse(
        status=200, headers={"Content-Type": CONTENT_TYPE}, body=envelope, json_text=True
    )


ROUTES = [Route("POST", "/$batch", handle_batch, "batch")]
