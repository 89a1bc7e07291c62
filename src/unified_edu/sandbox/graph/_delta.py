"""Delta queries: classes, schools, users, a class's assignments and categories.

Owns the ``delta`` functions. The first call returns every object, page by page
(``@odata.nextLink`` with ``$skiptoken``); the last page carries ``@odata.deltaLink``
with ``$deltatoken``. Calling that link later returns only what changed since: updated
and created objects in full, deleted ones as ``{"id": …, "@removed": {"reason":
"deleted"}}``. A round's item list is fixed when it starts, so changes made while a
client pages cannot shift pages; they are delivered in the next round.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Callable
from typing import Any

import attrs

from unified_edu.sandbox._core import SandboxResponse
from unified_edu.sandbox.graph import _perm as perm
from unified_edu.sandbox.graph._errors import bad_request
from unified_edu.sandbox.graph._odata import context_url, ok, parse_query
from unified_edu.sandbox.graph._routes import Call, Route
from unified_edu.sandbox.graph._schema import odata_type
from unified_edu.sandbox.graph._store import Table
from unified_edu.sandbox.graph._views import assignment_view

__all__ = ["ROUTES"]

Json = dict[str, Any]


@attrs.frozen
class _Round:
    """One delta round: the ids to deliver and the change number it started at."""

    ids: tuple[str, ...]
    snapshot: int
    size: int


def _sign(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _encode(text: str) -> str:
    raw = f"{text}|{_sign(text)}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(token: str) -> str:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise bad_request("Invalid delta or skip token.", "BadRequest") from exc
    text, _, signature = raw.rpartition("|")
    if signature != _sign(text):
        raise bad_request("Invalid delta or skip token.", "BadRequest")
    return text


def _delta(
    call: Call,
    table: Table,
    *,
    type_name: str,
    kind: str,
    visible: Callable[[Json], bool],
    render: Callable[[Json], Json],
    only_top: bool = False,
) -> SandboxResponse:
    params = {k.lstrip("$").lower(): v[0] for k, v in call.request.query.items() if v}
    if only_top and set(params) - {"top", "skiptoken", "deltatoken"}:
        raise bad_request("Only the $top query option is supported by this delta function.")
    store = call.store
    rounds = store.delta_rounds
    scope = call.path
    if "skiptoken" in params:
        key, _, offset_text = _decode(params["skiptoken"]).rpartition(":")
        found = rounds.get(key)
        if not isinstance(found, _Round) or not key.startswith(scope) or not offset_text.isdigit():
            raise bad_request("The skip token has expired or is invalid.", "BadRequest")
        round_, offset = found, int(offset_text)
    else:
        query = parse_query(params)
        cap = call.env.caps.get(kind, call.env.caps["other"])
        size = min(query.top if query.top is not None else call.env.default_page, cap)
        if "deltatoken" in params:
            token_scope, _, since_text = _decode(params["deltatoken"]).rpartition(":")
            if token_scope != scope or not since_text.isdigit():
                raise bad_request("The delta token is invalid for this collection.", "BadRequest")
            since = int(since_text)
            changed = [(r.seq, i) for i, r in table.rows.items() if r.seq > since]
            changed += [(seq, i) for i, seq in table.removed.items() if seq > since]
            ids = tuple(i for _, i in sorted(changed))
        else:
            ids = tuple(table.rows)
        round_ = _Round(ids=ids, snapshot=store.seq, size=max(size, 1))
        key = f"{scope}:{len(rounds)}"
        rounds[key] = round_
        offset = 0
    chunk = round_.ids[offset : offset + round_.size]
    values = []
    for item_id in chunk:
        data = table.get(item_id)
        if data is None:
            values.append({"id": item_id, "@removed": {"reason": "deleted"}})
        elif visible(data):
            values.append({"@odata.type": odata_type(type_name), **render(data)})
    body: Json = {"@odata.context": context_url(call, type_name=f"Collection({type_name})")}
    base = f"{call.env.base_url()}/v1.0{call.path}"
    if offset + round_.size < len(round_.ids):
        body["@odata.nextLink"] = f"{base}?$skiptoken={_encode(f'{key}:{offset + round_.size}')}"
    else:
        body["@odata.deltaLink"] = f"{base}?$deltatoken={_encode(f'{scope}:{round_.snapshot}')}"
    body["value"] = values
    return ok(body)


def _same(data: Json) -> Json:
    return data


def classes_delta(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.ROSTER_READ, "Tracking class changes")
    own = None
    if not call.principal.app_only:
        own = set(call.store.classes_of_user(call.principal.subject))
    return _delta(
        call,
        call.store.classes,
        type_name="educationClass",
        kind="roster",
        visible=lambda c: own is None or c["id"] in own,
        render=_same,
    )


def schools_delta(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.ROSTER_READ, "Tracking school changes")
    return _delta(
        call,
        call.store.schools,
        type_name="educationSchool",
        kind="roster",
        visible=lambda _: True,
        render=_same,
    )


def users_delta(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.USERS_READ, "Tracking user changes")
    return _delta(
        call,
        call.store.users,
        type_name="educationUser",
        kind="roster",
        visible=lambda _: True,
        render=_same,
    )


def assignments_delta(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.ASSIGNMENTS_READ, "Tracking assignment changes")
    role = perm.class_role(call.store, call.principal, call.params[0])
    state = call.store.class_states[call.params[0]]

    def visible(data: Json) -> bool:
        return role != "student" or data["status"] != "draft"

    return _delta(
        call,
        state.assignments,
        type_name="educationAssignment",
        kind="assignments",
        visible=visible,
        render=lambda data: assignment_view(data, call.include_unknown),
        only_top=True,
    )


def categories_delta(call: Call) -> SandboxResponse:
    perm.check(call.principal, perm.ASSIGNMENTS_READ, "Tracking category changes")
    perm.class_role(call.store, call.principal, call.params[0])
    return _delta(
        call,
        call.store.class_states[call.params[0]].categories,
        type_name="educationCategory",
        kind="assignments",
        visible=lambda _: True,
        render=_same,
        only_top=True,
    )


ROUTES = [
    Route("GET", "/education/classes/delta", classes_delta, "roster"),
    Route("GET", "/education/schools/delta", schools_delta, "roster"),
    Route("GET", "/education/users/delta", users_delta, "roster"),
    Route("GET", "/education/classes/{id}/assignments/delta", assignments_delta, "assignments"),
    Route(
        "GET",
        "/education/classes/{id}/assignmentCategories/delta",
        categories_delta,
        "assignments",
    ),
]
