"""The contract suite's cassettes: one vcrpy configuration, its scrubbers and matchers.

Owns how an HTTP exchange becomes a cassette entry and how a replayed request finds its
entry again:

- **Scrubbing** (``scrub_request``, ``scrub_response``): request headers are cut down to
  ``Content-Type``, ``Accept`` and ``Prefer`` (no ``Authorization``); the in-body
  ``authorization:`` lines of Google's multipart batches are dropped; the ``assertion``
  of Google's ``/token`` request (a JWT signed with the service-account key) is
  replaced; ``access_token``/``refresh_token``/``id_token`` values in answers, every
  JWT-shaped string and every ``Bearer`` value are replaced. vcrpy applies the request
  scrubber to live requests before matching too, so both sides compare scrubbed.
- **Readable bodies**: compressed answers are decoded, JSON bodies are pretty-printed
  (``Content-Length`` fixed), bodies are stored as UTF-8 text with Cyrillic unescaped,
  multi-line bodies as YAML literal blocks (``serializer="contract_yaml"``).
- **Stable cassettes**: the sandbox's random port, Google's random batch boundaries and
  Content-ID bases are rewritten to fixed values, so a re-record only shows real changes.
- **Matching** (``match_on``): method, path, query (normalized) and ``contract_body``,
  never host or port (replay points providers at ``http://127.0.0.1:9``). Bodies are
  compared parsed: Google multipart batches as their inner requests (method, path and
  query, body), Graph ``$batch`` as ``{id: (method, url, body)}``, JSON as data, forms
  as sorted pairs. Values the backends draw at random (a Google course alias
  ``p:unified-edu-<uuid>``, a Graph ``mailNickname`` suffix) are normalized first.

This module imports no platform client.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import vcr
import yaml
from vcr.request import Request

__all__ = [
    "CASSETTES",
    "FAKE_ORIGIN",
    "SCRUBBED",
    "contract_vcr",
    "scrub_request",
    "scrub_response",
]

CASSETTES = Path(__file__).parent / "cassettes"
#: Where replayed providers point; nothing listens there (port 9 is "discard").
FAKE_ORIGIN = "http://127.0.0.1:9"
SCRUBBED = "SCRUBBED"

_KEPT_REQUEST_HEADERS = frozenset({"content-type", "accept", "prefer"})
# Answer headers that change on every recording and that no client reads.
_DROPPED_HEADERS = frozenset({"set-cookie", "date", "server", "x-ms-ags-diagnostic"})
_SECRET_FIELDS = ("access_token", "refresh_token", "id_token", "client_secret", "private_key")
_SECRET_QUERY = frozenset({"access_token", "key", "client_secret", "code"})

_ORIGIN = re.compile(r"(?:127\.0\.0\.1|localhost):\d+")
_JWT = re.compile(r"eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")
_BEARER = re.compile(r"(?i)\bBearer\s+(?!SCRUBBED)[A-Za-z0-9._~+/=-]{4,}")
# In-body headers of a Google batch's parts: credentials, and versions that churn.
_PART_LINES = re.compile(r"(?im)^(?:authorization|user-agent|x-goog-api-client):[^\n]*\n")
_BOUNDARY = re.compile(r"boundary=\"?([^\";\s]+)\"?")
_CONTENT_ID = re.compile(r"(<(?:response-)?)[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}")
_INNER_LENGTH = re.compile(r"(?im)^content-length: \d+")
_RANDOM_VALUES = (
    # Google course alias of a create without external_id (_writes._alias).
    (re.compile(r"p:unified-edu-[0-9a-f]{32}"), "p:unified-edu-<uuid>"),
    # Graph mailNickname of a class create: slug + "-" + secrets.token_hex(4).
    (
        re.compile(r"(mailNickname[\"']?\s*(?::|eq)\s*[\"'][a-z0-9-]*-)[0-9a-f]{8}([\"'])"),
        r"\1<hex>\2",
    ),
)
_FIXED_BOUNDARY = "contract-boundary"


# -- helpers --------------------------------------------------------------------------


def _header(headers: Mapping[str, Any], name: str) -> str:
    for key, value in headers.items():
        if key.lower() == name.lower():
            return str(value[0] if isinstance(value, list | tuple) else value)
    return ""


def _text(body: Any) -> str | None:
    if body is None:
        return None
    if isinstance(body, str):
        return body
    if isinstance(body, bytes | bytearray):
        try:
            return bytes(body).decode("utf-8")
        except UnicodeDecodeError:
            return None
    return None


def _pretty(text: str) -> str | None:
    """``text`` re-indented, secret fields scrubbed, when it is a JSON object or array;
    else ``None``. No trailing newline."""
    stripped = text.strip()
    if not stripped or stripped[0] not in "[{":
        return None
    try:
        data = json.loads(stripped)
    except ValueError:
        return None
    return json.dumps(_scrub_json(data), ensure_ascii=False, indent=1)


def _scrub_json(data: Any) -> Any:
    if isinstance(data, dict):
        return {
            k: SCRUBBED if k in _SECRET_FIELDS and isinstance(v, str) else _scrub_json(v)
            for k, v in data.items()
        }
    if isinstance(data, list):
        return [_scrub_json(item) for item in data]
    return data


def _scrub_text(text: str) -> str:
    text = _ORIGIN.sub(urlsplit(FAKE_ORIGIN).netloc, text)
    text = _JWT.sub(SCRUBBED, text)
    return _BEARER.sub("Bearer " + SCRUBBED, text)


def _fixed_boundary(text: str, content_type: str) -> tuple[str, str]:
    """Google batch bodies with a fixed boundary and Content-ID base (both random)."""
    found = _BOUNDARY.search(content_type)
    if found is None:
        return text, content_type
    text = text.replace("--" + found.group(1), "--" + _FIXED_BOUNDARY)
    text = _CONTENT_ID.sub(r"\1batch", text)
    return text, content_type.replace(found.group(1), _FIXED_BOUNDARY)


def _pretty_parts(text: str) -> str:
    """A Google batch answer with each part's JSON re-indented (CRLF kept: the client
    splits parts on it) and the part's Content-Length fixed."""
    delimiter = "--" + _FIXED_BOUNDARY
    chunks = text.split(delimiter)
    out = [chunks[0]]
    for chunk in chunks[1:]:
        head, blank, body = chunk.rpartition("\r\n\r\n")
        pretty = _pretty(body) if blank and not chunk.startswith("--") else None
        if pretty is not None:
            body = pretty.replace("\n", "\r\n")
            size = len(body.encode("utf-8"))
            head = _INNER_LENGTH.sub(f"Content-Length: {size}", head)
            out.append(f"{head}{blank}{body}\r\n")
        else:
            out.append(chunk)
    return delimiter.join(out)


# -- scrubbing ------------------------------------------------------------------------


def scrub_request(request: Request) -> Request:
    """What a request looks like in a cassette (and before matching)."""
    parts = urlsplit(request.uri)
    query = parts.query
    pairs = parse_qsl(query, keep_blank_values=True)
    if any(k in _SECRET_QUERY for k, _ in pairs):
        query = urlencode([(k, SCRUBBED if k in _SECRET_QUERY else v) for k, v in pairs])
    fake = urlsplit(FAKE_ORIGIN)
    request.uri = urlunsplit((fake.scheme, fake.netloc, parts.path, query, ""))
    content_type = _header(request.headers, "content-type")
    request.headers = {
        k: v for k, v in request.headers.items() if k.lower() in _KEPT_REQUEST_HEADERS
    }
    text = _text(request.body)
    if text is None:
        return request
    if "x-www-form-urlencoded" in content_type or parts.path.endswith("/token"):
        pairs = parse_qsl(text, keep_blank_values=True)
        text = urlencode([(k, SCRUBBED if k == "assertion" else v) for k, v in pairs])
    elif content_type.startswith("multipart/"):
        text, content_type = _fixed_boundary(_PART_LINES.sub("", text), content_type)
        request.headers = {**request.headers, "Content-Type": content_type}
    else:
        pretty = _pretty(text)
        text = text if pretty is None else pretty + "\n"
    request.body = _scrub_text(text)
    return request


def scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    """What an answer looks like in a cassette (after vcrpy decoded it)."""
    headers: dict[str, list[str]] = {
        k: list(v) for k, v in response["headers"].items() if k.lower() not in _DROPPED_HEADERS
    }
    text = _text(response["body"]["string"])
    if text is None:
        return response
    content_type = _header(headers, "content-type")
    if content_type.startswith("multipart/"):
        text, fixed = _fixed_boundary(text, content_type)
        text = _pretty_parts(text)
        headers = {k: [fixed] if k.lower() == "content-type" else v for k, v in headers.items()}
    else:
        pretty = _pretty(text)
        text = text if pretty is None else pretty + "\n"
    body = _scrub_text(text).encode("utf-8")
    for key in headers:
        if key.lower() == "content-length":
            headers[key] = [str(len(body))]
    response["headers"] = dict(sorted(headers.items(), key=lambda item: item[0].lower()))
    response["body"] = {"string": body}
    return response


# -- matching -------------------------------------------------------------------------


def _normalized(text: str) -> str:
    for pattern, replacement in _RANDOM_VALUES:
        text = pattern.sub(replacement, text)
    return text


def _data(text: str | None) -> Any:
    if not text or not text.strip():
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text.strip()


def _google_batch(text: str) -> list[tuple[str, str, Any]]:
    """The inner requests of a Google multipart batch: (method, path?query, body)."""
    first = text.lstrip().split("\n", 1)[0].strip()
    parts = []
    for chunk in text.split(first)[1:]:
        if chunk.startswith("--"):
            break  # the closing delimiter
        _, _, inner = chunk.replace("\r\n", "\n").partition("\n\n")
        head, _, body = inner.partition("\n\n")
        method, _, rest = head.split("\n", 1)[0].partition(" ")
        target = rest.rsplit(" ", 1)[0]
        path, _, query = target.partition("?")
        parts.append((method, path + "?" + urlencode(sorted(parse_qsl(query, True))), _data(body)))
    return parts


def _graph_batch(data: Any) -> dict[str, tuple[Any, Any, Any]]:
    requests = data.get("requests", []) if isinstance(data, dict) else []
    return {
        str(r.get("id")): (r.get("method"), r.get("url"), r.get("body"))
        for r in requests
        if isinstance(r, dict)
    }


def canonical_body(request: Request) -> Any:
    """A request body in the form two requests are compared in."""
    text = _text(request.body)
    if text is None:
        return request.body
    text = _normalized(text)
    content_type = _header(request.headers, "content-type")
    if content_type.startswith("multipart/") and request.path.endswith("/batch"):
        return _google_batch(text)
    if request.path.endswith("/$batch"):
        return _graph_batch(_data(text))
    if "x-www-form-urlencoded" in content_type or request.path.endswith("/token"):
        return sorted(parse_qsl(text, keep_blank_values=True))
    return _data(text)


def contract_body(r1: Request, r2: Request) -> None:
    """vcrpy matcher: the bodies say the same thing (see :func:`canonical_body`)."""
    assert canonical_body(r1) == canonical_body(r2)


def contract_query(r1: Request, r2: Request) -> None:
    """vcrpy matcher: the same query parameters, random values normalized."""

    def canonical(request: Request) -> list[tuple[str, str]]:
        return [(k, _normalized(v)) for k, v in request.query]

    assert canonical(r1) == canonical(r2)


# -- serializing ----------------------------------------------------------------------


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """Multi-line strings as literal blocks; everything else as PyYAML would."""


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _represent_str)


def _crlf_bodies(cassette_dict: dict[str, Any], *, store: bool) -> None:
    """Store CRLF-only bodies (Google batch answers) with LF and a ``crlf`` flag, so YAML
    can keep them as readable blocks; put the CRLFs back when loading."""
    for interaction in cassette_dict.get("interactions", []):
        for holder, key in (
            (interaction["request"], "body"),
            (interaction["response"]["body"], "string"),
        ):
            flag = "crlf" if key == "string" else "body_crlf"
            text = holder.get(key)
            if store and isinstance(text, str) and "\r\n" in text:
                if text.count("\n") == text.count("\r\n") == text.count("\r"):
                    holder[key] = text.replace("\r\n", "\n")
                    holder[flag] = True
            elif not store and holder.pop(flag, False):
                holder[key] = holder[key].replace("\n", "\r\n")


class _Serializer:
    """vcrpy serializer ``contract_yaml``: readable UTF-8 YAML."""

    @staticmethod
    def serialize(cassette_dict: dict[str, Any]) -> str:
        _crlf_bodies(cassette_dict, store=True)
        return yaml.dump(
            cassette_dict,
            Dumper=_Dumper,
            allow_unicode=True,
            sort_keys=False,
            width=100_000,
        )

    @staticmethod
    def deserialize(cassette_string: str) -> Any:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        data = yaml.load(cassette_string, Loader=loader)
        _crlf_bodies(data, store=False)
        return data


def contract_vcr(*, record_mode: str) -> vcr.VCR:
    """The one vcrpy configuration of the contract suite.

    Args:
        record_mode: vcrpy's mode: ``"none"`` replays only (the default run),
            ``"all"`` records every request again.
    """
    recording = record_mode != "none"
    config = vcr.VCR(
        serializer="contract_yaml",
        record_mode=record_mode,
        match_on=("method", "path", "contract_query", "contract_body"),
        before_record_request=scrub_request,
        # vcrpy also runs this on every answer it loads; recorded answers are scrubbed.
        before_record_response=scrub_response if recording else None,
        decode_compressed_response=recording,
    )
    config.register_serializer("contract_yaml", _Serializer)
    config.register_matcher("contract_body", contract_body)
    config.register_matcher("contract_query", contract_query)
    return config
