"""OData query options and collection answers.

Owns ``$top`` (capped by the server: the page a client asks for is never larger than the
service allows), ``$skiptoken`` paging with absolute ``@odata.nextLink`` URLs that carry
the original query, ``$select``, ``$expand`` parsing, ``$filter`` (equality only),
``$orderby``, ``$count`` and ``@odata.context``. Handlers hand over already-visible items
and two functions: the caller's view of an item and its expansion.
"""

from __future__ import annotations

import base64
import binascii
import re
import urllib.parse
from collections.abc import Callable, Iterable
from typing import Any

import attrs

from unified_edu.sandbox._core import SandboxResponse
from unified_edu.sandbox.graph._errors import CONTENT_TYPE, bad_request
from unified_edu.sandbox.graph._routes import Call
from unified_edu.sandbox.graph._schema import EXPANDABLE, NAVIGATIONS, PROPERTIES

__all__ = [
    "Query",
    "check_expand",
    "context_url",
    "entity",
    "next_link",
    "ok",
    "page",
    "parse_query",
    "query_of",
    "select",
]

Json = dict[str, Any]
Expansions = dict[str, "Query"]

_OPTIONS = (
    "top",
    "skip",
    "skiptoken",
    "select",
    "expand",
    "filter",
    "orderby",
    "count",
    "search",
    "deltatoken",
)
_SINGLE_VALUED = frozenset(
    {"me", "user", "rubric", "assignmentDefaults", "assignmentSettings", "administrativeUnit"}
)
_CLAUSE = re.compile(
    r"""\s*([A-Za-z][\w/]*)\s+(eq|ne)\s+('(?:[^']|'')*'|-?\d+(?:\.\d+)?|true|false|null)\s*$""",
    re.IGNORECASE,
)


@attrs.frozen(kw_only=True)
class Query:
    """The system query options of one request (names accepted with or without ``$``,
    as Graph v1.0 does)."""

    top: int | None = None
    skip: int = 0
    skiptoken: str | None = None
    select: tuple[str, ...] | None = None
    expand: Expansions = attrs.field(factory=dict)
    filter: str | None = None
    orderby: str | None = None
    count: bool = False
    deltatoken: str | None = None


def parse_query(params: dict[str, str]) -> Query:
    """Parse ``params`` (name → first value), or raise Graph's 400."""
    values: dict[str, str] = {}
    for raw_name, value in params.items():
        name = raw_name[1:] if raw_name.startswith("$") else raw_name
        if name.lower() in _OPTIONS:
            values[name.lower()] = value
        elif raw_name.startswith("$"):
            raise bad_request(f"Query option '{raw_name}' is not allowed.", "BadRequest")
    if "search" in values:
        raise bad_request("Search is not supported on this collection.", "BadRequest")
    return Query(
        top=_int_option(values, "top"),
        skip=_int_option(values, "skip") or 0,
        skiptoken=values.get("skiptoken"),
        select=_names(values["select"]) if "select" in values else None,
        expand=_parse_expand(values.get("expand", "")),
        filter=values.get("filter"),
        orderby=values.get("orderby"),
        count=values.get("count", "").lower() == "true",
        deltatoken=values.get("deltatoken"),
    )


def query_of(call: Call) -> Query:
    """The system query options of ``call``."""
    return parse_query({k: v[0] for k, v in call.request.query.items() if v})


def _int_option(values: dict[str, str], name: str) -> int | None:
    if name not in values:
        return None
    try:
        number = int(values[name])
    except ValueError:
        number = -1
    if number < 0:
        raise bad_request(f"Invalid value '{values[name]}' for query option '${name}'.")
    return number


def _names(text: str) -> tuple[str, ...]:
    return tuple(n.strip() for n in text.split(",") if n.strip())


def _parse_expand(text: str) -> Expansions:
    """``submissions($expand=outcomes),categories`` → ``{name: nested query}``."""
    out: Expansions = {}
    depth, start = 0, 0
    for index, char in enumerate(text + ","):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "," and depth == 0:
            item = text[start:index].strip()
            start = index + 1
            if not item:
                continue
            name, _, nested = item.partition("(")
            inner: dict[str, str] = {}
            for option in nested.rstrip(")").split(";") if nested else []:
                key, _, value = option.partition("=")
                inner[key.strip()] = value.strip()
            out[name.strip()] = parse_query(inner)
    return out


def check_expand(query: Query, type_name: str) -> Expansions:
    """The requested expansions (``*`` spelled out), or the 400 Graph gives."""
    allowed = EXPANDABLE.get(type_name, frozenset())
    if "*" in query.expand:
        return {name: Query() for name in sorted(allowed)}
    for name in query.expand:
        if name not in allowed:
            raise bad_request(
                "Parsing OData Select and Expand failed: Could not find a property named "
                f"'{name}' on type 'microsoft.graph.{type_name}'.",
                "BadRequest",
            )
    return query.expand


def select(item: Json, query: Query, type_name: str, keep: Iterable[str] = ()) -> Json:
    """``item`` reduced to ``$select`` (plus ``id``, ``@odata.type`` and ``keep``)."""
    if query.select is None or "*" in query.select:
        return item
    known = PROPERTIES.get(type_name, frozenset()) | NAVIGATIONS.get(type_name, frozenset())
    for name in query.select:
        if name not in known:
            raise bad_request(
                f"Could not find a property named '{name}' on type 'microsoft.graph.{type_name}'.",
                "BadRequest",
            )
    wanted = {"id", "@odata.type", *query.select, *keep}
    return {k: v for k, v in item.items() if k in wanted}


def _lookup(item: Json, path: str) -> Any:
    value: Any = item
    for part in path.split("/"):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _literal(text: str) -> Any:
    lowered = text.lower()
    if text.startswith("'"):
        return text[1:-1].replace("''", "'")
    if lowered in ("true", "false"):
        return lowered == "true"
    if lowered == "null":
        return None
    return float(text) if "." in text else int(text)


def _apply_filter(items: list[Json], text: str) -> list[Json]:
    """Equality filters joined by ``and``: all the emulator promises; anything else is
    refused rather than silently ignored."""
    clauses = []
    for part in re.split(r"\s+and\s+", text.strip(), flags=re.IGNORECASE):
        match = _CLAUSE.match(part)
        if match is None:
            raise bad_request(f"Invalid filter clause: unsupported expression '{part}'.")
        clauses.append((match.group(1), match.group(2).lower(), _literal(match.group(3))))
    out = []
    for item in items:
        results = [(_lookup(item, path) == value) == (op == "eq") for path, op, value in clauses]
        if all(results):
            out.append(item)
    return out


def _sort_key(name: str) -> Callable[[Json], tuple[bool, str]]:
    def key(item: Json) -> tuple[bool, str]:
        value = _lookup(item, name)
        return value is not None, "" if value is None else str(value)

    return key


def _apply_orderby(items: list[Json], text: str) -> list[Json]:
    # Stable sorts from the last key to the first give a multi-key order.
    for part in reversed([p.strip() for p in text.split(",") if p.strip()]):
        name, _, direction = part.partition(" ")
        items = sorted(items, key=_sort_key(name), reverse=direction.strip().lower() == "desc")
    return items


def encode_token(offset: int) -> str:
    """An opaque ``$skiptoken`` for an offset."""
    return base64.urlsafe_b64encode(f"RFNwdA:{offset}".encode()).decode().rstrip("=")


def decode_token(token: str) -> int:
    """The offset inside a ``$skiptoken``, or Graph's 400."""
    try:
        text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        marker, _, offset = text.partition(":")
        if marker != "RFNwdA":
            raise ValueError(token)
        return int(offset)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise bad_request("Invalid skip token.", "BadRequest") from exc


def next_link(call: Call, replace: dict[str, str]) -> str:
    """The absolute URL of the next page: same path and query, new token(s)."""
    params: list[tuple[str, str]] = []
    dropped = {"skiptoken", "deltatoken", *replace}
    for name, values in call.request.query.items():
        if name.lstrip("$").lower() in dropped:
            continue
        params.extend((name, value) for value in values)
    params.extend((f"${name}", value) for name, value in replace.items())
    query = "&".join(
        f"{urllib.parse.quote(k, safe='$')}={urllib.parse.quote(v, safe=chr(39) + '(),:$*')}"
        for k, v in params
    )
    return f"{call.env.base_url()}/v1.0{call.path}?{query}"


def context_url(call: Call, *, entity: bool = False, type_name: str | None = None) -> str:
    """``@odata.context``: ``…/$metadata#education/classes('x')/assignments[/$entity]``,
    or ``…/$metadata#<type>`` for an action's result."""
    root = f"{call.env.base_url()}/v1.0/$metadata#"
    if type_name is not None:
        return root + type_name
    parts: list[str] = []
    expect_key = False
    for seg in call.segments:
        if expect_key and seg != "delta":
            parts[-1] += f"('{seg}')"
            expect_key = False
            continue
        parts.append(seg)
        expect_key = seg not in _SINGLE_VALUED and seg not in {"education", "delta"}
    if entity and parts:
        # An entity's context names its collection: ``…/assignments/$entity``.
        parts[-1] = parts[-1].split("(", 1)[0]
        parts.append("$entity")
    return root + "/".join(parts)


def ok(payload: Json, status: int = 200) -> SandboxResponse:
    """A JSON answer with Graph's media type."""
    return SandboxResponse.json_body(status, payload, {"Content-Type": CONTENT_TYPE})


def entity(
    call: Call,
    item: Json,
    *,
    status: int = 200,
    type_name: str | None = None,
    select_as: str | None = None,
) -> SandboxResponse:
    """One entity with its ``@odata.context``.

    Args:
        type_name: For an action's result: the context names the type, not a path.
        select_as: The entity's type, to honour ``$select`` on a GET.
    """
    if select_as is not None:
        query = query_of(call)
        item = select(item, query, select_as)
    context = context_url(call, entity=type_name is None, type_name=type_name)
    return ok({"@odata.context": context, **item}, status)


def page(
    call: Call,
    items: list[Json],
    *,
    type_name: str,
    kind: str,
    view: Callable[[Json], Json] | None = None,
    expand: Callable[[Json], Json] | None = None,
) -> SandboxResponse:
    """One page of a collection.

    Args:
        call: The request.
        items: Every item the caller may see, in the collection's natural order.
        type_name: The item type (``educationClass``) for ``$select`` checks.
        kind: Throttling family for the page-size cap (``roster``, ``assignments``...).
        view: The caller's view of an item (``Prefer`` mappings, settle-on-read).
        expand: Adds ``$expand``-ed navigation properties to a viewed item.
    """
    query = query_of(call)
    viewed = [view(i) for i in items] if view else list(items)
    if query.filter:
        viewed = _apply_filter(viewed, query.filter)
    if query.orderby:
        viewed = _apply_orderby(viewed, query.orderby)
    offset = decode_token(query.skiptoken) if query.skiptoken else query.skip
    cap = call.env.caps.get(kind, call.env.caps["other"])
    size = min(query.top if query.top is not None else call.env.default_page, cap)
    chunk = viewed[offset : offset + size]
    keep = tuple(check_expand(query, type_name)) if query.expand else ()
    values = [select(expand(i) if expand else i, query, type_name, keep) for i in chunk]
    body: Json = {"@odata.context": context_url(call)}
    if query.count and not query.skiptoken:
        body["@odata.count"] = len(viewed)
    if offset + size < len(viewed) and size > 0:
        body["@odata.nextLink"] = next_link(call, {"skiptoken": encode_token(offset + size)})
    body["value"] = values
    return ok(body)
